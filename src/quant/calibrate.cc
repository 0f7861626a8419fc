#include "quant/calibrate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gaitlstm::quant {

namespace {

// Wide formats for observing ranges: fine steps and ample headroom, yet
// accumulators well inside 62 bits.
LstmFormats wide_lstm_formats() {
  LstmFormats q;
  q.input = {20, 12};  // +-128
  q.input_weight = q.recurrent_weight = q.gate_bias = q.output_weight = q.output_bias = {20, 14};  // +-32
  q.gate = q.cell = {24, 14};  // +-512
  q.score = {30, 16};
  q.sigmoid = q.tanh = q.hidden = {18, 16};
  q.sigmoid_unit = {ActivationKind::kPwl, 10, 4};
  q.tanh_unit = q.cell_tanh_unit = {ActivationKind::kPwl, 10, 4};
  return q;
}

double max_abs(const Eigen::Ref<const Eigen::VectorXf>& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

QFormat sized(double magnitude, int bits, Rounding rounding) {
  return format_for_range(std::max(magnitude, 1e-6), bits, rounding, Overflow::kSaturate);
}

// A unit with a given number of index bits must fit its input format.
ActivationConfig fitted_unit(ActivationConfig unit, const QFormat& input) {
  if (unit.kind != ActivationKind::kLut && unit.kind != ActivationKind::kPwl) return unit;
  const int available = unit.range_log2 + 1 + input.frac;
  unit.index_bits = std::clamp(unit.index_bits, 1, std::max(1, available));
  return unit;
}

FrontEndFormats frontend_formats_for_bits(const model::Detector& detector, const TensorBits& bits) {
  const Rounding r = bits.rounding;
  FrontEndFormats fe;
  fe.sample = {bits.sample, 0, r, Overflow::kSaturate};
  fe.coefficient = {bits.coefficient, bits.coefficient - 2, r, Overflow::kSaturate};  // |a1| < 2
  fe.state = {bits.state, std::max(0, bits.state - 18), r, Overflow::kSaturate};      // +-2^17 mg of headroom
  fe.energy = {bits.energy, 0, r, Overflow::kSaturate};
  fe.log_energy = {bits.log_energy, std::max(0, bits.log_energy - 6), r, Overflow::kSaturate};  // log2 up to 32
  double inv_std_max = 0;
  for (double s : detector.frontend.feature_std) inv_std_max = std::max(inv_std_max, 1.0 / s);
  fe.inv_std = sized(inv_std_max, bits.inv_std, r);
  return fe;
}

}  // namespace

Ranges observe_ranges(const model::Detector& detector, const data::Dataset& dataset,
                      const std::vector<data::Decision>& decisions, const data::ProtocolConfig& protocol,
                      int max_decisions) {
  // The front-end at its default (wide) widths, the LSTM at wide formats.
  QuantConfig wide;
  wide.frontend = frontend_formats_for_bits(detector, TensorBits{});
  wide.lstm = wide_lstm_formats();
  GoldenDetector observer(detector, wide, protocol);
  std::vector<data::Decision> sample;
  const size_t step = std::max<size_t>(1, decisions.size() / static_cast<size_t>(std::max(1, max_decisions)));
  for (size_t i = 0; i < decisions.size(); i += step) sample.push_back(decisions[i]);
  Ranges ranges;
  const std::vector<int> columns = model::channel_columns(detector.frontend, dataset);
  int last_segment = -1;
  std::vector<int64_t> features;
  std::vector<LstmStepTrace> trace;
  const int f = observer.frontend().features();
  for (const data::Decision& d : sample) {
    if (d.segment != last_segment) {
      features = observer.frontend().run_segment(dataset.segments[static_cast<size_t>(d.segment)], columns);
      last_segment = d.segment;
    }
    const int64_t available = d.end / detector.frontend.decimation;
    const int64_t first = std::max<int64_t>(0, available - detector.history_steps);
    for (int64_t i = first * f; i < available * f; ++i)
      ranges.feature = std::max(ranges.feature, std::abs(dequantize(features[static_cast<size_t>(i)], wide.lstm.input)));
    trace.clear();
    const int64_t score = observer.lstm().run(features.data() + first * f, static_cast<int>(available - first), &trace);
    ranges.score = std::max(ranges.score, std::abs(dequantize(score, wide.lstm.score)));
    for (const LstmStepTrace& t : trace) {
      for (int64_t z : t.gate) ranges.gate = std::max(ranges.gate, std::abs(dequantize(z, wide.lstm.gate)));
      for (int64_t c : t.cell) ranges.cell = std::max(ranges.cell, std::abs(dequantize(c, wide.lstm.cell)));
    }
  }
  const auto& p = detector.lstm;
  ranges.input_weight = max_abs(Eigen::Map<const Eigen::VectorXf>(p.input_weights().data(), p.input_weights().size()));
  ranges.recurrent_weight =
      max_abs(Eigen::Map<const Eigen::VectorXf>(p.recurrent_weights().data(), p.recurrent_weights().size()));
  ranges.gate_bias = max_abs(p.gate_bias());
  ranges.output_weight = max_abs(p.output_weights());
  ranges.output_bias = std::abs(p.output_bias());
  return ranges;
}

QuantConfig config_for_bits(const model::Detector& detector, const Ranges& ranges, const TensorBits& bits) {
  const Rounding r = bits.rounding;
  QuantConfig config;
  config.frontend = frontend_formats_for_bits(detector, bits);
  LstmFormats& q = config.lstm;
  q.input = sized(ranges.feature, bits.input, r);
  q.input_weight = sized(ranges.input_weight, bits.input_weight, r);
  q.recurrent_weight = sized(ranges.recurrent_weight, bits.recurrent_weight, r);
  q.gate_bias = sized(ranges.gate_bias, bits.gate_bias, r);
  q.gate = sized(std::min(ranges.gate, 8.0), bits.gate, r);  // sigmoid and tanh are flat beyond 8
  q.sigmoid = {bits.sigmoid, bits.sigmoid - 1, r, Overflow::kSaturate};
  q.tanh = {bits.tanh, bits.tanh - 1, r, Overflow::kSaturate};
  q.hidden = {bits.hidden, bits.hidden - 1, r, Overflow::kSaturate};
  q.cell = sized(ranges.cell, bits.cell, r);
  q.output_weight = sized(ranges.output_weight, bits.output_weight, r);
  q.output_bias = sized(ranges.output_bias, bits.output_bias, r);
  q.score = sized(ranges.score, bits.score, r);
  q.sigmoid_unit = fitted_unit(bits.sigmoid_unit, q.gate);
  q.tanh_unit = fitted_unit(bits.tanh_unit, q.gate);
  q.cell_tanh_unit = fitted_unit(bits.cell_tanh_unit, q.cell);
  config.output.unit = fitted_unit(config.output.unit, q.score);  // smoothing's sigmoid reads the score
  return config;
}

Calibration calibrate(const model::Detector& detector, const data::Dataset& dataset,
                      const std::vector<data::Decision>& decisions, const TensorBits& bits,
                      const data::ProtocolConfig& protocol, int max_decisions, int threads) {
  (void)threads;
  const Ranges ranges = observe_ranges(detector, dataset, decisions, protocol, max_decisions);
  return {config_for_bits(detector, ranges, bits), ranges};
}

nlohmann::json to_json(const TensorBits& b) {
  return {{"input", b.input},           {"input_weight", b.input_weight}, {"recurrent_weight", b.recurrent_weight},
          {"gate_bias", b.gate_bias},   {"gate", b.gate},                 {"sigmoid", b.sigmoid},
          {"tanh", b.tanh},             {"cell", b.cell},                 {"hidden", b.hidden},
          {"output_weight", b.output_weight}, {"output_bias", b.output_bias}, {"score", b.score},
          {"sample", b.sample},         {"coefficient", b.coefficient},   {"state", b.state},
          {"energy", b.energy},         {"log_energy", b.log_energy},     {"inv_std", b.inv_std},
          {"sigmoid_unit", to_json(b.sigmoid_unit)}, {"tanh_unit", to_json(b.tanh_unit)},
          {"cell_tanh_unit", to_json(b.cell_tanh_unit)}, {"rounding", to_string(b.rounding)}};
}

TensorBits tensor_bits_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("tensor bits must be a JSON object");
  TensorBits b;
  const std::pair<const char*, int*> widths[] = {
      {"input", &b.input}, {"input_weight", &b.input_weight}, {"recurrent_weight", &b.recurrent_weight},
      {"gate_bias", &b.gate_bias}, {"gate", &b.gate}, {"sigmoid", &b.sigmoid}, {"tanh", &b.tanh}, {"cell", &b.cell},
      {"hidden", &b.hidden}, {"output_weight", &b.output_weight}, {"output_bias", &b.output_bias}, {"score", &b.score},
      {"sample", &b.sample}, {"coefficient", &b.coefficient}, {"state", &b.state}, {"energy", &b.energy},
      {"log_energy", &b.log_energy}, {"inv_std", &b.inv_std}};
  for (const auto& [key, value] : json.items()) {
    // By name, not [&]: clang 14 (the fuzz build) cannot capture a structured binding.
    auto it = std::find_if(std::begin(widths), std::end(widths), [&name = key](const auto& w) { return name == w.first; });
    if (it != std::end(widths)) {
      if (!value.is_number_integer() || value.get<int>() < 2 || value.get<int>() > 48)
        throw std::invalid_argument("bits of '" + key + "' must be an integer in 2..48");
      *it->second = value.get<int>();
    } else if (key == "sigmoid_unit") {
      b.sigmoid_unit = activation_from_json(value);
    } else if (key == "tanh_unit") {
      b.tanh_unit = activation_from_json(value);
    } else if (key == "cell_tanh_unit") {
      b.cell_tanh_unit = activation_from_json(value);
    } else if (key == "rounding") {
      b.rounding = format_from_json({{"bits", 8}, {"frac", 0}, {"rounding", value}}).rounding;
    } else {
      throw std::invalid_argument("unknown tensor '" + key + "' in tensor bits");
    }
  }
  return b;
}

}  // namespace gaitlstm::quant

