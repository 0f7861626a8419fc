#include "quant/golden.h"

#include <algorithm>
#include <map>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "util/parallel.h"

namespace gaitlstm::quant {

nlohmann::json to_json(const QuantConfig& config) {
  return {{"frontend", to_json(config.frontend)},
          {"lstm", to_json(config.lstm)},
          {"output", {{"unit", to_json(config.output.unit)},
                      {"probability", to_json(config.output.probability)},
                      {"reciprocal", to_json(config.output.reciprocal)}}}};
}

QuantConfig quant_config_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("frontend") || !json.contains("lstm"))
    throw std::invalid_argument("a quantization config needs \"frontend\" and \"lstm\" formats");
  for (const auto& [key, _] : json.items())
    if (key != "frontend" && key != "lstm" && key != "output")
      throw std::invalid_argument("unknown quantization config field '" + key + "'");
  QuantConfig config{frontend_formats_from_json(json["frontend"]), lstm_formats_from_json(json["lstm"]), {}};
  if (json.contains("output")) {
    const nlohmann::json& o = json["output"];
    if (!o.is_object() || !o.contains("unit") || !o.contains("probability") || !o.contains("reciprocal"))
      throw std::invalid_argument("output stage needs \"unit\", \"probability\" and \"reciprocal\"");
    config.output = {activation_from_json(o["unit"]), format_from_json(o["probability"]), format_from_json(o["reciprocal"])};
  }
  return config;
}

namespace {
void check_supported(const model::Detector& detector, const data::ProtocolConfig& protocol) {
  if (detector.output_smoothing < 1 || detector.output_smoothing > 64)
    throw std::invalid_argument("output smoothing must be 1..64 decisions");
  const int d = detector.frontend.decimation;
  if (protocol.stride % d != 0 || protocol.label_window % d != 0)
    throw std::invalid_argument(fmt::format("stride {} and label window {} must be multiples of the decimation {}",
                                            protocol.stride, protocol.label_window, d));
}

// The probability threshold as a logit in the score format.
int64_t logit_threshold(double probability, const QFormat& score) {
  const double p = std::clamp(probability, 1e-9, 1 - 1e-9);
  return quantize(std::log(p / (1 - p)), score);
}
}  // namespace

GoldenDetector::GoldenDetector(const model::Detector& detector, const QuantConfig& config,
                               const data::ProtocolConfig& protocol)
    : frontend_((check_supported(detector, protocol), detector.frontend), config.frontend, config.lstm.input),
      lstm_(detector.lstm, config.lstm),
      history_steps_(detector.history_steps),
      smoothing_(detector.output_smoothing),
      output_(config.output),
      output_unit_(Function::kSigmoid, config.output.unit, config.lstm.score, config.output.probability),
      protocol_(protocol),
      threshold_(smoothing_ > 1 ? quantize(detector.threshold, config.output.probability)
                                : logit_threshold(detector.threshold, config.lstm.score)) {
  for (int n = 1; n <= smoothing_; ++n) reciprocals_.push_back(quantize(1.0 / n, config.output.reciprocal));
  if (lstm_.shape().inputs != frontend_.features())
    throw std::invalid_argument(fmt::format("the LSTM takes {} inputs but the front-end makes {} features",
                                            lstm_.shape().inputs, frontend_.features()));
}

void GoldenDetector::set_cue(const QuantizedCue& cue) {
  if (cue.hysteresis < 0 || cue.hysteresis > statistic_format().max_raw())
    throw std::invalid_argument(fmt::format("cue hysteresis {} outside 0..{} (raw, {})", cue.hysteresis,
                                            statistic_format().max_raw(), to_string(statistic_format())));
  (void)make_cue_logic(cue);  // checks min_on and refractory
  cue_ = cue;
}

void GoldenDetector::set_calibration(const std::optional<QuantizedCalibration>& calibration) {
  if (calibration) {
    if (smoothing_ < 2)
      throw std::invalid_argument("self-calibration needs output smoothing K > 1 (the statistic must be a probability)");
    check_calibration(*calibration, statistic_format());
  }
  calibration_ = calibration;
}

