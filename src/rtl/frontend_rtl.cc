// Front-end generator (see frontend_rtl.h for the arithmetic).  Schedule:
//
//   per sample, per band k and channel c (band-major, channel-minor):
//     S_TAP     5 * CB cycles  high-pass section: bit planes of the coefficients,
//                              MSB first, each plane over the taps b0 b1 b2 a1 a2
//     S_OUT     1              hp = rq_state(acc)
//     S_TAP     5 * CB         low-pass section
//     S_OUT     1              y = rq_state(acc) into the serial register
//                              (hp_reg, free now); the filter state rings turn
//     S_SQUARE  SB             acc = y * y, bits of y from hp_reg
//     S_ENERGY  1              eacc[k, sensor] += acc
//   at a block end, per band and sensor (band-major, sensor-minor):
//     S_LOAD    1              E = rq_energy(eacc); with smoothing the average
//                              S turns (S = E << T in the first block); S + 1
//                              = S + 2^(fE + T) into lg
//     S_LOG     NS             leading-one search: shift lg left while its top
//                              bit is 0, counting the exponent down
//     per feature (`phase` L, then R, then Q_k = L - L_0 for k >= 1):
//     S_CENTRE  1              cen = value - mean (cen follows it every cycle)
//     S_NORM    IB             acc = cen * inv_std, bits of inv_std from a ROM
//     S_FEATURE 1              feature = rq_norm(acc); after the band's last
//                              one the baseline and the L_0 ring turn; after
//                              the block's last one: out_valid
//     S_KEEP    1              instead, for a band without features (band 0
//                              with ratios only): the L_0 ring turns
//
// Every product uses the one adder `sum = augend + addend + carry` (augend
// 0, acc, 2 acc or the energy; addend +-bit * operand or the square).
//
// Storage is rings in visit order instead of addressed arrays: entry 0 is
// the one in use, a turn moves entry i+1 to i and the updated entry 0 to the
// end.  Filter states (x1 x2 per channel; v1 v2 w1 w2 per band and channel)
// turn at S_OUT of the low-pass section, energies (per band and sensor) after
// the sensor's last axis and at S_LOAD, smoothed energies at S_LOAD,
// baselines at their update, the L_0 of each sensor (ratios) at the end of
// every band's visit.  Nothing is reset: delay taps read as zero for the first
// one or two samples of a segment (`history`), an energy as zero at its
// block's first visit, and the baseline and the smoothed energy start from
// the first block's value (first_block).
#include "rtl/frontend_rtl.h"

#include <algorithm>

#include <fmt/format.h>

namespace gaitlstm::rtl {

using quant::QFormat;

namespace {

constexpr int kTaps = 5;  // b0 b1 b2 a1 a2

// `outer * count + inner` in `bits` bits; with one outer value, just inner.
std::string flat_index(const std::string& outer, int outer_bits, int outer_values, int count, const std::string& inner,
                       int inner_bits, int bits) {
  if (outer_values == 1) return resize_unsigned(inner, inner_bits, bits);
  return fmt::format("{} * {}'d{} + {}", resize_unsigned(outer, outer_bits, bits), bits, count,
                     resize_unsigned(inner, inner_bits, bits));
}

// Widths and cycle counts of the schedule, from the formats alone.
struct Schedule {
  explicit Schedule(const quant::QuantizedFrontEnd& fe);
  int coefficient_bits, state_bits, inv_std_bits;
  int value_bits;     // S + 1 as unsigned (>= energy.bits + T, holds 2^(fE + T))
  int search_steps;   // leading one: value_bits - 1 - fE - T shifts at most
  int search_cycles;  // max(1, search_steps)
  int level_features;  // per sensor and band: L and R (0, 1 or 2)
  bool ratios;
  int64_t per_channel_band() const { return 2 * (kTaps * coefficient_bits + 1) + state_bits + 1; }
  // Features of band k of one sensor: L, R, and Q_k for k >= 1.
  int features_of_band(int k) const { return level_features + int{ratios && k > 0}; }
  // S_LOAD, S_LOG, then per feature S_CENTRE S_NORM S_FEATURE, or S_KEEP without one.
  int64_t per_sensor_band(int k) const {
    const int n = features_of_band(k);
    return 1 + search_cycles + (n > 0 ? n * (inv_std_bits + 2) : 1);
  }
};

Schedule::Schedule(const quant::QuantizedFrontEnd& fe) {
  const quant::FrontEndFormats& q = fe.formats();
  coefficient_bits = q.coefficient.bits;
  state_bits = q.state.bits;
  inv_std_bits = q.inv_std.bits;
  const int t = fe.config().energy_smoothing_shift;  // S: T more fraction bits, the same exponent range
  value_bits = std::max(q.energy.bits, q.energy.frac + 1) + t;
  search_steps = value_bits - 1 - q.energy.frac - t;
  search_cycles = std::max(1, search_steps);
  level_features = int{fe.config().has_levels()} + int{fe.config().has_relative_levels()};
  ratios = fe.config().has_ratios();
}

class FrontEndWriter {
 public:
  FrontEndWriter(const quant::QuantizedFrontEnd& fe, const std::string& name);
  std::string module() const;

