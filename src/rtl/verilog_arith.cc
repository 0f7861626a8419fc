#include "rtl/verilog_arith.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::rtl {

using quant::ActivationKind;
using quant::Overflow;
using quant::QFormat;
using quant::Rounding;

std::string signed_literal(int64_t value, int bits) {
  return value < 0 ? fmt::format("-{}'sd{}", bits, -value) : fmt::format("{}'sd{}", bits, value);
}

int count_bits(int64_t values) {
  int bits = 1;
  while ((int64_t{1} << bits) < values) ++bits;
  return bits;
}

std::string resize_unsigned(const std::string& name, int from_bits, int to_bits) {
  if (to_bits == from_bits) return name;
  if (to_bits < from_bits) return fmt::format("{}[{}:0]", name, to_bits - 1);
  return fmt::format("{{{}'d0, {}}}", to_bits - from_bits, name);
}

std::string sign_extend(const std::string& name, int from_bits, int to_bits) {
  if (to_bits <= from_bits) return name;
  return fmt::format("{{{{{}{{{}[{}]}}}}, {}}}", to_bits - from_bits, name, from_bits - 1, name);
}

namespace {

// Body computing `rq_q` (signed, q_bits) = shift_round(rq_v, shift, rounding).
// Bits the rounding does not look at are read into `unused_rq` (lint).
std::string shift_round_body(int in_bits, int shift, Rounding rounding, int& q_bits) {
  if (shift <= 0) {
    q_bits = in_bits - shift;
    return shift == 0 ? "    rq_q = rq_v;\n" : fmt::format("    rq_q = {{rq_v, {}'b0}};\n", -shift);
  }
  if (shift >= in_bits) throw std::invalid_argument("requantize shift exceeds the input width");
  q_bits = in_bits - shift + 1;  // floor + 1 must fit
  std::string body = fmt::format("    rq_q = {{rq_v[{}], rq_v[{}:{}]}};\n", in_bits - 1, in_bits - 1, shift);
  if (rounding == Rounding::kTruncate)
    return body + fmt::format("    unused_rq = &{{1'b0, rq_v[{}:0], 1'b0}};\n", shift - 1);
  const std::string half = fmt::format("rq_v[{}]", shift - 1);
  if (rounding == Rounding::kHalfUp) {
    if (shift >= 2) body += fmt::format("    unused_rq = &{{1'b0, rq_v[{}:0], 1'b0}};\n", shift - 2);
    return body + fmt::format("    rq_q = rq_q + {{{}'d0, {}}};\n", q_bits - 1, half);
  }
  // half-even: up when above half, or exactly half and the floor is odd.
  const std::string below = shift >= 2 ? fmt::format("(|rq_v[{}:0])", shift - 2) : "1'b0";
  return body + fmt::format("    rq_q = rq_q + {{{}'d0, {} & ({} | rq_q[0])}};\n", q_bits - 1, half, below);
}

std::string fit_body(int q_bits, const QFormat& to) {
  if (q_bits <= to.bits) return "    rq_y = " + sign_extend("rq_q", q_bits, to.bits) + ";\n";  // always in range
  if (to.overflow == Overflow::kWrap)
    return fmt::format("    rq_y = rq_q[{}:0];\n    unused_rq = &{{1'b0, rq_q[{}:{}], 1'b0}};\n", to.bits - 1, q_bits - 1,
                       to.bits);
  return fmt::format(
      "    if (rq_q > {max}) rq_y = {maxl};\n"
      "    else if (rq_q < {min}) rq_y = {minl};\n"
      "    else rq_y = rq_q[{top}:0];\n",
      fmt::arg("max", signed_literal(to.max_raw(), q_bits)), fmt::arg("min", signed_literal(to.min_raw(), q_bits)),
      fmt::arg("maxl", signed_literal(to.max_raw(), to.bits)), fmt::arg("minl", signed_literal(to.min_raw(), to.bits)),
      fmt::arg("top", to.bits - 1));
}

}  // namespace

