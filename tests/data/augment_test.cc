#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "data/augment.h"

namespace gaitlstm::data {
namespace {

// Two sensors (3 axes + 3 axes) and a single-axis one: walking-like sines
// around gravity, one freeze episode in the middle.
Segment test_segment(int64_t n = 1280) {
  Segment s;
  s.subject = 3;
  s.run = 1;
  s.channels = 7;
  for (int64_t t = 0; t < n; ++t) {
    const double time = static_cast<double>(t) / 64;
    for (int c = 0; c < s.channels; ++c) {
      const double gravity = c % 3 == 1 ? 1000 : 0;
      s.values.push_back(static_cast<float>(gravity + 200 * std::sin(2 * std::numbers::pi * (1 + 0.3 * c) * time)));
    }
    s.freeze.push_back(t >= n / 3 && t < n / 2 ? 1 : 0);
  }
  return s;
}

double norm3(const Segment& s, int64_t t, int first) {
  double sum = 0;
  for (int a = 0; a < 3; ++a) sum += static_cast<double>(s.at(t, first + a)) * s.at(t, first + a);
  return std::sqrt(sum);
}

int64_t freeze_count(const Segment& s) {
  int64_t n = 0;
  for (uint8_t f : s.freeze) n += f;
  return n;
}

TEST(AugmentTest, ParsesListsAllAndNone) {
  const AugmentConfig some = parse_augmentation("rotation,warp");
  EXPECT_TRUE(some.rotation);
  EXPECT_TRUE(some.warp);
  EXPECT_FALSE(some.gain);
  EXPECT_EQ(augmentation_string(some), "warp,rotation");
  EXPECT_FALSE(parse_augmentation("none").any());
  const AugmentConfig all = parse_augmentation("all");
  EXPECT_TRUE(all.rotation && all.gain && all.offset && all.rate && all.noise && all.adc && all.warp && all.jitter);
  EXPECT_EQ(parse_augmentation(augmentation_string(all)).any(), true);
}

TEST(AugmentTest, ParseErrorsNameTheEntry) {
  try {
    parse_augmentation("rotation,spin");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'spin'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("jitter"), std::string::npos) << e.what();  // lists the valid ones
  }
  EXPECT_THROW(parse_augmentation("gain,gain"), std::invalid_argument);
  EXPECT_THROW(parse_augmentation("gain,"), std::invalid_argument);
}

TEST(AugmentTest, JsonRoundTripKeepsSwitchesAndRanges) {
  AugmentConfig c = parse_augmentation("gain,jitter");
  c.gain_max = 3;
  c.jitter_s = 0.25;
  const AugmentConfig back = augment_config_from_json(to_json(c));
  EXPECT_EQ(augmentation_string(back), "gain,jitter");
  EXPECT_EQ(back.gain_max, 3);
  EXPECT_EQ(back.jitter_s, 0.25);
  EXPECT_FALSE(augment_config_from_json(nlohmann::json::object()).any());
}

TEST(AugmentTest, RotationIsUniformlyOrthonormal) {
  Rng rng(5);
  double trace_sum = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const Rotation r = random_rotation(rng);
    for (int a = 0; a < 3; ++a) {
      for (int b = 0; b < 3; ++b) {
        double dot = 0;
        for (int k = 0; k < 3; ++k) dot += r[static_cast<size_t>(3 * a + k)] * r[static_cast<size_t>(3 * b + k)];
        ASSERT_NEAR(dot, a == b ? 1 : 0, 1e-9);
      }
    }
    const double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) +
                       r[2] * (r[3] * r[7] - r[4] * r[6]);
    ASSERT_NEAR(det, 1, 1e-9);  // a rotation, not a reflection
    trace_sum += r[0] + r[4] + r[8];
  }
  // Haar measure on SO(3): E[trace] = 0 (the identity would give 3).
  EXPECT_NEAR(trace_sum / n, 0, 0.05);
}

TEST(AugmentTest, RotationKeepsEachSampleNormAndLeavesSingleAxesAlone) {
  const Segment s = test_segment();
  Segment rotated = s;
  Rng rng(1);
  for (const SensorAxes& sensor : sensors_of(s.channels)) rotate_sensor(rotated, sensor, random_rotation(rng));
  bool changed = false;
  for (int64_t t = 0; t < s.samples(); ++t) {
    for (int first : {0, 3}) ASSERT_NEAR(norm3(rotated, t, first), norm3(s, t, first), 1e-3 * norm3(s, t, first));
    ASSERT_EQ(rotated.at(t, 6), s.at(t, 6));
    changed = changed || std::abs(rotated.at(t, 1) - s.at(t, 1)) > 1;
  }
  EXPECT_TRUE(changed);
  ASSERT_EQ(sensors_of(7).size(), 3u);
  EXPECT_EQ(sensors_of(7)[2].axes, 1);
}

TEST(AugmentTest, GainScalesAndOffsetShifts) {
  const Segment s = test_segment(64);
  Segment g = s, o = s;
  scale_sensor(g, {3, 3}, 0.5);
  offset_sensor(o, {0, 3}, {10, -20, 30});
  for (int64_t t = 0; t < s.samples(); ++t) {
    for (int c = 0; c < 7; ++c) {
      EXPECT_FLOAT_EQ(g.at(t, c), c >= 3 && c < 6 ? 0.5f * s.at(t, c) : s.at(t, c));
      const double add = c == 0 ? 10 : c == 1 ? -20 : c == 2 ? 30 : 0;
      EXPECT_NEAR(o.at(t, c), s.at(t, c) + add, 1e-3);
    }
  }
}

