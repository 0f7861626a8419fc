// Single-layer LSTM with a dense sigmoid output: the FoG detector's core.
//
// Shapes: F inputs, H hidden units, sequences of T steps, batches of B.
// For every step t (columns are sequences of the batch):
//
//   z_t = W_x x_t + W_h h_{t-1} + b                 (4H x B)
//   i_t = sigmoid(z_t[0H:1H])     input gate
//   f_t = sigmoid(z_t[1H:2H])     forget gate
//   g_t = tanh   (z_t[2H:3H])     candidate cell
//   o_t = sigmoid(z_t[3H:4H])     output gate
//   c_t = f_t * c_{t-1} + i_t * g_t
//   h_t = o_t * tanh(c_t)
//   y   = sigmoid(w_out . h_T + b_out)              FoG probability, last step
//
// with h_0 = c_0 = 0 (the sequence is the model's whole causal history).
// Gate order inside every 4H block is i, f, g, o (PyTorch's order).
//
// Flat parameter layout (LstmParams::values, P = 4H(F+H+1) + H + 1):
//   [ W_x (4H x F, column-major) | W_h (4H x H, column-major) | b (4H) |
//     w_out (H) | b_out (1) ]
// Accessors below map each block; gradients use the same layout.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace gaitlstm::model {

struct LstmShape {
  int inputs = 0;  // F
  int hidden = 0;  // H
  int64_t parameter_count() const {
    return 4LL * hidden * (inputs + hidden + 1) + hidden + 1;
  }
};

template <typename Scalar>
using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <typename Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

// A flat parameter (or gradient) vector with named views on its blocks.
template <typename Scalar>
struct LstmParams {
  using MatrixMap = Eigen::Map<Matrix<Scalar>>;
  using VectorMap = Eigen::Map<Vector<Scalar>>;
  using ConstMatrixMap = Eigen::Map<const Matrix<Scalar>>;
  using ConstVectorMap = Eigen::Map<const Vector<Scalar>>;

  LstmShape shape;
  Vector<Scalar> values;

  LstmParams() = default;
  explicit LstmParams(LstmShape s)
      : shape(s), values(Vector<Scalar>::Zero(s.parameter_count())) {}

  int64_t offset_input_weights() const { return 0; }
  int64_t offset_recurrent_weights() const { return 4LL * shape.hidden * shape.inputs; }
  int64_t offset_gate_bias() const {
    return offset_recurrent_weights() + 4LL * shape.hidden * shape.hidden;
  }
  int64_t offset_output_weights() const { return offset_gate_bias() + 4LL * shape.hidden; }
  int64_t offset_output_bias() const { return offset_output_weights() + shape.hidden; }

  MatrixMap input_weights() { return {values.data(), 4 * shape.hidden, shape.inputs}; }
  MatrixMap recurrent_weights() {
    return {values.data() + offset_recurrent_weights(), 4 * shape.hidden, shape.hidden};
  }
  VectorMap gate_bias() { return {values.data() + offset_gate_bias(), 4 * shape.hidden}; }
  VectorMap output_weights() { return {values.data() + offset_output_weights(), shape.hidden}; }
  Scalar& output_bias() { return values[offset_output_bias()]; }

  ConstMatrixMap input_weights() const { return {values.data(), 4 * shape.hidden, shape.inputs}; }
  ConstMatrixMap recurrent_weights() const {
    return {values.data() + offset_recurrent_weights(), 4 * shape.hidden, shape.hidden};
  }
  ConstVectorMap gate_bias() const { return {values.data() + offset_gate_bias(), 4 * shape.hidden}; }
  ConstVectorMap output_weights() const {
    return {values.data() + offset_output_weights(), shape.hidden};
  }
  Scalar output_bias() const { return values[offset_output_bias()]; }
};

// A batch of B sequences padded on the left to a common length T: steps[t]
// is F x B (column = sequence).  Sequence b starts at step first_step[b]
// (empty = all start at 0); before it, h and c stay 0 and its inputs are
// ignored, so a short history near a segment start is exact, not padded.
template <typename Scalar>
struct SequenceBatch {
  std::vector<Matrix<Scalar>> steps;
  std::vector<int> first_step;
  int size() const { return steps.empty() ? 0 : static_cast<int>(steps[0].cols()); }
  int length() const { return static_cast<int>(steps.size()); }
};

// Activations kept by the forward pass for backpropagation through time.
template <typename Scalar>
struct LstmTrace {
  std::vector<Matrix<Scalar>> gates;  // per step: [i; f; g; o] after nonlinearity, 4H x B
  std::vector<Matrix<Scalar>> cells;  // c_0 .. c_T, H x B
  std::vector<Matrix<Scalar>> hidden; // h_0 .. h_T, H x B
  Vector<Scalar> logits;              // w_out . h_T + b_out, per sequence
  Vector<Scalar> outputs;             // sigmoid(logits)
};

// Forward pass over a batch; returns the FoG probability of every sequence
// and, if `trace` is non-null, keeps what backward() needs.
template <typename Scalar>
Vector<Scalar> lstm_forward(const LstmParams<Scalar>& params, const SequenceBatch<Scalar>& batch,
                            std::type_identity_t<LstmTrace<Scalar>>* trace);

// Backpropagation through time.  `logit_gradient` is dLoss/dlogit for each
// sequence; the parameter gradient is ADDED to `gradient` (same layout).
template <typename Scalar>
void lstm_backward(const LstmParams<Scalar>& params, const SequenceBatch<Scalar>& batch,
                   const LstmTrace<Scalar>& trace, const Vector<Scalar>& logit_gradient,
                   LstmParams<Scalar>& gradient);

// Dense variant: the loss may read the output at every step,
// y_t = sigmoid(w_out . h_t + b_out); step_logit_gradient(t, b) is dLoss/dlogit
// of step t (0-based; row T-1 is the final output).  ADDS to `gradient`.
template <typename Scalar>
void lstm_backward_dense(const LstmParams<Scalar>& params, const SequenceBatch<Scalar>& batch,
                         const LstmTrace<Scalar>& trace, const Matrix<Scalar>& step_logit_gradient,
                         LstmParams<Scalar>& gradient);

// Streaming inference, one sequence step by step (what the chip does).
class LstmStream {
 public:
  explicit LstmStream(const LstmParams<float>& params);
  void reset();
  // Consumes one input vector (F values); returns the FoG probability now.
  float step(const float* input);

 private:
  const LstmParams<float>& params_;
  Vector<float> hidden_, cell_, gates_;
};

}  // namespace gaitlstm::model
