// Generator of the LSTM core of the accelerator: P multiply-accumulate lanes
// over the rows of the gate matrix (`serial` = 1 lane, `gates` = 4 lanes,
// one per gate i, f, g, o of a unit, `lanes:P` = P lanes), plus the dense
// output.  It computes exactly quant::QuantizedLstm::run.
//
// Rows are visited in unit-major order rho = 4k + gate (unit k: i, f, g, o);
// group n holds rows nP .. nP+P-1 and lane p takes row nP + p.  Schedule of a
// window of `steps` feature vectors, cycle-exact (core_cycles):
//   per step  LOAD   1 cycle: latch x_t
//             MAC    (4H/P)(F+H) cycles: each group accumulates over columns
//                    x_0..x_{F-1}, h_0..h_{H-1}; the bias enters with the
//                    first product
//             DRAIN  U + 3 cycles, U = max(1, P/4) units per group: the
//                    element-wise pipeline finishes the last group
//             STEP   1 cycle: h_prev <= h_next
//   then      OUT    H cycles on lane 0: score = b_out + w_out . h
//             FINISH 1 cycle: requantize, `done` pulse
// The element-wise update (activations, c, h) of a completed group's units
// runs in a 3-stage pipeline beside the MACs while the next group
// accumulates, so the MACs only idle in LOAD, DRAIN, STEP and FINISH.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/qlstm.h"
#include "rtl/verilog_arith.h"

namespace gaitlstm::rtl {

struct CoreConfig {
  std::string module_name = "lstm_core";
  int lanes = 1;       // P: 1, 2, or a multiple of 4 dividing 4H
  int max_steps = 32;  // steps per window the core supports
  // `mcm`: no multipliers; every weight is hard-wired as shift-adds
  // (canonical signed digits; each column's odd multiples are built once and
  // shared by all rows).  All 4H rows take one cycle, the dense output one;
  // the element-wise pipeline then takes the H units one per cycle:
  // cycles = steps * (H + 6) + 2.  `lanes` is ignored.
  bool multiplierless = false;
};

// Throws std::invalid_argument when `lanes` does not fit the shape.
void validate_lanes(const model::LstmShape& shape, int lanes);

// Canonical signed digits of m: (sign, shift) pairs, m = sum sign * 2^shift.
std::vector<std::pair<int, int>> csd_digits(int64_t m);

// Verilog-2005 modules: the activation units, then the core (last).
std::vector<VerilogModule> generate_lstm_core(const quant::QuantizedLstm& lstm, const CoreConfig& config);

// Cycles after the edge that samples `start`, up to and including the edge
// that raises `done`: steps * ((4H/P)(F+H) + U + 5) + H + 1.
int64_t core_cycles(const model::LstmShape& shape, const CoreConfig& config, int steps);
// Cycles in which the MAC lanes (or mcm's adder array) work: MAC and OUT states.
int64_t core_mac_cycles(const model::LstmShape& shape, const CoreConfig& config, int steps);
// Useful multiply-accumulates: steps * 4H(F+H) + H.
int64_t core_macs(const model::LstmShape& shape, int steps);
// Useful MACs / (lanes x cycles); 0 for mcm, which has no MAC units.
double core_mac_utilization(const model::LstmShape& shape, const CoreConfig& config, int steps);

}  // namespace gaitlstm::rtl
