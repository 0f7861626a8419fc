#include "explore/episode_stage.h"

#include <cmath>

#include "quant/golden.h"

namespace gaitlstm::explore {

namespace {

std::optional<double> defined(double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; }

}  // namespace

EpisodeFigures episode_figures(const model::EpisodeMetrics& m, const model::CueConfig& cue) {
  EpisodeFigures e;
  e.cue = cue;
  e.within_s = m.config.within_s;
  e.episodes = m.count;
  e.detected = m.detected;
  e.detected_within = m.detected_within;
  e.sensitivity = m.sensitivity;
  e.sensitivity_within = m.sensitivity_within;
  e.latency_median_s = defined(m.latency_median_s);
  e.latency_p90_s = defined(m.latency_p90_s);
  e.alarms = m.alarms;
  e.false_alarms = m.false_alarms;
  e.false_alarms_per_hour = defined(m.false_alarms_per_hour);
  e.duty_cycle = m.duty_cycle;
  e.coverage = defined(m.coverage);
  e.observed_hours = m.observed_s / 3600;
  e.non_freeze_hours = (m.observed_s - m.freeze_s) / 3600;
  return e;
}

EpisodeFigures holdout_episodes(const quant::QuantizedModel& model, const data::Dataset& dataset,
                                const std::vector<data::Decision>& decisions, const std::vector<int64_t>& raw,
                                const data::ProtocolConfig& protocol, const model::CueConfig& cue) {
  const quant::GoldenDetector golden = quant::make_golden(model);
  std::vector<uint8_t> alarms;
  alarms.reserve(decisions.size());
  for (const quant::GoldenDetector::Output& out : golden.decide(decisions, raw)) alarms.push_back(out.alarm ? 1 : 0);
  return episode_figures(model::episode_metrics(model::episode_streams(dataset, decisions, alarms, protocol)), cue);
}

EpisodeFigures loso_episodes(const model::CvOutcome& quantized, const data::Dataset& dataset,
                             const std::vector<data::Decision>& decisions, const data::ProtocolConfig& protocol,
                             const model::CueConfig& cue) {
  return episode_figures(model::cv_episodes(quantized, dataset, decisions, {}, protocol).pooled, cue);
}

model::FoldAlarmRule alarm_rule(const model::CueConfig& cue) {
  return [cue](size_t, const model::FoldOutcome&) { return model::AlarmRule{0, cue}; };
}

}  // namespace gaitlstm::explore
