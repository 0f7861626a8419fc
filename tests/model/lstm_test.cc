// LSTM forward pass against hand-computed values and BPTT against central
// differences, for every parameter group.
#include "model/lstm.h"

#include <cmath>

#include <gtest/gtest.h>

#include "model/train.h"

namespace gaitlstm::model {
namespace {

// F = 1, H = 1, two steps x = (1, -2).  Expected values computed by hand
// (Python, double precision) from the equations in lstm.h.
LstmParams<double> tiny_params() {
  LstmParams<double> p(LstmShape{1, 1});
  p.input_weights() << 0.5, -1, 2, 1;         // i, f, g, o
  p.recurrent_weights() << 0.25, 0.5, -0.5, 1;
  p.gate_bias() << 0, 1, 0, -1;
  p.output_weights() << 2;
  p.output_bias() = -0.5;
  return p;
}

SequenceBatch<double> tiny_batch() {
  SequenceBatch<double> batch;
  batch.steps = {Matrix<double>::Constant(1, 1, 1.0), Matrix<double>::Constant(1, 1, -2.0)};
  return batch;
}

TEST(LstmForward, MatchesHandComputedTinyModel) {
  LstmTrace<double> trace;
  const Vector<double> y = lstm_forward(tiny_params(), tiny_batch(), &trace);
  // step 1: i = s(0.5), f = s(0), g = tanh(2), o = s(0); c = i g; h = o tanh(c)
  EXPECT_NEAR(trace.gates[0](0, 0), 0.6224593312018546, 1e-15);
  EXPECT_NEAR(trace.gates[0](1, 0), 0.5, 1e-15);
  EXPECT_NEAR(trace.gates[0](2, 0), 0.9640275800758169, 1e-15);
  EXPECT_NEAR(trace.gates[0](3, 0), 0.5, 1e-15);
  EXPECT_NEAR(trace.cells[1](0, 0), 0.6000679627541353, 1e-15);
  EXPECT_NEAR(trace.hidden[1](0, 0), 0.26854896300870706, 1e-15);
  // step 2
  EXPECT_NEAR(trace.gates[1](0, 0), 0.2823442838149734, 1e-15);
  EXPECT_NEAR(trace.gates[1](1, 0), 0.9582846014228346, 1e-15);
  EXPECT_NEAR(trace.gates[1](2, 0), -0.999487217206388, 1e-15);
  EXPECT_NEAR(trace.gates[1](3, 0), 0.06114281389347582, 1e-15);
  EXPECT_NEAR(trace.cells[2](0, 0), 0.2928363859901005, 1e-15);
  EXPECT_NEAR(trace.hidden[2](0, 0), 0.017410008295671877, 1e-15);
  // y = s(2 h_2 - 0.5)
  EXPECT_NEAR(y[0], 0.3857577095117756, 1e-15);
}

TEST(LstmForward, ClosedInputGateKeepsCellAtZero) {
  LstmParams<double> p = tiny_params();
  p.input_weights()(0, 0) = 0;
  p.recurrent_weights()(0, 0) = 0;
  p.gate_bias()(0) = -1e3;  // i = 0: nothing enters the cell
  LstmTrace<double> trace;
  const Vector<double> y = lstm_forward(p, tiny_batch(), &trace);
  EXPECT_EQ(trace.cells[2](0, 0), 0.0);
  EXPECT_NEAR(y[0], 1 / (1 + std::exp(0.5)), 1e-15);
}

TEST(LstmForward, StreamingEqualsBatch) {
  LstmParams<float> p = initial_params(LstmShape{3, 5}, 7);
  SequenceBatch<float> batch;
  for (int t = 0; t < 6; ++t) batch.steps.push_back(Matrix<float>::Random(3, 1));
  const Vector<float> y = lstm_forward(p, batch, nullptr);
  LstmStream stream(p);
  float last = 0;
  for (const Matrix<float>& x : batch.steps) last = stream.step(x.data());
  EXPECT_NEAR(last, y[0], 1e-6);
}

TEST(LstmForward, NotStartedStepsAreIgnored) {
  LstmParams<float> p = initial_params(LstmShape{2, 4}, 3);
  SequenceBatch<float> full, padded;
  for (int t = 0; t < 3; ++t) full.steps.push_back(Matrix<float>::Random(2, 1));
  padded.steps = {Matrix<float>::Constant(2, 1, 9.0f), Matrix<float>::Constant(2, 1, -9.0f)};
  padded.steps.insert(padded.steps.end(), full.steps.begin(), full.steps.end());
  padded.first_step = {2};
  EXPECT_EQ(lstm_forward(p, full, nullptr)[0], lstm_forward(p, padded, nullptr)[0]);
}

// Loss L = sum_b (y_b - target_b)^2 / 2 over a batch; dL/dlogit = (y - t) y (1 - y).
double loss_of(const LstmParams<double>& p, const SequenceBatch<double>& batch,
               const Vector<double>& target) {
  return 0.5 * (lstm_forward(p, batch, nullptr) - target).squaredNorm();
}

class LstmGradient : public ::testing::Test {
 protected:
  void SetUp() override {
    std::srand(11);
    params = LstmParams<double>(LstmShape{3, 4});
    params.values = Vector<double>::Random(params.values.size()) * 0.8;
    for (int t = 0; t < 5; ++t) batch.steps.push_back(Matrix<double>::Random(3, 2));
    batch.first_step = {0, 2};  // second sequence starts late
    target = Vector<double>(2);
    target << 1, 0;
    LstmTrace<double> trace;
    const Vector<double> y = lstm_forward(params, batch, &trace);
    const Vector<double> logit_gradient =
        ((y - target).array() * y.array() * (1 - y.array())).matrix();
    analytic = LstmParams<double>(params.shape);
    lstm_backward(params, batch, trace, logit_gradient, analytic);
  }

