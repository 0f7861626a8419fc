// netgen's LVS comparison as typed data: which nets of the routed layout and
// the synthesized netlist it could not match.
//
// qflow's lvs stage runs netgen with -json; layout/comp.json then holds, for
// the top cell, the net counts of both circuits and "badnets": groups of
// net fragments netgen could not pair.  A route that qrouter reports as done
// but that leaves a pin unconnected shows there as one more net in the layout
// than in the netlist, e.g. the netlist's `_3224_` against the layout's
// `OR2X2_54/A` (4 pins) and `OAI21X1_999/A` (the cut-off pin alone); the log
// alone says only "Netlists do not match".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gaitlstm::eda {

// One group of nets netgen could not pair; a name of "(no matching net)" is
// left out, so an open has more layout_nets than netlist_nets.
struct LvsNetMismatch {
  std::vector<std::string> layout_nets;   // magic names unlabelled fragments by a pin: "OAI21X1_999/A"
  std::vector<std::string> netlist_nets;  // the synthesized netlist's names: "_3224_"
};

struct LvsComparison {
  int64_t layout_nets = 0, netlist_nets = 0;
  std::vector<LvsNetMismatch> mismatches;
};

// Parses netgen's comp.json (circuit 1 = the layout, circuit 2 = the
// netlist, as qflow's lvs.sh orders them): the entries that carry "nets" /
// "badnets".  Throws InputError(file) on malformed JSON or when no entry has
// net counts.
LvsComparison parse_netgen_comparison(std::string_view json_text, const std::string& file);

// One line per mismatch for reports: "netlist net _3224_ is split in the
// layout: OR2X2_54/A + OAI21X1_999/A (an open)".
std::vector<std::string> describe_lvs_mismatches(const LvsComparison& comparison);

}  // namespace gaitlstm::eda
