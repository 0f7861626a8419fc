// Training of the LSTM detector: truncated BPTT over the causal history of
// every training decision, class-weighted binary cross-entropy, Adam with
// decoupled weight decay, global-norm gradient clipping, early stopping on
// the validation AUC.  Deterministic for a given seed and thread count: each
// thread takes a fixed contiguous share of the batch and the partial
// gradients are summed in thread order.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <vector>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "data/augment.h"
#include "data/protocol.h"
#include "model/lstm.h"

namespace gaitlstm::model {

struct TrainConfig {
  int hidden = 32;
  int history_steps = 32;     // LSTM steps of causal history per decision
  int max_epochs = 30;
  int patience = 6;           // epochs without validation-AUC gain before stopping
  // Epochs always trained before early stopping may keep a model: the best
  // epoch is chosen among epochs min_epochs..max_epochs.
  int min_epochs = 1;
  int batch_size = 64;
  double learning_rate = 3e-3;
  double weight_decay = 1e-4; // decoupled (AdamW), on weights, not biases
  double clip_norm = 1.0;     // global L2 norm of the batch gradient
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.999;
  double adam_epsilon = 1e-8;
  // Per training sequence and channel, all of the channel's log2 band
  // energies are shifted by one U(-a, a) offset: a random sensor gain of
  // 2^(a/2) at most, so the model cannot key on a subject's absolute level.
  // (Feature-space and cheap; the raw-signal `augmentation` below can do
  // the same with `gain`, before the front end, on added copies.)
  double gain_augmentation_log2 = 0;
  // Site-shift augmentation (data/augment.h): fit_detector adds
  // `augment_copies` transformed copies of every training segment to the
  // training set (validation and test data are never transformed).  Off
  // when no transform is on or augment_copies is 0.
  data::AugmentConfig augmentation;
  int augment_copies = 0;
  // The protocol the decisions were made with: the augmented copies' own
  // decisions are made with it (not saved in model files).
  data::ProtocolConfig protocol;
  // Exponential moving average of the weights (per batch); the averaged
  // weights are validated and kept.  0 = off.
  double weight_averaging = 0;
  // Decisions averaged into each score (see score_decisions); part of the
  // detector, used for validation too.
  int output_smoothing = 1;
  // Dense supervision: besides the final output, the loss reads the output
  // at every earlier decision inside the history (with that decision's
  // label and class weight).  Inference is unchanged.
  bool dense_loss = false;
  uint64_t seed = 1;
  int threads = 2;
};

nlohmann::json to_json(const TrainConfig& config);
TrainConfig train_config_from_json(const nlohmann::json& json);  // throws on missing keys

struct EpochLog {
  int epoch = 0;
  double loss = 0;            // mean class-weighted BCE over the epoch
  double validation_auc = 0;
};

struct TrainResult {
  LstmParams<float> params;   // weights of the best validation epoch
  int best_epoch = 0;
  double best_validation_auc = 0;
  std::vector<double> validation_scores;  // of the best weights
  std::vector<EpochLog> epochs;
};

// Per-step training targets of a batch (T x B): the loss reads the output
// y_t of every step with weights(t, b) > 0.
struct StepTargets {
  Eigen::MatrixXf labels;
  Eigen::MatrixXf weights;
};

// Inputs of one training run; features are normalized, per segment.
struct TrainingData {
  const std::vector<Eigen::MatrixXf>* features = nullptr;
  std::vector<data::Decision> train;
  std::vector<data::Decision> validation;
  int decimation = 16;
  // For gain augmentation: normalized change of each feature per +1 in log2
  // units (1 / feature_std) and the number of features per channel.
  std::vector<float> log2_unit;
  int features_per_channel = 1;
  // Quantization-aware training (quant/qat.h) replaces the float loss and
  // the validation scoring and starts from trained weights; unset = float
  // training from initial_params().
  std::function<double(const LstmParams<float>&, const SequenceBatch<float>&, const StepTargets&,
                       LstmParams<float>&)>
      loss_and_gradient;
  std::function<std::vector<double>(const LstmParams<float>&)> score_validation;
  const LstmParams<float>* initial = nullptr;
};

// Initial weights: U(-1/sqrt(H), 1/sqrt(H)) like PyTorch, forget-gate bias 1.
LstmParams<float> initial_params(LstmShape shape, uint64_t seed);

// Class-weighted BCE  sum_{t,b} w_tb (-y_tb log p_tb - (1-y_tb) log(1-p_tb)) / #(w_tb > 0).
// Adds dLoss/dparams to `gradient`; returns the loss.  Each of `threads`
// threads takes a contiguous share of the columns; shares are summed in order.
double batch_loss_and_gradient(const LstmParams<float>& params, const SequenceBatch<float>& batch,
                               const StepTargets& targets, int threads,
                               LstmParams<float>& gradient);

// The same with another forward pass filling the trace that BPTT reads
// (quantization-aware training runs the integer model here).
using TraceForward =
    std::function<void(const LstmParams<float>&, const SequenceBatch<float>&, LstmTrace<float>&)>;
double batch_loss_and_gradient(const LstmParams<float>& params, const SequenceBatch<float>& batch,
                               const StepTargets& targets, int threads, LstmParams<float>& gradient,
                               const TraceForward& forward);

// The same with one target per sequence, on its final output.
double batch_loss_and_gradient(const LstmParams<float>& params, const SequenceBatch<float>& batch,
                               const std::vector<float>& labels,
                               const std::vector<float>& weights, int threads,
                               LstmParams<float>& gradient);

// `progress` (may be null) gets one line per epoch: epoch, loss, validation AUC.
TrainResult train_lstm(const TrainConfig& config, const TrainingData& data,
                       std::ostream* progress);

}  // namespace gaitlstm::model
