#include "model/cue.h"

#include <cmath>
#include <string>

#include <fmt/format.h>

namespace gaitlstm::model {

void check_cue(double hysteresis, int min_on, int refractory) {
  if (!std::isfinite(hysteresis) || hysteresis < 0)
    throw std::invalid_argument(fmt::format("cue hysteresis must be >= 0 (got {})", hysteresis));
  if (min_on < 1 || min_on > kMaxCueDecisions)
    throw std::invalid_argument(fmt::format("cue min_on must be 1..{} decisions (got {})", kMaxCueDecisions, min_on));
  if (refractory < 0 || refractory > kMaxCueDecisions)
    throw std::invalid_argument(
        fmt::format("cue refractory must be 0..{} decisions (got {})", kMaxCueDecisions, refractory));
}

nlohmann::json to_json(const CueConfig& cue) {
  return {{"hysteresis", cue.hysteresis}, {"min_on", cue.min_on}, {"refractory", cue.refractory}};
}

CueConfig cue_config_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("a cue must be an object {hysteresis, min_on, refractory}");
  CueConfig cue;
  for (const auto& [key, value] : json.items()) {
    if (key == "hysteresis") {
      if (!value.is_number()) throw std::invalid_argument("cue hysteresis must be a number");
      cue.hysteresis = value.get<double>();
    } else if (key == "min_on" || key == "refractory") {
      if (!value.is_number_integer()) throw std::invalid_argument("cue " + key + " must be an integer (decisions)");
      (key == "min_on" ? cue.min_on : cue.refractory) = value.get<int>();
    } else {
      throw std::invalid_argument("unknown cue field '" + key + "'");
    }
  }
  check_cue(cue.hysteresis, cue.min_on, cue.refractory);
  return cue;
}

std::vector<uint8_t> segment_starts(const std::vector<data::Decision>& decisions, const data::ProtocolConfig& protocol) {
  std::vector<uint8_t> starts(decisions.size(), 0);
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (i == 0 || decisions[i].segment != decisions[i - 1].segment) {
      starts[i] = 1;
    } else if (decisions[i].end != decisions[i - 1].end + protocol.stride) {
      throw std::invalid_argument(fmt::format(
          "decisions of segment {} are not consecutive (end {} after {}): the cue needs every decision",
          decisions[i].segment, decisions[i].end, decisions[i - 1].end));
    }
  }
  return starts;
}

std::vector<uint8_t> cue_alarms(const CueConfig& cue, const std::vector<data::Decision>& decisions,
                                const std::vector<double>& statistics, double threshold,
                                const data::ProtocolConfig& protocol) {
  if (statistics.size() != decisions.size())
    throw std::invalid_argument(
        fmt::format("cue_alarms: {} statistics for {} decisions", statistics.size(), decisions.size()));
  const std::vector<uint8_t> starts = segment_starts(decisions, protocol);
  CueLogic<double> logic(cue.hysteresis, cue.min_on, cue.refractory);
  std::vector<uint8_t> alarms(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (starts[i]) logic.reset();
    alarms[i] = logic.step(statistics[i], threshold) ? 1 : 0;
  }
  return alarms;
}

}  // namespace gaitlstm::model
