#include "model/episodes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "model/cue.h"

namespace gaitlstm::model {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Interval {
  double begin = 0, end = 0;
};

double overlap(double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); }

// Runs of the annotation, runs closer than merge_gap joined.
std::vector<Interval> merged_runs(const EpisodeStream& s, double merge_gap) {
  std::vector<Interval> runs;
  for (size_t k = 0; k < s.freeze.size();) {
    if (!s.freeze[k]) {
      ++k;
      continue;
    }
    size_t end = k;
    while (end < s.freeze.size() && s.freeze[end]) ++end;
    const Interval run{static_cast<double>(k) * s.label_period_s, static_cast<double>(end) * s.label_period_s};
    if (!runs.empty() && run.begin - runs.back().end < merge_gap) {
      runs.back().end = run.end;
    } else {
      runs.push_back(run);
    }
    k = end;
  }
  return runs;
}

void check_stream(const EpisodeStream& s, size_t index) {
  if (s.alarms.size() != s.decision_times.size())
    throw std::invalid_argument(fmt::format("episode stream {}: {} alarms for {} decisions", index, s.alarms.size(),
                                            s.decision_times.size()));
  if (!(s.label_period_s > 0) || !(s.decision_period_s > 0))
    throw std::invalid_argument(fmt::format("episode stream {}: periods must be positive", index));
  for (size_t i = 1; i < s.decision_times.size(); ++i)
    if (std::abs(s.decision_times[i] - s.decision_times[i - 1] - s.decision_period_s) > 1e-9)
      throw std::invalid_argument(
          fmt::format("episode stream {}: decision {} is not one period after the previous one", index, i));
}

}  // namespace

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const size_t low = static_cast<size_t>(std::floor(position));
  const size_t high = std::min(values.size() - 1, low + 1);
  return values[low] + (position - static_cast<double>(low)) * (values[high] - values[low]);
}

EpisodeMetrics episode_metrics(const std::vector<EpisodeStream>& streams, const EpisodeConfig& config) {
  EpisodeMetrics m;
  m.config = config;
  std::vector<double> latencies;
  for (size_t si = 0; si < streams.size(); ++si) {
    const EpisodeStream& s = streams[si];
    check_stream(s, si);
    m.episodes_per_subject.emplace(s.subject, 0);
    if (s.decision_times.empty()) continue;
    const double period = s.decision_period_s;
    const double span_begin = s.decision_times.front(), span_end = s.decision_times.back() + period;
    m.observed_s += span_end - span_begin;
    const std::vector<Interval> runs = merged_runs(s, config.merge_gap_s);
    std::vector<Interval> observed;  // episodes overlapping the observed span
    for (const Interval& r : runs)
      if (r.end > span_begin && r.begin < span_end) observed.push_back(r);
    // Episodes: detection and latency.
    for (const Interval& e : observed) {
      Episode episode{s.subject, s.segment, e.begin, e.end, false, 0};
      m.freeze_s += overlap(e.begin, e.end, span_begin, span_end);
      const auto first = std::lower_bound(s.decision_times.begin(), s.decision_times.end(), e.begin - config.early_tolerance_s);
      for (auto it = first; it != s.decision_times.end() && *it < e.end; ++it) {
        if (s.alarms[static_cast<size_t>(it - s.decision_times.begin())]) {
          episode.detected = true;
          episode.latency_s = *it - e.begin;
          break;
        }
      }
      ++m.count;
      ++m.episodes_per_subject[s.subject];
      if (episode.detected) {
        ++m.detected;
        latencies.push_back(episode.latency_s);
        if (episode.latency_s <= config.within_s) ++m.detected_within;
        if (episode.latency_s < 0) ++m.detected_before_onset;
      }
      m.episodes.push_back(episode);
    }
    // Alarms: runs of alarm-on decisions; time in alarm, inside episodes.
    for (size_t i = 0; i < s.alarms.size();) {
      if (!s.alarms[i]) {
        ++i;
        continue;
      }
      size_t last = i;
      while (last + 1 < s.alarms.size() && s.alarms[last + 1]) ++last;
      AlarmEvent event{s.subject, s.segment, s.decision_times[i], s.decision_times[last] + period, true};
      event.false_alarm = std::none_of(runs.begin(), runs.end(), [&](const Interval& e) {
        return event.start_s < e.end + config.late_grace_s && event.end_s > e.begin - config.early_tolerance_s;
      });
      ++m.alarms;
      m.false_alarms += event.false_alarm;
      m.alarm_s += event.end_s - event.start_s;
      for (const Interval& e : observed) m.alarm_in_freeze_s += overlap(event.start_s, event.end_s, e.begin, e.end);
      m.alarm_events.push_back(event);
      i = last + 1;
    }
  }
  m.sensitivity = m.count ? static_cast<double>(m.detected) / static_cast<double>(m.count) : 0;
  m.sensitivity_within = m.count ? static_cast<double>(m.detected_within) / static_cast<double>(m.count) : 0;
  m.latency_median_s = percentile(latencies, 0.5);
  m.latency_p90_s = percentile(latencies, 0.9);
  m.before_onset_share = m.detected ? static_cast<double>(m.detected_before_onset) / static_cast<double>(m.detected) : kNaN;
  const double non_freeze_s = m.observed_s - m.freeze_s;
  m.false_alarms_per_hour = non_freeze_s > 0 ? static_cast<double>(m.false_alarms) / (non_freeze_s / 3600.0) : kNaN;
  m.duty_cycle = m.observed_s > 0 ? m.alarm_s / m.observed_s : 0;
  m.coverage = m.freeze_s > 0 ? m.alarm_in_freeze_s / m.freeze_s : kNaN;
  m.non_freeze_duty = non_freeze_s > 0 ? (m.alarm_s - m.alarm_in_freeze_s) / non_freeze_s : 0;
  return m;
}

