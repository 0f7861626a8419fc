#include <gtest/gtest.h>

#include <algorithm>

#include "data/load.h"
#include "data/synthetic.h"
#include "quant/golden.h"
#include "rtl/detector_rtl.h"
#include "rtl/verilator_harness.h"
#include "support/busiest_threshold.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/rng.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

class DetectorRtlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = new data::Dataset(testing::synthetic_dataset(2, 1.5, 0));
  }
  static void TearDownTestSuite() { delete dataset_; }

  // An untrained detector with random weights: enough to exercise every path.
  static model::Detector detector(uint64_t seed, int smoothing = 1) {
    model::Detector d;
    d.output_smoothing = smoothing;
    d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
    d.frontend.axes_per_sensor = 3;
    d.frontend.baseline_shift = 3;
    model::design_filters(d.frontend);
    for (int i = 0; i < d.frontend.features(); ++i) {
      d.frontend.feature_mean.push_back(i % 2 ? 0.0 : 10.0);
      d.frontend.feature_std.push_back(2.0);
    }
    d.history_steps = 6;
    d.lstm = model::LstmParams<float>({d.frontend.features(), 4});
    Rng rng(seed);
    for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1.2, 1.2));
    d.threshold = 0.5;
    return d;
  }

  static std::vector<quant::GoldenDetector::Output> golden_stream(const quant::GoldenDetector& golden,
                                                                  const std::vector<int64_t>& samples) {
    std::vector<quant::GoldenDetector::Output> outputs;
    quant::GoldenDetector::Stream stream(golden);
    const size_t channels = static_cast<size_t>(golden.frontend().config().channels());
    for (size_t t = 0; t * channels < samples.size(); ++t)
      if (auto out = stream.push(&samples[t * channels])) outputs.push_back(*out);
    return outputs;
  }

  // With a cue: the threshold where the FoG flag toggles most often.
  // With `calibrate`: self-calibration seeded from the statistics, fast (rate 1/4).
  void expect_bit_exact(const CoreConfig& core, uint64_t seed, int smoothing = 1,
                        const quant::QuantizedCue& cue = {}, bool calibrate = false) {
    quant::GoldenDetector golden(detector(seed, smoothing), quant::QuantConfig{});
    const int segment = 0;
    const std::vector<int64_t> samples = quant::segment_samples(golden, *dataset_, segment);
    const int channels = golden.frontend().config().channels();
    if (cue.active()) {
      std::vector<int64_t> statistics;
      for (const auto& out : golden_stream(golden, samples)) statistics.push_back(out.score);
      golden.set_threshold(testing::busiest_threshold(statistics));
      golden.set_cue(cue);
    }
    if (calibrate) {
      std::vector<int64_t> statistics;
      for (const auto& out : golden_stream(golden, samples)) statistics.push_back(out.score);
      const model::CalibrationConfig config =
          model::seed_calibration({2, 0.75, 0.1, 0, 0}, golden.statistic_values(statistics));
      golden.set_calibration(quant::quantize_calibration(config, golden.statistic_format(), golden.smoothing()));
    }
    const std::vector<quant::GoldenDetector::Output> expected = golden_stream(golden, samples);
    ASSERT_GT(expected.size(), 50u);

    testing::TempDir dir;
    const DetectorConfig config{"detector", core};
    const auto modules = generate_detector(golden, config);
    EXPECT_EQ(lint_verilog(tools, write_modules(dir.file("lint"), modules), "detector", dir.file("lint")), "");
    const VerilatedDetector rtl(tools, modules, {"detector", channels, golden.frontend().formats().sample.bits,
                                          golden.statistic_format().bits}, dir.path());
    const DetectorRun run = rtl.run(samples, 3000);
    EXPECT_FALSE(run.overrun);
    ASSERT_EQ(run.scores.size(), expected.size());
    const auto& p = golden.protocol();
    int cued = 0, moved = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(run.thresholds[i], expected[i].threshold) << "decision " << i;
      moved += expected[i].threshold != golden.threshold();
      ASSERT_EQ(run.scores[i], expected[i].score) << "decision " << i;
      ASSERT_EQ(run.fog[i] != 0, expected[i].fog) << "decision " << i;
      ASSERT_EQ(run.alarm[i] != 0, expected[i].alarm) << "decision " << i;
      cued += expected[i].alarm != expected[i].fog;
      const size_t sample = static_cast<size_t>(p.label_window + static_cast<int64_t>(i) * p.stride) - 1;
      const int steps = std::min<int>(golden.history_steps(), static_cast<int>((sample + 1) / golden.frontend().config().decimation));
      ASSERT_EQ(run.output_cycle[i] - run.accept_cycle[sample], decision_latency_cycles(golden, core, steps)) << i;
    }
    if (cue.active()) {
      EXPECT_GT(cued, 3) << "the cue never changed an alarm";
    }
    if (calibrate) {
      EXPECT_GT(moved, 20) << "the self-calibrated threshold hardly moved";
    } else {
      EXPECT_EQ(moved, 0);
    }
  }
  static data::Dataset* dataset_;
};
data::Dataset* DetectorRtlTest::dataset_ = nullptr;

TEST_F(DetectorRtlTest, SerialBitExactOnARecording) { expect_bit_exact(CoreConfig{"", 1, 0, false}, 1); }
TEST_F(DetectorRtlTest, GatesBitExactOnARecording) { expect_bit_exact(CoreConfig{"", 4, 0, false}, 2); }
TEST_F(DetectorRtlTest, MultiplierlessBitExactOnARecording) { expect_bit_exact(CoreConfig{"", 1, 0, true}, 3); }
TEST_F(DetectorRtlTest, OutputSmoothingBitExact) { expect_bit_exact(CoreConfig{"", 2, 0, false}, 4, 4); }
TEST_F(DetectorRtlTest, CueBitExactOnLogits) { expect_bit_exact(CoreConfig{"", 1, 0, false}, 6, 1, {2, 3, 2}); }
TEST_F(DetectorRtlTest, CueBitExactAfterSmoothing) { expect_bit_exact(CoreConfig{"", 4, 0, false}, 7, 2, {0, 8, 4}); }
TEST_F(DetectorRtlTest, SelfCalibrationWithCueBitExact) {
  expect_bit_exact(CoreConfig{"", 1, 0, false}, 8, 3, {2, 2, 1}, true);
}

// The batch golden model (used for accuracy figures) equals the stream (what the chip does).
TEST_F(DetectorRtlTest, GoldenBatchEqualsStream) {
  for (int smoothing : {1, 3}) {
    const quant::GoldenDetector golden(detector(5, smoothing), quant::QuantConfig{});
    const auto decisions = data::make_decisions(*dataset_, golden.protocol());
    const std::vector<int64_t> batch = golden.score_decisions(*dataset_, decisions, 2);
    size_t next = 0;
    for (size_t s = 0; s < dataset_->segments.size(); ++s) {
      const std::vector<int64_t> samples = quant::segment_samples(golden, *dataset_, static_cast<int>(s));
      quant::GoldenDetector::Stream stream(golden);
      const size_t channels = static_cast<size_t>(golden.frontend().config().channels());
      for (size_t t = 0; t * channels < samples.size(); ++t)
        if (auto out = stream.push(&samples[t * channels])) {
          ASSERT_LT(next, batch.size());
          ASSERT_EQ(decisions[next].segment, static_cast<int>(s));
          ASSERT_EQ(out->score, batch[next]) << "decision " << next << " smoothing " << smoothing;
          ++next;
        }
    }
    EXPECT_EQ(next, batch.size());
  }
}

}  // namespace
}  // namespace gaitlstm::rtl
