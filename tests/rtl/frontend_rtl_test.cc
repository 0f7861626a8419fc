#include <gtest/gtest.h>

#include <set>

#include "data/load.h"
#include "data/synthetic.h"
#include "quant/qfrontend.h"
#include "rtl/frontend_rtl.h"
#include "rtl/verilator_harness.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

class FrontEndRtlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = new data::Dataset(testing::synthetic_dataset(2, 1, 0));
  }
  static void TearDownTestSuite() { delete dataset_; }

  static model::FrontEndConfig config(std::vector<std::string> channels, int axes, int baseline_shift,
                                      bool keep_levels = true, int smoothing = 0, bool ratios = false) {
    model::FrontEndConfig c;
    c.keep_levels = keep_levels;
    c.energy_smoothing_shift = smoothing;
    c.ratios = ratios;
    c.channel_names = std::move(channels);
    c.axes_per_sensor = axes;
    c.baseline_shift = baseline_shift;
    model::design_filters(c);
    for (int i = 0; i < c.features(); ++i) {  // relative levels and ratios are near 0: keep them off saturation
      c.feature_mean.push_back(c.is_relative_feature(i) ? 0.25 * i - 1 : 8.0 + 0.5 * i);
      c.feature_std.push_back(2.0 + 0.25 * i);
    }
    return c;
  }

  // Streams `samples` samples of segment 0 through RTL and golden model.
  void expect_bit_exact(const model::FrontEndConfig& c, const quant::FrontEndFormats& formats, int samples) {
    const quant::QFormat feature{8, 5};
    const quant::QuantizedFrontEnd fe(c, formats, feature);
    testing::TempDir dir;
    const auto modules = generate_frontend(fe, "frontend");
    EXPECT_EQ(lint_verilog(tools, write_modules(dir.file("lint"), modules), "frontend", dir.file("lint")), "");
    const VerilatedFrontEnd rtl(tools, modules,
                                {"frontend", c.channels(), formats.sample.bits, fe.features(), feature.bits}, dir.path());
    const data::Segment& segment = dataset_->segments[0];
    const auto columns = model::channel_columns(c, *dataset_);
    std::vector<int64_t> stream;
    for (int t = 0; t < samples; ++t)
      for (int column : columns) stream.push_back(quant::quantize(segment.at(t, column), formats.sample));
    const FrontEndRun run = rtl.run(stream);
    const std::vector<int64_t> golden = fe.run_segment(segment, columns);
    ASSERT_EQ(run.features.size(), static_cast<size_t>(samples / c.decimation));
    for (size_t m = 0; m < run.features.size(); ++m)
      for (int i = 0; i < fe.features(); ++i)
        ASSERT_EQ(run.features[m][static_cast<size_t>(i)], golden[m * static_cast<size_t>(fe.features()) + static_cast<size_t>(i)])
            << "step " << m << " feature " << i;
    for (int i = 0; i < fe.features(); ++i) {  // every feature moves (not stuck at a saturation bound)
      std::set<int64_t> values;
      for (const auto& step : run.features) values.insert(step[static_cast<size_t>(i)]);
      EXPECT_GT(values.size(), 3u) << "feature " << i;
    }
    ASSERT_EQ(run.busy_cycles.size(), static_cast<size_t>(samples));
    for (int t = 0; t < samples; ++t) {
      const bool block_end = (t + 1) % c.decimation == 0;
      ASSERT_EQ(run.busy_cycles[static_cast<size_t>(t)],
                block_end ? frontend_block_end_cycles(fe) : frontend_sample_cycles(fe)) << "sample " << t;
    }
  }
  static data::Dataset* dataset_;
};
data::Dataset* FrontEndRtlTest::dataset_ = nullptr;

TEST_F(FrontEndRtlTest, AnkleAxesBitExact) {
  expect_bit_exact(config({"ankle_fwd", "ankle_vert", "ankle_lat"}, 1, 0), quant::FrontEndFormats{}, 64 * 20);
}

TEST_F(FrontEndRtlTest, SensorsWithBaselineBitExact) {
  quant::FrontEndFormats narrow;
  narrow.coefficient = {14, 12, quant::Rounding::kHalfUp};
  narrow.state = {18, 3, quant::Rounding::kTruncate};
  narrow.energy = {20, 1, quant::Rounding::kHalfEven, quant::Overflow::kWrap};
  narrow.log_energy = {8, 3};
  narrow.inv_std = {8, 5};
  expect_bit_exact(config({"ankle_fwd", "ankle_vert", "ankle_lat", "trunk_fwd", "trunk_vert", "trunk_lat"}, 3, 4),
                   narrow, 64 * 20);
}

TEST_F(FrontEndRtlTest, OnlyRelativeLevelsBitExact) {
  expect_bit_exact(config({"ankle_fwd", "ankle_vert", "ankle_lat"}, 3, 5, false), quant::FrontEndFormats{}, 64 * 12);
}

// Two features (one sensor, levels only): the feature index is one bit wide.
TEST_F(FrontEndRtlTest, LevelsOfOneSensorBitExact) {
  expect_bit_exact(config({"ankle_fwd", "ankle_vert", "ankle_lat"}, 3, 0), quant::FrontEndFormats{}, 64 * 4);
}

// Level-free features (model/frontend.h): smoothed energies, ratios Q_k.
TEST_F(FrontEndRtlTest, SmoothedEnergiesBitExact) {
  expect_bit_exact(config({"ankle_fwd", "ankle_vert", "ankle_lat"}, 3, 0, true, 3), quant::FrontEndFormats{}, 64 * 12);
}

// One feature per sensor (Q_1): band 0's visit has no feature (S_KEEP).
TEST_F(FrontEndRtlTest, OnlyRatiosBitExact) {
  model::FrontEndConfig c = config({"ankle_fwd", "ankle_vert", "ankle_lat", "trunk_fwd", "trunk_vert", "trunk_lat"}, 3, 0,
                                   false, 3, true);
  ASSERT_EQ(c.features(), 2);
  expect_bit_exact(c, quant::FrontEndFormats{}, 64 * 12);
}

// Three bands, ratios beside relative levels, narrow formats (wrapping energy, T = 2).
TEST_F(FrontEndRtlTest, RatiosAndRelativeLevelsNarrowBitExact) {
  quant::FrontEndFormats narrow;
  narrow.coefficient = {14, 12, quant::Rounding::kHalfUp};
  narrow.state = {18, 3, quant::Rounding::kTruncate};
  narrow.energy = {20, 1, quant::Rounding::kHalfEven, quant::Overflow::kWrap};
  narrow.log_energy = {8, 3};
  narrow.inv_std = {8, 5};
  model::FrontEndConfig c = config({"ankle_fwd", "ankle_vert", "ankle_lat"}, 1, 4, false, 2, true);
  c.bands = {{0.5, 2}, {2, 4}, {4, 8}};
  model::design_filters(c);
  c.feature_mean.clear();
  c.feature_std.clear();
  for (int i = 0; i < c.features(); ++i) {
    c.feature_mean.push_back(0.5 * i - 2);
    c.feature_std.push_back(1.0 + 0.25 * i);
  }
  ASSERT_EQ(c.features(), 3 * (3 + 2));
  expect_bit_exact(c, narrow, 64 * 12);
}

TEST_F(FrontEndRtlTest, LevelsRelativeLevelsAndRatiosBitExact) {
  expect_bit_exact(config({"ankle_fwd", "ankle_vert", "ankle_lat"}, 3, 5, true, 3, true), quant::FrontEndFormats{},
                   64 * 12);
}

}  // namespace
}  // namespace gaitlstm::rtl
