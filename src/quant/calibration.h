// Wearer self-calibration in the golden model: model/calibration.h's integer
// form with its parameters in the decision statistic's raw format
// (GoldenDetector::statistic_format(), the probability format: calibration
// needs output smoothing K > 1).  k is stored as k16 = 16 k.  Stored in the
// quantized model file as
//   "calibration": {"rate_shift": a, "k16": n, "floor": raw, "seed_mean": raw,
//                   "seed_deviation": raw}   (absent = off).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "model/calibration.h"
#include "quant/fixed_point.h"

namespace gaitlstm::quant {

struct QuantizedCalibration {
  int rate_shift = 5;
  int k16 = 8;
  int64_t floor = 0;           // raw, statistic format
  int64_t seed_mean = 0;       // raw
  int64_t seed_deviation = 0;  // raw, >= 0
  bool operator==(const QuantizedCalibration&) const = default;
};

// Floor and seeds quantized (round to nearest) and clamped into the format
// (the deviation into 0..max_raw).  Throws std::invalid_argument if the float
// config is invalid or `smoothing` < 2.
QuantizedCalibration quantize_calibration(const model::CalibrationConfig& config, const QFormat& statistic,
                                          int smoothing);
// Real-valued (floor and seeds exact multiples of the format's step).
model::CalibrationConfig dequantize_calibration(const QuantizedCalibration& calibration, const QFormat& statistic);

// Throws std::invalid_argument if a field is out of range for `statistic`.
void check_calibration(const QuantizedCalibration& calibration, const QFormat& statistic);
nlohmann::json to_json(const QuantizedCalibration& calibration);
QuantizedCalibration quantized_calibration_from_json(const nlohmann::json& json, const QFormat& statistic);

model::IntegerCalibrationLogic make_calibration_logic(const QuantizedCalibration& calibration, const QFormat& statistic);

// Widths of the chip's calibration datapath for a `statistic_bits`-wide statistic.
struct CalibrationWidths {
  int state = 0;      // M and D registers (signed): statistic + rate_shift + 1
  int threshold = 0;  // m + ((d k16) >> 4) before the clamp (signed): statistic + 6
};
CalibrationWidths calibration_widths(const QuantizedCalibration& calibration, int statistic_bits);

}  // namespace gaitlstm::quant
