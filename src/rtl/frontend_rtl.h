// Generator of the front-end of the accelerator: quant::QuantizedFrontEnd in
// Verilog-2005, bit-exact, built for area: the front-end has far more clock
// cycles than it needs (one sample per 1/64 s), so every product runs on one
// bit-serial shift-add multiplier and every sum on one adder.
//
// The multiplier walks the bits of one operand most significant first
// (Horner: acc = 2 acc + bit * operand, the top bit weighted negative, so
// two's complement operands multiply exactly):
//   biquads   the coefficient bits (a 1-bit ROM), bit planes interleaved with
//             the five taps of a section, so a section's sum of products is
//             exact in the accumulator after 5 * coefficient.bits cycles;
//   energy    y * y with the bits of y from a shift register, then added to
//             the block energy in one more cycle;
//   normalize (level - mean) * inv_std, the bits of inv_std from a ROM.
// log2approx searches the leading one sequentially (shift left, count down),
// always for the same number of cycles.  The schedule, and so the cycle
// counts below, depend only on the formats and the configuration.
//
// Interface: a sample (all channels) is taken when in_valid && in_ready;
// in_ready is low while it is processed (frontend_sample_cycles).  Every D-th
// sample, out_valid pulses for one cycle with all features on out_features
// (feature i at bits [i*XB +: XB]).  rst starts a new segment.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/qfrontend.h"
#include "rtl/verilog_arith.h"

namespace gaitlstm::rtl {

// The modules (the front-end last); name = module name of the front-end.
std::vector<VerilogModule> generate_frontend(const quant::QuantizedFrontEnd& frontend, const std::string& name);

// Clock cycles from the edge that accepts a sample until in_ready is high
// again, for an ordinary sample and for the last sample of a block:
//   sample     C K (10 coefficient.bits + state.bits + 3)
//   block end  + S K (1 + log2 search + features per sensor-band (inv_std.bits + 2))
// with the log2 search max(1, energy.bits - 1 - energy.frac) cycles
// (C channels, K bands, S sensors).
int64_t frontend_sample_cycles(const quant::QuantizedFrontEnd& frontend);
int64_t frontend_block_end_cycles(const quant::QuantizedFrontEnd& frontend);

}  // namespace gaitlstm::rtl
