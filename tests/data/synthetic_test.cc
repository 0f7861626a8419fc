#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "data/load.h"
#include "data/protocol.h"
#include "data/synthetic.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm::data {
namespace {

SyntheticConfig small_config(uint64_t seed) {
  SyntheticConfig config;
  config.seed = seed;
  config.subjects = 4;
  config.subjects_without_freeze = 1;
  config.minutes_per_run = 3;
  return config;
}

TEST(SyntheticTest, SameSeedSameFilesOtherSeedOtherFiles) {
  EXPECT_EQ(synthesize_daphnet_recording(small_config(5), 2, 1), synthesize_daphnet_recording(small_config(5), 2, 1));
  EXPECT_NE(synthesize_daphnet_recording(small_config(5), 2, 1), synthesize_daphnet_recording(small_config(6), 2, 1));
  EXPECT_NE(synthesize_daphnet_recording(small_config(5), 2, 1), synthesize_daphnet_recording(small_config(5), 3, 1));
}

TEST(SyntheticTest, LoadsLikeDaphnetWithFreezesOnlyWhereDue) {
  testing::TempDir dir;
  const auto files = write_synthetic_dataset(dir.path(), small_config(1));
  ASSERT_EQ(files.size(), 4u);
  const Dataset dataset = load_dataset(dir.path());
  EXPECT_EQ(dataset.subjects(), (std::vector<int>{1, 2, 3, 4}));
  for (const SourceFile& source : dataset.sources) EXPECT_EQ(source.ignored_rows, 2 * 3 * 64);  // 3 s each end
  std::vector<int64_t> freeze(5, 0);
  int segments_with_gap = 0;
  for (const Segment& segment : dataset.segments) {
    for (uint8_t f : segment.freeze) freeze[static_cast<size_t>(segment.subject)] += f;
    segments_with_gap += segment.first_row > 1000;
  }
  EXPECT_GT(freeze[1], 64 * 2);  // at least one episode of >= 2 s
  EXPECT_GT(freeze[2], 64 * 2);  // at least one episode of >= 2 s
  EXPECT_GT(freeze[3], 64 * 2);  // at least one episode of >= 2 s
  EXPECT_EQ(freeze[4], 0);  // the subject without freezes
  EXPECT_GT(segments_with_gap, 0);  // some runs have a time gap
  const auto folds = make_loso_folds(make_decisions(dataset));
  EXPECT_EQ(folds.size(), 3u);
}

// Power of one channel in a frequency band, over a window (plain DFT).
double band_power(const Segment& s, int channel, int64_t end, double low_hz, double high_hz) {
  const int n = 256;
  double power = 0;
  for (int k = 1; k < n / 2; ++k) {
    const double f = k * 64.0 / n;
    if (f < low_hz || f > high_hz) continue;
    std::complex<double> acc = 0;
    for (int t = 0; t < n; ++t)
      acc += static_cast<double>(s.at(end - n + t, channel)) * std::polar(1.0, -2 * std::numbers::pi * k * t / n);
    power += std::norm(acc);
  }
  return power;
}

// The physics the detectors rely on: during freezes the ankle's 3-8 Hz
// "freeze band" dominates the 0.5-3 Hz locomotion band; while walking not.
TEST(SyntheticTest, FreezesShowTheFreezeBand) {
  const Dataset dataset = [] {
    testing::TempDir dir;
    write_synthetic_dataset(dir.path(), small_config(3));
    return load_dataset(dir.path());
  }();
  double freeze_ratio = 0, walk_ratio = 0;
  int freeze_windows = 0, walk_windows = 0;
  for (const Decision& d : make_decisions(dataset, {64, 256, 1.0})) {
    const Segment& s = dataset.segments[static_cast<size_t>(d.segment)];
    const double ratio = band_power(s, 0, d.end, 3, 8) / band_power(s, 0, d.end, 0.5, 3);
    int walk_samples = 0;
    for (int64_t t = d.end - 256; t < d.end; ++t) walk_samples += s.freeze[static_cast<size_t>(t)] == 0;
    if (d.freeze) {
      freeze_ratio += std::log(ratio);
      ++freeze_windows;
    } else if (walk_samples == 256) {
      walk_ratio += std::log(ratio);
      ++walk_windows;
    }
  }
  ASSERT_GT(freeze_windows, 5);
  ASSERT_GT(walk_windows, 50);
  EXPECT_GT(freeze_ratio / freeze_windows, walk_ratio / walk_windows + std::log(5.0));
}

}  // namespace
}  // namespace gaitlstm::data
