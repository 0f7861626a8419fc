// Cycle-accurate simulation of a generated LSTM core with Verilator: the
// core and a C++ testbench are compiled once into an executable that streams
// windows of raw feature vectors through the core and reports, per window,
// the score, the cycles from start to done and the cycles the MAC was busy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rtl/verilog_arith.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {

struct CorePorts {
  std::string top;       // module name
  int inputs = 0;        // F
  int input_bits = 0;    // bits of one feature (x_vec = F * input_bits)
  int step_bits = 0;     // width of `steps` / `x_step`
  int score_bits = 0;
};

struct CoreRun {
  std::vector<int64_t> scores;
  std::vector<int64_t> cycles;
  std::vector<int64_t> mac_cycles;
  double simulated_seconds = 0;  // wall time of the simulation
};

// How a VerilatedModel is built beyond the generated modules.
struct VerilatorOptions {
  std::vector<std::string> extra_files;  // Verilog compiled as it is (a netlist, cell models)
  std::vector<std::string> extra_args;   // e.g. -DNAME
  bool lint_fatal = true;                // -Wall: lint warnings fail the build (generated RTL)
};

// A Verilated design with its C++ testbench, built once in work_dir; the
// testbench reads a stimulus file and writes a response file.
class VerilatedModel {
 public:
  // Writes the Verilog and testbench into work_dir and builds them with
  // Verilator (-Wall: lint warnings fail the build, unless options say
  // otherwise).  Verilator and the simulation run through `runner` (it must
  // outlive this; logs verilator.log and sim.log in work_dir, timeouts); a
  // failing step throws ToolError with the log's path and last lines.
  VerilatedModel(ToolRunner& runner, const std::vector<VerilogModule>& modules, const std::string& top,
                 const std::string& testbench, const std::string& work_dir, const VerilatorOptions& options = {});
  // Runs the simulation; `seconds` (if given) receives its wall time.
  std::string run(const std::string& stimulus, double* seconds = nullptr) const;
  const std::string& executable() const { return executable_; }

 private:
  ToolRunner* runner_;
  std::string work_dir_;
  std::string executable_;
};

class VerilatedCore {
 public:
  VerilatedCore(ToolRunner& runner, const std::vector<VerilogModule>& modules, const CorePorts& ports,
                const std::string& work_dir);
  // windows[w] holds steps x F raw inputs, step-major.
  CoreRun run(const std::vector<std::vector<int64_t>>& windows) const;

 private:
  CorePorts ports_;
  VerilatedModel model_;
};

struct FrontEndPorts {
  std::string top;
  int channels = 0;
  int sample_bits = 0;
  int features = 0;
  int feature_bits = 0;
};

struct FrontEndRun {
  std::vector<std::vector<int64_t>> features;  // one vector per out_valid pulse
  std::vector<int64_t> busy_cycles;            // per sample: cycles until in_ready again
  double simulated_seconds = 0;
};

class VerilatedFrontEnd {
 public:
  VerilatedFrontEnd(ToolRunner& runner, const std::vector<VerilogModule>& modules, const FrontEndPorts& ports,
                    const std::string& work_dir);
  // samples: count x channels raw values; one segment from reset.
  FrontEndRun run(const std::vector<int64_t>& samples) const;

 private:
  FrontEndPorts ports_;
  VerilatedModel model_;
};

struct DetectorPorts {
  std::string top;
  int channels = 0;
  int sample_bits = 0;
  int score_bits = 0;
};

struct DetectorRun {
  std::vector<int64_t> scores;       // one per decision, in order
  std::vector<uint8_t> fog;
  std::vector<uint8_t> alarm;
  std::vector<int64_t> thresholds;    // T_n each decision was compared with (out_threshold)
  std::vector<int64_t> output_cycle;  // cycle of each out_valid
  std::vector<int64_t> accept_cycle;  // cycle each sample was taken
  bool overrun = false;
  int64_t cycles = 0;                 // simulated clock cycles
  double simulated_seconds = 0;
};

// A simulated detector (its RTL in Verilator, or a netlist at gate level:
// rtl/gate_level_sim.h): one segment from reset, samples (count x channels
// raws) offered every `sample_period` cycles (or as soon as in_ready allows).
class DetectorSimulator {
 public:
  virtual ~DetectorSimulator() = default;
  virtual DetectorRun run(const std::vector<int64_t>& samples, int64_t sample_period) const = 0;
};

class VerilatedDetector : public DetectorSimulator {
 public:
  VerilatedDetector(ToolRunner& runner, const std::vector<VerilogModule>& modules, const DetectorPorts& ports,
                    const std::string& work_dir);
  DetectorRun run(const std::vector<int64_t>& samples, int64_t sample_period) const override;

 private:
  DetectorPorts ports_;
  VerilatedModel model_;
};

// C++ (testbench) statements packing `count` raw values of `bits` bits from
// array `values` into the Verilated port `port` of count * bits bits, and
// unpacking (with sign extension) a port into int64_t array `values`.
std::string pack_port_code(const std::string& port, const std::string& values, int count, int bits);
std::string unpack_port_code(const std::string& port, const std::string& values, int count, int bits);

// Writes one `<name>.v` file per module into dir (atomically); returns the paths.
std::vector<std::string> write_modules(const std::string& dir, const std::vector<VerilogModule>& modules);

// verilator --lint-only -Wall on the files (log work_dir/lint.log); returns
// the log text ("" = clean).  Throws ToolError if Verilator is missing.
std::string lint_verilog(ToolRunner& runner, const std::vector<std::string>& files, const std::string& top,
                         const std::string& work_dir);

}  // namespace gaitlstm::rtl
