// A Verilog testbench that streams a real recording into a generated
// detector, for gate-level power simulation (Icarus + cell models, then
// OpenSTA with the recorded activity: eda/power.h).  Samples are offered
// every `sample_period` clock cycles, as a sensor would; the clock period
// comes from the PERIOD_NS define the power flow sets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "quant/golden.h"
#include "rtl/design.h"

namespace gaitlstm::rtl {

struct PowerTestbench {
  std::string testbench_file;   // <dir>/<top>_power_tb.v
  std::string samples_file;     // <dir>/<top>_samples.hex ($readmemh)
  std::string vcd_file = "activity.vcd";
  std::string dut_scope;        // "<top>_power_tb.dut"
  int64_t cycles_per_decision;  // stride x sample_period: what one decision costs at this pace
  int64_t simulated_cycles;
};

// One hex word per sample (for $readmemh / $fscanf "%h"), the channels
// packed with channel 0 in the low bits, each in `bits` two's complement.
std::string packed_sample_hex(const std::vector<int64_t>& samples, int channels, int bits);

// `samples`: count x channels raws (one segment).  Writes both files into dir.
PowerTestbench write_power_testbench(const quant::GoldenDetector& golden, const DesignSummary& design,
                                     const std::vector<int64_t>& samples, int64_t sample_period, const std::string& dir);

// The slowest sample pace at which every decision (and the front-end's work
// per sample) still finishes before the next sample arrives, plus margin.
int64_t power_sample_period(const quant::GoldenDetector& golden, const DesignSummary& design);

// Keeps the samples of the first `decisions` protocol decisions of a segment.
void keep_first_decisions(const quant::GoldenDetector& golden, int64_t decisions, std::vector<int64_t>& samples);

// write_power_testbench for the first `decisions` protocol decisions of the
// first segment of `dataset` (what the `power` command and the exploration
// simulate).
PowerTestbench write_recording_testbench(const quant::GoldenDetector& golden, const DesignSummary& design,
                                         const data::Dataset& dataset, int64_t decisions, int64_t sample_period,
                                         const std::string& dir);

}  // namespace gaitlstm::rtl
