// Power of a mapped netlist with OpenSTA's report_power: internal +
// switching (together: dynamic) + leakage, at the clock period.
//
// Switching activity comes from one of:
//  - vectorless: OpenSTA's defaults (inputs 0.1 transitions per clock,
//    propagated through the logic).  Labelled "vectorless" everywhere: it is
//    a rough fallback, not a measurement.
//  - a gate-level VCD: Icarus simulates the mapped netlist with the
//    liberty's Verilog cell models, dumping the DUT with its cell instances
//    ($dumpvars(0, dut)).  This OpenSTA (2019) has no VCD/SAIF reader, so
//    every cell pin's activity is annotated one by one:
//      sta::set_power_pin_activity <pin> <transitions per clock> <duty>
//    with transitions per clock = toggles / (simulated time / period) and
//    duty = fraction of time at 1.  Clock pins keep OpenSTA's clock activity.
//    Glitches in the gate-level simulation count as toggles, as they burn
//    power in silicon too.
//
// Energy per decision = total power x cycles per decision x clock period.
//
// Plug-in point for the RTL generator: a Stimulus (testbench files + the
// DUT's instance path + cycles per decision) made from a quantized model and
// real recordings goes into power_with_stimulus() unchanged.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "eda/library.h"
#include "eda/sta.h"
#include "util/process_runner.h"

namespace gaitlstm::eda {

// Cell instances of a mapped Verilog netlist: instance -> (cell, pins).
struct NetlistInstance {
  std::string cell;
  std::vector<std::string> pins;
  std::vector<std::string> nets;  // what each pin connects to, as written ("\\a.b[0] ", "x[3]", "1'h0")
};
std::map<std::string, NetlistInstance> parse_netlist_instances(std::string_view text, const std::string& file);

// "instance.PIN" of every flip-flop's data pin (CellLibrary::flop_data_pin),
// escaped where the instance name needs it, for a gate-level simulation that
// starts every register at 0 (rtl::GateLevelOptions::zero_start_pins).
// `uncovered` (optional) receives the sequential instances without one
// (latches, enable or scan flops), which then start X.
std::vector<std::string> flop_data_pins(const std::string& netlist_path, const CellLibrary& library,
                                        int64_t* uncovered = nullptr);

struct PinActivity {
  std::string pin;  // "instance/PIN"
  double transitions_per_cycle = 0;
  double duty = 0;  // fraction of time at logic 1
};

struct VcdActivity {
  std::string dut_scope;  // dotted VCD scope of the netlist's top, e.g. "mac_fsm_tb.dut"
  double simulated_ns = 0;
  double cycles = 0;       // simulated_ns / clock period
  std::vector<PinActivity> pins;  // one per cell pin found in the VCD
  int64_t netlist_pins = 0;       // pins of the netlist's instances (coverage = pins.size() / this)
};

// Reads a VCD (streaming: size is no concern) and computes each cell pin's
// activity.  The DUT scope is `dut_scope` if given, else the scope whose
// child scopes match most netlist instance names.  Throws InputError naming
// the VCD if no scope holds the netlist's instances.
VcdActivity vcd_pin_activity(const std::string& vcd_path, const std::map<std::string, NetlistInstance>& instances,
                             double clock_ns, const std::string& dut_scope = "");

// Tcl lines annotating every pin (clock pins skipped: OpenSTA's clock
// activity is exact for an ideal clock).
std::string activity_tcl(const VcdActivity& activity);

struct PowerGroup {
  std::string name;  // Sequential, Combinational, Macro, Pad, Total
  double internal_w = 0, switching_w = 0, leakage_w = 0, total_w = 0;
};

// The table of OpenSTA's report_power.  Throws InputError(file) if absent.
std::vector<PowerGroup> parse_power_report(std::string_view text, const std::string& file);

struct PowerResult {
  std::string activity_source;  // "vectorless" or "VCD <path>"
  double clock_ns = 0;
  double dynamic_w = 0, leakage_w = 0, total_w = 0;
  std::vector<PowerGroup> groups;
  int64_t annotated_pins = 0, netlist_pins = 0;  // VCD coverage (0/0 when vectorless)
  double simulated_cycles = 0;
  std::string log;
  double seconds = 0;
};

struct PowerOptions {
  StaOptions sta;                        // netlist, top, liberty, clock
  std::optional<std::string> vcd;        // gate-level VCD of this netlist; none = vectorless
  std::string vcd_scope;                 // "" = find it
  // Activity already computed (eda/gate_activity.h), instead of a VCD.
  std::optional<VcdActivity> activity;
  std::string activity_source;           // e.g. "Verilator counters, 4 decisions"
};

PowerResult analyze_power(ToolRunner& runner, const PowerOptions& options);

// What a stimulus provider (a user's testbench today, the RTL generator's
// recording-driven testbench later) hands to the power flow.
struct Stimulus {
  std::vector<std::string> testbench_files;  // instantiate the top as the DUT, dump a VCD
  std::string vcd_file = "activity.vcd";     // name the testbench dumps to (in the work dir)
  std::string dut_scope;                     // "" = find it
  int64_t cycles_per_decision = 0;           // 0 = unknown (no energy per decision)
  std::chrono::seconds timeout{1800};
  // "icarus": the library's own cell models; "verilator": models generated
  // from the liberty (eda/cell_models.h), the testbench run with --timing
  // and its $dumpvars traced (the DUT scope then sits under "TOP.").
  std::string simulator = "icarus";
};

// Simulates the mapped netlist with Icarus (iverilog + vvp, the library's
// cell models) or Verilator (--binary --trace, generated cell models),
// defining PERIOD_NS for the testbench.  Returns the VCD path.
std::string simulate_gate_level(ToolRunner& runner, const StaOptions& design, const Stimulus& stimulus);

struct EnergyEstimate {
  int64_t cycles_per_decision = 0;
  double energy_per_decision_j = 0;  // total_w * cycles * clock_ns * 1e-9
};
EnergyEstimate energy_per_decision(const PowerResult& power, int64_t cycles_per_decision);

// simulate_gate_level + analyze_power with the VCD.
PowerResult power_with_stimulus(ToolRunner& runner, const StaOptions& design, const Stimulus& stimulus);

nlohmann::json to_json(const PowerResult& result);

}  // namespace gaitlstm::eda
