// Verification of a generated accelerator against the golden model: the
// Verilated design and quant::GoldenDetector::Stream see the same samples;
// every decision's score, threshold T_n, FoG flag and alarm must be equal, every latency equal to
// the cycle model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "quant/golden.h"
#include "rtl/design.h"
#include "rtl/verilator_harness.h"

namespace gaitlstm::rtl {

struct VerifyOptions {
  int max_segments = 0;          // 0 = every segment
  int64_t max_decisions = 0;     // stop after this many decisions (0 = all)
  int64_t random_samples = 2000; // plus a random stream with extreme values
  int64_t sample_period = 0;     // cycles between samples; 0 = just fast enough for every decision
  uint64_t seed = 1;
  std::string work_dir;          // Verilator build; default <rtl dir>/verify
};

struct Mismatch {
  std::string source;     // segment file and first row, or "random"
  int64_t decision = 0;   // index within the stream
  int64_t sample = 0;     // sample count at the decision
  int64_t golden = 0, rtl = 0;
  bool golden_fog = false, rtl_fog = false;
  bool golden_alarm = false, rtl_alarm = false;
  int64_t golden_threshold = 0, rtl_threshold = 0;  // T_n (moves with self-calibration)
};

struct VerifyReport {
  int64_t decisions = 0;
  int64_t random_decisions = 0;
  int64_t samples = 0;
  std::vector<Mismatch> mismatches;  // the first few
  int64_t mismatch_count = 0;
  int64_t latency_mismatches = 0;
  int64_t alarm_decisions = 0;    // recorded decisions with the alarm on (golden)
  int64_t cued_decisions = 0;     // recorded decisions where the cue made alarm != FoG (golden)
  int64_t calibrated_decisions = 0;  // recorded decisions whose T_n differs from the stored threshold (golden)
  int64_t cycles_per_decision_measured = 0;  // full window
  int64_t cycles_per_decision_model = 0;
  bool overrun = false;
  double simulation_seconds = 0;
  double samples_per_second = 0;
  std::string simulated = "RTL (Verilator)";  // what was simulated
  bool passed() const { return mismatch_count == 0 && latency_mismatches == 0 && !overrun && decisions > 0; }
};

VerifyReport verify_design(ToolRunner& runner, const quant::GoldenDetector& golden, const std::string& rtl_dir,
                           const data::Dataset& dataset, const VerifyOptions& options);

// The same checks on any simulation of the design (a gate-level netlist in
// Icarus: rtl/gate_level_sim.h); `design` gives the cycle model.
VerifyReport verify_simulation(const quant::GoldenDetector& golden, const DesignSummary& design,
                               const DetectorSimulator& simulator, const data::Dataset& dataset,
                               const VerifyOptions& options);

// The detector's ports as the golden model sizes them.
DetectorPorts detector_ports(const quant::GoldenDetector& golden, const std::string& top);

// Clock cycles between samples when verifying (VerifyOptions::sample_period 0):
// slow enough that each decision finishes before the next.
int64_t verify_sample_period(const quant::GoldenDetector& golden, const DesignSummary& design);

// The generated chip streaming recordings sample by sample (the chip's
// emulation; built once with Verilator in work_dir): one segment per run(),
// from reset, samples paced as verify_design does.  Each output's threshold is
// the chip's out_threshold (T_n, moving with self-calibration).
class VerilatedDetector;
class ChipSimulator {
 public:
  ChipSimulator(ToolRunner& runner, const quant::GoldenDetector& golden, const std::string& rtl_dir,
                const std::string& work_dir);
  ~ChipSimulator();
  // `samples`: count x channels sample-format raws (quant::segment_samples).
  std::vector<quant::GoldenDetector::Output> run(const std::vector<int64_t>& samples);
  double simulation_seconds() const { return seconds_; }

 private:
  const quant::GoldenDetector& golden_;
  std::unique_ptr<VerilatedDetector> rtl_;
  int64_t period_ = 0;
  double seconds_ = 0;
};

nlohmann::json to_json(const VerifyReport& report);

}  // namespace gaitlstm::rtl