std::vector<EpisodeStream> episode_streams(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                                           const std::vector<uint8_t>& alarms, const data::ProtocolConfig& protocol) {
  if (alarms.size() != decisions.size())
    throw std::invalid_argument(fmt::format("episode_streams: {} alarms for {} decisions", alarms.size(), decisions.size()));
  const std::vector<uint8_t> starts = segment_starts(decisions, protocol);
  const double rate = dataset.sample_rate_hz;
  std::vector<EpisodeStream> streams;
  std::set<int> seen;
  for (size_t i = 0; i < decisions.size(); ++i) {
    const data::Decision& d = decisions[i];
    if (starts[i]) {
      if (!seen.insert(d.segment).second)
        throw std::invalid_argument(fmt::format("episode_streams: the decisions of segment {} are not together", d.segment));
      const data::Segment& segment = dataset.segments.at(static_cast<size_t>(d.segment));
      EpisodeStream s;
      s.subject = d.subject;
      s.segment = d.segment;
      s.label_period_s = 1.0 / rate;
      s.freeze = segment.freeze;
      s.decision_period_s = protocol.stride / rate;
      streams.push_back(std::move(s));
    }
    streams.back().decision_times.push_back(static_cast<double>(d.end) / rate);
    streams.back().alarms.push_back(alarms[i]);
  }
  return streams;
}

nlohmann::json to_json(const EpisodeMetrics& m) {
  auto number = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  nlohmann::json per_subject = nlohmann::json::array();
  for (const auto& [subject, count] : m.episodes_per_subject) per_subject.push_back({{"subject", subject}, {"episodes", count}});
  return {{"count", m.count},
          {"detected", m.detected},
          {"sensitivity", m.sensitivity},
          {"detected_within", m.detected_within},
          {"sensitivity_within", m.sensitivity_within},
          {"latency_median_s", number(m.latency_median_s)},
          {"latency_p90_s", number(m.latency_p90_s)},
          {"detected_before_onset", m.detected_before_onset},
          {"before_onset_share", number(m.before_onset_share)},
          {"alarms", m.alarms},
          {"false_alarms", m.false_alarms},
          {"false_alarms_per_hour", number(m.false_alarms_per_hour)},
          {"duty_cycle", m.duty_cycle},
          {"coverage", number(m.coverage)},
          {"non_freeze_duty", m.non_freeze_duty},
          {"observed_hours", m.observed_s / 3600},
          {"freeze_hours", m.freeze_s / 3600},
          {"non_freeze_hours", (m.observed_s - m.freeze_s) / 3600},
          {"per_subject", per_subject},
          {"definition",
           {{"merge_gap_s", m.config.merge_gap_s},
            {"early_tolerance_s", m.config.early_tolerance_s},
            {"late_grace_s", m.config.late_grace_s},
            {"within_s", m.config.within_s}}}};
}

}  // namespace gaitlstm::model
