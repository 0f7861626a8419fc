#include "quant/cue.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace gaitlstm::quant {

namespace {
double logit(double p) {
  p = std::clamp(p, 1e-9, 1 - 1e-9);
  return std::log(p / (1 - p));
}
}  // namespace

QuantizedCue quantize_cue(const model::CueConfig& cue, const QFormat& statistic, int smoothing, double float_threshold) {
  model::check_cue(cue.hysteresis, cue.min_on, cue.refractory);
  const double real = smoothing > 1 || cue.hysteresis == 0
                          ? cue.hysteresis
                          : logit(float_threshold) - logit(float_threshold - cue.hysteresis);
  const int64_t raw = std::clamp<int64_t>(quantize(real, statistic), 0, statistic.max_raw());
  return {raw, cue.min_on, cue.refractory};
}

model::CueConfig dequantize_cue(const QuantizedCue& cue, const QFormat& statistic) {
  return {dequantize(cue.hysteresis, statistic), cue.min_on, cue.refractory};
}

nlohmann::json to_json(const QuantizedCue& cue) {
  return {{"hysteresis", cue.hysteresis}, {"min_on", cue.min_on}, {"refractory", cue.refractory}};
}

QuantizedCue quantized_cue_from_json(const nlohmann::json& json, const QFormat& statistic) {
  if (!json.is_object()) throw std::invalid_argument("cue must be an object {hysteresis, min_on, refractory}");
  QuantizedCue cue;
  for (const auto& [key, value] : json.items()) {
    if (key != "hysteresis" && key != "min_on" && key != "refractory")
      throw std::invalid_argument("unknown cue field '" + key + "'");
    if (!value.is_number_integer()) throw std::invalid_argument("cue " + key + " must be an integer");
  }
  cue.hysteresis = json.value("hysteresis", int64_t{0});
  cue.min_on = json.value("min_on", 1);
  cue.refractory = json.value("refractory", 0);
  if (cue.hysteresis < 0 || cue.hysteresis > statistic.max_raw())
    throw std::invalid_argument(fmt::format("cue hysteresis {} outside 0..{} (raw, statistic format {})", cue.hysteresis,
                                            statistic.max_raw(), to_string(statistic)));
  model::check_cue(static_cast<double>(cue.hysteresis), cue.min_on, cue.refractory);
  return cue;
}

int cue_counter_bits(const QuantizedCue& cue) {
  int64_t largest = std::max(cue.min_on - 1, cue.refractory);
  int bits = 0;
  while (largest > 0) {
    ++bits;
    largest >>= 1;
  }
  return bits;
}

}  // namespace gaitlstm::quant
