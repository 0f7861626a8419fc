// Front-end: filter design, log2 approximation, causality, feature layout,
// and the freeze-index baseline on pure tones.
#include "model/frontend.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "model/freeze_index.h"

namespace gaitlstm::model {
namespace {

// Gain of a biquad at frequency f: |B(e^jw)| / |A(e^jw)|.
double gain(const Biquad& q, double f, double fs) {
  const double w = 2 * std::numbers::pi * f / fs;
  auto magnitude = [&](double c0, double c1, double c2) {
    const double re = c0 + c1 * std::cos(w) + c2 * std::cos(2 * w);
    const double im = -c1 * std::sin(w) - c2 * std::sin(2 * w);
    return std::hypot(re, im);
  };
  return magnitude(q.b0(), q.b1(), q.b2()) / magnitude(1, q.a1(), q.a2());
}

TEST(Biquad, ButterworthGains) {
  const Biquad low = design_lowpass(8, 64), high = design_highpass(3, 64);
  EXPECT_NEAR(gain(low, 0, 64), 1.0, 1e-12);
  EXPECT_NEAR(gain(low, 8, 64), std::sqrt(0.5), 1e-9);  // -3 dB at the cutoff
  EXPECT_NEAR(gain(high, 0, 64), 0.0, 1e-12);
  EXPECT_NEAR(gain(high, 3, 64), std::sqrt(0.5), 1e-9);
  EXPECT_NEAR(gain(high, 31.9, 64), 1.0, 1e-3);
}

TEST(Log2Approx, ExactAtPowersOfTwoLinearBetween) {
  EXPECT_EQ(log2_approx(1), 0.0);
  EXPECT_EQ(log2_approx(1024), 10.0);
  EXPECT_EQ(log2_approx(3), 1.5);    // 2^1 (1 + 0.5)
  EXPECT_EQ(log2_approx(12), 3.5);   // 2^3 (1 + 0.5)
  EXPECT_NEAR(log2_approx(1000), std::log2(1000), 0.09);  // error < 0.0861
}

data::Segment sine_segment(int samples, int channels, double frequency_hz) {
  data::Segment s;
  s.channels = channels;
  s.freeze.assign(samples, 0);
  for (int n = 0; n < samples; ++n) {
    for (int c = 0; c < channels; ++c) {
      s.values.push_back(static_cast<float>(1000 + 200 * std::sin(2 * std::numbers::pi * frequency_hz * n / 64.0 + c)));
    }
  }
  return s;
}

FrontEndConfig config_for(int channels) {
  FrontEndConfig config;
  for (int c = 0; c < channels; ++c) config.channel_names.push_back("ch" + std::to_string(c));
  design_filters(config);
  return config;
}

TEST(FrontEnd, FeatureLayoutAndBandSelectivity) {
  FrontEndConfig config = config_for(3);
  const std::vector<int> columns = {0, 1, 2};
  const Eigen::MatrixXf slow = log_band_energies(config, sine_segment(1024, 3, 1.5), columns);
  const Eigen::MatrixXf fast = log_band_energies(config, sine_segment(1024, 3, 5.0), columns);
  ASSERT_EQ(slow.rows(), 6);          // 3 channels x 2 bands
  ASSERT_EQ(slow.cols(), 1024 / 16);  // one step per 16 samples
  const int last = static_cast<int>(slow.cols()) - 1;
  EXPECT_GT(slow(0, last), slow(1, last) + 3);  // 1.5 Hz: locomotion band >> freeze band
  EXPECT_GT(fast(1, last), fast(0, last) + 3);  // 5 Hz: the reverse
}

TEST(FrontEnd, SensorSumAndRelativeLevels) {
  FrontEndConfig config = config_for(3);
  config.axes_per_sensor = 3;
  config.baseline_shift = 4;
  const Eigen::MatrixXf features = log_band_energies(config, sine_segment(512, 3, 5.0), {0, 1, 2});
  ASSERT_EQ(features.rows(), 4);  // 1 sensor x (2 levels + 2 relative levels)
  EXPECT_EQ(features(2, 0), 0.0f);  // baseline starts at the first level
  config.keep_levels = false;
  const Eigen::MatrixXf relative = log_band_energies(config, sine_segment(512, 3, 5.0), {0, 1, 2});
  ASSERT_EQ(relative.rows(), 2);
  EXPECT_EQ(relative, features.bottomRows(2));
}

data::Segment scaled(data::Segment segment, float gain) {
  for (float& v : segment.values) v *= gain;
  return segment;
}

TEST(FrontEnd, RatiosAreLevelDifferencesWithoutLevels) {
  FrontEndConfig config = config_for(3);
  config.axes_per_sensor = 3;
  const data::Segment segment = sine_segment(1024, 3, 5.0);
  const Eigen::MatrixXf levels = log_band_energies(config, segment, {0, 1, 2});
  config.ratios = true;
  config.keep_levels = false;
  ASSERT_EQ(config.features_per_sensor(), 1);  // Q_1 only
  const Eigen::MatrixXf ratios = log_band_energies(config, segment, {0, 1, 2});
  ASSERT_EQ(ratios.rows(), 1);
  EXPECT_EQ(ratios.row(0), levels.row(1) - levels.row(0));
  EXPECT_TRUE(config.is_relative_feature(0));
  config.keep_levels = true;
  config.baseline_shift = 4;  // L_0 L_1 R_0 R_1 Q_1
  const Eigen::MatrixXf all = log_band_energies(config, segment, {0, 1, 2});
  ASSERT_EQ(all.rows(), 5);
  EXPECT_EQ(all.topRows(2), levels);
  EXPECT_EQ(all.row(4), ratios.row(0));
  EXPECT_FALSE(config.is_relative_feature(1));
  EXPECT_TRUE(config.is_relative_feature(4));
  config.bands = {{3, 8}};
  EXPECT_THROW(design_filters(config), std::invalid_argument);  // a ratio needs two bands
}

// A gain g multiplies every band energy by g^2, so Q = L_k - L_0 stays; the
// levels move by log2(g^2).  Exact for the piecewise-linear log2 at a power of
// two but for the + 1 in log2(E + 1), negligible at these energies.
TEST(FrontEnd, RatiosIgnoreAConstantGain) {
  FrontEndConfig config = config_for(3);
  config.axes_per_sensor = 3;
  config.ratios = true;
  config.energy_smoothing_shift = 3;
  data::Segment segment = sine_segment(2048, 3, 1.5);
  for (int n = 0; n < 2048; ++n)  // add a 5 Hz tremor in the second half
    for (int c = 0; c < 3; ++c)
      if (n >= 1024) segment.values[n * 3 + c] += static_cast<float>(150 * std::sin(2 * std::numbers::pi * 5.0 * n / 64.0));
  const Eigen::MatrixXf base = log_band_energies(config, segment, {0, 1, 2});
  const Eigen::MatrixXf louder = log_band_energies(config, scaled(segment, 4.0f), {0, 1, 2});
  ASSERT_EQ(base.rows(), 3);  // L_0 L_1 Q_1
  EXPECT_NEAR((louder.topRows(2) - base.topRows(2)).minCoeff(), 4.0, 0.01);  // log2(4^2)
  EXPECT_LT((louder.row(2) - base.row(2)).cwiseAbs().maxCoeff(), 0.01);
  EXPECT_GT(base(2, base.cols() - 1), base(2, 60) + 2);  // the tremor raises Q_1
}

TEST(FrontEnd, EnergySmoothingIsAOnePoleAverageOfTheEnergies) {
  FrontEndConfig config = config_for(1);
  config.bands = {{3, 8}};
  design_filters(config);
  data::Segment segment = sine_segment(1024, 1, 5.0);
  for (int n = 512; n < 1024; ++n) segment.values[n] = 1000;  // quiet from step 32 on
  const Eigen::MatrixXf raw = log_band_energies(config, segment, {0});
  config.energy_smoothing_shift = 2;
  const Eigen::MatrixXf smooth = log_band_energies(config, segment, {0});
  EXPECT_EQ(smooth(0, 0), raw(0, 0));  // S starts at the first energy
  // E back from L (log2_approx inverts: L = e + r <-> v = 2^e (1 + r)), then S by the recursion.
  double s = 0;
  for (Eigen::Index m = 0; m < raw.cols(); ++m) {
    const double e = std::floor(raw(0, m));
    const double energy = std::exp2(e) * (1 + raw(0, m) - e) - 1;
    s = m == 0 ? energy : s + (energy - s) / 4;
    EXPECT_NEAR(smooth(0, m), log2_approx(s + 1), 1e-3) << m;
  }
  EXPECT_GT(smooth(0, 36), raw(0, 36) + 1);  // decays slowly after the tone stops
}

TEST(FrontEnd, IsCausal) {
  FrontEndConfig config = config_for(1);
  config.baseline_shift = 3;
  data::Segment a = sine_segment(640, 1, 2.0), b = a;
  for (int n = 320; n < 640; ++n) b.values[n] = -5000;  // change the future only
  const Eigen::MatrixXf fa = log_band_energies(config, a, {0});
  const Eigen::MatrixXf fb = log_band_energies(config, b, {0});
  EXPECT_EQ(fa.leftCols(320 / 16), fb.leftCols(320 / 16));
  EXPECT_NE(fa.col(320 / 16), fb.col(320 / 16));
}

TEST(FrontEnd, NormalizationFitsMeanAndStd) {
  FrontEndConfig config = config_for(1);
  Eigen::MatrixXf a(2, 2), b(2, 2);
  a << 1, 3, 10, 10;
  b << 5, 7, 10, 10;
  fit_normalization(config, {&a, &b});
  EXPECT_DOUBLE_EQ(config.feature_mean[0], 4.0);
  EXPECT_DOUBLE_EQ(config.feature_std[0], std::sqrt(5.0));
  EXPECT_DOUBLE_EQ(config.feature_mean[1], 10.0);
  EXPECT_GT(config.feature_std[1], 0.0);  // constant feature: no division by zero
  normalize(config, a);
  EXPECT_FLOAT_EQ(a(0, 0), static_cast<float>(-3 / std::sqrt(5.0)));
}

TEST(FreezeIndex, TremorScoresAboveWalking) {
  data::Dataset dataset;
  dataset.channel_names = {"x"};
  dataset.segments = {sine_segment(512, 1, 1.5), sine_segment(512, 1, 5.0)};
  const std::vector<data::Decision> decisions = {{0, 512, 1, false}, {1, 512, 1, true}};
  const FreezeIndexFeatures f = freeze_index_features({}, dataset, decisions, {0}, 1);
  EXPECT_LT(f.log_freeze_index[0], -3);
  EXPECT_GT(f.log_freeze_index[1], 3);
  EXPECT_EQ(freeze_index_score(f, 1, f.power[1] * 2), freeze_index_score(f, 0, f.power[0] * 2));
}

}  // namespace
}  // namespace gaitlstm::model
