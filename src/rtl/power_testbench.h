// A real recording as the stimulus of a gate-level power simulation
// (explore/gate_power.h streams it through the gate-level testbench of
// rtl/gate_level_sim.h, OpenSTA takes the activity: eda/power.h): the
// samples packed as the testbenches read them, offered every
// `sample_period` clock cycles, as a sensor would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/golden.h"
#include "rtl/design.h"

namespace gaitlstm::rtl {

// One hex word per sample (for $readmemh / $fscanf "%h"), the channels
// packed with channel 0 in the low bits, each in `bits` two's complement.
std::string packed_sample_hex(const std::vector<int64_t>& samples, int channels, int bits);

// The slowest sample pace at which every decision (and the front-end's work
// per sample) still finishes before the next sample arrives, plus margin.
int64_t power_sample_period(const quant::GoldenDetector& golden, const DesignSummary& design);

// Keeps the samples of the first `decisions` protocol decisions of a segment.
void keep_first_decisions(const quant::GoldenDetector& golden, int64_t decisions, std::vector<int64_t>& samples);

}  // namespace gaitlstm::rtl
