// Per-pin switching activity of a mapped netlist from activity counted
// inside a Verilator simulation (rtl/net_activity_harness.h) instead of a
// VCD: the same figures vcd_pin_activity (eda/power.h) computes from a VCD
// of the same run, i.e. from one settled value per net and time step.  A
// pin's activity is its net's: the netlist's pins are listed by instance,
// the simulation counts each distinct net (or net bit) once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eda/power.h"

namespace gaitlstm::eda {

// A pin's connection resolved to what the simulation can watch.
struct NetRef {
  enum class Kind { net, constant, unknown } kind = Kind::unknown;
  std::string name;  // the variable as the Verilated model's scope names it (no escaping)
  int bit = -1;      // bit of a vector variable; -1: a 1-bit variable
  int value = 0;     // Kind::constant: 0 or 1
};

// "\a.b[0] " -> net a.b[0] (bit -1); "x[3]" -> net x bit 3; "\y [2]" -> net y
// bit 2; "1'h0", "1'b1", "0" -> constants; concatenations, part selects and
// empty connections -> unknown (those pins stay unannotated).
NetRef resolve_connection(std::string_view text);

// The nets to watch: one "name bit" line each, and for every pin of the
// netlist (as "instance/PIN") the index of its net, or its constant.
struct NetWatchList {
  std::vector<NetRef> nets;  // distinct, in watch order
  struct Pin {
    std::string pin;  // "instance/PIN"
    NetRef::Kind kind = NetRef::Kind::unknown;
    int64_t net = -1;  // index into nets (Kind::net)
    int value = 0;     // Kind::constant
  };
  std::vector<Pin> pins;
  int64_t netlist_pins = 0;
};
NetWatchList net_watch_list(const std::map<std::string, NetlistInstance>& instances);

// The nets file the Verilator testbench reads.
std::string nets_file_text(const NetWatchList& list);

// Per-pin activity from the testbench's counts ("samples K", then "toggles
// high" per net; K samples, each holding half a clock period):
// transitions per cycle = toggles / (K/2), duty = high / K, as
// vcd_pin_activity computes them from a VCD with a time step per sample.
// Constant pins: 0 transitions, duty = the constant; a net counted as
// "-1 -1" (the simulation did not find it) leaves its pins out.  Throws
// InputError naming `file` when the counts do not fit the list.
VcdActivity counted_pin_activity(const NetWatchList& list, std::string_view counts, const std::string& file,
                                 double clock_ns);

}  // namespace gaitlstm::eda