std::string requantize_function(const std::string& name, int in_bits, int in_frac, const QFormat& to) {
  int q_bits = 0;
  const std::string round = shift_round_body(in_bits, in_frac - to.frac, to.rounding, q_bits);
  return fmt::format(
      "  // {in_bits}-bit value with {in_frac} fraction bits -> {fmt}\n"
      "  function signed [{out_top}:0] {name};\n"
      "    input signed [{in_top}:0] rq_v;\n"
      "    reg signed [{q_top}:0] rq_q;\n"
      "    reg signed [{out_top}:0] rq_y;\n"
      "    reg unused_rq;\n"
      "  begin\n    unused_rq = 1'b0;\n{round}{fit}    {name} = rq_y;\n"
      "  end\n"
      "  endfunction\n",
      fmt::arg("in_bits", in_bits), fmt::arg("in_frac", in_frac), fmt::arg("fmt", quant::to_string(to)),
      fmt::arg("out_top", to.bits - 1), fmt::arg("name", name), fmt::arg("in_top", in_bits - 1),
      fmt::arg("q_top", q_bits - 1), fmt::arg("round", round), fmt::arg("fit", fit_body(q_bits, to)));
}

namespace {

std::string table_case(const std::string& selector, int index_bits, const std::vector<int64_t>& values,
                       const std::string& target, int bits) {
  std::string out = fmt::format("    case ({})\n", selector);
  for (size_t i = 0; i < values.size(); ++i)
    out += fmt::format("      {}'d{}: {} = {};\n", index_bits, i, target, signed_literal(values[i], bits));
  out += fmt::format("      default: {} = {};\n    endcase\n", target, signed_literal(0, bits));
  return out;
}

// Offset of the clamped input from -2^r, as an unsigned (r + frac + 1)-bit
// value `offset`; `index` = its top index_bits, `within` the rest.
std::string clamped_offset(const quant::ActivationUnit& unit, int& offset_bits) {
  const QFormat& in = unit.input();
  const int span = unit.config().range_log2 + in.frac;  // codes in [-2^span, 2^span)
  offset_bits = span + 1;
  const int wide = std::max(in.bits, span + 2);
  std::string out = fmt::format("  wire signed [{}:0] xw = {};\n", wide - 1, sign_extend("x", in.bits, wide));
  if (span + 1 >= in.bits) {
    out += fmt::format("  wire signed [{}:0] xc = xw;\n", wide - 1);  // the range covers every input
  } else {
    out += fmt::format("  wire signed [{w}:0] xc = (xw < -{w1}'sd{lim}) ? -{w1}'sd{lim} : (xw > {w1}'sd{limm}) ? {w1}'sd{limm} : xw;\n",
                       fmt::arg("w", wide - 1), fmt::arg("w1", wide), fmt::arg("lim", int64_t{1} << span),
                       fmt::arg("limm", (int64_t{1} << span) - 1));
  }
  out += fmt::format("  wire signed [{}:0] offset_wide = xc + {}'sd{};\n", wide - 1, wide, int64_t{1} << span);
  out += fmt::format("  wire [{}:0] offset = offset_wide[{}:0];\n", offset_bits - 1, offset_bits - 1);
  if (wide > offset_bits)
    out += fmt::format("  wire unused_offset_high = &{{1'b0, offset_wide[{}:{}], 1'b0}};\n", wide - 1, offset_bits);
  return out;
}

std::string lut_body(const quant::ActivationUnit& unit) {
  int offset_bits = 0;
  std::string out = clamped_offset(unit, offset_bits);
  const int index_bits = unit.config().index_bits;
  out += fmt::format("  wire [{}:0] index = offset[{}:{}];\n", index_bits - 1, offset_bits - 1, offset_bits - index_bits);
  if (offset_bits > index_bits)
    out += fmt::format("  wire unused_offset_low = &{{1'b0, offset[{}:0], 1'b0}};\n", offset_bits - index_bits - 1);
  out += fmt::format("  reg signed [{}:0] value;\n  always @(*) begin\n", unit.output().bits - 1);
  out += table_case("index", index_bits, unit.table(), "value", unit.output().bits);
  out += "  end\n  assign y = value;\n";
  return out;
}

std::string pwl_body(const quant::ActivationUnit& unit) {
  int offset_bits = 0;
  std::string out = clamped_offset(unit, offset_bits);
  const int index_bits = unit.config().index_bits;
  const int segment_bits = offset_bits - index_bits;
  const QFormat& out_f = unit.output();
  const QFormat& slope = unit.slope_format();
  const int product_frac = slope.frac + unit.input().frac;
  const int sum_bits = std::max(out_f.bits + product_frac - out_f.frac, slope.bits + segment_bits + 1) + 2;
  out += fmt::format("  wire [{}:0] index = offset[{}:{}];\n", index_bits - 1, offset_bits - 1, segment_bits);
  out += segment_bits > 0 ? fmt::format("  wire signed [{}:0] seg_offset = {{1'b0, offset[{}:0]}};\n", segment_bits, segment_bits - 1)
                         : "  wire signed [0:0] seg_offset = 1'b0;\n";
  out += fmt::format("  reg signed [{}:0] intercept;\n  reg signed [{}:0] slope;\n  always @(*) begin\n",
                     out_f.bits - 1, slope.bits - 1);
  out += table_case("index", index_bits, unit.table(), "intercept", out_f.bits);
  out += table_case("index", index_bits, unit.slopes(), "slope", slope.bits);
  out += "  end\n";
  const int product_bits = slope.bits + segment_bits + 1;
  out += fmt::format("  wire signed [{}:0] slope_product = slope * seg_offset;\n", product_bits - 1);
  out += fmt::format("  wire signed [{}:0] intercept_wide = {};\n", sum_bits - 1, sign_extend("intercept", out_f.bits, sum_bits));
  out += fmt::format("  wire signed [{}:0] product_wide = {};\n", sum_bits - 1, sign_extend("slope_product", product_bits, sum_bits));
  out += fmt::format("  wire signed [{}:0] sum = (intercept_wide <<< {}) + product_wide;\n", sum_bits - 1, product_frac - out_f.frac);
  out += requantize_function("rq_out", sum_bits, product_frac, out_f);
  out += "  assign y = rq_out(sum);\n";
  return out;
}

std::string hard_body(const quant::ActivationUnit& unit) {
  const QFormat& in = unit.input();
  const bool sigmoid = unit.function() == quant::Function::kSigmoid;
  const int wide_frac = std::max(in.frac + 2, unit.output().frac + 1);
  const int bits = std::max(in.bits + (wide_frac - in.frac), wide_frac + 2) + 2;
  std::string out = fmt::format("  wire signed [{}:0] xw = {} <<< {};\n", bits - 1, sign_extend("x", in.bits, bits), wide_frac - in.frac);
  const int64_t one = int64_t{1} << wide_frac;
  if (sigmoid) {
    out += fmt::format("  wire signed [{b}:0] lin = (xw >>> 2) + {b1}'sd{half};\n", fmt::arg("b", bits - 1),
                       fmt::arg("b1", bits), fmt::arg("half", one / 2));
    out += fmt::format("  wire signed [{b}:0] v = (lin < 0) ? {b1}'sd0 : (lin > {b1}'sd{one}) ? {b1}'sd{one} : lin;\n",
                       fmt::arg("b", bits - 1), fmt::arg("b1", bits), fmt::arg("one", one));
  } else {
    out += fmt::format("  wire signed [{b}:0] v = (xw < -{b1}'sd{one}) ? -{b1}'sd{one} : (xw > {b1}'sd{one}) ? {b1}'sd{one} : xw;\n",
                       fmt::arg("b", bits - 1), fmt::arg("b1", bits), fmt::arg("one", one));
  }
  out += requantize_function("rq_out", bits, wide_frac, unit.output());
  out += "  assign y = rq_out(v);\n";
  return out;
}

std::string plan_body(const quant::ActivationUnit& unit) {
  const QFormat& in = unit.input();
  const bool sigmoid = unit.function() == quant::Function::kSigmoid;
  const int x_frac = sigmoid ? in.frac : in.frac - 1;
  const int wide_frac = std::max({x_frac + 5, unit.output().frac + 1, 6});
  const int shift = wide_frac - x_frac;
  const int bits = std::max(in.bits + shift, wide_frac + 3) + 2;
  const int64_t one = int64_t{1} << wide_frac;
  auto lit = [&](int64_t v) { return signed_literal(v, bits); };
  std::string out = fmt::format("  wire signed [{}:0] xw = {};\n", bits - 1, sign_extend("x", in.bits, bits));
  out += fmt::format("  wire signed [{b}:0] ax = ((xw < 0) ? -xw : xw) <<< {s};\n", fmt::arg("b", bits - 1), fmt::arg("s", shift));
  // Segments of quant/activation.cc: bounds 5, 2.375, 1; slopes 2^-5, 2^-3, 2^-2.
  out += fmt::format(
      "  wire signed [{b}:0] s = (ax >= {c5}) ? {one} :\n"
      "                          (ax >= {c2375}) ? {i27} + (ax >>> 5) :\n"
      "                          (ax >= {c1}) ? {i20} + (ax >>> 3) : {i16} + (ax >>> 2);\n",
      fmt::arg("b", bits - 1), fmt::arg("c5", lit(int64_t{40} << (wide_frac - 3))), fmt::arg("one", lit(one)),
      fmt::arg("c2375", lit(int64_t{19} << (wide_frac - 3))), fmt::arg("i27", lit(int64_t{27} << (wide_frac - 5))),
      fmt::arg("c1", lit(int64_t{8} << (wide_frac - 3))), fmt::arg("i20", lit(int64_t{20} << (wide_frac - 5))),
      fmt::arg("i16", lit(int64_t{16} << (wide_frac - 5))));
  out += fmt::format("  wire signed [{b}:0] sg = (xw < 0) ? {one} - s : s;\n", fmt::arg("b", bits - 1), fmt::arg("one", lit(one)));
  out += sigmoid ? fmt::format("  wire signed [{}:0] v = sg;\n", bits - 1)
                 : fmt::format("  wire signed [{b}:0] v = (sg <<< 1) - {one};\n", fmt::arg("b", bits - 1), fmt::arg("one", lit(one)));
  out += requantize_function("rq_out", bits, wide_frac, unit.output());
  out += "  assign y = rq_out(v);\n";
  return out;
}

}  // namespace

VerilogModule activation_module(const std::string& name, const quant::ActivationUnit& unit) {
  std::string body;
  switch (unit.config().kind) {
    case ActivationKind::kLut: body = lut_body(unit); break;
    case ActivationKind::kPwl: body = pwl_body(unit); break;
    case ActivationKind::kPlan: body = plan_body(unit); break;
    case ActivationKind::kHard: body = hard_body(unit); break;
  }
  return {name, fmt::format(
      "// Generated by gaitlstm (src/rtl/verilog_arith.cc) - do not edit.\n"
      "// {fn} unit: {cfg}, input {in}, output {out} (quant/activation.h)\n"
      "module {name} (\n"
      "  input  wire signed [{ib}:0] x,\n"
      "  output wire signed [{ob}:0] y\n"
      ");\n{body}endmodule\n",
      fmt::arg("fn", quant::to_string(unit.function())), fmt::arg("cfg", quant::to_string(unit.config())),
      fmt::arg("in", quant::to_string(unit.input())), fmt::arg("out", quant::to_string(unit.output())),
      fmt::arg("name", name), fmt::arg("ib", unit.input().bits - 1), fmt::arg("ob", unit.output().bits - 1),
      fmt::arg("body", body))};
}

}  // namespace gaitlstm::rtl
