// Verilog for the fixed-point operations of quant/fixed_point.h and the
// activation units of quant/activation.h.  The generator reads the formats
// and tables from the quantized model and writes logic that computes the
// same integer functions: shift_round -> floor + rounding increment,
// fit -> saturation or low-bit truncation, tables -> case statements.
#pragma once

#include <string>

#include "quant/activation.h"
#include "quant/fixed_point.h"

namespace gaitlstm::rtl {
// One generated Verilog file: one module.
struct VerilogModule {
  std::string name;
  std::string text;
};


// A Verilog-2005 function `name` mapping a signed `in_bits`-bit value with
// `in_frac` fraction bits into `to` (quant::requantize).
std::string requantize_function(const std::string& name, int in_bits, int in_frac, const quant::QFormat& to);

// A combinational module `name` (input signed x [in.bits], output signed y
// [out.bits]) computing `unit` exactly.
VerilogModule activation_module(const std::string& name, const quant::ActivationUnit& unit);

// Verilog signed literal of `bits` bits, e.g. -8'sd5.
std::string signed_literal(int64_t value, int bits);

// Unsigned bits to count 0 .. values-1 (at least 1).
int count_bits(int64_t values);

// `name` (an unsigned signal of from_bits) zero-extended or cut to to_bits.
std::string resize_unsigned(const std::string& name, int from_bits, int to_bits);

// `name` (a signal of from_bits) sign-extended to to_bits, e.g. {{3{x[7]}}, x}.
std::string sign_extend(const std::string& name, int from_bits, int to_bits);


}  // namespace gaitlstm::rtl
