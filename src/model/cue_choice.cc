#include "model/cue_choice.h"

#include <cmath>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

namespace gaitlstm::model {

namespace {

EpisodeMetrics held_out_episodes(const data::Dataset& dataset, const std::vector<HeldOutStatistics>& held_out,
                                 const CueConfig& cue, const EpisodeConfig& config, const data::ProtocolConfig& protocol) {
  std::vector<EpisodeStream> streams;
  for (const HeldOutStatistics& h : held_out) {
    const std::vector<uint8_t> alarms = cue_alarms(cue, h.decisions, h.statistics, h.threshold, protocol);
    for (EpisodeStream& s : episode_streams(dataset, h.decisions, alarms, protocol)) streams.push_back(std::move(s));
  }
  return episode_metrics(streams, config);
}

}  // namespace

CueChoice choose_cue(const data::Dataset& dataset, const std::vector<HeldOutStatistics>& held_out,
                     const CueChoiceOptions& options, const data::ProtocolConfig& protocol) {
  CueChoice choice;
  choice.off = held_out_episodes(dataset, held_out, CueConfig{}, options.episodes, protocol);
  choice.chosen = choice.off;
  // Candidates in tie-break order: the first of equal false alarms wins.
  for (int min_on : options.min_on)
    for (double hysteresis : options.hysteresis)
      for (int refractory : options.refractory) {
        const CueConfig cue{hysteresis, min_on, refractory};
        if (!cue.active()) continue;
        ++choice.candidates;
        const EpisodeMetrics m = held_out_episodes(dataset, held_out, cue, options.episodes, protocol);
        const bool keeps_detections = m.detected_within >= choice.off.detected_within;
        const bool keeps_duty = m.non_freeze_duty <= choice.off.non_freeze_duty + options.max_extra_false_duty;
        if (keeps_detections && keeps_duty && m.false_alarms < choice.chosen.false_alarms) {
          choice.cue = cue;
          choice.chosen = m;
        }
      }
  return choice;
}

std::vector<HeldOutStatistics> held_out_statistics(const FoldOutcome& fold, const std::vector<data::Decision>& decisions) {
  if (fold.held_out_scores.size() != fold.threshold_subjects.size() ||
      fold.held_out_thresholds.size() != fold.threshold_subjects.size())
    throw std::invalid_argument("the fold kept no held-out scores of its threshold choice");
  std::vector<HeldOutStatistics> held_out;
  for (size_t k = 0; k < fold.threshold_subjects.size(); ++k) {
    HeldOutStatistics h;
    h.decisions = data::filter_subjects(decisions, {fold.threshold_subjects[k].subject});
    h.statistics = fold.held_out_scores[k];
    h.threshold = fold.held_out_thresholds[k];
    if (h.decisions.size() != h.statistics.size())
      throw std::invalid_argument(fmt::format("held-out subject {}: {} scores for {} decisions",
                                              fold.threshold_subjects[k].subject, h.statistics.size(), h.decisions.size()));
    held_out.push_back(std::move(h));
  }
  return held_out;
}

std::vector<double> ThresholdOffsetOptions::default_offsets() {
  std::vector<double> offsets;
  for (int k = -30; k <= 40; ++k) offsets.push_back(k / 100.0);
  return offsets;
}

double choose_threshold_offset(const data::Dataset& dataset, std::vector<HeldOutStatistics> held_out, const CueConfig& cue,
                               const ThresholdOffsetOptions& options, const data::ProtocolConfig& protocol) {
  if (options.offsets.empty()) throw std::invalid_argument("choose_threshold_offset: no offsets");
  const std::vector<HeldOutStatistics> base = held_out;
  double best = options.offsets.front();
  using Key = std::tuple<bool, bool, int64_t, double, double>;  // larger is better
  Key best_key{false, false, -1, 0, 0};
  bool first = true;
  for (double offset : options.offsets) {
    for (size_t k = 0; k < held_out.size(); ++k) held_out[k].threshold = base[k].threshold + offset;
    const EpisodeMetrics m = held_out_episodes(dataset, held_out, cue, options.episodes, protocol);
    const double rate = std::isfinite(m.false_alarms_per_hour) ? m.false_alarms_per_hour : 0;
    const bool duty_ok = m.non_freeze_duty <= options.max_non_freeze_duty;
    const bool rate_ok = duty_ok && rate <= options.max_false_alarms_per_hour;
    const Key key{duty_ok, rate_ok, rate_ok ? m.detected_within : 0, duty_ok ? -rate : -m.non_freeze_duty,
                  -std::abs(offset)};
    if (first || key > best_key) {
      best_key = key;
      best = offset;
      first = false;
    }
  }
  return best;
}

void apply_fold_rules(CvOutcome& outcome, const std::vector<data::Decision>& decisions, const FoldAlarmRule& rule_of,
                      const data::ProtocolConfig& protocol) {
  for (size_t f = 0; f < outcome.folds.size(); ++f) {
    FoldOutcome& fold = outcome.folds[f];
    const AlarmRule rule = rule_of(f, fold);
    fold.cue = rule.cue;
    fold.threshold_offset = rule.threshold_offset;
    fold.test = evaluate_scores(fold.scores, fold.labels, fold.test.threshold + rule.threshold_offset);
    const std::vector<data::Decision> test = data::filter_subjects(decisions, fold.fold.test_subjects);
    fold.alarms = cue_alarms(fold.cue, test, fold.scores, fold.test.threshold, protocol);
  }
  summarize(outcome);
}

std::vector<OperatingPoint> episode_operating_curve(const CvOutcome& outcome, const data::Dataset& dataset,
                                                    const std::vector<data::Decision>& decisions,
                                                    const std::vector<double>& offsets, const EpisodeConfig& config,
                                                    const data::ProtocolConfig& protocol) {
  std::vector<OperatingPoint> curve;
  for (double offset : offsets) {
    std::vector<EpisodeStream> streams;
    for (const FoldOutcome& fold : outcome.folds) {
      const std::vector<data::Decision> test = data::filter_subjects(decisions, fold.fold.test_subjects);
      const std::vector<uint8_t> alarms = cue_alarms(fold.cue, test, fold.scores, fold.test.threshold + offset, protocol);
      for (EpisodeStream& s : episode_streams(dataset, test, alarms, protocol)) streams.push_back(std::move(s));
    }
    curve.push_back({offset, episode_metrics(streams, config)});
  }
  return curve;
}

CvEpisodes cv_episodes(const CvOutcome& outcome, const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                       const EpisodeConfig& config, const data::ProtocolConfig& protocol) {
  CvEpisodes result;
  std::vector<EpisodeStream> pooled;
  for (const FoldOutcome& fold : outcome.folds) {
    const std::vector<data::Decision> test = data::filter_subjects(decisions, fold.fold.test_subjects);
    if (fold.alarms.size() != test.size())
      throw std::invalid_argument(fmt::format("fold {}: {} alarms for {} test decisions", fold.fold.name,
                                              fold.alarms.size(), test.size()));
    std::vector<EpisodeStream> streams = episode_streams(dataset, test, fold.alarms, protocol);
    result.folds.push_back(episode_metrics(streams, config));
    for (EpisodeStream& s : streams) pooled.push_back(std::move(s));
  }
  result.pooled = episode_metrics(pooled, config);
  return result;
}

void add_episodes_json(nlohmann::json& cv_json, const CvOutcome& outcome, const CvEpisodes& episodes) {
  cv_json["pooled"]["episodes"] = to_json(episodes.pooled);
  for (size_t f = 0; f < outcome.folds.size(); ++f) {
    cv_json["folds"][f]["episodes"] = to_json(episodes.folds.at(f));
    cv_json["folds"][f]["cue"] = to_json(outcome.folds[f].cue);
    cv_json["folds"][f]["threshold_offset"] = outcome.folds[f].threshold_offset;
  }
}

}  // namespace gaitlstm::model
