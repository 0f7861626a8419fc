#include "quant/activation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::quant {

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

const char* kind_name(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::kLut: return "lut";
    case ActivationKind::kPwl: return "pwl";
    case ActivationKind::kPlan: return "plan";
    case ActivationKind::kHard: return "hard";
  }
  return "?";
}

// PLAN sigmoid on |x| (Amin et al. 1997): y = |x| * 2^-shift + intercept.
// Bounds in eighths and intercepts in 32nds keep every constant an integer.
struct PlanSegment {
  int from_eighths;
  int shift;  // -1: the constant segment y = 1
  int intercept_32nds;
};
constexpr PlanSegment kPlan[] = {{40, -1, 32}, {19, 5, 27}, {8, 3, 20}, {0, 2, 16}};  // 5, 2.375, 1, 0
}  // namespace

std::string to_string(Function function) { return function == Function::kSigmoid ? "sigmoid" : "tanh"; }

std::string to_string(const ActivationConfig& config) {
  switch (config.kind) {
    case ActivationKind::kLut: return fmt::format("lut A={} r={}", config.index_bits, config.range_log2);
    case ActivationKind::kPwl: return fmt::format("pwl S={} r={}", config.index_bits, config.range_log2);
    default: return kind_name(config.kind);
  }
}

nlohmann::json to_json(const ActivationConfig& config) {
  return {{"kind", kind_name(config.kind)}, {"index_bits", config.index_bits}, {"range_log2", config.range_log2}};
}

ActivationConfig activation_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("kind") || !json["kind"].is_string())
    throw std::invalid_argument("an activation needs a \"kind\": lut, pwl, plan or hard");
  ActivationConfig config;
  const std::string kind = json["kind"].get<std::string>();
  if (kind == "lut") config.kind = ActivationKind::kLut;
  else if (kind == "pwl") config.kind = ActivationKind::kPwl;
  else if (kind == "plan") config.kind = ActivationKind::kPlan;
  else if (kind == "hard") config.kind = ActivationKind::kHard;
  else throw std::invalid_argument("unknown activation kind '" + kind + "' (lut, pwl, plan, hard)");
  for (const auto& [key, value] : json.items()) {
    if (key == "kind") continue;
    if (key != "index_bits" && key != "range_log2") throw std::invalid_argument("unknown activation field '" + key + "'");
    if (!value.is_number_integer()) throw std::invalid_argument("activation field '" + key + "' must be an integer");
  }
  if (json.contains("index_bits")) config.index_bits = json["index_bits"].get<int>();
  if (json.contains("range_log2")) config.range_log2 = json["range_log2"].get<int>();
  return config;
}

double exact_activation(Function function, double x) {
  return function == Function::kSigmoid ? sigmoid(x) : std::tanh(x);
}

ActivationUnit::ActivationUnit(Function function, const ActivationConfig& config, const QFormat& input,
                               const QFormat& output)
    : function_(function), config_(config), input_(input), output_(output) {
  validate(input);
  validate(output);
  slope_format_ = {std::min(output.bits + 2, 32), output.bits, Rounding::kHalfEven, Overflow::kSaturate};
  if (config.kind != ActivationKind::kLut && config.kind != ActivationKind::kPwl) return;

  // Codes in [-2^r, 2^r) span r + 1 + frac bits; the index takes the top ones.
  const int span_bits = config.range_log2 + 1 + input.frac;
  offset_bits_ = span_bits - config.index_bits;
  if (config.index_bits < 1 || config.index_bits > 16 || offset_bits_ < 0)
    throw std::invalid_argument(fmt::format("{} needs 1..16 index bits and at most {} (input {}, range 2^{})",
                                            to_string(config), span_bits, to_string(input), config.range_log2));
  const int entries = 1 << config.index_bits;
  const double range = std::ldexp(1.0, config.range_log2);
  const double width = 2 * range / entries;
  for (int i = 0; i < entries; ++i) {
    const double left = -range + i * width;
    if (config.kind == ActivationKind::kLut) {
      table_.push_back(quantize(exact_activation(function, left + width / 2), output));
    } else {
      const double y0 = exact_activation(function, left), y1 = exact_activation(function, left + width);
      table_.push_back(quantize(y0, output));
      slopes_.push_back(quantize((y1 - y0) / width, slope_format_));
    }
  }
}

