#include "model/lstm.h"

#include <cassert>

namespace gaitlstm::model {
namespace {

template <typename Derived>
auto sigmoid(const Eigen::ArrayBase<Derived>& x) {
  return x.logistic();
}

// Zeroes the columns of sequences that have not started at step t.
template <typename Scalar>
void mask_not_started(const SequenceBatch<Scalar>& batch, int t, Matrix<Scalar>& m) {
  if (batch.first_step.empty()) return;
  for (int b = 0; b < m.cols(); ++b) {
    if (t < batch.first_step[b]) m.col(b).setZero();
  }
}

}  // namespace

template <typename Scalar>
Vector<Scalar> lstm_forward(const LstmParams<Scalar>& params, const SequenceBatch<Scalar>& batch,
                            std::type_identity_t<LstmTrace<Scalar>>* trace) {
  const int H = params.shape.hidden;
  const int B = batch.size();
  const int T = batch.length();
  const auto Wx = params.input_weights();
  const auto Wh = params.recurrent_weights();
  const auto bias = params.gate_bias();

  Matrix<Scalar> h = Matrix<Scalar>::Zero(H, B);
  Matrix<Scalar> c = Matrix<Scalar>::Zero(H, B);
  Matrix<Scalar> z(4 * H, B);
  if (trace) {
    trace->gates.resize(T);
    trace->cells.assign(1, c);
    trace->hidden.assign(1, h);
    trace->cells.reserve(T + 1);
    trace->hidden.reserve(T + 1);
  }
  for (int t = 0; t < T; ++t) {
    // z = W_x x_t + W_h h_{t-1} + b
    z.noalias() = Wx * batch.steps[t];
    z.noalias() += Wh * h;
    z.colwise() += bias;
    z.topRows(2 * H) = sigmoid(z.topRows(2 * H).array()).matrix();   // i, f
    z.middleRows(2 * H, H) = z.middleRows(2 * H, H).array().tanh().matrix();  // g
    z.bottomRows(H) = sigmoid(z.bottomRows(H).array()).matrix();      // o
    // c_t = f * c_{t-1} + i * g ;  h_t = o * tanh(c_t)
    c = (z.middleRows(H, H).array() * c.array() +
         z.topRows(H).array() * z.middleRows(2 * H, H).array()).matrix();
    h = (z.bottomRows(H).array() * c.array().tanh()).matrix();
    mask_not_started(batch, t, c);
    mask_not_started(batch, t, h);
    if (trace) {
      trace->gates[t] = z;
      trace->cells.push_back(c);
      trace->hidden.push_back(h);
    }
  }
  Vector<Scalar> logits = (params.output_weights().transpose() * h).transpose();
  logits.array() += params.output_bias();
  Vector<Scalar> outputs = sigmoid(logits.array()).matrix();
  if (trace) {
    trace->logits = logits;
    trace->outputs = outputs;
  }
  return outputs;
}

template <typename Scalar>
void lstm_backward(const LstmParams<Scalar>& params, const SequenceBatch<Scalar>& batch,
                   const LstmTrace<Scalar>& trace, const Vector<Scalar>& logit_gradient,
                   LstmParams<Scalar>& gradient) {
  Matrix<Scalar> step_logit_gradient = Matrix<Scalar>::Zero(batch.length(), batch.size());
  step_logit_gradient.row(batch.length() - 1) = logit_gradient.transpose();
  lstm_backward_dense(params, batch, trace, step_logit_gradient, gradient);
}

template <typename Scalar>
void lstm_backward_dense(const LstmParams<Scalar>& params, const SequenceBatch<Scalar>& batch,
                         const LstmTrace<Scalar>& trace, const Matrix<Scalar>& step_logit_gradient,
                         LstmParams<Scalar>& gradient) {
  const int H = params.shape.hidden;
  const int B = batch.size();
  const int T = batch.length();
  const auto Wh = params.recurrent_weights();
  const auto w_out = params.output_weights();
  auto dWx = gradient.input_weights();
  auto dWh = gradient.recurrent_weights();
  auto db = gradient.gate_bias();
  auto dw_out = gradient.output_weights();

  Matrix<Scalar> dh = Matrix<Scalar>::Zero(H, B);  // dL/dh_{t+1}
  Matrix<Scalar> dc = Matrix<Scalar>::Zero(H, B);  // dL/dc_{t+1}
  Matrix<Scalar> dz(4 * H, B);

  for (int t = T - 1; t >= 0; --t) {
    // y_t = sigmoid(w_out . h_{t+1} + b_out):  dw_out += h dlogit ; db_out += sum dlogit ;
    // dh_{t+1} += w_out dlogit^T
    const auto dlogit = step_logit_gradient.row(t);
    if (!dlogit.isZero(0)) {
      dw_out.noalias() += trace.hidden[t + 1] * dlogit.transpose();
      gradient.output_bias() += dlogit.sum();
      dh.noalias() += w_out * dlogit;
    }
    const Matrix<Scalar>& gates = trace.gates[t];
    const auto i = gates.topRows(H).array();
    const auto f = gates.middleRows(H, H).array();
    const auto g = gates.middleRows(2 * H, H).array();
    const auto o = gates.bottomRows(H).array();
    const auto c_prev = trace.cells[t].array();
    const Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic> tanh_c =
        trace.cells[t + 1].array().tanh();

    // h = o tanh(c):  dc += dh o (1 - tanh^2 c) ;  do = dh tanh(c)
    dc.array() += dh.array() * o * (1 - tanh_c.square());
    // Gate pre-activations: sigmoid' = s(1-s), tanh' = 1 - tanh^2.
    dz.bottomRows(H) = (dh.array() * tanh_c * o * (1 - o)).matrix();      // o
    dz.topRows(H) = (dc.array() * g * i * (1 - i)).matrix();              // i: dc g
    dz.middleRows(H, H) = (dc.array() * c_prev * f * (1 - f)).matrix();   // f: dc c_{t-1}
    dz.middleRows(2 * H, H) = (dc.array() * i * (1 - g.square())).matrix();  // g: dc i
    mask_not_started(batch, t, dz);  // h_t, c_t of a sequence not yet started are constant 0

    // z = W_x x + W_h h_{t-1} + b:  dW_x += dz x^T ; dW_h += dz h_{t-1}^T ; db += dz 1
    dWx.noalias() += dz * batch.steps[t].transpose();
    dWh.noalias() += dz * trace.hidden[t].transpose();
    db += dz.rowwise().sum();
    // dh_{t-1} = W_h^T dz ;  dc_{t-1} = dc f
    dh.noalias() = Wh.transpose() * dz;
    dc.array() *= f;
  }
}

template Vector<float> lstm_forward(const LstmParams<float>&, const SequenceBatch<float>&,
                                    LstmTrace<float>*);
template Vector<double> lstm_forward(const LstmParams<double>&, const SequenceBatch<double>&,
                                     LstmTrace<double>*);
template void lstm_backward(const LstmParams<float>&, const SequenceBatch<float>&,
                            const LstmTrace<float>&, const Vector<float>&, LstmParams<float>&);
template void lstm_backward(const LstmParams<double>&, const SequenceBatch<double>&,
                            const LstmTrace<double>&, const Vector<double>&,
                            LstmParams<double>&);
template void lstm_backward_dense(const LstmParams<float>&, const SequenceBatch<float>&,
                                  const LstmTrace<float>&, const Matrix<float>&,
                                  LstmParams<float>&);
template void lstm_backward_dense(const LstmParams<double>&, const SequenceBatch<double>&,
                                  const LstmTrace<double>&, const Matrix<double>&,
                                  LstmParams<double>&);

LstmStream::LstmStream(const LstmParams<float>& params) : params_(params) { reset(); }

void LstmStream::reset() {
  hidden_ = Vector<float>::Zero(params_.shape.hidden);
  cell_ = Vector<float>::Zero(params_.shape.hidden);
  gates_.resize(4 * params_.shape.hidden);
}

float LstmStream::step(const float* input) {
  const int H = params_.shape.hidden;
  Eigen::Map<const Vector<float>> x(input, params_.shape.inputs);
  gates_.noalias() = params_.input_weights() * x;
  gates_.noalias() += params_.recurrent_weights() * hidden_;
  gates_ += params_.gate_bias();
  gates_.head(2 * H) = gates_.head(2 * H).array().logistic().matrix();
  gates_.segment(2 * H, H) = gates_.segment(2 * H, H).array().tanh().matrix();
  gates_.tail(H) = gates_.tail(H).array().logistic().matrix();
  cell_ = (gates_.segment(H, H).array() * cell_.array() +
           gates_.head(H).array() * gates_.segment(2 * H, H).array()).matrix();
  hidden_ = (gates_.tail(H).array() * cell_.array().tanh()).matrix();
  const float logit = params_.output_weights().dot(hidden_) + params_.output_bias();
  return 1.0f / (1.0f + std::exp(-logit));
}

}  // namespace gaitlstm::model
