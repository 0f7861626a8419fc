// The golden detector's batched scoring (evaluation, bit-width search) equals
// the sample-by-sample stream (what the chip does).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "data/protocol.h"
#include "model/detector.h"
#include "quant/golden.h"
#include "support/busiest_threshold.h"
#include "support/synthetic.h"
#include "util/rng.h"

namespace gaitlstm::quant {
namespace {

class GoldenDetectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dataset_ = new data::Dataset(testing::synthetic_dataset(2, 1, 0)); }
  static void TearDownTestSuite() { delete dataset_; }

  // Random weights; a history longer than the first decision's window, so
  // windows of several lengths occur.
  static model::Detector detector(int hidden, int smoothing, uint64_t seed) {
    model::Detector d;
    d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
    d.frontend.axes_per_sensor = 3;
    d.frontend.baseline_shift = 3;
    model::design_filters(d.frontend);
    d.frontend.feature_mean.assign(static_cast<size_t>(d.frontend.features()), 10.0);
    d.frontend.feature_std.assign(static_cast<size_t>(d.frontend.features()), 2.0);
    d.history_steps = 12;  // the first decision sees 128 / 16 = 8 steps
    d.output_smoothing = smoothing;
    d.lstm = model::LstmParams<float>({d.frontend.features(), hidden});
    Rng rng(seed);
    for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i)
      d.lstm.values[i] = static_cast<float>(rng.uniform(-1.5, 1.5));
    return d;
  }

  static std::vector<GoldenDetector::Output> streamed_outputs(const GoldenDetector& golden) {
    std::vector<GoldenDetector::Output> outputs;
    for (size_t s = 0; s < dataset_->segments.size(); ++s) {
      const std::vector<int64_t> samples = segment_samples(golden, *dataset_, static_cast<int>(s));
      GoldenDetector::Stream stream(golden);
      const auto channels = static_cast<size_t>(golden.frontend().config().channels());
      for (size_t t = 0; t * channels < samples.size(); ++t)
        if (auto out = stream.push(&samples[t * channels])) outputs.push_back(*out);
    }
    return outputs;
  }
  static std::vector<int64_t> streamed(const GoldenDetector& golden) {
    std::vector<int64_t> scores;
    for (size_t s = 0; s < dataset_->segments.size(); ++s) {
      const std::vector<int64_t> samples = segment_samples(golden, *dataset_, static_cast<int>(s));
      GoldenDetector::Stream stream(golden);
      const auto channels = static_cast<size_t>(golden.frontend().config().channels());
      for (size_t t = 0; t * channels < samples.size(); ++t)
        if (auto out = stream.push(&samples[t * channels])) scores.push_back(out->score);
    }
    return scores;
  }
  static data::Dataset* dataset_;
};
data::Dataset* GoldenDetectorTest::dataset_ = nullptr;

TEST_F(GoldenDetectorTest, BatchedScoresEqualTheStream) {
  uint64_t seed = 1;
  for (int hidden : {5, 32})
    for (int smoothing : {1, 3}) {
      const GoldenDetector golden(detector(hidden, smoothing, seed++), QuantConfig{});
      ASSERT_TRUE(golden.lstm().has_fast_path());
      const auto decisions = data::make_decisions(*dataset_, golden.protocol());
      const std::vector<int64_t> batch = golden.score_decisions(*dataset_, decisions, 1);
      EXPECT_EQ(batch, streamed(golden)) << "H " << hidden << " smoothing " << smoothing;
      EXPECT_EQ(golden.score_decisions(*dataset_, decisions, 2), batch);
    }
}

// Any subset, in any order, scores as in the whole list.
TEST_F(GoldenDetectorTest, SubsetsScoreAsInTheWholeList) {
  const GoldenDetector golden(detector(8, 1, 9), QuantConfig{});
  const auto decisions = data::make_decisions(*dataset_, golden.protocol());
  const std::vector<int64_t> all = golden.score_decisions(*dataset_, decisions);
  std::vector<data::Decision> subset;
  std::vector<int64_t> expected;
  for (size_t i = decisions.size(); i-- > 0;)
    if (i % 3 != 1) {
      subset.push_back(decisions[i]);
      expected.push_back(all[i]);
    }
  EXPECT_EQ(golden.score_decisions(*dataset_, subset), expected);
}

// The cue: the stream's alarms equal decide() on the batch statistics; with
// the cue off the alarm is the FoG flag; with it on it differs somewhere.
TEST_F(GoldenDetectorTest, CueAlarmsOfTheStreamEqualTheBatch) {
  for (int smoothing : {1, 3}) {
    GoldenDetector golden(detector(6, smoothing, 21), QuantConfig{});
    const auto decisions = data::make_decisions(*dataset_, golden.protocol());
    const std::vector<int64_t> batch = golden.score_decisions(*dataset_, decisions, 2);
    golden.set_threshold(testing::busiest_threshold(batch));  // many FoG edges for the cue to act on
    for (bool on : {false, true}) {
      golden.set_cue(on ? QuantizedCue{3, 3, 2} : QuantizedCue{});
      const std::vector<GoldenDetector::Output> stream = streamed_outputs(golden);
      const std::vector<GoldenDetector::Output> decided = golden.decide(decisions, batch);
      ASSERT_EQ(stream.size(), decided.size());
      int64_t cued = 0;
      for (size_t i = 0; i < stream.size(); ++i) {
        ASSERT_EQ(stream[i].score, decided[i].score) << i;
        ASSERT_EQ(stream[i].threshold, golden.threshold());
        ASSERT_EQ(stream[i].fog, stream[i].score >= golden.threshold());
        ASSERT_EQ(stream[i].alarm, decided[i].alarm) << "decision " << i << " smoothing " << smoothing;
        cued += stream[i].alarm != stream[i].fog;
      }
      if (on) {
        EXPECT_GT(cued, 3) << "the cue never changed an alarm: the test would not see a broken cue";
      } else {
        EXPECT_EQ(cued, 0);
      }
    }
  }
}