int64_t ActivationUnit::storage_bits() const {
  return static_cast<int64_t>(table_.size()) * output_.bits + static_cast<int64_t>(slopes_.size()) * slope_format_.bits;
}

int64_t ActivationUnit::operator()(int64_t raw) const {
  switch (config_.kind) {
    case ActivationKind::kLut: return lut(raw);
    case ActivationKind::kPwl: return pwl(raw);
    case ActivationKind::kPlan: return plan(raw);
    case ActivationKind::kHard: return hard(raw);
  }
  return 0;
}

int64_t ActivationUnit::clamp_to_range(int64_t raw) const {
  // [-2^r, 2^r - lsb] in input codes; shifts are exact (no rounding).
  const int shift = config_.range_log2 + input_.frac;
  const int64_t high = shift >= 0 ? (int64_t{1} << shift) : 0;
  return std::clamp<int64_t>(raw, -high, high - 1);
}

int64_t ActivationUnit::lut(int64_t raw) const {
  const int64_t offset = clamp_to_range(raw) + (int64_t{1} << (config_.range_log2 + input_.frac));
  return table_[static_cast<size_t>(offset >> offset_bits_)];
}

int64_t ActivationUnit::pwl(int64_t raw) const {
  const int64_t offset = clamp_to_range(raw) + (int64_t{1} << (config_.range_log2 + input_.frac));
  const auto segment = static_cast<size_t>(offset >> offset_bits_);
  const int64_t within = offset & ((int64_t{1} << offset_bits_) - 1);  // d in input LSBs
  // b (out frac) + a (slope frac) * d (input frac), rounded once into out.
  const int product_frac = slope_format_.frac + input_.frac;
  const int64_t sum = table_[segment] * (int64_t{1} << (product_frac - output_.frac)) + slopes_[segment] * within;
  return requantize(sum, product_frac, output_);
}

int64_t ActivationUnit::plan(int64_t raw) const {
  // Work at wide_frac fraction bits, where every PLAN constant (2.375 =
  // 19/8, 0.84375 = 27/32, ...) and every shifted |x| is an exact integer.
  int x_frac = input_.frac;
  if (function_ == Function::kTanh) --x_frac;  // 2x: same raw, one fraction bit fewer
  const int wide_frac = std::max({x_frac + 5, output_.frac + 1, 6});
  const int64_t one = int64_t{1} << wide_frac;
  const int64_t x_abs = (raw < 0 ? -raw : raw) * (int64_t{1} << (wide_frac - x_frac));
  int64_t s = 0;
  for (const PlanSegment& segment : kPlan) {
    if (x_abs < (int64_t{segment.from_eighths} << (wide_frac - 3))) continue;
    s = (int64_t{segment.intercept_32nds} << (wide_frac - 5)) + (segment.shift < 0 ? 0 : x_abs >> segment.shift);
    break;
  }
  const int64_t sigmoid = raw < 0 ? one - s : s;
  const int64_t value = function_ == Function::kSigmoid ? sigmoid : 2 * sigmoid - one;
  return requantize(value, wide_frac, output_);
}

int64_t ActivationUnit::hard(int64_t raw) const {
  const int wide_frac = std::max(input_.frac + 2, output_.frac + 1);
  const int64_t one = int64_t{1} << wide_frac;
  const int64_t x = shift_round(raw, input_.frac - wide_frac, Rounding::kTruncate);  // exact left shift
  const int64_t value = function_ == Function::kSigmoid ? std::clamp<int64_t>((x >> 2) + one / 2, 0, one)
                                                        : std::clamp<int64_t>(x, -one, one);
  return requantize(value, wide_frac, output_);
}

ActivationError measure_error(const ActivationUnit& unit) {
  const QFormat& in = unit.input();
  ActivationError error;
  double sum = 0;
  for (int64_t raw = in.min_raw(); raw <= in.max_raw(); ++raw) {
    const double x = dequantize(raw, in);
    const double e = std::abs(dequantize(unit(raw), unit.output()) - exact_activation(unit.function(), x));
    error.max_abs = std::max(error.max_abs, e);
    sum += e;
    ++error.inputs;
  }
  error.mean_abs = error.inputs ? sum / static_cast<double>(error.inputs) : 0;
  return error;
}

}  // namespace gaitlstm::quant
