// Generator of the whole accelerator: front-end (frontend_rtl.h) -> a ring of
// the last history_steps + 1 feature vectors -> at every protocol decision
// the LSTM core (lstm_core.h) over the newest min(available, history)
// vectors -> (optional smoothing) -> statistic, FoG flag (statistic >=
// threshold) and, with the model's cue on, the cue unit (cue_rtl.h) -> alarm.
// Bit-exact with quant::GoldenDetector::Stream.
//
// Interface: clk, synchronous rst (= start of a segment); a sample (all
// channels) is taken when in_valid && in_ready; out_valid pulses with
// out_score (the decision statistic, statistic format), out_fog and
// out_alarm (== out_fog with the cue off) and out_threshold (T_n, the
// threshold that decision was compared with) at every decision.  The
// threshold is one signal, `threshold`, read by the comparator and the cue:
// the stored constant, or with the model's self-calibration on the
// calibration unit's output (calibration_rtl.h), a moving T_n.
// `overrun` rises (and stays) if a decision arrives while the core is still
// busy with the previous one: the design is too slow for the stride.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/golden.h"
#include "rtl/lstm_core.h"
#include "rtl/verilog_arith.h"

namespace gaitlstm::rtl {

struct DetectorConfig {
  std::string top = "gaitlstm_detector";
  CoreConfig core;  // architecture of the LSTM core (module name is derived)
};

std::vector<VerilogModule> generate_detector(const quant::GoldenDetector& golden, const DetectorConfig& config);

// Cycles from the edge that accepts a decision's last sample to the edge
// that raises out_valid, for a decision over `steps` LSTM steps.
int64_t decision_latency_cycles(const quant::GoldenDetector& golden, const CoreConfig& core, int steps);

}  // namespace gaitlstm::rtl
