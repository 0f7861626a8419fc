#include <gtest/gtest.h>

#include <cmath>

#include "quant/fixed_point.h"
#include "util/rng.h"

namespace gaitlstm::quant {
namespace {

constexpr QFormat q(int bits, int frac, Rounding r = Rounding::kHalfEven, Overflow o = Overflow::kSaturate) {
  return {bits, frac, r, o};
}

TEST(FixedPointTest, RangeOfAFormat) {
  const QFormat f = q(8, 4);
  EXPECT_EQ(f.max_raw(), 127);
  EXPECT_EQ(f.min_raw(), -128);
  EXPECT_DOUBLE_EQ(f.max_value(), 7.9375);
  EXPECT_DOUBLE_EQ(f.min_value(), -8.0);
  EXPECT_DOUBLE_EQ(f.lsb(), 0.0625);
  EXPECT_EQ(to_string(f), "Q8.4/half-even/saturate");
}

TEST(FixedPointTest, PlusMinusMaxSaturateOrWrap) {
  EXPECT_EQ(quantize(7.9375, q(8, 4)), 127);
  EXPECT_EQ(quantize(-8.0, q(8, 4)), -128);
  EXPECT_EQ(quantize(100.0, q(8, 4)), 127);
  EXPECT_EQ(quantize(-100.0, q(8, 4)), -128);
  EXPECT_EQ(quantize(1e300, q(8, 4)), 127);
  // Wrap keeps the low bits: 8.0 = raw 128 -> -128; 8.0625 -> -127.
  EXPECT_EQ(quantize(8.0, q(8, 4, Rounding::kHalfEven, Overflow::kWrap)), -128);
  EXPECT_EQ(quantize(8.0625, q(8, 4, Rounding::kHalfEven, Overflow::kWrap)), -127);
  EXPECT_EQ(quantize(-8.0625, q(8, 4, Rounding::kHalfEven, Overflow::kWrap)), 127);
  EXPECT_EQ(fit(300, q(8, 0, Rounding::kTruncate, Overflow::kWrap)), 44);
  EXPECT_EQ(fit(-129, q(8, 0, Rounding::kTruncate, Overflow::kWrap)), 127);
  EXPECT_EQ(fit(-129, q(8, 0)), -128);
}

TEST(FixedPointTest, TiesFollowTheRoundingMode) {
  // In LSBs of Q8.0: 2.5, 3.5, -2.5, -3.5 and a non-tie 2.4.
  const double values[] = {2.5, 3.5, -2.5, -3.5, 2.4, -2.6};
  const int64_t truncate[] = {2, 3, -3, -4, 2, -3};  // floor
  const int64_t half_up[] = {3, 4, -2, -3, 2, -3};
  const int64_t half_even[] = {2, 4, -2, -4, 2, -3};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(quantize(values[i], q(8, 0, Rounding::kTruncate)), truncate[i]) << values[i];
    EXPECT_EQ(quantize(values[i], q(8, 0, Rounding::kHalfUp)), half_up[i]) << values[i];
    EXPECT_EQ(quantize(values[i], q(8, 0, Rounding::kHalfEven)), half_even[i]) << values[i];
  }
}

TEST(FixedPointTest, ShiftRoundAgreesWithQuantizeOfTheExactValue) {
  // The integer path (shift_round) and the real-number path (quantize) must
  // agree everywhere: that is what makes QAT equal the golden model.
  Rng rng(11);
  for (Rounding r : {Rounding::kTruncate, Rounding::kHalfUp, Rounding::kHalfEven}) {
    for (int i = 0; i < 20000; ++i) {
      const int64_t value = rng.uniform_int(-(1 << 20), 1 << 20);
      const int shift = static_cast<int>(rng.uniform_int(0, 12));
      const QFormat to = q(24, 0, r);
      const int64_t via_int = requantize(value, shift, to);
      const int64_t via_real = quantize(std::ldexp(static_cast<double>(value), -shift), to);
      ASSERT_EQ(via_int, via_real) << value << " >> " << shift << " " << to_string(r);
    }
  }
}

TEST(FixedPointTest, RequantizeBetweenFormats) {
  // 1.375 in Q16.8 (raw 352) -> Q8.2: 1.375 = 5.5 LSBs -> tie: even 6 / up 6 / truncate 5.
  EXPECT_EQ(requantize(352, 8, q(8, 2, Rounding::kHalfEven)), 6);
  EXPECT_EQ(requantize(352, 8, q(8, 2, Rounding::kHalfUp)), 6);
  EXPECT_EQ(requantize(352, 8, q(8, 2, Rounding::kTruncate)), 5);
  // 1.125 = 4.5 LSBs: even 4, up 5.
  EXPECT_EQ(requantize(288, 8, q(8, 2, Rounding::kHalfEven)), 4);
  EXPECT_EQ(requantize(288, 8, q(8, 2, Rounding::kHalfUp)), 5);
  // Negative ties: -1.125 = -4.5 LSBs: even -4, up -4, truncate -5.
  EXPECT_EQ(requantize(-288, 8, q(8, 2, Rounding::kHalfEven)), -4);
  EXPECT_EQ(requantize(-288, 8, q(8, 2, Rounding::kHalfUp)), -4);
  EXPECT_EQ(requantize(-288, 8, q(8, 2, Rounding::kTruncate)), -5);
  // More fraction bits: exact left shift; then saturation.
  EXPECT_EQ(requantize(3, 0, q(8, 4)), 48);
  EXPECT_EQ(requantize(9, 0, q(8, 4)), 127);
  // Negative fraction bits: an LSB worth 4.
  EXPECT_EQ(quantize(10.0, q(8, -2)), 2);  // 2.5 LSBs, half-even -> 2
  EXPECT_DOUBLE_EQ(dequantize(3, q(8, -2)), 12.0);
}

TEST(FixedPointTest, FormatForRangeCoversTheRange) {
  EXPECT_EQ(format_for_range(1.0, 8).frac, 7);    // [-1, 1): sigmoid-like
  EXPECT_EQ(format_for_range(3.2, 8).frac, 5);    // needs 2 integer bits + sign
  EXPECT_EQ(format_for_range(4.0, 8).frac, 5);
  EXPECT_EQ(format_for_range(4.1, 8).frac, 4);
  EXPECT_EQ(format_for_range(0.3, 8).frac, 7);
  for (double range : {0.01, 0.7, 5.0, 100.0, 3000.0}) {
    const QFormat f = format_for_range(range, 10);
    EXPECT_GE(f.max_value() + f.lsb(), range) << range;
  }
}

TEST(FixedPointTest, JsonRoundTripAndErrors) {
  const QFormat f = q(12, 9, Rounding::kTruncate, Overflow::kWrap);
  EXPECT_EQ(format_from_json(to_json(f)), f);
  EXPECT_THROW(format_from_json(nlohmann::json{{"bits", 49}, {"frac", 0}}), std::invalid_argument);
  EXPECT_THROW(format_from_json(nlohmann::json{{"bits", 8}}), std::invalid_argument);
  EXPECT_THROW(format_from_json(nlohmann::json{{"bits", 8}, {"frac", 1}, {"rounding", "up"}}), std::invalid_argument);
  EXPECT_THROW(format_from_json(nlohmann::json{{"bits", 8}, {"frac", 1}, {"sign", true}}), std::invalid_argument);
  EXPECT_THROW(quantize(std::nan(""), f), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::quant
