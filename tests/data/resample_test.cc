#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "data/resample.h"

namespace gaitlstm::data {
namespace {

std::vector<double> sine(double rate_hz, double freq_hz, int n) {
  std::vector<double> x(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) x[static_cast<size_t>(i)] = std::sin(2 * std::numbers::pi * freq_hz * i / rate_hz);
  return x;
}

// Peak amplitude away from the edges.
double interior_peak(const std::vector<double>& y, int margin) {
  double peak = 0;
  for (size_t i = static_cast<size_t>(margin); i + static_cast<size_t>(margin) < y.size(); ++i)
    peak = std::max(peak, std::abs(y[i]));
  return peak;
}

TEST(ResamplerTest, ReducesRatios) {
  EXPECT_EQ(Resampler(128, 64).up(), 1);
  EXPECT_EQ(Resampler(128, 64).down(), 2);
  EXPECT_EQ(Resampler(100, 64).up(), 16);
  EXPECT_EQ(Resampler(100, 64).down(), 25);
  EXPECT_EQ(Resampler(32, 64).up(), 2);
  EXPECT_THROW(Resampler(127.993, 64), std::invalid_argument);
  EXPECT_THROW(Resampler(0, 64), std::invalid_argument);
}

TEST(ResamplerTest, OutputLengthAndIdentity) {
  const Resampler half(128, 64);
  EXPECT_EQ(half.output_length(1000), 500);
  EXPECT_EQ(half.output_length(1001), 501);
  const Resampler same(64, 64);
  const auto x = sine(64, 3, 200);
  const auto y = same.apply(x);
  ASSERT_EQ(y.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(y[i], x[i], 1e-9);
}

TEST(ResamplerTest, KeepsDcAndPassBand) {
  const Resampler resampler(128, 64);
  const auto dc = resampler.apply(std::vector<double>(400, -980.0));
  for (double v : dc) EXPECT_NEAR(v, -980.0, 1e-6);  // edges held: no droop anywhere
  // Flat within 1 % over the gait band (up to 20 Hz); the transition band
  // lies between 0.8 and 1.0 x the output Nyquist frequency (25.6-32 Hz).
  for (double f : {1.0, 5.0, 10.0, 15.0, 20.0}) {
    const auto y = resampler.apply(sine(128, f, 4096));
    EXPECT_NEAR(interior_peak(y, 64), 1.0, 0.01) << f << " Hz";
  }
}

TEST(ResamplerTest, RemovesWhatWouldAlias) {
  // 40-60 Hz are above the 32 Hz Nyquist frequency of 64 Hz: must vanish, not fold.
  const Resampler resampler(128, 64);
  for (double f : {36.0, 40.0, 50.0, 60.0}) {
    const auto y = resampler.apply(sine(128, f, 4096));
    EXPECT_LT(interior_peak(y, 64), 1e-3) << f << " Hz";  // < -60 dB
  }
}

TEST(ResamplerTest, UpsamplingInterpolates) {
  const Resampler resampler(32, 64);
  const auto y = resampler.apply(sine(32, 2, 1024));
  ASSERT_EQ(y.size(), 2047u);
  for (size_t i = 100; i + 100 < y.size(); ++i)
    ASSERT_NEAR(y[i], std::sin(2 * std::numbers::pi * 2 * static_cast<double>(i) / 64), 0.01) << i;
}

TEST(ResamplerTest, SegmentLabelsFollowNearestSample) {
  Segment segment;
  segment.channels = 1;
  for (int i = 0; i < 10; ++i) {
    segment.values.push_back(static_cast<float>(i));
    segment.freeze.push_back(i >= 4 ? 1 : 0);
  }
  const Segment out = Resampler(128, 64).apply(segment);
  EXPECT_EQ(out.samples(), 5);
  EXPECT_EQ(out.freeze, (std::vector<uint8_t>{0, 0, 1, 1, 1}));
}

}  // namespace
}  // namespace gaitlstm::data
