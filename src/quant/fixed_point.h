// The one definition of gaitlstm's fixed-point arithmetic.  QAT (fake
// quantization), the integer golden model and the RTL generator all call
// these functions; there is no second copy of the arithmetic anywhere.
//
// A tensor's format Q(bits, frac) is a signed two's-complement integer `raw`
// of `bits` bits (2..48) whose real value is raw * 2^-frac.  `frac` may be
// negative or exceed `bits`.  Each format carries how values are brought
// into it:
//   rounding  truncate   floor(v)            (drop low bits; cheapest)
//             half-up    floor(v + 1/2)      (add half an LSB, then drop)
//             half-even  nearest, ties to even
//   overflow  saturate   clamp to [-2^(bits-1), 2^(bits-1) - 1]
//             wrap       keep the low `bits` bits (two's complement)
// Exactness: raws, their products and shifts are computed in int64_t (the
// users of two multiplied formats check that their widths add up to <= 62); a double holds every
// such value exactly when |raw| < 2^53, which is what makes the QAT forward
// pass (in double) equal the integer golden model bit for bit.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace gaitlstm::quant {

enum class Rounding : uint8_t { kTruncate, kHalfUp, kHalfEven };
enum class Overflow : uint8_t { kSaturate, kWrap };

struct QFormat {
  int bits = 16;
  int frac = 8;
  Rounding rounding = Rounding::kHalfEven;
  Overflow overflow = Overflow::kSaturate;

  int64_t max_raw() const { return (int64_t{1} << (bits - 1)) - 1; }
  int64_t min_raw() const { return -(int64_t{1} << (bits - 1)); }
  double lsb() const { return std::ldexp(1.0, -frac); }
  double max_value() const { return std::ldexp(static_cast<double>(max_raw()), -frac); }
  double min_value() const { return std::ldexp(static_cast<double>(min_raw()), -frac); }
  int integer_bits() const { return bits - frac; }  // including the sign bit
  bool operator==(const QFormat&) const = default;
};

// Throws std::invalid_argument unless 2 <= bits <= 48 and |frac| <= 62.
void validate(const QFormat& format);

// "Q8.4/half-even/saturate"-style text, and its JSON form
// {"bits":8,"frac":4,"rounding":"half-even","overflow":"saturate"}.
std::string to_string(const QFormat& format);
std::string to_string(Rounding rounding);
std::string to_string(Overflow overflow);
nlohmann::json to_json(const QFormat& format);
// Throws std::invalid_argument naming the bad field.
QFormat format_from_json(const nlohmann::json& json);

// value * 2^-shift, rounded as `rounding` says (shift <= 0: exact left shift).
inline int64_t shift_round(int64_t value, int shift, Rounding rounding) {
  if (shift <= 0) return value * (int64_t{1} << -shift);
  const int64_t floor = value >> shift;  // arithmetic shift: rounds towards -inf
  if (rounding == Rounding::kTruncate) return floor;
  const int64_t remainder = value - floor * (int64_t{1} << shift);
  const int64_t half = int64_t{1} << (shift - 1);
  if (remainder > half) return floor + 1;
  if (remainder < half) return floor;
  return rounding == Rounding::kHalfUp || (floor & 1) ? floor + 1 : floor;  // a tie
}

// Brings an integer into the format's range (saturate or wrap).
inline int64_t fit(int64_t value, const QFormat& format) {
  if (format.overflow == Overflow::kSaturate) {
    return value > format.max_raw() ? format.max_raw() : (value < format.min_raw() ? format.min_raw() : value);
  }
  const int unused = 64 - format.bits;
  return static_cast<int64_t>(static_cast<uint64_t>(value) << unused) >> unused;
}

// A raw value with `from_frac` fraction bits, converted into `to`.
inline int64_t requantize(int64_t value, int from_frac, const QFormat& to) {
  return fit(shift_round(value, from_frac - to.frac, to.rounding), to);
}

// Real number -> raw (rounding and overflow of the format).  Offline use:
// weights, calibration, fake quantization in QAT; never on the inference path.
int64_t quantize(double value, const QFormat& format);

inline double dequantize(int64_t raw, const QFormat& format) {
  return std::ldexp(static_cast<double>(raw), -format.frac);
}

// dequantize(quantize(value)): the value the hardware will actually hold.
inline double fake_quantize(double value, const QFormat& format) {
  return dequantize(quantize(value, format), format);
}

// The smallest format of `bits` bits whose range covers [-max_abs, max_abs]:
// as many fraction bits as the range allows (for range calibration).
QFormat format_for_range(double max_abs, int bits, Rounding rounding = Rounding::kHalfEven,
                         Overflow overflow = Overflow::kSaturate);

}  // namespace gaitlstm::quant
