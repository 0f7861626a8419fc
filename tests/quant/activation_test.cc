#include <gtest/gtest.h>

#include <cmath>

#include "quant/activation.h"

namespace gaitlstm::quant {
namespace {

const QFormat kIn{12, 8, Rounding::kHalfEven, Overflow::kSaturate};   // [-8, 8), LSB 1/256
const QFormat kOut{8, 7, Rounding::kHalfEven, Overflow::kSaturate};   // [-1, 1), LSB 1/128

ActivationUnit unit(Function f, ActivationKind kind, int index_bits = 6, int range_log2 = 3) {
  return ActivationUnit(f, {kind, index_bits, range_log2}, kIn, kOut);
}

// Documented bounds (docs/ACTIVATIONS.md has the measured figures).
TEST(ActivationTest, ErrorsWithinDocumentedBounds) {
  struct Case { Function f; ActivationKind kind; int index_bits; double max_error; };
  const Case cases[] = {
      {Function::kSigmoid, ActivationKind::kLut, 6, 0.035},  {Function::kTanh, ActivationKind::kLut, 6, 0.13},
      {Function::kSigmoid, ActivationKind::kLut, 8, 0.012},  {Function::kTanh, ActivationKind::kLut, 8, 0.035},
      {Function::kSigmoid, ActivationKind::kPwl, 3, 0.045},  {Function::kTanh, ActivationKind::kPwl, 4, 0.09},
      {Function::kSigmoid, ActivationKind::kPwl, 5, 0.01},   {Function::kTanh, ActivationKind::kPwl, 5, 0.031},
      {Function::kSigmoid, ActivationKind::kPlan, 0, 0.025}, {Function::kTanh, ActivationKind::kPlan, 0, 0.045},
      {Function::kSigmoid, ActivationKind::kHard, 0, 0.13},  {Function::kTanh, ActivationKind::kHard, 0, 0.25},
  };
  for (const Case& c : cases) {
    const auto u = unit(c.f, c.kind, c.index_bits == 0 ? 6 : c.index_bits);
    const ActivationError e = measure_error(u);
    EXPECT_LE(e.max_abs, c.max_error) << to_string(c.f) << " " << to_string(u.config());
    EXPECT_LE(e.mean_abs, e.max_abs);
    EXPECT_EQ(e.inputs, 4096);  // every Q12.8 code in [-8, 8)
  }
}

TEST(ActivationTest, PlanMatchesThePublishedSegments) {
  const auto plan = unit(Function::kSigmoid, ActivationKind::kPlan);
  const QFormat wide{16, 12, Rounding::kHalfEven, Overflow::kSaturate};
  const ActivationUnit precise(Function::kSigmoid, {ActivationKind::kPlan, 6, 3}, kIn, wide);
  auto value = [&](double x) { return dequantize(precise(quantize(x, kIn)), wide); };
  EXPECT_DOUBLE_EQ(value(0.0), 0.5);
  EXPECT_DOUBLE_EQ(value(0.5), 0.625);                 // 0.25 x + 0.5
  EXPECT_DOUBLE_EQ(value(2.0), 0.875);                 // 0.125 x + 0.625
  EXPECT_DOUBLE_EQ(value(3.0), 0.03125 * 3 + 0.84375); // 0.03125 x + 0.84375
  EXPECT_DOUBLE_EQ(value(6.0), 1.0);                   // flat past 5
  EXPECT_DOUBLE_EQ(value(-2.0), 1.0 - 0.875);          // symmetry
  EXPECT_EQ(plan(quantize(0.0, kIn)), 64);             // 0.5 in Q8.7
}

TEST(ActivationTest, HardFunctionsClamp) {
  const auto hs = unit(Function::kSigmoid, ActivationKind::kHard);
  const auto ht = unit(Function::kTanh, ActivationKind::kHard);
  EXPECT_EQ(hs(quantize(0.0, kIn)), 64);
  EXPECT_EQ(hs(quantize(1.0, kIn)), 96);    // 0.75
  EXPECT_EQ(hs(quantize(5.0, kIn)), 127);   // 1.0 saturates to 127/128
  EXPECT_EQ(hs(quantize(-5.0, kIn)), 0);
  EXPECT_EQ(ht(quantize(0.5, kIn)), 64);
  EXPECT_EQ(ht(quantize(-3.0, kIn)), -128);
}

// Monotone, except PLAN: the published segments step down by 0.004 at
// |x| = 2.375 (0.125 x + 0.625 vs 0.03125 x + 0.84375), one output LSB here.
TEST(ActivationTest, MonotoneExceptPlansPublishedStep) {
  for (ActivationKind kind : {ActivationKind::kLut, ActivationKind::kPwl, ActivationKind::kPlan, ActivationKind::kHard}) {
    for (Function f : {Function::kSigmoid, Function::kTanh}) {
      const auto u = unit(f, kind, 5);
      int64_t previous = u(kIn.min_raw());
      for (int64_t raw = kIn.min_raw() + 1; raw <= kIn.max_raw(); ++raw) {
        const int64_t y = u(raw);
        const int64_t allowed_drop = kind == ActivationKind::kPlan ? 1 : 0;
        ASSERT_GE(y, previous - allowed_drop) << to_string(f) << " " << to_string(u.config()) << " at " << raw;
        previous = y;
      }
    }
  }
}

TEST(ActivationTest, LutAddressIsTheTopBitsOfTheOffsetInput) {
  const auto lut = unit(Function::kSigmoid, ActivationKind::kLut, 4, 3);  // 16 bins of width 1 over [-8, 8)
  ASSERT_EQ(lut.table().size(), 16u);
  EXPECT_EQ(lut.table()[8], quantize(1.0 / (1.0 + std::exp(-0.5)), kOut));  // bin [0, 1), centre 0.5
  EXPECT_EQ(lut(quantize(0.0, kIn)), lut.table()[8]);
  EXPECT_EQ(lut(quantize(0.99, kIn)), lut.table()[8]);
  EXPECT_EQ(lut(quantize(1.0, kIn)), lut.table()[9]);
  EXPECT_EQ(lut(quantize(-8.0, kIn)), lut.table()[0]);
  EXPECT_EQ(lut(kIn.max_raw()), lut.table()[15]);
  EXPECT_EQ(lut.storage_bits(), 16 * 8);
}

TEST(ActivationTest, RejectsImpossibleConfigurations) {
  // 13 address bits over [-8, 8) with 8 fraction bits: only 12 bits exist.
  EXPECT_THROW(unit(Function::kSigmoid, ActivationKind::kLut, 13, 3), std::invalid_argument);
  EXPECT_THROW(unit(Function::kSigmoid, ActivationKind::kPwl, 0, 3), std::invalid_argument);
  EXPECT_THROW(activation_from_json({{"kind", "cubic"}}), std::invalid_argument);
  EXPECT_THROW(activation_from_json({{"kind", "lut"}, {"bits", 3}}), std::invalid_argument);
  const ActivationConfig config{ActivationKind::kPwl, 4, 2};
  EXPECT_EQ(activation_from_json(to_json(config)), config);
}

}  // namespace
}  // namespace gaitlstm::quant
