// Episode metrics (model/episodes.h) on hand-made annotation and alarm
// sequences; every expected figure is worked out by hand in the comments
// (the same example as docs/PROTOCOL.md, "Episodes").
#include "model/episodes.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gaitlstm::model {
namespace {

// Annotation at 0.5 s steps from the listed freeze intervals (seconds).
std::vector<uint8_t> annotation(double seconds, const std::vector<std::pair<double, double>>& freezes) {
  std::vector<uint8_t> steps(static_cast<size_t>(seconds / 0.5), 0);
  for (const auto& [a, b] : freezes)
    for (double t = a; t < b; t += 0.5) steps[static_cast<size_t>(t / 0.5)] = 1;
  return steps;
}

// Decisions every 0.5 s from 2.0 s to 15.5 s (28), alarms on at `on`.
EpisodeStream worked_example_stream(const std::vector<double>& on) {
  EpisodeStream s;
  s.subject = 7;
  s.label_period_s = 0.5;
  s.freeze = annotation(16, {{0.5, 1.0}, {5.0, 6.0}, {6.5, 8.0}, {11.0, 12.0}, {14.0, 15.0}});
  s.decision_period_s = 0.5;
  for (int i = 0; i < 28; ++i) {
    const double t = 2.0 + 0.5 * i;
    s.decision_times.push_back(t);
    s.alarms.push_back(std::find(on.begin(), on.end(), t) != on.end());
  }
  return s;
}

TEST(Episodes, WorkedExample) {
  const EpisodeMetrics m = episode_metrics({worked_example_stream({2.5, 7.5, 8.0, 10.0, 15.5})});
  // Observed span [2, 16) = 14 s.  Episodes: [0.5, 1) ends before the span (not
  // counted); [5, 6) and [6.5, 8) are 0.5 s apart (< 1 s): one episode A = [5, 8);
  // B = [11, 12); C = [14, 15).
  EXPECT_EQ(m.count, 3);
  EXPECT_EQ(m.episodes_per_subject.at(7), 3);
  EXPECT_DOUBLE_EQ(m.observed_s, 14);
  EXPECT_DOUBLE_EQ(m.freeze_s, 5);
  // A: first alarm in [5 - 2, 8) is 7.5: latency 2.5 s (detected, not within 2 s).
  // B: first alarm in [9, 12) is 10.0: latency -1.0 s (before the onset).
  // C: no alarm in [12, 15): missed (the alarm at 15.5 is after its end).
  ASSERT_EQ(m.episodes.size(), 3u);
  EXPECT_TRUE(m.episodes[0].detected);
  EXPECT_DOUBLE_EQ(m.episodes[0].latency_s, 2.5);
  EXPECT_DOUBLE_EQ(m.episodes[1].latency_s, -1.0);
  EXPECT_FALSE(m.episodes[2].detected);
  EXPECT_EQ(m.detected, 2);
  EXPECT_DOUBLE_EQ(m.sensitivity, 2.0 / 3);
  EXPECT_EQ(m.detected_within, 1);
  EXPECT_DOUBLE_EQ(m.sensitivity_within, 1.0 / 3);
  EXPECT_EQ(m.detected_before_onset, 1);
  EXPECT_DOUBLE_EQ(m.before_onset_share, 0.5);
  // Latencies {-1.0, 2.5}: median -1.0 + 0.5 * 3.5 = 0.75; p90 -1.0 + 0.9 * 3.5 = 2.15.
  EXPECT_DOUBLE_EQ(m.latency_median_s, 0.75);
  EXPECT_NEAR(m.latency_p90_s, 2.15, 1e-12);
  // Alarms (runs): [2.5, 3.0) false (A's window [3, 8 + 1) starts where it ends);
  // [7.5, 8.5) true (A); [10, 10.5) true (B's [9, 13)); [15.5, 16) true (C's [12, 16)).
  EXPECT_EQ(m.alarms, 4);
  EXPECT_EQ(m.false_alarms, 1);
  ASSERT_EQ(m.alarm_events.size(), 4u);
  EXPECT_TRUE(m.alarm_events[0].false_alarm);
  EXPECT_FALSE(m.alarm_events[3].false_alarm);
  // 1 false alarm in 14 - 5 = 9 s of non-freezing time: 400 per hour.
  EXPECT_DOUBLE_EQ(m.false_alarms_per_hour, 400);
  // 5 alarm decisions x 0.5 s = 2.5 s of 14 s; inside episodes only [7.5, 8) = 0.5 s of 5 s.
  EXPECT_DOUBLE_EQ(m.alarm_s, 2.5);
  EXPECT_DOUBLE_EQ(m.duty_cycle, 2.5 / 14);
  EXPECT_DOUBLE_EQ(m.coverage, 0.1);
}

TEST(Episodes, GapOfExactlyTheMergeGapSplitsEpisodes) {
  EpisodeStream s = worked_example_stream({});
  s.freeze = annotation(16, {{5.0, 6.0}, {7.0, 8.0}});  // 1.0 s apart: not shorter than 1 s
  EXPECT_EQ(episode_metrics({s}).count, 2);
  EpisodeConfig wider;
  wider.merge_gap_s = 1.5;
  EXPECT_EQ(episode_metrics({s}, wider).count, 1);
}

TEST(Episodes, NoAlarmsNoEpisodes) {
  EpisodeStream s = worked_example_stream({});
  s.freeze.assign(s.freeze.size(), 0);
  const EpisodeMetrics m = episode_metrics({s});
  EXPECT_EQ(m.count, 0);
  EXPECT_EQ(m.episodes_per_subject.at(7), 0);
  EXPECT_DOUBLE_EQ(m.false_alarms_per_hour, 0);
  EXPECT_TRUE(std::isnan(m.coverage));
  EXPECT_TRUE(std::isnan(m.latency_median_s));
  const nlohmann::json j = to_json(m);
  EXPECT_TRUE(j["coverage"].is_null());
  EXPECT_EQ(j["per_subject"][0]["episodes"], 0);
}

TEST(Episodes, AlarmHeldThroughAnEpisodeDetectsItAtTheToleranceEdge) {
  // Alarm on from 2.0 to 9.0: A = [5, 8) is detected at the first alarm-on decision
  // at or after 5 - 2 = 3.0: latency -2.0; one alarm, not false.
  std::vector<double> on;
  for (double t = 2.0; t <= 9.0; t += 0.5) on.push_back(t);
  const EpisodeMetrics m = episode_metrics({worked_example_stream(on)});
  EXPECT_DOUBLE_EQ(m.episodes[0].latency_s, -2.0);
  EXPECT_EQ(m.alarms, 1);
  EXPECT_EQ(m.false_alarms, 0);
}

TEST(Episodes, StreamsFromProtocolDecisions) {
  data::Dataset dataset;
  dataset.sample_rate_hz = 64;
  data::Segment segment;
  segment.subject = 3;
  segment.channels = 1;
  segment.freeze.assign(64 * 10, 0);
  for (int n = 64 * 4; n < 64 * 5; ++n) segment.freeze[static_cast<size_t>(n)] = 1;  // freeze [4, 5) s
  segment.values.assign(segment.freeze.size(), 0.f);
  dataset.segments = {segment};
  const std::vector<data::Decision> decisions = data::make_decisions(dataset);
  ASSERT_EQ(decisions.size(), 17u);  // ends 128, 160, ..., 640: t = 2.0 .. 10.0 s
  std::vector<uint8_t> alarms(decisions.size(), 0);
  alarms[5] = 1;  // t = 4.5 s: latency 0.5 s
  const std::vector<EpisodeStream> streams = episode_streams(dataset, decisions, alarms);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_DOUBLE_EQ(streams[0].decision_times[5], 4.5);
  const EpisodeMetrics m = episode_metrics(streams);
  EXPECT_EQ(m.count, 1);
  EXPECT_DOUBLE_EQ(m.latency_median_s, 0.5);
  EXPECT_DOUBLE_EQ(m.observed_s, 8.5);  // [2.0, 10.5)
  EXPECT_THROW(episode_streams(dataset, decisions, std::vector<uint8_t>(3, 0)), std::invalid_argument);
}

TEST(Episodes, InconsistentStreamsAreRejected) {
  EpisodeStream s = worked_example_stream({});
  s.alarms.pop_back();
  EXPECT_THROW(episode_metrics({s}), std::invalid_argument);
  s = worked_example_stream({});
  s.decision_times[3] += 0.25;
  EXPECT_THROW(episode_metrics({s}), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::model
