#include <gtest/gtest.h>

#include <cmath>

#include "data/load.h"
#include "data/synthetic.h"
#include "model/frontend.h"
#include "quant/qfrontend.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"

namespace gaitlstm::quant {
namespace {

class QuantizedFrontEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = new data::Dataset(testing::synthetic_dataset(3, 2, 1));
  }
  static void TearDownTestSuite() { delete dataset_; }

  static model::FrontEndConfig config(int baseline_shift, int axes) {
    model::FrontEndConfig c;
    c.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat", "trunk_fwd", "trunk_vert", "trunk_lat"};
    c.baseline_shift = baseline_shift;
    c.axes_per_sensor = axes;
    model::design_filters(c);
    c.feature_mean.assign(static_cast<size_t>(c.features()), 10.0);
    c.feature_std.assign(static_cast<size_t>(c.features()), 2.0);
    return c;
  }
  static data::Dataset* dataset_;
};
data::Dataset* QuantizedFrontEndTest::dataset_ = nullptr;

// With generous formats the integer front-end tracks the float one: the
// remaining differences come from quantized coefficients and the energy LSB.
TEST_F(QuantizedFrontEndTest, TracksTheFloatFrontEnd) {
  for (const auto& [shift, axes] : {std::pair{0, 1}, std::pair{4, 3}}) {
    const model::FrontEndConfig c = config(shift, axes);
    const QFormat feature{16, 10};
    const QuantizedFrontEnd fe(c, FrontEndFormats{{16, 0}, {24, 21}, {28, 12}, {40, 8}, {16, 10}, {16, 12}}, feature);
    const data::Segment& segment = dataset_->segments[0];
    const auto columns = model::channel_columns(c, *dataset_);
    Eigen::MatrixXf expected = model::log_band_energies(c, segment, columns);
    model::normalize(c, expected);
    const std::vector<int64_t> raw = fe.run_segment(segment, columns);
    ASSERT_EQ(static_cast<Eigen::Index>(raw.size()), expected.size());
    double worst = 0;
    for (Eigen::Index m = 0; m < expected.cols(); ++m)
      for (Eigen::Index i = 0; i < expected.rows(); ++i)
        worst = std::max(worst, std::abs(dequantize(raw[static_cast<size_t>(m * expected.rows() + i)], feature) - expected(i, m)));
    EXPECT_LT(worst, 0.02) << "baseline shift " << shift << ", axes " << axes;
  }
}

// Smoothed energies (T extra fraction bits) and ratios: the same agreement.
TEST_F(QuantizedFrontEndTest, LevelFreeFeaturesTrackTheFloatFrontEnd) {
  struct Case { int shift, smoothing; bool ratios, levels; };
  for (const Case& k : {Case{0, 3, false, true}, Case{0, 0, true, false}, Case{4, 3, true, false}, Case{4, 2, true, true}}) {
    model::FrontEndConfig c = config(k.shift, 3);
    c.energy_smoothing_shift = k.smoothing;
    c.ratios = k.ratios;
    c.keep_levels = k.levels;
    c.feature_mean.assign(static_cast<size_t>(c.features()), 1.0);
    c.feature_std.assign(static_cast<size_t>(c.features()), 2.0);
    const QFormat feature{16, 10};
    const QuantizedFrontEnd fe(c, FrontEndFormats{{16, 0}, {24, 21}, {28, 12}, {40, 8}, {16, 10}, {16, 12}}, feature);
    const data::Segment& segment = dataset_->segments[0];
    const auto columns = model::channel_columns(c, *dataset_);
    Eigen::MatrixXf expected = model::log_band_energies(c, segment, columns);
    model::normalize(c, expected);
    const std::vector<int64_t> raw = fe.run_segment(segment, columns);
    ASSERT_EQ(static_cast<Eigen::Index>(raw.size()), expected.size());
    double worst = 0;
    for (Eigen::Index m = 0; m < expected.cols(); ++m)
      for (Eigen::Index i = 0; i < expected.rows(); ++i)
        worst = std::max(worst, std::abs(dequantize(raw[static_cast<size_t>(m * expected.rows() + i)], feature) - expected(i, m)));
    EXPECT_LT(worst, 0.02) << "shift " << k.shift << " smoothing " << k.smoothing << " ratios " << k.ratios;
  }
}