TEST_F(GoldenDetectorTest, CueHysteresisIsQuantizedInTheStatisticFormat) {
  const QFormat probability{10, 9};
  EXPECT_EQ(quantize_cue({0.05, 2, 3}, probability, 8, 0.3), (QuantizedCue{26, 2, 3}));  // 0.05 * 512 = 25.6
  // K = 1: the logit distance at the float threshold, logit(0.5) - logit(0.4) = 0.405; Q(8, 4): 6.5 -> 6 or 7.
  const QFormat score{8, 4};
  const int64_t raw = quantize_cue({0.1, 1, 0}, score, 1, 0.5).hysteresis;
  EXPECT_EQ(raw, quantize(std::log(1.0) - std::log(0.4 / 0.6), score));
  EXPECT_EQ(quantize_cue({}, score, 1, 0.5), QuantizedCue{});
  GoldenDetector golden(detector(4, 1, 3), QuantConfig{});
  EXPECT_THROW(golden.set_cue({golden.statistic_format().max_raw() + 1, 1, 0}), std::invalid_argument);
  EXPECT_THROW(golden.set_cue({0, 0, 0}), std::invalid_argument);
}

// Self-calibration: the stream's thresholds equal decide() on the batch
// statistics (the state restarts at every segment), T_n moves, FoG and the cue
// read T_n; the integer thresholds follow the float calibration run on the
// dequantized statistics within a few steps of the format.
TEST_F(GoldenDetectorTest, CalibratedThresholdsOfTheStreamEqualTheBatchAndFollowFloat) {
  GoldenDetector golden(detector(6, 3, 21), QuantConfig{});
  const auto decisions = data::make_decisions(*dataset_, golden.protocol());
  const std::vector<int64_t> batch = golden.score_decisions(*dataset_, decisions, 2);
  const std::vector<double> values = golden.statistic_values(batch);
  model::CalibrationConfig config{3, 0.5, 0.05, 0, 0};
  config = model::seed_calibration(config, values);
  const QuantizedCalibration q = quantize_calibration(config, golden.statistic_format(), golden.smoothing());
  golden.set_calibration(q);
  golden.set_cue({3, 2, 1});
  const std::vector<GoldenDetector::Output> stream = streamed_outputs(golden);
  const std::vector<GoldenDetector::Output> decided = golden.decide(decisions, batch);
  const std::vector<double> real =
      model::calibrated_thresholds(dequantize_calibration(q, golden.statistic_format()), decisions, values, golden.protocol());
  ASSERT_EQ(stream.size(), decided.size());
  std::set<int64_t> thresholds;
  double worst = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    ASSERT_EQ(stream[i].score, decided[i].score) << i;
    ASSERT_EQ(stream[i].threshold, decided[i].threshold) << i;
    ASSERT_EQ(stream[i].fog, stream[i].score >= stream[i].threshold) << i;
    ASSERT_EQ(stream[i].alarm, decided[i].alarm) << i;
    thresholds.insert(stream[i].threshold);
    worst = std::max(worst, std::abs(dequantize(stream[i].threshold, golden.statistic_format()) - real[i]));
  }
  EXPECT_GT(thresholds.size(), 10u) << "the threshold hardly moved: the test would not see a broken calibration";
  EXPECT_LT(worst, 4 * std::ldexp(1.0, -golden.statistic_format().frac));
  // Off again: the stored threshold everywhere.
  golden.set_calibration(std::nullopt);
  for (const auto& out : golden.decide(decisions, batch)) ASSERT_EQ(out.threshold, golden.threshold());
}

TEST_F(GoldenDetectorTest, CalibrationIsQuantizedInTheStatisticFormatAndNeedsSmoothing) {
  const QFormat probability{10, 9};
  const QuantizedCalibration q = quantize_calibration({5, 0.5, 0.3, 0.25, 0.0625}, probability, 8);
  EXPECT_EQ(q, (QuantizedCalibration{5, 8, 154, 128, 32}));  // 0.3 * 512 = 153.6
  EXPECT_EQ(quantize_calibration({5, 1, 2.0, -3.0, 5.0}, probability, 8), (QuantizedCalibration{5, 16, 511, -512, 511}));
  EXPECT_THROW(quantize_calibration({}, probability, 1), std::invalid_argument);
  GoldenDetector logits(detector(4, 1, 3), QuantConfig{});
  EXPECT_THROW(logits.set_calibration(QuantizedCalibration{}), std::invalid_argument);
  GoldenDetector smoothed(detector(4, 2, 3), QuantConfig{});
  EXPECT_THROW(smoothed.set_calibration(QuantizedCalibration{5, 8, 600, 0, 0}), std::invalid_argument);
  EXPECT_THROW(smoothed.set_calibration(QuantizedCalibration{5, 256, 0, 0, 0}), std::invalid_argument);
  EXPECT_THROW(smoothed.set_calibration(QuantizedCalibration{5, 8, 0, 0, -1}), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::quant
