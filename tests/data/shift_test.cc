#include <gtest/gtest.h>

#include <cmath>

#include "data/shift.h"

namespace gaitlstm::data {
namespace {

Segment ramp_segment() {
  Segment s;
  s.subject = 1;
  s.channels = 3;
  for (int t = 0; t < 640; ++t) {
    for (int c = 0; c < 3; ++c) s.values.push_back(static_cast<float>(100 * std::sin(0.1 * t + c) + (c == 1 ? 1000 : 0)));
    s.freeze.push_back(t >= 320 ? 1 : 0);
  }
  return s;
}

TEST(ShiftTest, AllIsTheIssuesBattery) {
  std::vector<std::string> names;
  for (const Shift& s : parse_shifts("all")) names.push_back(s.name());
  EXPECT_EQ(names, (std::vector<std::string>{"rotation", "gain:0.5", "gain:2", "rate:128", "rate:100", "noise:20",
                                             "warp:0.8", "warp:1.2"}));
}

TEST(ShiftTest, ParsesDefaultsAndValues) {
  const std::vector<Shift> shifts = parse_shifts("none,offset,adc:8,noise:5,warp:1.1");
  ASSERT_EQ(shifts.size(), 5u);
  EXPECT_EQ(shifts[0].kind, ShiftKind::kNone);
  EXPECT_EQ(shifts[1].parameter, 200);
  EXPECT_EQ(shifts[2].parameter, 8);
  EXPECT_EQ(shifts[3].name(), "noise:5");
  EXPECT_EQ(shifts[4].kind, ShiftKind::kWarp);
}

TEST(ShiftTest, ParseErrorsNameTheEntry) {
  for (const char* bad : {"gain", "gain:x", "gain:-1", "gain:2z", "rotation:3", "tilt", "gain:2,gain:2", "rate:128,"}) {
    try {
      parse_shifts(bad);
      ADD_FAILURE() << bad << ": no error";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(ShiftTest, AppliesEachKind) {
  const Segment s = ramp_segment();
  EXPECT_EQ(apply_shift(s, {ShiftKind::kNone, 0}, 64, 1).values, s.values);
  const Segment g = apply_shift(s, {ShiftKind::kGain, 2}, 64, 1);
  for (size_t i = 0; i < s.values.size(); ++i) EXPECT_FLOAT_EQ(g.values[i], 2 * s.values[i]);
  const Segment w = apply_shift(s, {ShiftKind::kWarp, 0.8}, 64, 1);
  EXPECT_NEAR(static_cast<double>(w.samples()), 800, 2);
  const Segment r = apply_shift(s, {ShiftKind::kRate, 100}, 64, 1);
  EXPECT_EQ(r.samples(), s.samples());
  EXPECT_EQ(r.freeze, s.freeze);
  // Random shifts: deterministic by seed, different across seeds.
  for (ShiftKind kind : {ShiftKind::kRotation, ShiftKind::kNoise, ShiftKind::kOffset}) {
    const Shift shift{kind, kind == ShiftKind::kRotation ? 0.0 : 20.0};
    EXPECT_EQ(apply_shift(s, shift, 64, 3).values, apply_shift(s, shift, 64, 3).values);
    EXPECT_NE(apply_shift(s, shift, 64, 3).values, apply_shift(s, shift, 64, 4).values);
  }
}

TEST(ShiftTest, DatasetKeepsOnlyTheSubjects) {
  Dataset d;
  d.sample_rate_hz = 64;
  d.segments = {ramp_segment(), ramp_segment()};
  d.segments[1].subject = 2;
  const Dataset shifted = apply_shift(d, {2}, {ShiftKind::kGain, 0.5}, 1);
  ASSERT_EQ(shifted.segments.size(), 1u);
  EXPECT_EQ(shifted.segments[0].subject, 2);
  EXPECT_FLOAT_EQ(shifted.segments[0].values[1], 0.5f * d.segments[1].values[1]);
}

TEST(ShiftTest, ShiftedCopiesFollowEachSegment) {
  Dataset d;
  d.sample_rate_hz = 64;
  d.segments = {ramp_segment(), ramp_segment()};
  d.segments[1].subject = 2;
  const Dataset copies = with_shifted_copies(d, {{ShiftKind::kGain, 0.5}, {ShiftKind::kGain, 2}}, 1);
  ASSERT_EQ(copies.segments.size(), 6u);
  const float factors[] = {1.0f, 0.5f, 2.0f};
  for (size_t i = 0; i < copies.segments.size(); ++i) {
    const Segment& original = d.segments[i / 3];
    const Segment& copy = copies.segments[i];
    EXPECT_EQ(copy.subject, original.subject) << i;
    EXPECT_EQ(copy.run, original.run) << i;
    EXPECT_EQ(copy.freeze, original.freeze) << i;
    EXPECT_FLOAT_EQ(copy.values[1], factors[i % 3] * original.values[1]) << i;
  }
  EXPECT_TRUE(with_shifted_copies(d, {}, 1).segments.size() == d.segments.size());
}

}  // namespace
}  // namespace gaitlstm::data