// The integer ratios of a signal and of the same signal doubled (exact in
// integer mg): equal up to the filters' rounding, while the levels move by 2.
TEST_F(QuantizedFrontEndTest, IntegerRatiosIgnoreAConstantGain) {
  model::FrontEndConfig c = config(0, 3);
  c.ratios = true;
  c.energy_smoothing_shift = 3;
  c.feature_mean.assign(static_cast<size_t>(c.features()), 0.0);
  c.feature_std.assign(static_cast<size_t>(c.features()), 1.0);
  const QFormat feature{12, 4};
  const QuantizedFrontEnd fe(c, FrontEndFormats{}, feature);  // log energy Q(10, 4): one LSB = 1/16
  const data::Segment& segment = dataset_->segments[0];
  data::Segment doubled = segment;
  for (float& v : doubled.values) v = 2 * std::round(v);
  data::Segment rounded = segment;
  for (float& v : rounded.values) v = std::round(v);
  const auto columns = model::channel_columns(c, *dataset_);
  const std::vector<int64_t> a = fe.run_segment(rounded, columns), b = fe.run_segment(doubled, columns);
  const int f = fe.features();  // per sensor L_0 L_1 Q_1
  ASSERT_EQ(f, 6);
  // Where both energies are >> 1 (L >= 6), so that the + 1 of log2(E + 1) does not matter.
  int64_t worst_ratio = 0, least_level_shift = 1 << 20, compared = 0;
  for (size_t m = 8; m < a.size() / static_cast<size_t>(f); ++m)  // past the filters' start
    for (int sensor = 0; sensor < 2; ++sensor) {
      const size_t base = m * static_cast<size_t>(f) + static_cast<size_t>(sensor * 3);
      if (std::min(a[base], a[base + 1]) < 6 * 16) continue;
      ++compared;
      worst_ratio = std::max(worst_ratio, std::abs(b[base + 2] - a[base + 2]));
      least_level_shift = std::min({least_level_shift, b[base] - a[base], b[base + 1] - a[base + 1]});
    }
  EXPECT_GT(compared, 20);
  EXPECT_LE(worst_ratio, 2);               // <= 2 LSB (1/8 of a log2 unit)
  EXPECT_GE(least_level_shift, 2 * 16 - 2);  // L moves by log2(2^2) = 2
}

TEST_F(QuantizedFrontEndTest, StreamEqualsSegmentRun) {
  const model::FrontEndConfig c = config(3, 3);
  const QuantizedFrontEnd fe(c, FrontEndFormats{}, QFormat{8, 5});
  const data::Segment& segment = dataset_->segments[1];
  const auto columns = model::channel_columns(c, *dataset_);
  const std::vector<int64_t> batch = fe.run_segment(segment, columns);
  QuantizedFrontEnd::Stream stream(fe);
  std::vector<int64_t> sample(columns.size()), features(static_cast<size_t>(fe.features()));
  size_t step = 0;
  for (int64_t t = 0; t < segment.samples(); ++t) {
    for (size_t ch = 0; ch < columns.size(); ++ch) sample[ch] = static_cast<int64_t>(segment.at(t, columns[ch]));
    if (!stream.push(sample.data(), features.data())) continue;
    for (size_t i = 0; i < features.size(); ++i) ASSERT_EQ(features[i], batch[step * features.size() + i]) << t;
    ++step;
  }
  EXPECT_EQ(step * features.size(), batch.size());
}

TEST(QuantizedFrontEndUnitTest, Log2ApproxIsLeadingOnePlusMantissa) {
  model::FrontEndConfig c;
  c.channel_names = {"x"};
  c.bands = {{3, 8}};
  model::design_filters(c);
  c.feature_mean = {0.0};
  c.feature_std = {1.0};
  // Energy Q(28, 0), log Q(10, 5): log2approx(E + 1) for E = 0, 1, 2, 5, 1000.
  FrontEndFormats formats;
  formats.energy = {28, 0};
  formats.log_energy = {10, 5};
  const QuantizedFrontEnd fe(c, formats, QFormat{10, 5});
  // Feed a constant 0: energy 0 -> L = log2approx(1) = 0 -> normalized (0 - 0) * 1 = 0.
  QuantizedFrontEnd::Stream stream(fe);
  std::vector<int64_t> features(1);
  int64_t zero = 0;
  for (int t = 0; t < c.decimation; ++t) stream.push(&zero, features.data());
  EXPECT_EQ(features[0], 0);
  EXPECT_EQ(exact_log2(16), 4);
  EXPECT_THROW(exact_log2(12), std::invalid_argument);
  EXPECT_DOUBLE_EQ(model::log2_approx(6.0), 2.5);  // the float definition the integer one follows
}

TEST(QuantizedFrontEndUnitTest, FormatsJsonRoundTrip) {
  const FrontEndFormats f{{14, 0}, {20, 17}, {22, 5}, {30, 2}, {9, 4}, {10, 5}};
  EXPECT_EQ(frontend_formats_from_json(to_json(f)), f);
  nlohmann::json broken = to_json(f);
  broken.erase("state");
  EXPECT_THROW(frontend_formats_from_json(broken), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::quant