#include "model/metrics.h"
#include "model/sequences.h"
#include "quant/qmodel_file.h"

namespace gaitlstm::quant {

QuantizedModel quantize_with_config(const model::Detector& detector, const QuantConfig& config,
                                    const data::Dataset& dataset, const std::vector<data::Decision>& threshold_decisions,
                                    const data::ProtocolConfig& protocol, int threads) {
  QuantizedModel q;
  q.detector = detector;
  q.config = config;
  q.protocol = protocol;
  const GoldenDetector golden(detector, config, protocol);
  const std::vector<int64_t> raw = golden.score_decisions(dataset, threshold_decisions, threads);
  const std::vector<double> scores(raw.begin(), raw.end());
  const std::vector<uint8_t> labels = model::decision_labels(threshold_decisions);
  q.threshold = static_cast<int64_t>(std::ceil(model::youden_threshold(scores, labels)));  // score >= t on integers
  q.cue = quantize_cue(detector.cue, golden.statistic_format(), detector.output_smoothing, detector.threshold);
  if (detector.calibration)  // the float model's, seeds included, in the statistic's format
    q.calibration = quantize_calibration(*detector.calibration, golden.statistic_format(), detector.output_smoothing);
  const model::BinaryMetrics quantized = model::evaluate_scores(scores, labels, static_cast<double>(q.threshold));
  const double float_auc = model::roc_auc(model::score_dataset(detector, dataset, threshold_decisions, threads), labels);
  q.metrics = {{"decisions", threshold_decisions.size()}, {"float_auc", float_auc},
               {"quantized_auc", quantized.auc},         {"auc_loss", float_auc - quantized.auc},
               {"sensitivity", quantized.sensitivity},   {"specificity", quantized.specificity},
               {"f1", quantized.f1}};
  return q;
}

QuantizedModel post_training_quantize(const model::Detector& detector, const data::Dataset& dataset,
                                      const std::vector<data::Decision>& calibration,
                                      const std::vector<data::Decision>& threshold_decisions,
                                      const TensorBits& bits, const data::ProtocolConfig& protocol, int threads) {
  const Calibration calibrated = calibrate(detector, dataset, calibration, bits, protocol, 2000, threads);
  QuantizedModel q = quantize_with_config(detector, calibrated.config, dataset, threshold_decisions, protocol, threads);
  q.metrics["bits"] = to_json(bits);
  q.metrics["ranges"] = {{"feature", calibrated.ranges.feature},
                         {"gate", calibrated.ranges.gate},
                         {"cell", calibrated.ranges.cell},
                         {"score", calibrated.ranges.score}};
  return q;
}

}  // namespace gaitlstm::quant
