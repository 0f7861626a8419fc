// The golden detector's batched scoring (evaluation, bit-width search) equals
// the sample-by-sample stream (what the chip does).
#include <gtest/gtest.h>

#include "data/protocol.h"
#include "model/detector.h"
#include "quant/golden.h"
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

}  // namespace
}  // namespace gaitlstm::quant
