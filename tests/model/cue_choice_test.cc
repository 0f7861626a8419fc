// Choosing the cue and the threshold offset on held-out data
// (model/cue_choice.h), on a hand-made recording whose answers are worked
// out in the comments.
#include "model/cue_choice.h"
#include "model/sequences.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gaitlstm::model {
namespace {

// One 40-s segment at 64 Hz, freeze [20, 24) s; decisions every 0.5 s from
// 2.0 s (77).  Statistics 0.1, except a flickering stretch 5.0 .. 7.0 s
// (0.585, 0.45, 0.585, 0.45, 0.585) and the freeze 20.5 .. 23.5 s (0.8).
struct Recording {
  data::Dataset dataset;
  HeldOutStatistics held_out;
};

Recording recording() {
  Recording r;
  r.dataset.sample_rate_hz = 64;
  data::Segment segment;
  segment.subject = 4;
  segment.channels = 1;
  segment.freeze.assign(64 * 40, 0);
  for (int n = 64 * 20; n < 64 * 24; ++n) segment.freeze[static_cast<size_t>(n)] = 1;
  segment.values.assign(segment.freeze.size(), 0.f);
  r.dataset.segments = {segment};
  r.held_out.decisions = data::make_decisions(r.dataset);
  for (const data::Decision& d : r.held_out.decisions) {
    const double t = d.end / 64.0;
    double s = 0.1;
    if (t >= 5.0 && t <= 7.0) s = std::fmod(t, 1.0) == 0 ? 0.585 : 0.45;
    if (t >= 20.5 && t <= 23.5) s = 0.8;
    r.held_out.statistics.push_back(s);
  }
  r.held_out.threshold = 0.5;
  return r;
}

TEST(CueChoice, FewestFalseAlarmsWithTheSmallestCue) {
  const Recording r = recording();
  const CueChoice choice = choose_cue(r.dataset, {r.held_out});
  // Cue off: alarms at 5.0, 6.0, 7.0 (false) and 20.5 .. 23.5 (the freeze): 3 false.
  EXPECT_EQ(choice.off.false_alarms, 3);
  // In grid order (min_on, then hysteresis, then refractory): min 1, hysteresis 0,
  // refractory 2 blocks 6.0 (2 false); refractory 4 blocks 6.0 .. 7.5 (1 false): the
  // first with 1.  Hysteresis 0.05 (stay while >= 0.45) also gives 1 but comes later.
  EXPECT_EQ(choice.cue, (CueConfig{0, 1, 4}));
  EXPECT_EQ(choice.chosen.false_alarms, 1);
  EXPECT_EQ(choice.chosen.detected_within, choice.off.detected_within);
}

TEST(CueChoice, NoCandidateBetterKeepsTheCueOff) {
  Recording r = recording();
  for (double& s : r.held_out.statistics)
    if (s < 0.6) s = 0.1;  // no false alarm at all
  const CueChoice choice = choose_cue(r.dataset, {r.held_out});
  EXPECT_EQ(choice.off.false_alarms, 0);
  EXPECT_FALSE(choice.cue.active());
}

TEST(CueChoice, ThresholdOffsetForAFalseAlarmLimit) {
  const Recording r = recording();
  ThresholdOffsetOptions options;
  options.max_false_alarms_per_hour = 6;
  // Offsets up to +0.08 keep the peaks of 0.585 (threshold <= 0.58): 3 false alarms in
  // 34.5 s of walking, 313 per hour.  +0.09 (threshold 0.59) leaves only the freeze
  // (0.8, caught at 20.5 s): 0 per hour and the most detections; the nearest to 0 wins.
  EXPECT_DOUBLE_EQ(choose_threshold_offset(r.dataset, {r.held_out}, {}, options), 0.09);
  // An impossible limit: the lowest rate (0 from +0.09 up to +0.30, the nearest again).
  options.max_false_alarms_per_hour = -1;
  EXPECT_DOUBLE_EQ(choose_threshold_offset(r.dataset, {r.held_out}, {}, options), 0.09);
}

TEST(CueChoice, ThresholdOffsetNeverLeavesTheAlarmOnThroughWalking) {
  Recording r = recording();
  // Walking at 0.3 and a second freeze [30, 33) s whose statistics stay at 0.35.
  for (size_t i = 0; i < r.held_out.statistics.size(); ++i)
    if (r.held_out.statistics[i] == 0.1) r.held_out.statistics[i] = 0.3;
  for (int n = 64 * 30; n < 64 * 33; ++n) r.dataset.segments[0].freeze[static_cast<size_t>(n)] = 1;
  for (size_t i = 0; i < r.held_out.decisions.size(); ++i) {
    const double t = r.held_out.decisions[i].end / 64.0;
    if (t >= 30 && t < 33) r.held_out.statistics[i] = 0.35;
  }
  // At -0.20 or lower (threshold <= 0.3) the alarm is on from 2 s to the end: one alarm
  // overlapping both freezes, 0 false alarms, 2 detections, but on through 100 % of the
  // walking.  Within the 5 % duty limit: +0.09 as before (1 detection, 0 false alarms).
  ThresholdOffsetOptions options;
  EXPECT_DOUBLE_EQ(choose_threshold_offset(r.dataset, {r.held_out}, {}, options), 0.09);
  options.max_non_freeze_duty = 1;
  EXPECT_LE(choose_threshold_offset(r.dataset, {r.held_out}, {}, options), -0.2);
}

TEST(CueChoice, FoldRulesMoveTheThresholdAndMakeTheAlarms) {
  const Recording r = recording();
  CvOutcome outcome;
  FoldOutcome fold;
  fold.fold.test_subjects = {4};
  fold.scores = r.held_out.statistics;
  fold.labels = decision_labels(r.held_out.decisions);
  fold.test = evaluate_scores(fold.scores, fold.labels, 0.5);
  outcome.folds.push_back(fold);
  apply_fold_rules(outcome, r.held_out.decisions, [](size_t, const FoldOutcome&) { return AlarmRule{0.09, {0, 2, 0}}; });
  EXPECT_DOUBLE_EQ(outcome.folds[0].test.threshold, 0.59);
  EXPECT_EQ(outcome.folds[0].cue, (CueConfig{0, 2, 0}));
  const CvEpisodes episodes = cv_episodes(outcome, r.dataset, r.held_out.decisions);
  EXPECT_EQ(episodes.pooled.count, 1);
  EXPECT_EQ(episodes.pooled.false_alarms, 0);
  // The curve shifts every fold's (already moved) threshold: -0.09 brings the 3 false alarms back.
  const std::vector<OperatingPoint> curve = episode_operating_curve(outcome, r.dataset, r.held_out.decisions, {-0.09, 0.0});
  // Threshold 0.5, min_on 2: on at 5.0 (held at 5.5), stays at 6.0, off at 6.5 (0.45); on at 7.0: 2 false.
  EXPECT_EQ(curve[0].episodes.false_alarms, 2);
  EXPECT_EQ(curve[1].episodes.false_alarms, 0);
}

}  // namespace
}  // namespace gaitlstm::model