std::vector<GoldenDetector::Output> GoldenDetector::decide(const std::vector<data::Decision>& decisions,
                                                           const std::vector<int64_t>& statistics) const {
  if (statistics.size() != decisions.size())
    throw std::invalid_argument(fmt::format("decide: {} statistics for {} decisions", statistics.size(), decisions.size()));
  const std::vector<uint8_t> starts = model::segment_starts(decisions, protocol_);
  GoldenCue cue = make_cue_logic(cue_);
  std::optional<model::IntegerCalibrationLogic> calibration;
  if (calibration_) calibration.emplace(make_calibration_logic(*calibration_, statistic_format()));
  std::vector<Output> out(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (starts[i]) {
      cue.reset();
      if (calibration) calibration->reset();
    }
    out[i].score = statistics[i];
    out[i].threshold = calibration ? calibration->threshold() : threshold_;
    out[i].fog = statistics[i] >= out[i].threshold;
    out[i].alarm = cue.step(statistics[i], out[i].threshold);
    if (calibration) calibration->update(statistics[i]);
  }
  return out;
}

const QFormat& GoldenDetector::statistic_format() const {
  return smoothing_ > 1 ? output_.probability : lstm_.formats().score;
}

std::vector<double> GoldenDetector::statistic_values(const std::vector<int64_t>& raw) const {
  std::vector<double> values;
  values.reserve(raw.size());
  for (int64_t r : raw) values.push_back(dequantize(r, statistic_format()));
  return values;
}

int64_t GoldenDetector::smooth(const int64_t* probabilities, int count) const {
  int64_t sum = 0;
  for (int i = 0; i < count; ++i) sum += probabilities[i];
  return requantize(sum * reciprocals_[static_cast<size_t>(count - 1)], output_.probability.frac + output_.reciprocal.frac,
                    output_.probability);
}

namespace {
// The LSTM window of the decision after sample end - 1: the newest
// min(available, history) steps, available = steps m < end / D.
struct Window {
  int64_t first = 0;
  int steps = 0;
};
Window window_at(int64_t end, int decimation, int history_steps) {
  const int64_t available = end / decimation;
  const int64_t first = std::max<int64_t>(0, available - history_steps);
  return {first, static_cast<int>(available - first)};
}
}  // namespace

int64_t GoldenDetector::logit_at(const std::vector<int64_t>& features, int64_t end) const {
  const Window w = window_at(end, frontend_.config().decimation, history_steps_);
  return lstm_.run(features.data() + w.first * frontend_.features(), w.steps);
}

std::vector<int64_t> GoldenDetector::logits_at(const std::vector<int64_t>& features,
                                               const std::vector<int64_t>& ends) const {
  std::vector<int64_t> logits(ends.size());
  std::vector<const int64_t*> batch;
  // One batch per run of consecutive windows of equal length (after the
  // first history_steps steps of a segment, all of them).
  for (size_t begin = 0, end = 0; begin < ends.size(); begin = end) {
    const int steps = window_at(ends[begin], frontend_.config().decimation, history_steps_).steps;
    batch.clear();
    for (end = begin; end < ends.size(); ++end) {
      const Window w = window_at(ends[end], frontend_.config().decimation, history_steps_);
      if (w.steps != steps) break;
      batch.push_back(features.data() + w.first * frontend_.features());
    }
    lstm_.run_batch(batch, steps, &logits[begin]);
  }
  return logits;
}

GoldenDetector::SegmentFeatures GoldenDetector::segment_features(const data::Dataset& dataset,
                                                                 const std::vector<data::Decision>& decisions) const {
  const std::vector<int> columns = model::channel_columns(frontend_.config(), dataset);
  SegmentFeatures features(dataset.segments.size());
  for (const data::Decision& d : decisions) {
    std::vector<int64_t>& segment = features[static_cast<size_t>(d.segment)];
    if (segment.empty()) segment = frontend_.run_segment(dataset.segments[static_cast<size_t>(d.segment)], columns);
  }
  return features;
}

