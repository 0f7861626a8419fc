// Hardware activation functions: each is an exact integer function from a
// fixed-point input raw to a fixed-point output raw, so the golden model, QAT
// and the RTL compute the same numbers.  Kinds:
//
//   lut   2^A-entry table over the input range [-2^r, 2^r): the address is
//         the top A bits of (x + 2^r) — an add and a shift; entry i holds
//         f at the centre of its bin, quantized to the output format.
//   pwl   2^S uniform segments over [-2^r, 2^r): the top S bits pick
//         (intercept b_i, slope a_i), the low bits d are the offset in the
//         segment; y = b_i + a_i * d (one multiply-add).  The line through
//         the segment's end points, b_i and a_i quantized (slope format
//         Q(out.bits + 2, out.bits), i.e. slopes in [-2, 2)).
//   plan  PLAN (Amin, Curtis, Hayes-Gill 1997): sigmoid from 4 segments on
//         |x| with power-of-two slopes (shift-add only), y(-x) = 1 - y(x);
//         tanh(x) = 2 sigmoid_plan(2x) - 1.
//   hard  hard sigmoid clamp(x/4 + 1/2, 0, 1); hard tanh clamp(x, -1, 1).
//
// Inputs outside [-2^r, 2^r) are clamped to the range first (lut, pwl).
// plan and hard are computed exactly in a wide intermediate and rounded once
// into the output format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "quant/fixed_point.h"

namespace gaitlstm::quant {

enum class Function : uint8_t { kSigmoid, kTanh };
enum class ActivationKind : uint8_t { kLut, kPwl, kPlan, kHard };

struct ActivationConfig {
  ActivationKind kind = ActivationKind::kLut;
  int index_bits = 6;   // A (lut) or S (pwl)
  int range_log2 = 3;   // input range [-2^r, 2^r)
  bool operator==(const ActivationConfig&) const = default;
};

std::string to_string(Function function);
std::string to_string(const ActivationConfig& config);  // e.g. "lut A=6 r=3"
nlohmann::json to_json(const ActivationConfig& config);
ActivationConfig activation_from_json(const nlohmann::json& json);  // throws std::invalid_argument

double exact_activation(Function function, double x);

class ActivationUnit {
 public:
  // Throws std::invalid_argument for impossible configurations (e.g. more
  // address bits than the input has below 2^r).
  ActivationUnit(Function function, const ActivationConfig& config, const QFormat& input, const QFormat& output);

  int64_t operator()(int64_t raw_input) const;

  Function function() const { return function_; }
  const ActivationConfig& config() const { return config_; }
  const QFormat& input() const { return input_; }
  const QFormat& output() const { return output_; }
  // What the hardware stores: lut entries, or pwl intercepts and slopes.
  const std::vector<int64_t>& table() const { return table_; }
  const std::vector<int64_t>& slopes() const { return slopes_; }
  const QFormat& slope_format() const { return slope_format_; }
  // Bits of constant storage (table entries or intercepts + slopes).
  int64_t storage_bits() const;

 private:
  int64_t clamp_to_range(int64_t raw) const;
  int64_t lut(int64_t raw) const;
  int64_t pwl(int64_t raw) const;
  int64_t plan(int64_t raw) const;
  int64_t hard(int64_t raw) const;

  Function function_;
  ActivationConfig config_;
  QFormat input_;
  QFormat output_;
  QFormat slope_format_;
  int offset_bits_ = 0;        // low input bits below the index (lut, pwl)
  std::vector<int64_t> table_;
  std::vector<int64_t> slopes_;
};

// Error of a unit against the exact function over every code of its input
// format (also outside the unit's range, where it clamps).
struct ActivationError {
  double max_abs = 0;
  double mean_abs = 0;
  int64_t inputs = 0;
};
ActivationError measure_error(const ActivationUnit& unit);

}  // namespace gaitlstm::quant
