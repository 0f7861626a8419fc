// The cue state machine (model/cue.h) on hand-worked sequences: every answer
// below is worked out from the rules in the header, decision by decision.
#include "model/cue.h"

#include <gtest/gtest.h>

#include "model/detector.h"
#include "model/model_file.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::model {
namespace {

std::vector<int> run(CueLogic<double> logic, const std::vector<double>& s, const std::vector<double>& t) {
  std::vector<int> alarms;
  for (size_t i = 0; i < s.size(); ++i) alarms.push_back(logic.step(s[i], t[i]) ? 1 : 0);
  return alarms;
}
std::vector<double> constant(double value, size_t n) { return std::vector<double>(n, value); }

TEST(Cue, OffIsTheFogFlag) {
  const std::vector<double> s = {0.1, 0.6, 0.5, 0.49, 0.7, 0.2, 0.5};
  // threshold 0.5: FoG where s >= 0.5
  EXPECT_EQ(run({0, 1, 0}, s, constant(0.5, s.size())), (std::vector<int>{0, 1, 1, 0, 1, 0, 1}));
  EXPECT_FALSE(CueConfig{}.active());
}

TEST(Cue, HysteresisKeepsTheAlarmThroughShallowDips) {
  // threshold 0.5, hysteresis 0.1: on at >= 0.5, off below 0.4.
  const std::vector<double> s = {0.3, 0.55, 0.45, 0.41, 0.39, 0.45, 0.5};
  //                     on?     0    1     1(0.45>=0.4) 1   0(0.39<0.4) 0(0.45<0.5) 1
  EXPECT_EQ(run({0.1, 1, 0}, s, constant(0.5, s.size())), (std::vector<int>{0, 1, 1, 1, 0, 0, 1}));
}

TEST(Cue, MinimumDurationHoldsTheAlarm) {
  // min_on 3: a one-decision FoG flag gives three decisions of alarm.
  const std::vector<double> s = {0.6, 0.1, 0.1, 0.1, 0.1, 0.6, 0.6, 0.6, 0.6, 0.1};
  // decision 0 starts (held 2), 1 and 2 held, 3 checks 0.1 < 0.5 -> off; 5 starts, 6 and 7 held,
  // 8 checks 0.6 -> stays, 9 checks 0.1 -> off.
  EXPECT_EQ(run({0, 3, 0}, s, constant(0.5, s.size())), (std::vector<int>{1, 1, 1, 0, 0, 1, 1, 1, 1, 0}));
}

TEST(Cue, RefractoryBlocksNewAlarms) {
  // refractory 2: after the alarm ends at decision 2, decisions 3 and 4 cannot start one.
  const std::vector<double> s = {0.6, 0.6, 0.1, 0.6, 0.6, 0.6, 0.1};
  EXPECT_EQ(run({0, 1, 2}, s, constant(0.5, s.size())), (std::vector<int>{1, 1, 0, 0, 0, 1, 0}));
}

TEST(Cue, ThresholdMayMoveEveryDecision) {
  // T_n moves; the hysteresis is relative to the T_n of each decision.
  const std::vector<double> s = {0.5, 0.5, 0.5, 0.5};
  const std::vector<double> t = {0.6, 0.5, 0.58, 0.65};
  // 0: 0.5 < 0.6 off; 1: 0.5 >= 0.5 on; 2: 0.5 >= 0.58 - 0.1 stays; 3: 0.5 < 0.65 - 0.1 off.
  EXPECT_EQ(run({0.1, 1, 0}, s, t), (std::vector<int>{0, 1, 1, 0}));
}

TEST(Cue, IntegerAndDoubleAgree) {
  CueLogic<int64_t> integer(3, 2, 1);
  CueLogic<double> real(3.0, 2, 1);
  const std::vector<int64_t> s = {5, 11, 7, 6, 12, 2, 10, 10, 10, 4, 13, 1, 9, 10};
  for (int64_t v : s) EXPECT_EQ(integer.step(v, 10), real.step(static_cast<double>(v), 10.0)) << v;
}

TEST(Cue, AlarmsRestartAtEverySegment) {
  std::vector<data::Decision> decisions;
  for (int64_t end : {128, 160, 192}) decisions.push_back({0, end, 1, false});
  for (int64_t end : {128, 160}) decisions.push_back({1, end, 1, false});
  // min_on 4 would hold the alarm into the next segment; it must not.
  const std::vector<double> s = {0.1, 0.1, 0.9, 0.1, 0.1};
  EXPECT_EQ(cue_alarms({0, 4, 0}, decisions, s, 0.5), (std::vector<uint8_t>{0, 0, 1, 0, 0}));
}

TEST(Cue, GapsInASegmentAreAnError) {
  std::vector<data::Decision> decisions = {{0, 128, 1, false}, {0, 192, 1, false}};
  EXPECT_THROW(cue_alarms({}, decisions, {0.1, 0.2}, 0.5), std::invalid_argument);
  EXPECT_THROW(cue_alarms({}, decisions, {0.1}, 0.5), std::invalid_argument);
}

TEST(Cue, BadParametersAreRejected) {
  EXPECT_THROW(CueLogic<double>(-0.1, 1, 0), std::invalid_argument);
  EXPECT_THROW(CueLogic<double>(0, 0, 0), std::invalid_argument);
  EXPECT_THROW(CueLogic<double>(0, 1, -1), std::invalid_argument);
  EXPECT_THROW(cue_config_from_json({{"hysteresis", 0.1}, {"min_on", 2}, {"refactory", 1}}), std::invalid_argument);
  EXPECT_THROW(cue_config_from_json({{"min_on", 1.5}}), std::invalid_argument);
  const CueConfig cue{0.05, 3, 4};
  EXPECT_EQ(cue_config_from_json(to_json(cue)), cue);
}

TEST(Cue, ModelFileKeepsTheCueAndNamesABadOne) {
  Detector d;
  d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
  d.frontend.axes_per_sensor = 3;
  design_filters(d.frontend);
  d.frontend.feature_mean.assign(static_cast<size_t>(d.frontend.features()), 1.0);
  d.frontend.feature_std.assign(static_cast<size_t>(d.frontend.features()), 1.0);
  d.training.hidden = 3;
  d.training.history_steps = d.history_steps;
  d.lstm = initial_params(LstmShape{d.frontend.features(), 3}, 1);
  EXPECT_FALSE(detector_to_json(d).contains("cue"));  // off: files as before the cue existed
  d.cue = {0.04, 3, 6};
  testing::TempDir dir;
  save_detector(d, dir.file("m.json"));
  EXPECT_EQ(load_detector(dir.file("m.json")).cue, d.cue);
  nlohmann::json j = detector_to_json(d);
  j["cue"]["min_on"] = 0;
  const std::string path = dir.write("bad.json", j.dump());
  try {
    load_detector(path);
    FAIL() << "bad cue accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cue"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gaitlstm::model
