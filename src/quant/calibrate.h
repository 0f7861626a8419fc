// Post-training quantization: choose every tensor's fixed-point format from
// the value ranges the detector actually sees (range calibration), given a
// bit width per tensor.  Fraction bits = as many as the calibrated range
// allows (quant::format_for_range); outputs of sigmoid/tanh and h use their
// known ranges.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/detector.h"
#include "quant/golden.h"

namespace gaitlstm::quant {

// Bits per tensor (names as in LstmFormats / FrontEndFormats) and units.
struct TensorBits {
  int input = 8, input_weight = 8, recurrent_weight = 8, gate_bias = 8, gate = 8, sigmoid = 8, tanh = 8, cell = 10,
      hidden = 8, output_weight = 8, output_bias = 8, score = 12;
  int sample = 16, coefficient = 18, state = 24, energy = 28, log_energy = 10, inv_std = 12;
  ActivationConfig sigmoid_unit{ActivationKind::kLut, 6, 3};
  ActivationConfig tanh_unit{ActivationKind::kLut, 6, 2};
  ActivationConfig cell_tanh_unit{ActivationKind::kLut, 6, 2};
  Rounding rounding = Rounding::kHalfEven;
  bool operator==(const TensorBits&) const = default;
};

nlohmann::json to_json(const TensorBits& bits);
TensorBits tensor_bits_from_json(const nlohmann::json& json);  // missing fields keep defaults; throws on unknown

// Observed magnitudes (for reports and the cost model).
struct Ranges {
  double feature = 0, gate = 0, cell = 0, score = 0;
  double input_weight = 0, recurrent_weight = 0, gate_bias = 0, output_weight = 0, output_bias = 0;
};

struct Calibration {
  QuantConfig config;
  Ranges ranges;
};

// Runs the integer model with wide formats over (up to `max_decisions`,
// evenly spread) `decisions` of `dataset` and records every tensor's
// magnitude.  Independent of the bits: one observation sizes any TensorBits.
Ranges observe_ranges(const model::Detector& detector, const data::Dataset& dataset,
                      const std::vector<data::Decision>& decisions, const data::ProtocolConfig& protocol = {},
                      int max_decisions = 2000);

// Every format sized for `bits` from observed `ranges`.
QuantConfig config_for_bits(const model::Detector& detector, const Ranges& ranges, const TensorBits& bits);

// observe_ranges + config_for_bits.
Calibration calibrate(const model::Detector& detector, const data::Dataset& dataset,
                      const std::vector<data::Decision>& decisions, const TensorBits& bits,
                      const data::ProtocolConfig& protocol = {}, int max_decisions = 2000, int threads = 2);

}  // namespace gaitlstm::quant

namespace gaitlstm::quant {

struct QuantizedModel;

// Post-training quantization: calibrate the formats on `calibration`
// decisions, then choose the threshold (Youden J on the golden model's
// scores) on `threshold_decisions`.  Metrics of both the float and the
// quantized model on `threshold_decisions` go into the result's metrics.
// A quantized model with given formats: threshold (Youden J on the golden
// scores of `threshold_decisions`) and metrics (float vs quantized AUC).
QuantizedModel quantize_with_config(const model::Detector& detector, const QuantConfig& config,
                                    const data::Dataset& dataset, const std::vector<data::Decision>& threshold_decisions,
                                    const data::ProtocolConfig& protocol = {}, int threads = 2);

QuantizedModel post_training_quantize(const model::Detector& detector, const data::Dataset& dataset,
                                      const std::vector<data::Decision>& calibration,
                                      const std::vector<data::Decision>& threshold_decisions,
                                      const TensorBits& bits, const data::ProtocolConfig& protocol = {},
                                      int threads = 2);

}  // namespace gaitlstm::quant
