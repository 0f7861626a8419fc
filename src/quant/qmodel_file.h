// The quantized model file: everything the golden model and the RTL
// generator need, versioned JSON.
//
// {
//   "format": "gaitlstm-qmodel", "version": 1,
//   "model": { the float detector (model/model_file.h); its weights are the
//              ones that are quantized },
//   "quantization": {"frontend": {formats}, "lstm": {formats and units}},
//   "protocol": {"stride": 32, "label_window": 128, "freeze_share": 0.5},
//   "threshold": raw score (FoG when score >= threshold),
//   "cue": {"hysteresis": raw, "min_on": n, "refractory": n}  (quant/cue.h; absent = off),
//   "calibration": {"rate_shift": a, "k16": n, "floor": raw, "seed_mean": raw,
//                   "seed_deviation": raw}  (quant/calibration.h; absent = off),
//   "metrics": {...}
// }
// Raw weights and activation tables are derived from these exactly
// (quantize() is exact), so they are not stored twice.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "data/protocol.h"
#include "model/detector.h"
#include "quant/golden.h"

namespace gaitlstm::quant {

inline constexpr int kQuantizedModelVersion = 1;

struct QuantizedModel {
  model::Detector detector;
  QuantConfig config;
  data::ProtocolConfig protocol;
  int64_t threshold = 0;
  QuantizedCue cue;  // off unless set
  std::optional<QuantizedCalibration> calibration;  // wearer self-calibration; off unless set
  nlohmann::json metrics = nlohmann::json::object();
};

GoldenDetector make_golden(const QuantizedModel& model);

nlohmann::json qmodel_to_json(const QuantizedModel& model);
// Validates; throws InputError(source, 0, reason).
QuantizedModel qmodel_from_json(const nlohmann::json& json, const std::string& source);
void save_qmodel(const QuantizedModel& model, const std::string& path);
QuantizedModel load_qmodel(const std::string& path);

// True if the file is a quantized model (by its "format" field).
bool is_qmodel_file(const std::string& path);

}  // namespace gaitlstm::quant
