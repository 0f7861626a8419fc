// The fast paths (AVX2, portable int32, batches) against the int64
// reference, bit for bit, across formats, roundings, overflows and extreme
// inputs.
#include <gtest/gtest.h>

#include "model/lstm.h"
#include "quant/qlstm.h"
#include "quant/qlstm_fast.h"
#include "util/rng.h"

namespace gaitlstm::quant {
namespace {

// Every value a requantizer accepts, every shift, rounding and overflow.
TEST(Requantizer32Test, EqualsRequantize) {
  for (int shift = -4; shift <= 9; ++shift)
    for (Rounding rounding : {Rounding::kTruncate, Rounding::kHalfUp, Rounding::kHalfEven})
      for (Overflow overflow : {Overflow::kSaturate, Overflow::kWrap}) {
        const QFormat to{6, 3, rounding, overflow};
        const int64_t bound = 3000;
        const auto q = detail::make_requantizer32(bound, to.frac + shift, to);
        ASSERT_TRUE(q.has_value());
        for (int64_t v = -bound; v <= bound; ++v)
          ASSERT_EQ((*q)(static_cast<int32_t>(v)), requantize(v, to.frac + shift, to))
              << v << " shift " << shift << " " << to_string(to);
      }
}

TEST(Requantizer32Test, RefusesWhatInt32CannotHold) {
  const QFormat to{8, 4};
  EXPECT_FALSE(detail::make_requantizer32(int64_t{1} << 31, 10, to).has_value());
  EXPECT_FALSE(detail::make_requantizer32(int64_t{1} << 28, 0, to).has_value());  // << 4 overflows
  EXPECT_FALSE(detail::make_requantizer32(INT32_MAX - 1, 10, to).has_value());    // + half overflows
  EXPECT_TRUE(detail::make_requantizer32((int64_t{1} << 27) - 1, 0, to).has_value());
}

model::LstmParams<float> random_params(int inputs, int hidden, uint64_t seed, double scale) {
  model::LstmParams<float> p({inputs, hidden});
  Rng rng(seed);
  for (Eigen::Index i = 0; i < p.values.size(); ++i) p.values[i] = static_cast<float>(rng.uniform(-scale, scale));
  return p;
}

// Raw inputs, a quarter of them at the ends of the input format.
std::vector<int64_t> random_inputs(size_t count, const QFormat& format, Rng& rng) {
  std::vector<int64_t> raw(count);
  for (auto& v : raw) {
    const double pick = rng.uniform();
    v = pick < 0.125 ? format.min_raw()
                     : (pick < 0.25 ? format.max_raw() : rng.uniform_int(format.min_raw(), format.max_raw()));
  }
  return raw;
}

LstmFormats all_formats(QFormat format, ActivationConfig sigmoid, ActivationConfig tanh) {
  LstmFormats q;
  q.input = q.input_weight = q.recurrent_weight = q.gate_bias = q.gate = q.sigmoid = q.tanh = q.cell = q.hidden =
      q.output_weight = q.output_bias = format;
  q.score = {format.bits + 4, format.frac, format.rounding, format.overflow};
  q.sigmoid_unit = sigmoid;
  q.tanh_unit = q.cell_tanh_unit = tanh;
  return q;
}

struct Case {
  const char* name;
  LstmFormats formats;
  bool fast;  // whether the int32 fast path must apply
};

std::vector<Case> cases() {
  std::vector<Case> all;
  all.push_back({"default 8-bit", LstmFormats{}, true});
  LstmFormats narrow = all_formats({5, 3, Rounding::kTruncate, Overflow::kWrap}, {ActivationKind::kHard, 0, 3},
                                   {ActivationKind::kPlan, 0, 2});
  narrow.cell = {6, 2, Rounding::kHalfUp, Overflow::kSaturate};
  all.push_back({"<= 6-bit, truncate/wrap", narrow, true});
  LstmFormats half_up = LstmFormats{};
  for (QFormat* f : {&half_up.gate, &half_up.cell, &half_up.hidden, &half_up.score}) f->rounding = Rounding::kHalfUp;
  half_up.cell.overflow = half_up.hidden.overflow = Overflow::kWrap;
  all.push_back({"8-bit half-up, wrapping cell and hidden", half_up, true});
  LstmFormats left = LstmFormats{};  // gate and hidden get more fraction bits than their sums: left shifts
  left.input_weight = left.gate_bias = {6, 2};
  left.recurrent_weight = {6, 0};
  left.input = {6, 1};
  left.gate = {12, 7, Rounding::kHalfEven, Overflow::kWrap};  // A = 5
  left.sigmoid = left.tanh = {6, 2, Rounding::kHalfUp};
  left.hidden = {8, 5, Rounding::kTruncate, Overflow::kSaturate};  // from 4 fraction bits
  left.sigmoid_unit = {ActivationKind::kPwl, 4, 3};
  left.tanh_unit = left.cell_tanh_unit = {ActivationKind::kLut, 5, 2};
  all.push_back({"left shifts, pwl", left, true});
  LstmFormats wide = all_formats({12, 9}, {ActivationKind::kPwl, 8, 3}, {ActivationKind::kPwl, 8, 2});
  wide.input = {12, 8};
  wide.gate = {16, 11};
  wide.cell = {16, 11};
  all.push_back({"12-16 bit, pwl", wide, true});
  LstmFormats fine = all_formats({16, 12}, {ActivationKind::kPwl, 8, 3}, {ActivationKind::kPwl, 8, 3});
  fine.sigmoid = fine.tanh = fine.hidden = {16, 14};
  all.push_back({"16-bit: too wide for int32", fine, false});
  return all;
}

// run_batch (best and portable kernels), run and run_reference agree on
// windows of several lengths, shapes with padding (H, F not multiples of 8).
void expect_all_paths_equal(const Case& c, int inputs, int hidden, uint64_t seed) {
  const QuantizedLstm lstm(random_params(inputs, hidden, seed, 2.5), c.formats);
  ASSERT_EQ(lstm.has_fast_path(), c.fast) << c.name;
  Rng rng(seed + 100);
  const int windows = 11, max_steps = 40;
  const std::vector<int64_t> stream =
      random_inputs(static_cast<size_t>((max_steps + windows) * inputs), c.formats.input, rng);
  std::vector<const int64_t*> starts;
  for (int w = 0; w < windows; ++w) starts.push_back(stream.data() + w * inputs);  // overlapping, as decisions
  for (int steps : {0, 1, 7, max_steps}) {
    std::vector<int64_t> best(windows), portable(windows), reference(windows);
    lstm.run_batch(starts, steps, best.data(), LstmKernel::kBest);
    lstm.run_batch(starts, steps, portable.data(), LstmKernel::kPortable);
    lstm.run_batch(starts, steps, reference.data(), LstmKernel::kReference);
    for (int w = 0; w < windows; ++w) {
      const int64_t expected = lstm.run_reference(starts[static_cast<size_t>(w)], steps);
      ASSERT_EQ(reference[static_cast<size_t>(w)], expected);
      ASSERT_EQ(best[static_cast<size_t>(w)], expected) << c.name << " window " << w << " steps " << steps;
      ASSERT_EQ(portable[static_cast<size_t>(w)], expected) << c.name << " window " << w << " steps " << steps;
      ASSERT_EQ(lstm.run(starts[static_cast<size_t>(w)], steps), expected) << c.name << " window " << w;
    }
  }
}

TEST(QuantizedLstmFastTest, EveryPathEqualsTheReference) {
  uint64_t seed = 1;
  for (const Case& c : cases())
    for (auto [inputs, hidden] : {std::pair{3, 32}, std::pair{9, 32}, std::pair{1, 1}, std::pair{5, 11}})
      expect_all_paths_equal(c, inputs, hidden, seed++);
}

// Weights at the ends of their formats and inputs pinned at the extremes
// drive every accumulator to its bound and every unit into saturation.
TEST(QuantizedLstmFastTest, ExtremeWeightsAndInputs) {
  for (const Case& c : cases()) {
    if (!c.fast) continue;
    model::LstmParams<float> p({4, 16});
    Rng rng(7);
    for (Eigen::Index i = 0; i < p.values.size(); ++i) p.values[i] = rng.bernoulli(0.5) ? 1e6f : -1e6f;
    const QuantizedLstm lstm(p, c.formats);
    if (!lstm.has_fast_path()) continue;  // huge weights may leave int32: nothing to compare
    for (int64_t x : {c.formats.input.min_raw(), c.formats.input.max_raw()}) {
      const std::vector<int64_t> window(static_cast<size_t>(20 * 4), x);
      const int64_t* start = window.data();
      int64_t portable = 0;
      lstm.run_batch({&start, 1}, 20, &portable, LstmKernel::kPortable);
      EXPECT_EQ(lstm.run(start, 20), lstm.run_reference(start, 20)) << c.name;
      EXPECT_EQ(portable, lstm.run_reference(start, 20)) << c.name;
    }
  }
}

}  // namespace
}  // namespace gaitlstm::quant
