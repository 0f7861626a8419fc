// Gate-level simulation of a synthesized or routed detector netlist with the
// cell library's own Verilog models in Icarus (the reference simulator for
// netlists: Verilator cannot parse the OSU cell models).  The testbench
// drives the detector exactly as the Verilator harness does (inputs set
// between clock edges, outputs read after each rising edge, the same cycle
// count), so verify.h compares its decisions and latencies against the
// golden model with the same code.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "rtl/verilator_harness.h"

namespace gaitlstm::rtl {

struct GateLevelOptions {
  std::string netlist;                   // mapped Verilog defining the detector's top module
  std::vector<std::string> cell_models;  // the library's Verilog models (and their primitives)
  std::vector<std::string> defines;      // iverilog -D, e.g. FUNCTIONAL for sky130's models
  double clock_ns = 10;                  // simulated clock (zero-delay models: any period works)
  // Data pins ("instance.PIN") of every flip-flop, held at 0 for one clock
  // edge before the reset cycles, so every register starts at 0 as it does
  // in the Verilator simulation of the RTL.  Needed because the RTL leaves
  // some state unreset (the front-end's filter delay lines), which the
  // library's models start as X, and Icarus ignores `initial` in UDPs.
  // Empty: registers start X (the outputs then go X on such designs).
  std::vector<std::string> zero_start_pins;
  std::string work_dir;                  // testbench, compiled simulation, logs
  std::chrono::seconds compile_timeout{1800};
  std::chrono::seconds run_timeout{12 * 3600};
};

// The Icarus testbench for a detector netlist: reads `+stimulus=F` (a line
// "samples period drain", then one packed hex word per sample), writes
// `+response=F` in the Verilator harness's format ("A cycle" per accepted
// sample, "O score fog alarm cycle" per decision, "R overrun cycles").
std::string gate_level_testbench(const DetectorPorts& ports, double clock_ns,
                                 const std::vector<std::string>& zero_start_pins = {});

// Parses a response file (either simulator's); an unknown output value
// ('x' or 'z' from a netlist) becomes a score no golden model produces.
DetectorRun parse_detector_response(const std::string& text, const std::string& file);

class IcarusDetector : public DetectorSimulator {
 public:
  // Writes the testbench and compiles netlist + models with iverilog (log
  // work_dir/iverilog.log); throws ToolError if that fails.
  IcarusDetector(const DetectorPorts& ports, const GateLevelOptions& options);
  // One segment from reset; `drain_cycles` after the last sample (0 = 100
  // sample periods, as the Verilator harness drains).
  DetectorRun run(const std::vector<int64_t>& samples, int64_t sample_period) const override;
  void set_drain_cycles(int64_t cycles) { drain_cycles_ = cycles; }

 private:
  DetectorPorts ports_;
  GateLevelOptions options_;
  std::string compiled_;
  int64_t drain_cycles_ = 0;
};

}  // namespace gaitlstm::rtl
