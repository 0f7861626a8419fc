// Simple synthesizable Verilog models of a library's cells, generated from
// the liberty's logic (pin `function`s, `ff` and `latch` groups, integrated
// clock-gating cells), so that a mapped netlist can be simulated in
// Verilator.  The libraries' own models (UDPs, specify blocks, timing
// checks, sky130's delayed-signal flops) are what Icarus runs and stay the
// reference; these are zero-delay and two-state, and every storage element
// starts at 0 (what the Icarus testbench forces: rtl/gate_level_sim.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "eda/library.h"

namespace gaitlstm::eda {

struct LibertyPinLogic {
  std::string name;
  std::string direction;    // input | output | inout | internal
  std::string function;     // liberty Boolean expression ("" if none)
  std::string three_state;  // "" unless the output can float
  std::string clock_gate;   // "clock" | "enable" | "test" | "out" | ""
};

// An `ff (var, var_negated)` or `latch (...)` group; for a latch
// `next_state` is its data_in and `clocked_on` its enable.
struct LibertyStateLogic {
  bool latch = false;
  std::string var, var_negated;
  std::string next_state, clocked_on, clear, preset;
  std::string clear_preset_var1, clear_preset_var2;  // L | H | N | T | X ("" = L)
  int64_t line = 0;
};

struct LibertyCellLogic {
  std::string name;
  int64_t line = 0;
  std::vector<LibertyPinLogic> pins;
  std::optional<LibertyStateLogic> state;
  std::string clock_gating;  // clock_gating_integrated_cell, e.g. "latch_posedge"
  bool statetable = false;
};

// The logic of every cell of a liberty file.  `file` names it in errors.
std::map<std::string, LibertyCellLogic> parse_liberty_logic(std::string_view text, const std::string& file);

// A liberty Boolean expression ("(A B)+!C", "A&!B|C'", "A^B") as a fully
// parenthesized Verilog expression over the same names.  Precedence, high
// to low: ! and ', ^, & * and juxtaposition, | +.  Throws InputError
// (file, line, the expression) on a syntax error.
std::string liberty_to_verilog(std::string_view expression, const std::string& file, int64_t line);

// One Verilog module for a cell, with its logic pins as ports.  Throws
// InputError naming the liberty line of a cell it cannot model (three-state
// outputs, state tables other than clock gating, an output without a
// function).
std::string verilog_cell_model(const LibertyCellLogic& cell, const std::string& file);

// Models of the `used` cells (every cell when empty) of a parsed liberty.
// Throws InputError for a used cell the liberty does not define.
std::string verilog_cell_models(const std::map<std::string, LibertyCellLogic>& library,
                                const std::set<std::string>& used, const std::string& file);

// The cell types instantiated in a mapped netlist.
std::set<std::string> netlist_cell_types(const std::string& netlist_path);

// Cell types instantiated with an empty port list (`FILL FILL_0_X ( );`):
// physical-only cells a routed netlist keeps (qflow's fillers, which the
// OSU liberty does not define).  They have no logic; the simulation needs
// an empty module for each.
std::set<std::string> physical_only_cell_types(std::string_view netlist);

// What a gate-level simulation of `netlist` reads besides the netlist.
struct GateLevelModels {
  std::vector<std::string> files;            // cell model files
  std::vector<std::string> defines;          // -D for the models (Icarus)
  std::vector<std::string> zero_start_pins;  // flip-flop data pins held at 0 before reset (Icarus)
  int64_t uncovered_flops = 0;               // sequential cells without a plain data pin (Icarus: start X)
};

// For Icarus: the library's own models, its defines and the zero-start pins.
// For Verilator: models generated from the liberty for the cells the netlist
// uses, written (atomically) to `<work_dir>/cell_models.v`.
GateLevelModels gate_level_models(const Technology& tech, const std::string& netlist, bool verilator,
                                  const std::string& work_dir);

}  // namespace gaitlstm::eda
