// Wearer self-calibration (model/calibration.h): hand-worked sequences of the
// float and the integer form (every value computed by hand below), the
// integer form against the float one on a long random sequence, resets at
// segment starts, seeds and the JSON form.
#include "model/calibration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "util/rng.h"

namespace gaitlstm::model {
namespace {

// a = 1, k16 = 8 (k = 1/2), floor 3, largest value 12, seeds m0 = 4, d0 = 2:
// M = 8, D = 4 at reset.  Per decision: m = M >> 1, d = D >> 1,
// T = min(12, max(3, m + ((8 d) >> 4))), then M += s - m, D += |s - m| - d.
TEST(Calibration, IntegerSequenceWorkedByHand) {
  IntegerCalibrationLogic logic({1, 8, 3, 12, 4, 2});
  struct Step {
    int64_t threshold, statistic, mean_state, deviation_state;
  };
  const Step steps[] = {
      {5, 10, 14, 8},   // m 4, d 2: T 4 + 1;           M 8 + 6,    D 4 + 6 - 2
      {9, 0, 7, 11},    // m 7, d 4: T 7 + 2;           M 14 - 7,   D 8 + 7 - 4
      {5, -6, -2, 15},  // m 3, d 5: T 3 + 2;           M 7 - 9,    D 11 + 9 - 5
      {3, 12, 11, 21},  // m -1 (floor shift), d 7: 2 -> the floor 3; M -2 + 13, D 15 + 13 - 7
      {10, 12, 18, 18}, // m 5, d 10: T 5 + 5;          M 11 + 7,   D 21 + 7 - 10
      {12, 0, 9, 18},   // m 9, d 9: 9 + 4 = 13 -> the ceiling 12; M 18 - 9, D 18 + 9 - 9
  };
  for (const Step& step : steps) {
    EXPECT_EQ(logic.threshold(), step.threshold);
    logic.update(step.statistic);
    EXPECT_EQ(logic.mean_state(), step.mean_state);
    EXPECT_EQ(logic.deviation_state(), step.deviation_state);
  }
  logic.reset();
  EXPECT_EQ(logic.threshold(), 5);
  EXPECT_EQ(logic.mean_state(), 8);
}

// Rate 1/2, k 1/2, seeds 0.5 and 0.25 (all values exact in binary).
TEST(Calibration, FloatSequenceWorkedByHand) {
  CalibrationConfig config{1, 0.5, 0.1, 0.5, 0.25};
  CalibrationLogic logic(config);
  EXPECT_EQ(logic.threshold(), 0.625);  // 0.5 + 0.25 / 2
  logic.update(1);                      // dev 0.5: m 0.75, d 0.375
  EXPECT_EQ(logic.threshold(), 0.9375);
  logic.update(0);                      // dev 0.75: m 0.375, d 0.5625
  EXPECT_EQ(logic.threshold(), 0.65625);
  logic.update(0);                      // dev 0.375: m 0.1875, d 0.46875
  EXPECT_EQ(logic.threshold(), 0.421875);
  config.floor = 0.5;
  CalibrationLogic floored(config);
  for (double s : {1.0, 0.0, 0.0}) floored.update(s);
  EXPECT_EQ(floored.threshold(), 0.5);
}

// The integer form on raw statistics (9 fraction bits) follows the float form
// on the same values within a few steps of the format: truncation only.
TEST(Calibration, IntegerFollowsFloat) {
  const int frac = 9;
  const CalibrationConfig config{5, 0.5, 0.3, 0.4, 0.1};
  auto raw = [&](double x) { return static_cast<int64_t>(std::lround(std::ldexp(x, frac))); };
  CalibrationLogic real(config);
  IntegerCalibrationLogic integer({5, 8, raw(0.3), 511, raw(0.4), raw(0.1)});
  Rng rng(5);
  double worst = 0;
  double level = 0.2;
  for (int i = 0; i < 5000; ++i) {
    if (i % 700 == 0) level = rng.uniform(0.05, 0.8);  // the wearer's level moves
    const int64_t s = std::clamp<int64_t>(raw(level + rng.uniform(-0.15, 0.15)), 0, 511);
    worst = std::max(worst, std::abs(std::ldexp(static_cast<double>(integer.threshold()), -frac) - real.threshold()));
    integer.update(s);
    real.update(std::ldexp(static_cast<double>(s), -frac));
  }
  EXPECT_LT(worst, 4.0 / 512);  // m and d each lose < 1 step; k d < 1 more
  EXPECT_GT(worst, 0.0);        // the test sees the integer arithmetic at all
}

TEST(Calibration, ThresholdsRestartAtEverySegment) {
  const CalibrationConfig config{1, 0.5, 0.1, 0.5, 0.25};
  const data::ProtocolConfig protocol;
  std::vector<data::Decision> decisions;
  for (int segment = 0; segment < 2; ++segment)
    for (int n = 0; n < 3; ++n) decisions.push_back({segment, protocol.label_window + n * protocol.stride, 0, false});
  const std::vector<double> thresholds = calibrated_thresholds(config, decisions, {1, 0, 0, 1, 0, 0}, protocol);
  EXPECT_EQ(thresholds, (std::vector<double>{0.625, 0.9375, 0.65625, 0.625, 0.9375, 0.65625}));
  EXPECT_THROW(calibrated_thresholds(config, decisions, {1, 0}, protocol), std::invalid_argument);
}

TEST(Calibration, SeedsAreTheMeanAndMeanAbsoluteDeviation) {
  const CalibrationConfig seeded = seed_calibration({}, {0.1, 0.2, 0.6});  // mean 0.3; |.| 0.2, 0.1, 0.3
  EXPECT_DOUBLE_EQ(seeded.seed_mean, 0.3);
  EXPECT_DOUBLE_EQ(seeded.seed_deviation, 0.2);
  EXPECT_EQ(seeded.rate_shift, 5);
  EXPECT_THROW(seed_calibration({}, {}), std::invalid_argument);
}

TEST(Calibration, JsonRoundTripAndErrors) {
  const CalibrationConfig config{6, 0.75, 0.25, 0.3, 0.125};
  EXPECT_EQ(calibration_config_from_json(to_json(config)), config);
  EXPECT_EQ(calibration_config_from_json(nlohmann::json::object()), CalibrationConfig{});
  EXPECT_THROW(calibration_config_from_json({{"k", 0.3}}), std::invalid_argument);  // not a multiple of 1/16
  EXPECT_THROW(calibration_config_from_json({{"rate_shift", 0}}), std::invalid_argument);
  EXPECT_THROW(calibration_config_from_json({{"seed_deviation", -0.1}}), std::invalid_argument);
  EXPECT_THROW(calibration_config_from_json({{"rate", 5}}), std::invalid_argument);
  EXPECT_THROW(calibration_config_from_json({{"rate_shift", 2.5}}), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::model
