#include "model/train.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "model/metrics.h"
#include "util/parallel.h"
#include "model/sequences.h"
#include "util/rng.h"

namespace gaitlstm::model {

nlohmann::json to_json(const TrainConfig& c) {
  nlohmann::json json = {{"hidden", c.hidden},           {"history_steps", c.history_steps},
          {"max_epochs", c.max_epochs},   {"patience", c.patience},
          {"min_epochs", c.min_epochs},
          {"batch_size", c.batch_size},   {"learning_rate", c.learning_rate},
          {"weight_decay", c.weight_decay}, {"clip_norm", c.clip_norm},
          {"adam_beta1", c.adam_beta1},   {"adam_beta2", c.adam_beta2},
          {"adam_epsilon", c.adam_epsilon}, {"seed", c.seed},
          {"gain_augmentation_log2", c.gain_augmentation_log2},
          {"weight_averaging", c.weight_averaging},
          {"output_smoothing", c.output_smoothing},
          {"dense_loss", c.dense_loss},
          {"threads", c.threads}};
  if (c.augment_copies > 0 && c.augmentation.any()) {  // older files and plain training: absent
    json["augmentation"] = data::to_json(c.augmentation);
    json["augment_copies"] = c.augment_copies;
  }
  return json;
}

TrainConfig train_config_from_json(const nlohmann::json& j) {
  TrainConfig c;
  c.hidden = j.at("hidden").get<int>();
  c.history_steps = j.at("history_steps").get<int>();
  c.max_epochs = j.at("max_epochs").get<int>();
  c.patience = j.at("patience").get<int>();
  c.min_epochs = j.value("min_epochs", 1);  // absent in older model files
  c.batch_size = j.at("batch_size").get<int>();
  c.learning_rate = j.at("learning_rate").get<double>();
  c.weight_decay = j.at("weight_decay").get<double>();
  c.clip_norm = j.at("clip_norm").get<double>();
  c.adam_beta1 = j.at("adam_beta1").get<double>();
  c.adam_beta2 = j.at("adam_beta2").get<double>();
  c.adam_epsilon = j.at("adam_epsilon").get<double>();
  c.gain_augmentation_log2 = j.at("gain_augmentation_log2").get<double>();
  c.weight_averaging = j.at("weight_averaging").get<double>();
  c.output_smoothing = j.at("output_smoothing").get<int>();
  c.dense_loss = j.at("dense_loss").get<bool>();
  c.seed = j.at("seed").get<uint64_t>();
  c.threads = j.at("threads").get<int>();
  if (j.contains("augmentation")) c.augmentation = data::augment_config_from_json(j.at("augmentation"));
  c.augment_copies = j.value("augment_copies", 0);
  return c;
}

LstmParams<float> initial_params(LstmShape shape, uint64_t seed) {
  Rng rng(seed);
  LstmParams<float> params(shape);
  const double bound = 1.0 / std::sqrt(static_cast<double>(shape.hidden));
  for (int64_t i = 0; i < params.values.size(); ++i) {
    params.values[i] = static_cast<float>(rng.uniform(-bound, bound));
  }
  params.gate_bias().segment(shape.hidden, shape.hidden).array() += 1.0f;  // remember by default
  return params;
}

namespace {

// Columns [begin, end) of a batch.
SequenceBatch<float> slice_columns(const SequenceBatch<float>& batch, int begin, int end) {
  SequenceBatch<float> part;
  for (const Eigen::MatrixXf& step : batch.steps) {
    part.steps.push_back(step.middleCols(begin, end - begin));
  }
  if (!batch.first_step.empty()) {
    part.first_step.assign(batch.first_step.begin() + begin, batch.first_step.begin() + end);
  }
  return part;
}

// Loss and gradient contribution of one share of a batch; `scale` = 1 / #targets.
double share_loss_and_gradient(const LstmParams<float>& params, const SequenceBatch<float>& share,
                               const StepTargets& targets, double scale, LstmParams<float>& gradient,
                               const TraceForward& forward) {
  LstmTrace<float> trace;
  if (forward) {
    forward(params, share, trace);
  } else {
    lstm_forward<float>(params, share, &trace);
  }
  Eigen::MatrixXf logit_gradient = Eigen::MatrixXf::Zero(share.length(), share.size());
  double loss = 0;
  for (int t = 0; t < share.length(); ++t) {
    if (targets.weights.row(t).isZero(0)) continue;
    // Output of step t: logit l = w_out . h_{t+1} + b_out
    const Eigen::VectorXf logits =
        (params.output_weights().transpose() * trace.hidden[t + 1]).transpose().array() +
        params.output_bias();
    for (int b = 0; b < share.size(); ++b) {
      const double w = targets.weights(t, b), y = targets.labels(t, b), l = logits[b];
      if (w == 0) continue;
      // BCE from the logit: softplus(l) - y l ;  dBCE/dl = sigmoid(l) - y
      const double softplus = std::max(l, 0.0) + std::log1p(std::exp(-std::abs(l)));
      loss += w * (softplus - y * l);
      logit_gradient(t, b) = static_cast<float>(w * (1 / (1 + std::exp(-l)) - y) * scale);
    }
  }
  lstm_backward_dense<float>(params, share, trace, logit_gradient, gradient);
  return loss * scale;
}

}  // namespace

double batch_loss_and_gradient(const LstmParams<float>& params, const SequenceBatch<float>& batch,
                               const StepTargets& targets, int threads,
                               LstmParams<float>& gradient) {
  return batch_loss_and_gradient(params, batch, targets, threads, gradient, TraceForward{});
}

double batch_loss_and_gradient(const LstmParams<float>& params, const SequenceBatch<float>& batch,
                               const StepTargets& targets, int threads, LstmParams<float>& gradient,
                               const TraceForward& forward) {
  const int size = batch.size();
  const Eigen::Index target_count = (targets.weights.array() != 0).count();
  const double scale = target_count ? 1.0 / static_cast<double>(target_count) : 0.0;
  threads = std::max(1, std::min(threads, size));
  std::vector<LstmParams<float>> partial(threads, LstmParams<float>(params.shape));
  std::vector<double> partial_loss(threads, 0.0);
  parallel_chunks(threads, size, [&](int chunk, int begin, int end) {
    const StepTargets share_targets{targets.labels.middleCols(begin, end - begin),
                                    targets.weights.middleCols(begin, end - begin)};
    partial_loss[chunk] = share_loss_and_gradient(params, slice_columns(batch, begin, end),
                                                  share_targets, scale, partial[chunk], forward);
  });
  double loss = 0;
  for (int chunk = 0; chunk < threads; ++chunk) {  // fixed order: deterministic sums
    gradient.values += partial[chunk].values;
    loss += partial_loss[chunk];
  }
  return loss;
}

double batch_loss_and_gradient(const LstmParams<float>& params, const SequenceBatch<float>& batch,
                               const std::vector<float>& labels,
                               const std::vector<float>& weights, int threads,
                               LstmParams<float>& gradient) {
  StepTargets targets{Eigen::MatrixXf::Zero(batch.length(), batch.size()),
                      Eigen::MatrixXf::Zero(batch.length(), batch.size())};
  targets.labels.bottomRows(1) = Eigen::Map<const Eigen::RowVectorXf>(labels.data(), batch.size());
  targets.weights.bottomRows(1) = Eigen::Map<const Eigen::RowVectorXf>(weights.data(), batch.size());
  return batch_loss_and_gradient(params, batch, targets, threads, gradient);
}

namespace {

// Adam with decoupled weight decay (AdamW):
//   m = b1 m + (1 - b1) g ;  v = b2 v + (1 - b2) g^2
//   p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + lr wd p   (wd on weights only)
class AdamW {
 public:
  AdamW(const TrainConfig& config, const LstmParams<float>& params)
      : config_(config),
        first_moment_(Eigen::VectorXf::Zero(params.values.size())),
        second_moment_(Eigen::VectorXf::Zero(params.values.size())),
        decay_mask_(Eigen::VectorXf::Ones(params.values.size())) {
    LstmParams<float> mask(params.shape);
    mask.values.setOnes();
    mask.gate_bias().setZero();
    mask.output_bias() = 0;
    decay_mask_ = mask.values;
  }