  // Central differences for parameters [begin, end) against BPTT.
  void check_block(int64_t begin, int64_t end) {
    constexpr double kStep = 1e-6;
    for (int64_t k = begin; k < end; ++k) {
      LstmParams<double> plus = params, minus = params;
      plus.values[k] += kStep;
      minus.values[k] -= kStep;
      const double numeric = (loss_of(plus, batch, target) - loss_of(minus, batch, target)) / (2 * kStep);
      const double scale = std::max({std::abs(numeric), std::abs(analytic.values[k]), 1e-4});
      EXPECT_LT(std::abs(numeric - analytic.values[k]) / scale, 1e-6)
          << "parameter " << k << ": numeric " << numeric << " analytic " << analytic.values[k];
    }
  }

  LstmParams<double> params, analytic;
  SequenceBatch<double> batch;
  Vector<double> target;
};

TEST_F(LstmGradient, InputWeights) {
  check_block(params.offset_input_weights(), params.offset_recurrent_weights());
}
TEST_F(LstmGradient, RecurrentWeights) {
  check_block(params.offset_recurrent_weights(), params.offset_gate_bias());
}
TEST_F(LstmGradient, GateBias) { check_block(params.offset_gate_bias(), params.offset_output_weights()); }
TEST_F(LstmGradient, OutputWeights) {
  check_block(params.offset_output_weights(), params.offset_output_bias());
}
TEST_F(LstmGradient, OutputBias) {
  check_block(params.offset_output_bias(), params.values.size());
}

// The training loss (class-weighted BCE, float, two threads) has the
// gradient its finite differences say.
TEST(TrainingLoss, GradientMatchesFiniteDifferences) {
  LstmParams<float> params = initial_params(LstmShape{2, 3}, 5);
  SequenceBatch<float> batch;
  for (int t = 0; t < 4; ++t) batch.steps.push_back(Matrix<float>::Random(2, 4));
  const std::vector<float> labels = {1, 0, 0, 1}, weights = {2, 0.5f, 0.5f, 2};
  LstmParams<float> gradient(params.shape);
  batch_loss_and_gradient(params, batch, labels, weights, 2, gradient);
  for (int64_t k = 0; k < params.values.size(); ++k) {
    constexpr float kStep = 1e-2f;
    LstmParams<float> plus = params, minus = params, unused(params.shape);
    plus.values[k] += kStep;
    minus.values[k] -= kStep;
    const double numeric = (batch_loss_and_gradient(plus, batch, labels, weights, 1, unused) -
                            batch_loss_and_gradient(minus, batch, labels, weights, 1, unused)) /
                           (2 * kStep);
    EXPECT_NEAR(numeric, gradient.values[k], 2e-3 + 2e-2 * std::abs(numeric)) << "parameter " << k;
  }
}

// Dense supervision: outputs at several steps (and a late-starting sequence).
TEST(TrainingLoss, DenseGradientMatchesFiniteDifferences) {
  LstmParams<float> params = initial_params(LstmShape{2, 3}, 6);
  SequenceBatch<float> batch;
  for (int t = 0; t < 5; ++t) batch.steps.push_back(Matrix<float>::Random(2, 3));
  batch.first_step = {0, 1, 3};
  StepTargets targets{Matrix<float>::Zero(5, 3), Matrix<float>::Zero(5, 3)};
  targets.labels << 0, 0, 0,  1, 0, 0,  0, 0, 0,  1, 1, 0,  0, 1, 1;
  targets.weights << 0, 0, 0,  1, 0, 0,  0, 0, 0,  2, 1, 0,  1, 0.5f, 2;
  LstmParams<float> gradient(params.shape);
  batch_loss_and_gradient(params, batch, targets, 2, gradient);
  for (int64_t k = 0; k < params.values.size(); ++k) {
    constexpr float kStep = 1e-2f;
    LstmParams<float> plus = params, minus = params, unused(params.shape);
    plus.values[k] += kStep;
    minus.values[k] -= kStep;
    const double numeric = (batch_loss_and_gradient(plus, batch, targets, 1, unused) -
                            batch_loss_and_gradient(minus, batch, targets, 1, unused)) /
                           (2 * kStep);
    EXPECT_NEAR(numeric, gradient.values[k], 2e-3 + 2e-2 * std::abs(numeric)) << "parameter " << k;
  }
}

}  // namespace
}  // namespace gaitlstm::model