 private:
  void set_energy_bits();
  int energy_shift() const { return 2 * q_.state.frac + quant::exact_log2(c_.decimation) - q_.energy.frac; }
  std::string ports() const;
  std::string registers() const;
  std::string functions() const;
  std::string coefficient_rom() const;
  std::string normalization_rom() const;
  std::string operands() const;
  std::string shared_adder() const;
  std::string energy_and_log() const;
  std::string baseline_and_centre() const;
  std::string control() const;
  std::string filter_states() const;
  std::string feature_states() const;
  std::string reset_block() const;
  std::string zero(int bits) const { return fmt::format("{}'d0", bits); }
  // Feature kinds in a band's visit, in order: 0 = L, 1 = R, 2 = Q (bands >= 1).
  enum Kind { kLevel = 0, kRelative = 1, kRatio = 2 };
  std::vector<int> kinds() const;
  bool phased() const { return kinds().size() > 1; }                                // a `phase` register
  bool only_ratios() const { return kinds() == std::vector<int>{kRatio}; }          // band 0: S_KEEP
  bool first_block_used() const { return shift_s_ > 0 || smooth_t_ > 0; }
  std::string kind_offset(int kind) const;  // fidx of the kind's feature minus (sensor base + k)
  std::string visit_end() const;           // the rings turn, the next band / sensor

