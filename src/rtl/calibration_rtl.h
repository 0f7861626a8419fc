// Generator of the self-calibration unit (model/calibration.h's integer form,
// bit-exact with quant::GoldenDetector): the module that drives the detector
// top's `threshold` signal when the model's calibration is on.
//
//   NAME(clk, rst, decide, statistic[B], threshold[B])
//
// `threshold` is T_n, combinational from the two state registers
// M = m 2^a and D = d 2^a:  min(max_raw, max(floor, (M >>> a) + (((D >>> a) k16) >>> 4))).
// On the edge where `decide` is high (the decision's statistic s_n valid) the
// state advances: M += s - m, D += |s - m| - d; the top samples T_n on that
// same edge, so a decision is compared with the threshold of the state before
// it.  `rst` (segment start) loads the seeds.
#pragma once

#include <string>

#include "quant/calibration.h"
#include "rtl/verilog_arith.h"

namespace gaitlstm::rtl {

VerilogModule generate_calibration(const quant::QuantizedCalibration& calibration, const quant::QFormat& statistic,
                                   const std::string& name);

}  // namespace gaitlstm::rtl
