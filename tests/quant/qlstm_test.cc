#include <gtest/gtest.h>

#include <cmath>

#include "model/lstm.h"
#include "quant/qlstm.h"
#include "util/rng.h"

namespace gaitlstm::quant {
namespace {

model::LstmParams<float> random_params(int inputs, int hidden, uint64_t seed, double scale) {
  model::LstmParams<float> p({inputs, hidden});
  Rng rng(seed);
  for (Eigen::Index i = 0; i < p.values.size(); ++i) p.values[i] = static_cast<float>(rng.uniform(-scale, scale));
  return p;
}

LstmFormats fine_formats() {
  LstmFormats q;
  const QFormat w{16, 12}, a{16, 14};
  q.input = {16, 10};
  q.input_weight = q.recurrent_weight = q.gate_bias = q.output_weight = q.output_bias = w;
  q.gate = {16, 11};
  q.sigmoid = q.tanh = q.hidden = a;
  q.cell = {16, 12};
  q.score = {20, 12};
  q.sigmoid_unit = q.tanh_unit = q.cell_tanh_unit = {ActivationKind::kPwl, 8, 3};
  return q;
}

// Hand-computed: only biases, hard units.  i = f = o = hard_sigmoid(0) = 0.5,
// g = hard_tanh(0.5) = 0.5; c1 = 0.25, h1 = 0.5 * 0.25 = 0.125;
// c2 = 0.5 * 0.25 + 0.25 = 0.375, h2 = 0.1875; score = 2 * 0.1875 - 0.25 = 0.125.
TEST(QuantizedLstmTest, HandComputedBiasOnlyModel) {
  model::LstmParams<float> p({1, 1});
  p.gate_bias()(2) = 0.5f;   // g
  p.output_weights()(0) = 2.0f;
  p.output_bias() = -0.25f;
  LstmFormats q = fine_formats();
  q.sigmoid_unit = q.tanh_unit = q.cell_tanh_unit = {ActivationKind::kHard, 0, 3};
  const QuantizedLstm lstm(p, q);
  const int64_t inputs[2] = {quantize(0.7, q.input), quantize(-0.3, q.input)};  // ignored: W_x = 0
  std::vector<LstmStepTrace> trace;
  const int64_t score = lstm.run(inputs, 2, &trace);
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_DOUBLE_EQ(dequantize(trace[0].cell[0], q.cell), 0.25);
  EXPECT_DOUBLE_EQ(dequantize(trace[0].hidden[0], q.hidden), 0.125);
  EXPECT_DOUBLE_EQ(dequantize(trace[1].cell[0], q.cell), 0.375);
  EXPECT_DOUBLE_EQ(dequantize(trace[1].hidden[0], q.hidden), 0.1875);
  EXPECT_DOUBLE_EQ(dequantize(score, q.score), 0.125);
}

// With 16-bit formats the integer LSTM tracks the float one closely.
TEST(QuantizedLstmTest, FineFormatsTrackTheFloatModel) {
  const auto p = random_params(6, 8, 3, 0.5);
  const LstmFormats q = fine_formats();
  const QuantizedLstm lstm(p, q);
  Rng rng(4);
  for (int trial = 0; trial < 20; ++trial) {
    const int steps = 24;
    std::vector<float> x(static_cast<size_t>(steps * 6));
    std::vector<int64_t> raw(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      raw[i] = quantize(rng.normal(), q.input);
      x[i] = static_cast<float>(dequantize(raw[i], q.input));
    }
    model::LstmStream stream(p);
    float probability = 0;
    for (int t = 0; t < steps; ++t) probability = stream.step(&x[static_cast<size_t>(t * 6)]);
    const double logit = std::log(probability / (1 - probability));
    EXPECT_NEAR(dequantize(lstm.run(raw.data(), steps), q.score), logit, 0.02) << trial;
  }
}

TEST(QuantizedLstmTest, AccumulatorsHoldTheWorstCase) {
  const auto p = random_params(4, 4, 5, 1.0);
  LstmFormats q;
  const QuantizedLstm lstm(p, q);
  // Worst case by brute force over the actual raw weights.
  const int64_t x_max = -q.input.min_raw(), h_max = -q.hidden.min_raw();
  int64_t worst = 0;
  for (int r = 0; r < 16; ++r) {
    int64_t bound = std::abs(lstm.gate_bias()[static_cast<size_t>(r)]) << (lstm.gate_accumulator_frac() - q.gate_bias.frac);
    for (int j = 0; j < 4; ++j)
      bound += std::abs(lstm.input_weights()[static_cast<size_t>(r * 4 + j)]) * x_max
               << (lstm.gate_accumulator_frac() - q.input_weight.frac - q.input.frac);
    for (int k = 0; k < 4; ++k)
      bound += std::abs(lstm.recurrent_weights()[static_cast<size_t>(r * 4 + k)]) * h_max
               << (lstm.gate_accumulator_frac() - q.recurrent_weight.frac - q.hidden.frac);
    worst = std::max(worst, bound);
  }
  EXPECT_GE((int64_t{1} << (lstm.gate_accumulator_bits() - 1)) - 1, worst);
  EXPECT_LT((int64_t{1} << (lstm.gate_accumulator_bits() - 2)) - 1, worst);  // and not wider than needed
  EXPECT_EQ(bits_for_magnitude(127), 8);
  EXPECT_EQ(bits_for_magnitude(128), 9);
  EXPECT_EQ(bits_for_magnitude(0), 1);
}

TEST(QuantizedLstmTest, DequantizedWeightsAreTheQuantizedOnes) {
  const auto p = random_params(3, 4, 6, 0.8);
  const LstmFormats q;
  const QuantizedLstm lstm(p, q);
  const auto d = lstm.dequantized();
  for (Eigen::Index i = 0; i < p.values.size(); ++i) EXPECT_LE(std::abs(d.values[i] - p.values[i]), 0.5 / 32 + 1e-6);
  EXPECT_EQ(QuantizedLstm(d, q).input_weights(), lstm.input_weights());  // idempotent
}

TEST(QuantizedLstmTest, FormatsJsonRoundTripAndErrors) {
  const LstmFormats q = fine_formats();
  EXPECT_EQ(lstm_formats_from_json(to_json(q)), q);
  nlohmann::json broken = to_json(q);
  broken.erase("cell");
  EXPECT_THROW(lstm_formats_from_json(broken), std::invalid_argument);
  broken = to_json(q);
  broken["celll"] = broken["cell"];
  EXPECT_THROW(lstm_formats_from_json(broken), std::invalid_argument);
  broken = to_json(q);
  broken["gate"]["bits"] = 99;
  EXPECT_THROW(lstm_formats_from_json(broken), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::quant
