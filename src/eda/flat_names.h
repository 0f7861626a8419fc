// Plain, flat net names for qflow.
//
// qflow's own Yosys run keeps the RTL's hierarchical and 2-D register names
// in its BLIF (`frontend.baseline[1][13]`), and they reach the routed DEF,
// qrouter's .rc and rc2dly's delay file unchanged, while blif2Verilog writes
// `frontend_baseline_1__13_` into the netlist vesta times: vesta then stops
// on a net it cannot find and the layout has no post-route timing.  So qflow
// gets a source without such names: Yosys flattens the RTL to generic gates
// and splits every internal vector into single bits (ports stay vectors),
// then every escaped identifier (`\frontend.baseline[1][13] `) becomes a
// plain one (`frontend_baseline_1__13_`), kept unique.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gaitlstm::eda {

// The Yosys script writing the flattened, bit-split generic netlist of `top`.
std::string flat_source_script(const std::vector<std::string>& sources, const std::string& top,
                               const std::string& out_path);

// Replaces every escaped Verilog identifier in `text` by a plain one: each
// character outside [A-Za-z0-9_] becomes '_' (a leading digit gets a '_'
// before it), and a name already used gets a numeric suffix.  `count`
// (optional) receives how many distinct identifiers were renamed.
std::string plain_identifiers(std::string_view text, int64_t* count = nullptr);

}  // namespace gaitlstm::eda
