#include "quant/calibration.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace gaitlstm::quant {

QuantizedCalibration quantize_calibration(const model::CalibrationConfig& config, const QFormat& statistic,
                                          int smoothing) {
  model::check_calibration(config);
  if (smoothing < 2)
    throw std::invalid_argument("self-calibration needs output smoothing K > 1 (the statistic must be a probability)");
  auto clamped = [&](double x, int64_t low) { return std::clamp<int64_t>(quantize(x, statistic), low, statistic.max_raw()); };
  QuantizedCalibration q;
  q.rate_shift = config.rate_shift;
  q.k16 = static_cast<int>(std::lround(config.k * 16));
  q.floor = clamped(config.floor, statistic.min_raw());
  q.seed_mean = clamped(config.seed_mean, statistic.min_raw());
  q.seed_deviation = clamped(config.seed_deviation, 0);
  return q;
}

model::CalibrationConfig dequantize_calibration(const QuantizedCalibration& c, const QFormat& statistic) {
  return {c.rate_shift, c.k16 / 16.0, dequantize(c.floor, statistic), dequantize(c.seed_mean, statistic),
          dequantize(c.seed_deviation, statistic)};
}

void check_calibration(const QuantizedCalibration& c, const QFormat& statistic) {
  if (c.rate_shift < 1 || c.rate_shift > model::kMaxCalibrationRateShift)
    throw std::invalid_argument(fmt::format("calibration rate_shift must be 1..{} (got {})",
                                            model::kMaxCalibrationRateShift, c.rate_shift));
  if (c.k16 < 0 || c.k16 > 255) throw std::invalid_argument(fmt::format("calibration k16 must be 0..255 (got {})", c.k16));
  auto in_format = [&](const char* name, int64_t value, int64_t low) {
    if (value < low || value > statistic.max_raw())
      throw std::invalid_argument(fmt::format("calibration {} {} outside {}..{} (raw, statistic format {})", name, value,
                                              low, statistic.max_raw(), to_string(statistic)));
  };
  in_format("floor", c.floor, statistic.min_raw());
  in_format("seed_mean", c.seed_mean, statistic.min_raw());
  in_format("seed_deviation", c.seed_deviation, 0);
}

nlohmann::json to_json(const QuantizedCalibration& c) {
  return {{"rate_shift", c.rate_shift},
          {"k16", c.k16},
          {"floor", c.floor},
          {"seed_mean", c.seed_mean},
          {"seed_deviation", c.seed_deviation}};
}

QuantizedCalibration quantized_calibration_from_json(const nlohmann::json& json, const QFormat& statistic) {
  if (!json.is_object())
    throw std::invalid_argument("calibration must be an object {rate_shift, k16, floor, seed_mean, seed_deviation}");
  for (const auto& [key, value] : json.items()) {
    if (key != "rate_shift" && key != "k16" && key != "floor" && key != "seed_mean" && key != "seed_deviation")
      throw std::invalid_argument("unknown calibration field '" + key + "'");
    if (!value.is_number_integer()) throw std::invalid_argument("calibration " + key + " must be an integer");
  }
  for (const char* key : {"rate_shift", "k16", "floor", "seed_mean", "seed_deviation"})
    if (!json.contains(key)) throw std::invalid_argument(fmt::format("calibration needs '{}'", key));
  QuantizedCalibration c{json["rate_shift"].get<int>(), json["k16"].get<int>(), json["floor"].get<int64_t>(),
                         json["seed_mean"].get<int64_t>(), json["seed_deviation"].get<int64_t>()};
  check_calibration(c, statistic);
  return c;
}

model::IntegerCalibrationLogic make_calibration_logic(const QuantizedCalibration& c, const QFormat& statistic) {
  check_calibration(c, statistic);
  return model::IntegerCalibrationLogic({c.rate_shift, c.k16, c.floor, statistic.max_raw(), c.seed_mean, c.seed_deviation});
}

CalibrationWidths calibration_widths(const QuantizedCalibration& c, int statistic_bits) {
  // M = m 2^a stays within [min_raw 2^a, max_raw 2^a + 2^a - 1] (a convex
  // combination of statistics plus the truncation remainder): statistic + a
  // bits; D = d 2^a <= (2^B - 1) 2^a + 2^a - 1 (|s - m| < 2^B): B + a bits
  // unsigned.  One more bit for both, signed.  The threshold: m (B bits
  // signed) + d k16 / 16 (< 2^(B + 4)) fits B + 6 bits signed.
  return {statistic_bits + c.rate_shift + 1, statistic_bits + 6};
}

}  // namespace gaitlstm::quant
