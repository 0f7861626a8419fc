// Generator of the cue unit (model/cue.h's state machine, bit-exact with
// quant::GoldenCue): one small module the detector top instantiates after its
// threshold comparator when the model's cue is on.
//
//   NAME(clk, rst, decide, statistic[B], threshold[B], alarm)
//
// `decide` pulses with a decision's statistic s_n and the threshold T_n in
// force then; `alarm` is the alarm of that decision, combinational from the
// state and the inputs (so the top registers it beside out_fog, adding no
// latency); the state (on, and one down-counter for the minimum duration and
// the refractory time) advances on the edge where `decide` is high.  `rst`
// (segment start) clears it.  T_n is an input, not a constant: the top wires
// its `threshold` signal in, today the stored threshold.
#pragma once

#include <string>

#include "quant/cue.h"
#include "rtl/verilog_arith.h"

namespace gaitlstm::rtl {

VerilogModule generate_cue(const quant::QuantizedCue& cue, int statistic_bits, const std::string& name);

}  // namespace gaitlstm::rtl
