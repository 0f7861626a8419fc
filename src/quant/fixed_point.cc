#include "quant/fixed_point.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::quant {

void validate(const QFormat& format) {
  if (format.bits < 2 || format.bits > 48)
    throw std::invalid_argument(fmt::format("fixed-point width {} bits is outside 2..48", format.bits));
  if (format.frac < -62 || format.frac > 62)
    throw std::invalid_argument(fmt::format("fixed-point fraction bits {} outside -62..62", format.frac));
}

std::string to_string(Rounding rounding) {
  switch (rounding) {
    case Rounding::kTruncate: return "truncate";
    case Rounding::kHalfUp: return "half-up";
    case Rounding::kHalfEven: return "half-even";
  }
  return "?";
}

std::string to_string(Overflow overflow) { return overflow == Overflow::kSaturate ? "saturate" : "wrap"; }

std::string to_string(const QFormat& format) {
  return fmt::format("Q{}.{}/{}/{}", format.bits, format.frac, to_string(format.rounding), to_string(format.overflow));
}

nlohmann::json to_json(const QFormat& format) {
  return {{"bits", format.bits},
          {"frac", format.frac},
          {"rounding", to_string(format.rounding)},
          {"overflow", to_string(format.overflow)}};
}

QFormat format_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("a fixed-point format must be an object {\"bits\":..,\"frac\":..}");
  for (const auto& [key, _] : json.items())
    if (key != "bits" && key != "frac" && key != "rounding" && key != "overflow")
      throw std::invalid_argument("unknown field '" + key + "' in a fixed-point format");
  QFormat format;
  if (!json.contains("bits") || !json["bits"].is_number_integer())
    throw std::invalid_argument("fixed-point format needs an integer 'bits'");
  if (!json.contains("frac") || !json["frac"].is_number_integer())
    throw std::invalid_argument("fixed-point format needs an integer 'frac'");
  format.bits = json["bits"].get<int>();
  format.frac = json["frac"].get<int>();
  if (json.contains("rounding")) {
    const std::string r = json["rounding"].is_string() ? json["rounding"].get<std::string>() : "";
    if (r == "truncate") format.rounding = Rounding::kTruncate;
    else if (r == "half-up") format.rounding = Rounding::kHalfUp;
    else if (r == "half-even") format.rounding = Rounding::kHalfEven;
    else throw std::invalid_argument("rounding must be \"truncate\", \"half-up\" or \"half-even\"");
  }
  if (json.contains("overflow")) {
    const std::string o = json["overflow"].is_string() ? json["overflow"].get<std::string>() : "";
    if (o == "saturate") format.overflow = Overflow::kSaturate;
    else if (o == "wrap") format.overflow = Overflow::kWrap;
    else throw std::invalid_argument("overflow must be \"saturate\" or \"wrap\"");
  }
  validate(format);
  return format;
}

int64_t quantize(double value, const QFormat& format) {
  if (std::isnan(value)) throw std::invalid_argument("cannot quantize NaN");
  // Scaling by a power of two is exact; rounding happens once, below.
  const double scaled = std::ldexp(value, format.frac);
  double rounded = std::floor(scaled);
  if (format.rounding != Rounding::kTruncate) {
    const double remainder = scaled - rounded;  // exact for |scaled| < 2^52
    if (remainder > 0.5 || (remainder == 0.5 && (format.rounding == Rounding::kHalfUp ||
                                                 std::fmod(rounded, 2.0) != 0)))
      rounded += 1;
  }
  // Values far outside any format: clamp before converting (saturate and
  // wrap agree with the hardware only within int64 range).
  constexpr double kLimit = 0x1p62;
  rounded = std::clamp(rounded, -kLimit, kLimit);
  return fit(static_cast<int64_t>(rounded), format);
}

QFormat format_for_range(double max_abs, int bits, Rounding rounding, Overflow overflow) {
  QFormat format{bits, 0, rounding, overflow};
  // Largest frac such that max_abs <= max_raw * 2^-frac.
  int integer_bits = 1;  // sign bit
  while (std::ldexp(1.0, integer_bits - 1) < max_abs && integer_bits < 62) ++integer_bits;
  format.frac = bits - integer_bits;
  // max_raw = 2^(bits-1) - 1 is one LSB short of 2^(integer_bits-1): allow it.
  validate(format);
  return format;
}

}  // namespace gaitlstm::quant
