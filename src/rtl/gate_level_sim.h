// Gate-level simulation of a synthesized or routed detector netlist, in
// Icarus with the cell library's own Verilog models (the reference:
// Verilator cannot parse the OSU or sky130 models) or in Verilator with
// models generated from the liberty's functions (eda/cell_models.h; tens of
// times faster).  Both testbenches (Verilog for Icarus, the same steps in
// C++ for Verilator) read one stimulus format, write one response format
// and drive the detector exactly as the Verilator RTL harness does (inputs
// set between clock edges, outputs read after each rising edge, the same
// cycle count), so verify.h compares decisions and latencies against the
// golden model with the same code.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "rtl/verilator_harness.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {

enum class GateSimulator { verilator, icarus };

inline constexpr const char* kGateSimulatorNames = "verilator | icarus";

// "verilator" or "icarus"; throws std::invalid_argument for another name.
GateSimulator parse_gate_simulator(const std::string& name);
std::string gate_simulator_name(GateSimulator simulator);

struct GateLevelOptions {
  GateSimulator simulator = GateSimulator::icarus;
  std::string netlist;                   // mapped Verilog defining the detector's top module
  std::vector<std::string> cell_models;  // Icarus: the library's models; Verilator: generated ones
  std::vector<std::string> defines;      // -D, e.g. FUNCTIONAL for sky130's models in Icarus
  double clock_ns = 10;                  // simulated clock (zero-delay models: any period works)
  // Data pins ("instance.PIN") of every flip-flop, held at 0 for one clock
  // edge before the reset cycles, so every register starts at 0 as it does
  // in the Verilator simulation of the RTL.  Needed because the RTL leaves
  // some state unreset (the front-end's filter delay lines), which the
  // library's models start as X, and Icarus ignores `initial` in UDPs.
  // Empty: registers start X (the outputs then go X on such designs).
  // Verilator: ignored (two-state models start at 0).
  std::vector<std::string> zero_start_pins;
  std::string work_dir;                  // testbench, compiled simulation, logs
  // Verilator: a directory of builds shared between runs (verify and power
  // of one netlist), each in a subdirectory named by a hash of everything
  // it is built from (testbench, netlist, cell models, flags); "" = build
  // into work_dir/obj.  Icarus compiles in seconds and ignores it.
  std::string build_cache;
  std::chrono::seconds compile_timeout{1800};
  std::chrono::seconds run_timeout{12 * 3600};
};

// The Icarus testbench for a detector netlist: reads `+stimulus=F` (a line
// "samples period drain", then one packed hex word per sample), writes
// `+response=F` in the Verilator harness's format ("A cycle" per accepted
// sample, "O score fog alarm cycle" per decision, "R overrun cycles").
std::string gate_level_testbench(const DetectorPorts& ports, double clock_ns,
                                 const std::vector<std::string>& zero_start_pins = {});

// The same testbench as C++ for Verilator (a Verilated `ports.top`): reads
// the stimulus file and writes the response file named by its two arguments.
std::string gate_level_cpp_testbench(const DetectorPorts& ports);

// Parses a response file (either simulator's); an unknown output value
// ('x' or 'z' from a netlist) becomes a score no golden model produces.
DetectorRun parse_detector_response(const std::string& text, const std::string& file);

// A netlist compiled once by the chosen simulator (the testbench, netlist
// and models in work_dir; logs iverilog.log / verilator.log there), then run
// per segment (vvp.log / sim.log).  Tools run through util/process_runner.h;
// a failing step throws ToolError with the log's path and last lines.
// What a run records besides the response, for power analysis
// (eda/gate_activity.h): a VCD of the DUT with its cells (Icarus) or the
// switching activity of chosen nets counted in the simulation (Verilator,
// rtl/net_activity_harness.h).  Both from the end of the reset on.
struct ActivityFiles {
  std::string vcd;     // Icarus: dump file
  std::string nets;    // Verilator: "name bit" per line, names as in the netlist's scope
  std::string counts;  // Verilator: written by the run
};

class GateLevelDetector : public DetectorSimulator {
 public:
  // Tools run through `runner` (it must outlive this).
  GateLevelDetector(ToolRunner& runner, const DetectorPorts& ports, const GateLevelOptions& options);
  // One segment from reset; `drain_cycles` after the last sample (0 = 100
  // sample periods, as the Verilator harness drains).
  DetectorRun run(const std::vector<int64_t>& samples, int64_t sample_period) const override;
  void set_drain_cycles(int64_t cycles) { drain_cycles_ = cycles; }
  // Record activity in the following runs (empty fields: none).
  void set_activity(const ActivityFiles& files) { activity_ = files; }
  // Whether the Verilator build came from build_cache instead of being made.
  bool reused_build() const { return reused_build_; }
  // The compiled simulation (vvp file or executable), bulky.
  const std::string& compiled() const { return compiled_; }

 private:
  DetectorPorts ports_;
  GateLevelOptions options_;
  std::string compiled_;
  int64_t drain_cycles_ = 0;
  ActivityFiles activity_;
  bool reused_build_ = false;
  ToolRunner* runner_;
};

}  // namespace gaitlstm::rtl
