// Generator of the front-end of the accelerator: quant::QuantizedFrontEnd in
// Verilog-2005, bit-exact.  One multiply-accumulate unit runs the biquads of
// every channel and band in turn; a squarer (each cross product formed once)
// squares the filter outputs into the block energies; at the end of each block of D samples the
// features (log2 energies, baseline-relative levels, normalization) are
// computed one sensor-band at a time and presented together.
//
// Interface: a sample (all channels) is taken when in_valid && in_ready;
// in_ready is low while it is processed (cycles_per_sample).  Every D-th
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
// again, for an ordinary sample and for the last sample of a block.
int64_t frontend_sample_cycles(const model::FrontEndConfig& config);
int64_t frontend_block_end_cycles(const model::FrontEndConfig& config);

}  // namespace gaitlstm::rtl