  const quant::QuantizedFrontEnd& fe_;
  const model::FrontEndConfig& c_;
  const quant::FrontEndFormats& q_;
  Schedule sched_;
  std::string name_;
  int channels_, bands_, sensors_, features_, per_sensor_, shift_s_, smooth_t_;
  int smooth_bits_;  // unsigned smoothed energy S: energy.bits - 1 + T
  int xb_, cb_, sb_, ib_, lb_, fb_;
  int acc_frac_, u_shift_, v_shift_;  // filter sums aligned to acc_frac_
  int filter_bits_, norm_bits_, base_bits_, acc_bits_;
  int eacc_bits_;  // unsigned energy sums, capped at 2^energy_cap_ (saturating E) or modulo 2^eacc_bits_
  int energy_cap_ = -1;
  int log_bits_;  // lg register: E + 1 left-aligned, >= fL + 1 bits
  int exp_bits_;  // the exponent msb - fE counted down from search_steps
  int ch_bits_, k_bits_, blk_bits_, sen_bits_, axis_bits_, fi_bits_, plane_bits_;
};

FrontEndWriter::FrontEndWriter(const quant::QuantizedFrontEnd& fe, const std::string& name)
    : fe_(fe), c_(fe.config()), q_(fe.formats()), sched_(fe), name_(name) {
  channels_ = c_.channels();
  bands_ = static_cast<int>(c_.bands.size());
  sensors_ = c_.sensors();
  features_ = c_.features();
  per_sensor_ = c_.features_per_sensor();
  shift_s_ = c_.baseline_shift;
  smooth_t_ = c_.energy_smoothing_shift;
  xb_ = q_.sample.bits;
  cb_ = q_.coefficient.bits;
  sb_ = q_.state.bits;
  ib_ = q_.inv_std.bits;
  smooth_bits_ = q_.energy.bits - 1 + smooth_t_;
  lb_ = q_.log_energy.bits;
  fb_ = fe.feature_format().bits;
  const int cf = q_.coefficient.frac, sf = q_.state.frac, xf = q_.sample.frac;
  acc_frac_ = std::max(cf + xf, cf + sf);  // both sections: one requantizer
  u_shift_ = acc_frac_ - cf - xf;
  v_shift_ = acc_frac_ - cf - sf;
  filter_bits_ = cb_ + std::max(xb_, sb_) + std::max(u_shift_, v_shift_) + 4;  // five products
  set_energy_bits();
  norm_bits_ = lb_ + 2 + ib_;
  base_bits_ = lb_ + shift_s_ + 2;
  acc_bits_ = std::max({filter_bits_, 2 * sb_ + v_shift_ + 1, eacc_bits_ + 2, norm_bits_});
  log_bits_ = std::max(sched_.value_bits, q_.log_energy.frac + 1);
  exp_bits_ = count_bits(sched_.search_steps + 1);
  ch_bits_ = count_bits(channels_);
  k_bits_ = count_bits(bands_);
  blk_bits_ = count_bits(c_.decimation);
  sen_bits_ = count_bits(sensors_);
  fi_bits_ = count_bits(features_);
  axis_bits_ = count_bits(c_.axes_per_sensor);
  plane_bits_ = count_bits(std::max({cb_, sb_, ib_, sched_.search_cycles}));
}

// E = fit(round(sum / 2^shift)) needs only the sum's low energy.bits + shift
// bits when E wraps; when E saturates, every sum >= 2^(energy.bits - 1 + shift)
// gives the maximum, so the sum may stop there.
void FrontEndWriter::set_energy_bits() {
  eacc_bits_ = 2 * sb_ + count_bits(static_cast<int64_t>(c_.decimation) * c_.axes_per_sensor);  // exact, >= 0
  const int eb = q_.energy.bits, shift = energy_shift();
  if (q_.energy.overflow == quant::Overflow::kWrap) {
    if (eb + shift >= 1) eacc_bits_ = std::min(eacc_bits_, eb + shift);
  } else if (eb - 1 + shift >= 0 && eb + shift < eacc_bits_) {
    energy_cap_ = eb - 1 + shift;
    eacc_bits_ = energy_cap_ + 1;
  }
}

std::string FrontEndWriter::module() const {
  return fmt::format(
             "// Generated by gaitlstm (src/rtl/frontend_rtl.cc) - do not edit.\n"
             "// Front-end: {c} channels, {k} bands, {s} sensors, {f} features every {d} samples\n"
             "// (quant/qfrontend.h), one bit-serial multiplier.  {cyc} cycles per sample, {blk} more at a block end.\n",
             fmt::arg("c", channels_), fmt::arg("k", bands_), fmt::arg("s", sensors_), fmt::arg("f", features_),
             fmt::arg("d", c_.decimation), fmt::arg("cyc", frontend_sample_cycles(fe_)),
             fmt::arg("blk", frontend_block_end_cycles(fe_) - frontend_sample_cycles(fe_))) +
         ports() + registers() + functions() + coefficient_rom() + normalization_rom() + operands() + shared_adder() +
         energy_and_log() + baseline_and_centre() + control() + "endmodule\n";
}

std::string FrontEndWriter::ports() const {
  return fmt::format(
      "module {n} (\n"
      "  input  wire clk,\n"
      "  input  wire rst,\n"
      "  input  wire in_valid,\n"
      "  output wire in_ready,\n"
      "  input  wire [{iw}:0] in_sample,\n"
      "  output reg  out_valid,\n"
      "  output wire [{ow}:0] out_features\n"
      ");\n",
      fmt::arg("n", name_), fmt::arg("iw", channels_ * xb_ - 1), fmt::arg("ow", features_ * fb_ - 1));
}

std::string FrontEndWriter::registers() const {
  std::string v =
      "  localparam [3:0] S_IDLE = 4'd0, S_TAP = 4'd1, S_OUT = 4'd2, S_SQUARE = 4'd3, S_ENERGY = 4'd4,\n"
      "                   S_LOAD = 4'd5, S_LOG = 4'd6, S_CENTRE = 4'd7, S_NORM = 4'd8, S_FEATURE = 4'd9;\n"
      "  reg [3:0] state;\n"
      "  assign in_ready = state == S_IDLE;\n";
  if (only_ratios()) v += "  localparam [3:0] S_KEEP = 4'd10;  // band 0 without features: keep L_0\n";
  v += fmt::format(
      "  reg [{}:0] ch;\n  reg [{}:0] k;\n  reg [{}:0] blk;\n  reg [{}:0] fsen;\n  reg [1:0] history;\n"
      "  reg section;\n  reg [2:0] tap;\n  reg [{}:0] plane;\n  reg top_plane;\n",
      ch_bits_ - 1, k_bits_ - 1, blk_bits_ - 1, sen_bits_ - 1, plane_bits_ - 1);
  if (c_.axes_per_sensor > 1) v += fmt::format("  reg [{}:0] axis;\n", axis_bits_ - 1);
  if (phased()) v += "  reg [1:0] phase;  // feature kind: 0 = L, 1 = R, 2 = Q\n";
  if (first_block_used()) v += "  reg first_block;\n";
  v += fmt::format("  reg signed [{x}:0] sreg [0:{c}];\n  reg signed [{x}:0] x1 [0:{c}];\n  reg signed [{x}:0] x2 [0:{c}];\n",
                   fmt::arg("x", xb_ - 1), fmt::arg("c", channels_ - 1));
  v += fmt::format("  reg signed [{s}:0] v1 [0:{n}];\n  reg signed [{s}:0] v2 [0:{n}];\n"
                   "  reg signed [{s}:0] w1 [0:{n}];\n  reg signed [{s}:0] w2 [0:{n}];\n  reg signed [{s}:0] hp_reg;\n",
                   fmt::arg("s", sb_ - 1), fmt::arg("n", channels_ * bands_ - 1));
  v += fmt::format("  reg [{}:0] eacc [0:{}];\n", eacc_bits_ - 1, sensors_ * bands_ - 1);
  if (shift_s_ > 0) v += fmt::format("  reg signed [{}:0] baseline [0:{}];\n", base_bits_ - 1, sensors_ * bands_ - 1);
  if (smooth_t_ > 0) v += fmt::format("  reg [{}:0] smooth [0:{}];\n", smooth_bits_ - 1, sensors_ * bands_ - 1);
  if (c_.has_ratios()) v += fmt::format("  reg signed [{}:0] l0 [0:{}];  // L_0 per sensor\n", lb_ - 1, sensors_ - 1);
  v += fmt::format("  reg signed [{}:0] acc;\n  reg [{}:0] lg;\n  reg [{}:0] lexp;\n  reg signed [{}:0] cen;\n",
                   acc_bits_ - 1, log_bits_ - 1, exp_bits_ - 1, lb_);
  v += fmt::format("  reg signed [{}:0] feature [0:{}];\n", fb_ - 1, features_ - 1);
  v += fmt::format("  genvar gi;\n  generate\n"
                   "    for (gi = 0; gi < {}; gi = gi + 1) begin : pack\n"
                   "      assign out_features[gi*{b} +: {b}] = feature[gi];\n"
                   "    end\n  endgenerate\n",
                   features_, fmt::arg("b", fb_));
  return v;
}

std::string FrontEndWriter::functions() const {
  const int lf = q_.log_energy.frac;
  std::string v = requantize_function("rq_state", filter_bits_, acc_frac_, q_.state);
  v += requantize_function("rq_energy", eacc_bits_ + 1, energy_shift() + q_.energy.frac, q_.energy);
  v += requantize_function("rq_log", exp_bits_ + lf + 1, lf, q_.log_energy);  // the fit of log2approx
  if (shift_s_ > 0) v += requantize_function("rq_relative", base_bits_, lf + shift_s_, q_.log_energy);
  if (c_.has_ratios()) v += requantize_function("rq_ratio", lb_ + 1, lf, q_.log_energy);  // the fit of L_k - L_0
  v += requantize_function("rq_norm", norm_bits_, lf + q_.inv_std.frac, fe_.feature_format());
  return v;
}

// coef_bit = bit `plane` of coefficient (k, section, tap); only the ones are listed.
std::string FrontEndWriter::coefficient_rom() const {
  const int addr_bits = k_bits_ + 1 + 3 + plane_bits_;
  std::string v = fmt::format("  reg coef_bit;\n  always @(*) begin\n    case ({{k, section, tap, plane}})\n");
  for (int k = 0; k < bands_; ++k)
    for (int section = 0; section < 2; ++section)
      for (int tap = 0; tap < kTaps; ++tap) {
        const int64_t raw = fe_.coefficients()[static_cast<size_t>(k)][static_cast<size_t>(section)][static_cast<size_t>(tap)];
        for (int bit = 0; bit < cb_; ++bit) {
          if (((static_cast<uint64_t>(raw) >> bit) & 1U) == 0) continue;
          const int64_t addr = ((((static_cast<int64_t>(k) << 1) | section) << 3 | tap) << plane_bits_) | bit;
          v += fmt::format("      {}'d{}: coef_bit = 1'b1;\n", addr_bits, addr);
        }
      }
  v += "      default: coef_bit = 1'b0;\n    endcase\n  end\n";
  return v;
}

// The feature index fidx (L_k, then R_k, then Q_k per sensor), its mean and the bits of its inv_std.
std::string FrontEndWriter::normalization_rom() const {
  std::string fidx = flat_index("fsen", sen_bits_, sensors_, per_sensor_, "k", k_bits_, fi_bits_);
  const std::vector<int> enabled = kinds();
  std::string offset = kind_offset(enabled.back());
  for (int i = static_cast<int>(enabled.size()) - 2; i >= 0; --i)
    offset = fmt::format("(phase == 2'd{} ? {} : {})", enabled[i], kind_offset(enabled[i]), offset);
  fidx = fmt::format("{} + {}", fidx, offset);
  std::string v = fmt::format("  wire [{}:0] fidx = {};\n", fi_bits_ - 1, fidx);
  v += fmt::format("  reg signed [{}:0] mean;\n  always @(*) begin\n    case (fidx)\n", lb_ - 1);
  for (int i = 0; i < features_; ++i)
    v += fmt::format("      {}'d{}: mean = {};\n", fi_bits_, i, signed_literal(fe_.mean()[static_cast<size_t>(i)], lb_));
  v += fmt::format("      default: mean = {};\n    endcase\n  end\n", signed_literal(0, lb_));
  const int addr_bits = fi_bits_ + plane_bits_;
  v += "  reg istd_bit;\n  always @(*) begin\n    case ({fidx, plane})\n";
  for (int i = 0; i < features_; ++i)
    for (int bit = 0; bit < ib_; ++bit)
      if (((static_cast<uint64_t>(fe_.inv_std()[static_cast<size_t>(i)]) >> bit) & 1U) != 0)
        v += fmt::format("      {}'d{}: istd_bit = 1'b1;\n", addr_bits, (static_cast<int64_t>(i) << plane_bits_) | bit);
  v += "      default: istd_bit = 1'b0;\n    endcase\n  end\n";
  return v;
}

// The multiplier's parallel operand, aligned to the accumulator.
std::string FrontEndWriter::operands() const {
  const int last = channels_ * bands_ - 1;
  return fmt::format(
      "  reg signed [{xt}:0] sample_data;\n"
      "  always @(*) begin\n"
      "    case (tap)\n"
      "      3'd0: sample_data = sreg[ch];\n"
      "      3'd1: sample_data = x1[0];\n"
      "      default: sample_data = x2[0];\n"
      "    endcase\n"
      "  end\n"
      "  // high-pass taps 3, 4: v1, v2; low-pass taps 0-4: hp, v1, v2, w1, w2; the square (tap 5): y, turned to the end\n"
      "  reg signed [{st}:0] state_data;\n"
      "  always @(*) begin\n"
      "    case ({{section, tap}})\n"
      "      4'b0011, 4'b1001: state_data = v1[0];\n"
      "      4'b0100, 4'b1010: state_data = v2[0];\n"
      "      4'b1000: state_data = hp_reg;\n"
      "      4'b1100: state_data = w2[0];\n"
      "{w1_case}"
      "      default: state_data = w1[{last}];\n"
      "    endcase\n"
      "  end\n"
      "  wire sample_tap = !section && tap < 3'd3;\n"
      "  wire signed [{at}:0] sample_wide = {xext}{us};\n"
      "  wire signed [{at}:0] state_wide = {sext}{vs};\n"
      "  wire signed [{at}:0] operand = (state == S_NORM) ? {cext} : sample_tap ? sample_wide : state_wide;\n"
      "  // taps 1, 3 delay one sample, taps 2, 4 two: zero at a segment start\n"
      "  wire delay_unset = state == S_TAP && (tap[0] ? history == 2'd0 : (tap != 3'd0 && history != 2'd2));\n",
      fmt::arg("xt", xb_ - 1), fmt::arg("st", sb_ - 1), fmt::arg("at", acc_bits_ - 1), fmt::arg("last", last),
      fmt::arg("w1_case", last > 0 ? "      4'b1011: state_data = w1[0];\n" : ""),
      fmt::arg("xext", sign_extend("sample_data", xb_, acc_bits_)),
      fmt::arg("us", u_shift_ > 0 ? fmt::format(" <<< {}", u_shift_) : ""),
      fmt::arg("sext", sign_extend("state_data", sb_, acc_bits_)),
      fmt::arg("vs", v_shift_ > 0 ? fmt::format(" <<< {}", v_shift_) : ""),
      fmt::arg("cext", sign_extend("cen", lb_ + 1, acc_bits_)));
}

// Horner step acc = (first tap of a plane ? 2 acc : acc) +- bit * operand, the
// top plane negative (and the feedback taps a1, a2); or energy + acc.
std::string FrontEndWriter::shared_adder() const {
  const std::string first_visit = c_.axes_per_sensor > 1 ? fmt::format("blk == {} && axis == {}", zero(blk_bits_), zero(axis_bits_))
                                                          : fmt::format("blk == {}", zero(blk_bits_));
  return fmt::format(
      "  wire multiplier_bit = !delay_unset &&\n"
      "                        ((state == S_SQUARE) ? hp_reg[{st}] : (state == S_NORM) ? istd_bit : coef_bit);\n"
      "  wire feedback_tap = state == S_TAP && (tap == 3'd3 || tap == 3'd4);\n"
      "  wire negate = top_plane ^ feedback_tap;\n"
      "  wire signed [{at}:0] partial = multiplier_bit ? operand : {az};\n"
      "  wire energy_unset = {first_visit};  // the block's first visit of this energy\n"
      "  wire signed [{at}:0] eacc_wide = energy_unset ? {az} : {eext};\n"
      "  wire signed [{at}:0] augend = (state == S_ENERGY) ? eacc_wide : (state == S_TAP && tap != 3'd0) ? acc :\n"
      "                                top_plane ? {az} : (acc <<< 1);\n"
      "  wire signed [{at}:0] addend = (state == S_ENERGY) ? {square} : negate ? ~partial : partial;\n"
      "  wire signed [{at}:0] sum = augend + addend + {{{at}'d0, negate}};\n"
      "{energy_next}",
      fmt::arg("st", sb_ - 1), fmt::arg("at", acc_bits_ - 1), fmt::arg("az", zero(acc_bits_)),
      fmt::arg("first_visit", first_visit), fmt::arg("eext", resize_unsigned("eacc[0]", eacc_bits_, acc_bits_)),
      fmt::arg("square", v_shift_ > 0 ? fmt::format("(acc >>> {})", v_shift_) : std::string("acc")),
      fmt::arg("energy_next",
               energy_cap_ < 0 ? fmt::format("  wire [{et}:0] energy_next = sum[{et}:0];\n", fmt::arg("et", eacc_bits_ - 1))
                               : fmt::format("  wire [{et}:0] energy_next = (|sum[{at}:{cap}]) ? {{1'b1, {cz}}} : sum[{et}:0];"
                                             "  // stop at 2^{cap}: E saturates\n",
                                             fmt::arg("et", eacc_bits_ - 1), fmt::arg("at", acc_bits_ - 1),
                                             fmt::arg("cap", energy_cap_), fmt::arg("cz", zero(energy_cap_)))));
}

// S + 1 into lg (left-aligned) at S_LOAD; level = fit({exponent, the fL bits under the leading one}).
// With smoothing, S <- S + ((E << T) - S) >>> T (E << T in the first block; a
// negative, wrapped E counts as 0); without, S = E.
std::string FrontEndWriter::energy_and_log() const {
  const int vb = sched_.value_bits, ef = q_.energy.frac, lf = q_.log_energy.frac, eb = q_.energy.bits;
  const std::string one = fmt::format("{}'d{}", vb, int64_t{1} << (ef + smooth_t_));
  std::string v = fmt::format("  wire signed [{et}:0] block_energy = rq_energy({{1'b0, eacc[0]}});\n", fmt::arg("et", eb - 1));
  if (smooth_t_ == 0) {
    v += fmt::format("  wire [{vt}:0] energy_plus_one = block_energy[{et}] ? {one} : ({eext} + {one});\n",
                     fmt::arg("et", eb - 1), fmt::arg("vt", vb - 1), fmt::arg("one", one),
                     fmt::arg("eext", resize_unsigned("block_energy", eb, vb)));
  } else {
    v += fmt::format(
        "  wire [{mt}:0] energy_wide = block_energy[{et}] ? {mz} : {{block_energy[{et1}:0], {t}'d0}};\n"
        "  wire signed [{dt}:0] smooth_diff = {{1'b0, energy_wide}} - {{1'b0, smooth[0]}};\n"
        "  wire signed [{dt}:0] smooth_step = smooth_diff >>> {t};\n"
        "  wire unused_smooth_sign = smooth_step[{dt}];  // S + step stays in [0, 2^{sb}): modulo is exact\n"
        "  wire [{mt}:0] smooth_new = first_block ? energy_wide : smooth[0] + smooth_step[{mt}:0];\n"
        "  wire [{vt}:0] energy_plus_one = {sext} + {one};\n",
        fmt::arg("mt", smooth_bits_ - 1), fmt::arg("dt", smooth_bits_), fmt::arg("sb", smooth_bits_), fmt::arg("et", eb - 1), fmt::arg("et1", eb - 2), fmt::arg("t", smooth_t_),
        fmt::arg("mz", zero(smooth_bits_)), fmt::arg("vt", vb - 1), fmt::arg("one", one),
        fmt::arg("sext", resize_unsigned("smooth_new", smooth_bits_, vb)));
  }
  v += fmt::format("  wire [{lt}:0] lg_load = {load};\n", fmt::arg("lt", log_bits_ - 1),
                   fmt::arg("load", log_bits_ > vb ? fmt::format("{{energy_plus_one, {}'d0}}", log_bits_ - vb) : "energy_plus_one"));
  const std::string mantissa = lf > 0 ? fmt::format(", lg[{}:{}]", log_bits_ - 2, log_bits_ - 1 - lf) : "";
  v += fmt::format("  wire signed [{}:0] level = rq_log({{1'b0, lexp{}}});\n", lb_ - 1, mantissa);
  return v;
}

// R: B <- B + ((L << s) - B) >> s (B = L << s in the first block), R = rq(L << s - B);
// the multiplier's operand cen = value - mean is loaded at S_CENTRE.
std::string FrontEndWriter::baseline_and_centre() const {
  std::string v;
  if (shift_s_ > 0)
    v += fmt::format(
        "  wire signed [{bt}:0] level_wide = {lvl} <<< {s};\n"
        "  wire signed [{bt}:0] base_old = baseline[0];\n"
        "  wire signed [{bt}:0] base_diff = level_wide - base_old;\n"
        "  wire signed [{bt}:0] base_step = first_block ? base_diff : (base_diff >>> {s});\n"
        "  wire signed [{bt}:0] base_new = base_old + base_step;\n"
        "  wire signed [{lt}:0] relative = rq_relative(base_diff - base_step);\n",
        fmt::arg("bt", base_bits_ - 1), fmt::arg("lvl", sign_extend("level", lb_, base_bits_)), fmt::arg("s", shift_s_),
        fmt::arg("lt", lb_ - 1));
  if (c_.has_ratios())
    v += fmt::format("  wire signed [{lt}:0] ratio = rq_ratio({lvl} - {l0});  // Q_k = L_k - L_0 (band k >= 1)\n",
                     fmt::arg("lt", lb_ - 1), fmt::arg("lvl", sign_extend("level", lb_, lb_ + 1)),
                     fmt::arg("l0", sign_extend("l0[0]", lb_, lb_ + 1)));
  const char* names[] = {"level", "relative", "ratio"};
  const std::vector<int> enabled = kinds();
  std::string value = names[enabled.back()];
  for (int i = static_cast<int>(enabled.size()) - 2; i >= 0; --i)
    value = fmt::format("phase == 2'd{} ? {} : {}", enabled[i], names[enabled[i]], value);
  v += fmt::format("  wire signed [{lt}:0] norm_value = {value};\n"
                   "  wire signed [{ct}:0] centred = {vext} - {mext};\n",
                   fmt::arg("lt", lb_ - 1), fmt::arg("value", value), fmt::arg("ct", lb_),
                   fmt::arg("vext", sign_extend("norm_value", lb_, lb_ + 1)),
                   fmt::arg("mext", sign_extend("mean", lb_, lb_ + 1)));
  return v;
}

std::string FrontEndWriter::reset_block() const {
  return fmt::format("      state <= S_IDLE; out_valid <= 1'b0; blk <= {}; fsen <= {}; history <= 2'd0;{}{}\n",
                     zero(blk_bits_), zero(sen_bits_), first_block_used() ? " first_block <= 1'b1;" : "",
                     phased() ? fmt::format(" phase <= 2'd{};", kinds().front()) : "");
}

// Turn ring `name` of `entries`: entry i+1 to i, `last` into the end.
std::string turn(const std::string& name, int entries, const std::string& last) {
  std::string v = "          ";
  if (entries > 1) v += fmt::format("for (i = 0; i < {}; i = i + 1) {n}[i] <= {n}[i + 1]; ", entries - 1, fmt::arg("n", name));
  return v + fmt::format("{}[{}] <= {};\n", name, entries - 1, last);
}

// S_IDLE .. S_ENERGY: the biquads and the energy of one band and channel at a time.
std::string FrontEndWriter::filter_states() const {
  const int rings = channels_ * bands_, energies = sensors_ * bands_;
  const std::string last_band = fmt::format("k == {}'d{}", k_bits_, bands_ - 1);
  std::string turn_states = turn("v1", rings, "hp_reg") + turn("v2", rings, "v1[0]") +
                            turn("w1", rings, fmt::format("rq_state(acc[{}:0])", filter_bits_ - 1)) + turn("w2", rings, "w1[0]") +
                            turn("x1", channels_, fmt::format("({}) ? sreg[ch] : x1[0]", last_band)) +
                            turn("x2", channels_, fmt::format("({}) ? x1[0] : x2[0]", last_band));
  const std::string energy_sum = "energy_next";
  std::string energy = turn("eacc", energies, energy_sum);
  std::string axis_step;
  if (c_.axes_per_sensor > 1) {
    const std::string last_axis = fmt::format("axis == {}'d{}", axis_bits_, c_.axes_per_sensor - 1);
    energy = fmt::format("          if ({}) begin\n  {}          end else eacc[0] <= {};\n", last_axis, energy, energy_sum);
    axis_step = fmt::format("          axis <= ({}) ? {} : axis + {}'d1;\n", last_axis, zero(axis_bits_), axis_bits_);
  }
  return fmt::format(
      "        S_IDLE: if (in_valid) begin\n"
      "          for (i = 0; i < {c}; i = i + 1) sreg[i] <= in_sample[i*{xb} +: {xb}];\n"
      "          ch <= {cz}; k <= {kz};{axis_reset} section <= 1'b0; tap <= 3'd0; plane <= {ctop}; top_plane <= 1'b1;\n"
      "          state <= S_TAP;\n"
      "        end\n"
      "        S_TAP: begin\n"
      "          if (tap == 3'd4) begin\n"
      "            tap <= 3'd0; top_plane <= 1'b0;\n"
      "            if (plane == {pz}) state <= S_OUT; else plane <= plane - {p1};\n"
      "          end else tap <= tap + 3'd1;\n"
      "        end\n"
      "        S_OUT: begin\n"
      "          hp_reg <= rq_state(acc[{ft}:0]);\n"
      "          top_plane <= 1'b1;\n"
      "          if (!section) begin section <= 1'b1; plane <= {ctop}; state <= S_TAP; end\n"
      "          else begin\n"
      "{turn_states}"
      "          tap <= 3'd5; plane <= {stop}; state <= S_SQUARE;\n"
      "          end\n"
      "        end\n"
      "        S_SQUARE: begin\n"
      "          hp_reg <= hp_reg <<< 1; top_plane <= 1'b0;\n"
      "          if (plane == {pz}) state <= S_ENERGY; else plane <= plane - {p1};\n"
      "        end\n"
      "        S_ENERGY: begin\n"
      "{energy}{axis_step}"
      "          section <= 1'b0; tap <= 3'd0; plane <= {ctop}; top_plane <= 1'b1; state <= S_TAP;\n"
      "          if (ch == {cl}) begin\n"
      "            ch <= {cz};\n"
      "            if ({last_band}) begin\n"
      "              k <= {kz};\n"
      "              if (history != 2'd2) history <= history + 2'd1;\n"
      "              if (blk == {bl}) begin blk <= {bz}; fsen <= {sz}; state <= S_LOAD; end\n"
      "              else begin blk <= blk + {b1}; state <= S_IDLE; end\n"
      "            end else k <= k + {k1};\n"
      "          end else ch <= ch + {c1};\n"
      "        end\n",
      fmt::arg("c", channels_), fmt::arg("xb", xb_), fmt::arg("cz", zero(ch_bits_)), fmt::arg("kz", zero(k_bits_)),
      fmt::arg("axis_reset", c_.axes_per_sensor > 1 ? fmt::format(" axis <= {};", zero(axis_bits_)) : ""),
      fmt::arg("ctop", fmt::format("{}'d{}", plane_bits_, cb_ - 1)), fmt::arg("stop", fmt::format("{}'d{}", plane_bits_, sb_ - 1)),
      fmt::arg("pz", zero(plane_bits_)), fmt::arg("p1", fmt::format("{}'d1", plane_bits_)), fmt::arg("ft", filter_bits_ - 1),
      fmt::arg("turn_states", turn_states), fmt::arg("energy", energy), fmt::arg("axis_step", axis_step),
      fmt::arg("last_band", last_band), fmt::arg("cl", fmt::format("{}'d{}", ch_bits_, channels_ - 1)),
      fmt::arg("bl", fmt::format("{}'d{}", blk_bits_, c_.decimation - 1)), fmt::arg("bz", zero(blk_bits_)),
      fmt::arg("sz", zero(sen_bits_)), fmt::arg("b1", fmt::format("{}'d1", blk_bits_)),
      fmt::arg("c1", fmt::format("{}'d1", ch_bits_)), fmt::arg("k1", fmt::format("{}'d1", k_bits_)));
}

std::vector<int> FrontEndWriter::kinds() const {
  std::vector<int> k;
  if (c_.has_levels()) k.push_back(kLevel);
  if (c_.has_relative_levels()) k.push_back(kRelative);
  if (c_.has_ratios()) k.push_back(kRatio);
  return k;
}

// Offsets inside a sensor's features (model/frontend.h): L_k at k, R_k after
// the K levels, Q_k (k >= 1) after the relative levels.
std::string FrontEndWriter::kind_offset(int kind) const {
  const int relative = c_.has_levels() ? bands_ : 0;
  const int offset = kind == kLevel ? 0 : kind == kRelative ? relative : relative + (c_.has_relative_levels() ? bands_ : 0) - 1;
  return offset >= 0 ? fmt::format("{}'d{}", fi_bits_, offset) : fmt::format("-{}'d{}", fi_bits_, -offset);
}

// The end of a band's visit (level and the baseline's inputs still valid):
// baseline and L_0 rings turn, then the next sensor, band, or the block's end.
std::string FrontEndWriter::visit_end() const {
  std::string v;
  // The baseline turns after R is written (centred reads it until then).
  if (c_.has_relative_levels()) v += "  " + turn("baseline", sensors_ * bands_, "base_new");
  if (c_.has_ratios()) v += "  " + turn("l0", sensors_, fmt::format("(k == {}) ? level : l0[0]", zero(k_bits_)));
  if (phased()) v += fmt::format("            phase <= 2'd{};\n", kinds().front());
  return v + fmt::format(
                 "            state <= S_LOAD;\n"
                 "            if (fsen == {sl}) begin\n"
                 "              fsen <= {sz};\n"
                 "              if (k == {kl}) begin k <= {kz};{fb} out_valid <= 1'b1; state <= S_IDLE; end\n"
                 "              else k <= k + {k1};\n"
                 "            end else fsen <= fsen + {s1};\n",
                 fmt::arg("kl", fmt::format("{}'d{}", k_bits_, bands_ - 1)), fmt::arg("kz", zero(k_bits_)),
                 fmt::arg("sl", fmt::format("{}'d{}", sen_bits_, sensors_ - 1)), fmt::arg("sz", zero(sen_bits_)),
                 fmt::arg("fb", first_block_used() ? " first_block <= 1'b0;" : ""),
                 fmt::arg("s1", fmt::format("{}'d1", sen_bits_)), fmt::arg("k1", fmt::format("{}'d1", k_bits_)));
}

// S_LOAD .. S_FEATURE (S_KEEP): the features of one band and sensor at a time (the energy ring's order).
std::string FrontEndWriter::feature_states() const {
  const int energies = sensors_ * bands_;
  // After a feature: the visit's next kind (Q only for bands >= 1), or its end.
  std::string next_feature;
  const std::vector<int> enabled = kinds();
  for (size_t i = 0; i + 1 < enabled.size(); ++i)
    next_feature += fmt::format("          {}if (phase == 2'd{}{}) begin phase <= 2'd{}; state <= S_CENTRE; end\n",
                                i == 0 ? "" : "else ", enabled[i],
                                enabled[i + 1] == kRatio ? fmt::format(" && k != {}", zero(k_bits_)) : "", enabled[i + 1]);
  next_feature += fmt::format("          {}begin\n", enabled.size() > 1 ? "else " : "") + visit_end() + "          end\n";
  const std::string smooth_turn = smooth_t_ > 0 ? turn("smooth", energies, "smooth_new") : "";
  const std::string after_log = only_ratios() ? fmt::format("(k == {}) ? S_KEEP : S_CENTRE", zero(k_bits_)) : "S_CENTRE";
  const std::string keep = only_ratios() ? "        S_KEEP: begin\n" + visit_end() + "        end\n" : "";
  return fmt::format(
      "        S_LOAD: begin\n"
      "{energy_turn}{smooth_turn}"
      "          lg <= lg_load; lexp <= {etop}; plane <= {ltop}; state <= S_LOG;\n"
      "        end\n"
      "        S_LOG: begin\n"
      "          if (!lg[{lt}]) begin lg <= {{lg[{lt1}:0], 1'b0}}; lexp <= lexp - {e1}; end\n"
      "          if (plane == {pz}) state <= {after_log}; else plane <= plane - {p1};\n"
      "        end\n"
      "        S_CENTRE: begin\n"
      "          plane <= {itop}; top_plane <= 1'b1; state <= S_NORM;\n"
      "        end\n"
      "        S_NORM: begin\n"
      "          top_plane <= 1'b0;\n"
      "          if (plane == {pz}) state <= S_FEATURE; else plane <= plane - {p1};\n"
      "        end\n"
      "        S_FEATURE: begin\n"
      "          feature[fidx] <= rq_norm(acc[{nt}:0]);\n"
      "{next_feature}"
      "        end\n"
      "{keep}",
      fmt::arg("energy_turn", turn("eacc", energies, "energy_next")), fmt::arg("smooth_turn", smooth_turn),
      fmt::arg("etop", fmt::format("{}'d{}", exp_bits_, sched_.search_steps)),
      fmt::arg("ltop", fmt::format("{}'d{}", plane_bits_, sched_.search_cycles - 1)), fmt::arg("lt", log_bits_ - 1),
      fmt::arg("lt1", log_bits_ - 2), fmt::arg("e1", fmt::format("{}'d1", exp_bits_)), fmt::arg("pz", zero(plane_bits_)),
      fmt::arg("p1", fmt::format("{}'d1", plane_bits_)), fmt::arg("after_log", after_log),
      fmt::arg("itop", fmt::format("{}'d{}", plane_bits_, ib_ - 1)), fmt::arg("nt", norm_bits_ - 1),
      fmt::arg("next_feature", next_feature), fmt::arg("keep", keep));
}

std::string FrontEndWriter::control() const {
  return "  integer i;\n"
         "  always @(posedge clk) begin\n"
         "    if (rst) begin\n" +
         reset_block() +
         "    end else begin\n"
         "      out_valid <= 1'b0;\n"
         "      acc <= sum;      // read only in the cycle after a multiply state\n"
         "      cen <= centred;  // stable from S_CENTRE to the end of S_NORM\n"
         "      case (state)\n" +
         filter_states() + feature_states() +
         "        default: state <= S_IDLE;\n"
         "      endcase\n"
         "    end\n"
         "  end\n";
}

}  // namespace

std::vector<VerilogModule> generate_frontend(const quant::QuantizedFrontEnd& frontend, const std::string& name) {
  return {{name, FrontEndWriter(frontend, name).module()}};
}

int64_t frontend_sample_cycles(const quant::QuantizedFrontEnd& frontend) {
  const model::FrontEndConfig& c = frontend.config();
  return static_cast<int64_t>(c.channels()) * static_cast<int64_t>(c.bands.size()) * Schedule(frontend).per_channel_band();
}

int64_t frontend_block_end_cycles(const quant::QuantizedFrontEnd& frontend) {
  const model::FrontEndConfig& c = frontend.config();
  const Schedule schedule(frontend);
  int64_t per_sensor = 0;
  for (int k = 0; k < static_cast<int>(c.bands.size()); ++k) per_sensor += schedule.per_sensor_band(k);
  return frontend_sample_cycles(frontend) + static_cast<int64_t>(c.sensors()) * per_sensor;
}

}  // namespace gaitlstm::rtl