std::vector<int64_t> GoldenDetector::score_decisions(const data::Dataset& dataset,
                                                     const std::vector<data::Decision>& decisions, int threads,
                                                     const SegmentFeatures* cached) const {
  const std::vector<int> columns = model::channel_columns(frontend_.config(), dataset);
  std::vector<int64_t> scores(decisions.size());
  // Work unit: one segment (front-end once, then its decisions).
  std::vector<std::vector<size_t>> by_segment(dataset.segments.size());
  for (size_t i = 0; i < decisions.size(); ++i) by_segment[static_cast<size_t>(decisions[i].segment)].push_back(i);
  parallel_for(threads, by_segment.size(), [&](size_t s) {
    if (by_segment[s].empty()) return;
    const std::vector<int64_t> features = cached ? cached->at(s) : frontend_.run_segment(dataset.segments[s], columns);
    if (smoothing_ == 1) {
      std::vector<int64_t> ends;
      for (size_t i : by_segment[s]) ends.push_back(decisions[i].end);
      const std::vector<int64_t> logits = logits_at(features, ends);
      for (size_t n = 0; n < ends.size(); ++n) scores[by_segment[s][n]] = logits[n];
      return;
    }
    // Probabilities of every protocol decision of the segment, then the means.
    int64_t last_end = 0;
    for (size_t i : by_segment[s]) last_end = std::max(last_end, decisions[i].end);
    std::vector<int64_t> ends;
    for (int64_t end = protocol_.label_window; end <= last_end; end += protocol_.stride) ends.push_back(end);
    const std::vector<int64_t> logits = logits_at(features, ends);
    std::vector<int64_t> probabilities;
    std::map<int64_t, int64_t> statistic;
    for (size_t n = 0; n < ends.size(); ++n) {
      probabilities.push_back(output_unit_(logits[n]));
      const int count = static_cast<int>(std::min<size_t>(probabilities.size(), static_cast<size_t>(smoothing_)));
      statistic[ends[n]] = smooth(probabilities.data() + probabilities.size() - static_cast<size_t>(count), count);
    }
    for (size_t i : by_segment[s]) scores[i] = statistic.at(decisions[i].end);
  });
  return scores;
}

GoldenDetector::Stream::Stream(const GoldenDetector& detector)
    : d_(detector), frontend_(detector.frontend_), cue_(make_cue_logic(detector.cue_)), features_(static_cast<size_t>(detector.frontend_.features())) {
  if (detector.calibration_) calibration_.emplace(make_calibration_logic(*detector.calibration_, detector.statistic_format()));
}

std::optional<GoldenDetector::Output> GoldenDetector::Stream::push(const int64_t* sample) {
  ++samples_;
  if (!frontend_.push(sample, features_.data())) return std::nullopt;
  history_.push_back(features_);
  if (static_cast<int>(history_.size()) > d_.history_steps_) history_.pop_front();
  const auto& p = d_.protocol_;
  if (samples_ < p.label_window || (samples_ - p.label_window) % p.stride != 0) return std::nullopt;
  window_.clear();
  for (const auto& step : history_) window_.insert(window_.end(), step.begin(), step.end());
  Output out;
  out.score = d_.lstm_.run(window_.data(), static_cast<int>(history_.size()));
  if (d_.smoothing_ > 1) {
    probabilities_.push_back(d_.output_unit_(out.score));
    if (static_cast<int>(probabilities_.size()) > d_.smoothing_) probabilities_.pop_front();
    const std::vector<int64_t> recent(probabilities_.begin(), probabilities_.end());
    out.score = d_.smooth(recent.data(), static_cast<int>(recent.size()));
  }
  out.threshold = calibration_ ? calibration_->threshold() : d_.threshold_;
  out.fog = out.score >= out.threshold;
  out.alarm = cue_.step(out.score, out.threshold);
  if (calibration_) calibration_->update(out.score);
  return out;
}

std::vector<int64_t> segment_samples(const GoldenDetector& detector, const data::Dataset& dataset, int segment) {
  const std::vector<int> columns = model::channel_columns(detector.frontend().config(), dataset);
  const data::Segment& s = dataset.segments[static_cast<size_t>(segment)];
  std::vector<int64_t> raw;
  raw.reserve(static_cast<size_t>(s.samples()) * columns.size());
  for (int64_t t = 0; t < s.samples(); ++t)
    for (int c : columns) raw.push_back(quantize(s.at(t, c), detector.frontend().formats().sample));
  return raw;
}

}  // namespace gaitlstm::quant