  void step(LstmParams<float>& params, const Eigen::VectorXf& gradient) {
    ++steps_;
    const float b1 = static_cast<float>(config_.adam_beta1);
    const float b2 = static_cast<float>(config_.adam_beta2);
    first_moment_ = b1 * first_moment_ + (1 - b1) * gradient;
    second_moment_ = b2 * second_moment_ + (1 - b2) * gradient.cwiseProduct(gradient);
    const float correction1 = 1 - std::pow(b1, static_cast<float>(steps_));
    const float correction2 = 1 - std::pow(b2, static_cast<float>(steps_));
    const float lr = static_cast<float>(config_.learning_rate);
    params.values.array() -=
        lr * (first_moment_.array() / correction1) /
            ((second_moment_.array() / correction2).sqrt() + static_cast<float>(config_.adam_epsilon)) +
        lr * static_cast<float>(config_.weight_decay) * decay_mask_.array() * params.values.array();
  }

 private:
  const TrainConfig& config_;
  Eigen::VectorXf first_moment_, second_moment_, decay_mask_;
  int64_t steps_ = 0;
};

// Scales the gradient so its L2 norm is at most clip_norm.
void clip_gradient(Eigen::VectorXf& gradient, double clip_norm) {
  const double norm = gradient.norm();
  if (clip_norm > 0 && norm > clip_norm) gradient *= static_cast<float>(clip_norm / norm);
}

// Balanced class weights: each class contributes half of the loss.
std::pair<float, float> class_weights(const std::vector<data::Decision>& decisions) {
  const double total = static_cast<double>(decisions.size());
  const double positives = static_cast<double>(
      std::count_if(decisions.begin(), decisions.end(), [](const auto& d) { return d.freeze; }));
  const double negatives = total - positives;
  const float positive_weight = positives > 0 ? static_cast<float>(total / (2 * positives)) : 1.0f;
  const float negative_weight = negatives > 0 ? static_cast<float>(total / (2 * negatives)) : 1.0f;
  return {negative_weight, positive_weight};
}

void shuffle(std::vector<int>& items, Rng& rng) {  // Fisher-Yates
  for (int64_t i = static_cast<int64_t>(items.size()) - 1; i > 0; --i) {
    std::swap(items[i], items[rng.uniform_int(0, i)]);
  }
}

// Gain augmentation (see TrainConfig::gain_augmentation_log2).
void shift_channel_gains(SequenceBatch<float>& batch, const TrainingData& data, double amplitude,
                         Rng& rng) {
  if (amplitude <= 0 || batch.steps.empty()) return;
  const int features = static_cast<int>(batch.steps[0].rows());
  Eigen::MatrixXf shift(features, batch.size());
  for (int b = 0; b < batch.size(); ++b) {
    for (int first = 0; first < features; first += data.features_per_channel) {
      const float offset = static_cast<float>(rng.uniform(-amplitude, amplitude));
      for (int f = first; f < first + data.features_per_channel; ++f) {
        shift(f, b) = offset * data.log2_unit[f];
      }
    }
  }
  for (Eigen::MatrixXf& step : batch.steps) step += shift;  // padded steps are masked anyway
}

// Targets of a batch: the final output of each sequence carries its
// decision's label; with dense_loss so do the outputs at the earlier
// decisions of the same segment inside the history (decisions of a segment
// are consecutive in data.train, in protocol order).
StepTargets step_targets(const TrainingData& data, const int* indices, int count,
                         const TrainConfig& config, float positive_weight, float negative_weight) {
  const int T = config.history_steps;
  StepTargets targets{Eigen::MatrixXf::Zero(T, count), Eigen::MatrixXf::Zero(T, count)};
  for (int b = 0; b < count; ++b) {
    const int index = indices[b];
    const data::Decision& last = data.train[index];
    const int64_t last_step = last.end / data.decimation;  // steps m < last_step are read
    for (int j = index; j >= 0; --j) {
      const data::Decision& d = data.train[j];
      if (d.segment != last.segment || d.end > last.end) break;
      const int64_t t = T - 1 - (last_step - d.end / data.decimation);
      if (t < 0 || t < T - last_step) break;  // before the history or the segment start
      targets.labels(t, b) = d.freeze ? 1.0f : 0.0f;
      targets.weights(t, b) = d.freeze ? positive_weight : negative_weight;
      if (!config.dense_loss) break;
    }
  }
  return targets;
}

}  // namespace

TrainResult train_lstm(const TrainConfig& config, const TrainingData& data,
                       std::ostream* progress) {
  const std::vector<Eigen::MatrixXf>& features = *data.features;
  const LstmShape shape = data.initial ? data.initial->shape
                                      : LstmShape{static_cast<int>(features.at(0).rows()), config.hidden};
  if (shape.inputs != features.at(0).rows() || (data.initial && shape.hidden != config.hidden))
    throw std::invalid_argument("train_lstm: the initial weights do not fit the features or the hidden size");
  if (config.min_epochs < 1 || config.min_epochs > config.max_epochs) {
    throw std::invalid_argument(fmt::format("train_lstm: min_epochs {} outside 1..max_epochs ({})",
                                            config.min_epochs, config.max_epochs));
  }
  Rng rng(config.seed);
  TrainResult result;
  LstmParams<float> params = initial_params(shape, rng.next_u64());
  if (data.initial) params = *data.initial;
  result.params = params;
  result.best_validation_auc = -1;
  AdamW optimizer(config, params);
  LstmParams<float> averaged = params;  // weight_averaging > 0: what is validated
  const LstmParams<float>& evaluated = config.weight_averaging > 0 ? averaged : params;
  const auto [negative_weight, positive_weight] = class_weights(data.train);
  const std::vector<uint8_t> validation_labels = decision_labels(data.validation);

  std::vector<int> order(data.train.size());
  std::iota(order.begin(), order.end(), 0);
  int epochs_without_gain = 0;
  for (int epoch = 1; epoch <= config.max_epochs; ++epoch) {
    shuffle(order, rng);
    double loss_sum = 0;
    int batches = 0;
    for (size_t begin = 0; begin < order.size(); begin += config.batch_size) {
      const int count = static_cast<int>(std::min<size_t>(config.batch_size, order.size() - begin));
      SequenceBatch<float> batch =
          make_sequence_batch(features, data.train, order.data() + begin, count,
                              config.history_steps, data.decimation);
      shift_channel_gains(batch, data, config.gain_augmentation_log2, rng);
      const StepTargets targets =
          step_targets(data, order.data() + begin, count, config, positive_weight, negative_weight);
      LstmParams<float> gradient(shape);
      loss_sum += data.loss_and_gradient
                      ? data.loss_and_gradient(params, batch, targets, gradient)
                      : batch_loss_and_gradient(params, batch, targets, config.threads, gradient);
      clip_gradient(gradient.values, config.clip_norm);
      optimizer.step(params, gradient.values);
      if (config.weight_averaging > 0) {
        const float keep = static_cast<float>(config.weight_averaging);
        averaged.values = keep * averaged.values + (1 - keep) * params.values;
      }
      ++batches;
    }
    EpochLog log{epoch, batches ? loss_sum / batches : 0.0, 0.0};
    std::vector<double> scores =
        data.score_validation ? data.score_validation(evaluated)
                              : score_decisions(evaluated, features, data.validation, config.history_steps,
                                                data.decimation, config.threads, config.output_smoothing);
    log.validation_auc = roc_auc(scores, validation_labels);
    result.epochs.push_back(log);
    if (progress) {
      *progress << fmt::format("epoch {:3d}  loss {:.4f}  validation AUC {:.4f}\n", epoch,
                               log.loss, log.validation_auc);
    }
    if (epoch < config.min_epochs) continue;  // too early to keep or to stop
    // Without validation positives the AUC is NaN: keep the latest weights.
    if (std::isnan(log.validation_auc) || log.validation_auc > result.best_validation_auc) {
      result.best_validation_auc = log.validation_auc;
      result.best_epoch = epoch;
      result.params = evaluated;
      result.validation_scores = std::move(scores);
      epochs_without_gain = 0;
    } else if (++epochs_without_gain >= config.patience) {
      break;
    }
  }
  return result;
}

}  // namespace gaitlstm::model