TEST(AugmentTest, QuantizeRoundsToTheLsb) {
  Segment s = test_segment(64);
  quantize(s, 16);
  for (float v : s.values) EXPECT_EQ(std::fmod(std::abs(v), 16.0f), 0.0f) << v;
  EXPECT_THROW(quantize(s, 0), std::invalid_argument);
}

TEST(AugmentTest, RateShiftKeepsLengthLabelsAndGaitBand) {
  const Segment s = test_segment();
  for (double rate : {50.0, 100.0, 128.0, 200.0}) {
    const Segment r = simulate_rate(s, 64, rate);
    ASSERT_EQ(r.samples(), s.samples()) << rate;
    ASSERT_EQ(r.values.size(), s.values.size());
    EXPECT_EQ(r.freeze, s.freeze);
    // 1-2.8 Hz content passes both resamplers: interior samples barely move.
    for (int64_t t = 200; t < s.samples() - 200; ++t) ASSERT_NEAR(r.at(t, 1), s.at(t, 1), 5.0) << rate << " Hz, t " << t;
  }
  EXPECT_EQ(simulate_rate(s, 64, 64).values, s.values);
}

TEST(AugmentTest, WarpChangesLengthByTheFactorAndCarriesLabels) {
  const Segment s = test_segment();
  for (double factor : {0.8, 1.2, 0.9, 1.17}) {
    const Segment w = time_warp(s, factor);
    EXPECT_NEAR(static_cast<double>(w.samples()), s.samples() / factor, 2) << factor;
    EXPECT_EQ(w.values.size(), static_cast<size_t>(w.samples() * w.channels));
    EXPECT_NEAR(static_cast<double>(freeze_count(w)), freeze_count(s) / factor, 2) << factor;
    EXPECT_EQ(w.freeze[static_cast<size_t>(w.samples() * 5 / 12)], 1);  // the episode's middle stays inside it
  }
  EXPECT_THROW(time_warp(s, 0), std::invalid_argument);
}

TEST(AugmentTest, JitterMovesEdgesWithinTheBound) {
  const Segment s = test_segment();
  Rng rng(3);
  int moved = 0;
  for (int i = 0; i < 20; ++i) {
    Segment j = s;
    jitter_labels(j, 32, rng);
    int64_t first = -1, last = -1;
    for (int64_t t = 0; t < j.samples(); ++t) {
      if (j.freeze[static_cast<size_t>(t)]) {
        if (first < 0) first = t;
        last = t;
      }
    }
    ASSERT_GE(first, 0);
    EXPECT_LE(std::abs(first - s.samples() / 3), 32);
    EXPECT_LE(std::abs(last + 1 - s.samples() / 2), 32);
    EXPECT_EQ(freeze_count(j), last + 1 - first);  // still one episode
    moved += first != s.samples() / 3;
  }
  EXPECT_GT(moved, 10);
}

TEST(AugmentTest, DeterministicBySeedAndIndependentStreams) {
  const Segment s = test_segment();
  const AugmentConfig all = parse_augmentation("all");
  Rng a(7), b(7), c(8);
  const Segment x = augment_segment(s, all, 64, a), y = augment_segment(s, all, 64, b), z = augment_segment(s, all, 64, c);
  EXPECT_EQ(x.values, y.values);
  EXPECT_EQ(x.freeze, y.freeze);
  EXPECT_NE(x.values, z.values);
  // Switching a transform on leaves the others' draws alone: gain + jitter
  // (jitter touches only labels) has the values of gain alone.
  Rng d(9), e(9);
  const Segment gain = augment_segment(s, parse_augmentation("gain"), 64, d);
  const Segment gain_jitter = augment_segment(s, parse_augmentation("gain,jitter"), 64, e);
  EXPECT_EQ(gain.values, gain_jitter.values);
  EXPECT_NE(gain.freeze, gain_jitter.freeze);
}

TEST(AugmentTest, AugmentDatasetCopiesOnlyTheGivenSubjects) {
  Dataset d;
  d.sample_rate_hz = 64;
  d.channel_names = {"a", "b", "c", "d", "e", "f", "g"};
  d.segments = {test_segment(), test_segment(), test_segment()};
  d.segments[1].subject = 4;
  const Dataset copies = augment_dataset(d, {3}, parse_augmentation("noise"), 2, 1);
  ASSERT_EQ(copies.segments.size(), 4u);  // 2 copies x 2 segments of subject 3
  for (const Segment& s : copies.segments) EXPECT_EQ(s.subject, 3);
  EXPECT_NE(copies.segments[0].values, copies.segments[1].values);  // own draws per segment
  EXPECT_NE(copies.segments[0].values, copies.segments[2].values);  // and per copy
  EXPECT_EQ(augment_dataset(d, {3}, parse_augmentation("noise"), 2, 1).segments[3].values,
            copies.segments[3].values);
}

}  // namespace
}  // namespace gaitlstm::data
