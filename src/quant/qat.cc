#include "quant/qat.h"

#include <algorithm>
#include <cmath>

#include "data/augment.h"
#include "model/metrics.h"
#include "model/sequences.h"
#include "model/train.h"

namespace gaitlstm::quant {

namespace {

// Fills `trace` with the integer model's activations of every sequence of
// `batch` (dequantized), the way lstm_forward would in float.
void integer_trace(const QuantizedLstm& lstm, const model::SequenceBatch<float>& batch,
                   model::LstmTrace<float>& trace) {
  const LstmFormats& q = lstm.formats();
  const int H = lstm.shape().hidden, F = lstm.shape().inputs;
  const int B = batch.size(), T = batch.length();
  trace.gates.assign(T, Eigen::MatrixXf::Zero(4 * H, B));
  trace.cells.assign(T + 1, Eigen::MatrixXf::Zero(H, B));
  trace.hidden.assign(T + 1, Eigen::MatrixXf::Zero(H, B));
  std::vector<int64_t> inputs;
  std::vector<LstmStepTrace> steps;
  for (int b = 0; b < B; ++b) {
    const int first = batch.first_step.empty() ? 0 : batch.first_step[static_cast<size_t>(b)];
    inputs.clear();
    for (int t = first; t < T; ++t)
      for (int f = 0; f < F; ++f) inputs.push_back(quantize(batch.steps[static_cast<size_t>(t)](f, b), q.input));
    steps.clear();
    lstm.run(inputs.data(), T - first, &steps);
    for (int k = 0; k < T - first; ++k) {
      const LstmStepTrace& step = steps[static_cast<size_t>(k)];
      Eigen::MatrixXf& gates = trace.gates[static_cast<size_t>(first + k)];
      for (int r = 0; r < 4 * H; ++r) {
        const bool is_candidate = r >= 2 * H && r < 3 * H;
        const ActivationUnit& unit = is_candidate ? lstm.tanh_unit() : lstm.sigmoid_unit();
        gates(r, b) = static_cast<float>(dequantize(unit(step.gate[static_cast<size_t>(r)]), unit.output()));
      }
      for (int j = 0; j < H; ++j) {
        trace.cells[static_cast<size_t>(first + k + 1)](j, b) =
            static_cast<float>(dequantize(step.cell[static_cast<size_t>(j)], q.cell));
        trace.hidden[static_cast<size_t>(first + k + 1)](j, b) =
            static_cast<float>(dequantize(step.hidden[static_cast<size_t>(j)], q.hidden));
      }
    }
  }
}

// Straight-through estimator for weights: no gradient where the shadow
// weight lies beyond what its format holds (it saturated).
void mask_saturated(const model::LstmParams<float>& shadow, const model::LstmParams<float>& quantized,
                    const LstmFormats& q, model::LstmParams<float>& gradient) {
  auto mask = [&](int64_t offset, int64_t count, const QFormat& format) {
    const float slack = static_cast<float>(format.lsb());  // more than rounding can move a value
    for (int64_t i = offset; i < offset + count; ++i)
      if (std::abs(shadow.values[i] - quantized.values[i]) > slack) gradient.values[i] = 0;
  };
  const model::LstmShape& s = shadow.shape;
  mask(shadow.offset_input_weights(), 4LL * s.hidden * s.inputs, q.input_weight);
  mask(shadow.offset_recurrent_weights(), 4LL * s.hidden * s.hidden, q.recurrent_weight);
  mask(shadow.offset_gate_bias(), 4LL * s.hidden, q.gate_bias);
  mask(shadow.offset_output_weights(), s.hidden, q.output_weight);
  mask(shadow.offset_output_bias(), 1, q.output_bias);
}

std::vector<double> as_doubles(const std::vector<int64_t>& raw) { return {raw.begin(), raw.end()}; }

}  // namespace

std::vector<Eigen::MatrixXf> golden_features(const GoldenDetector& golden, const data::Dataset& dataset) {
  const std::vector<int> columns = model::channel_columns(golden.frontend().config(), dataset);
  const QFormat& format = golden.frontend().feature_format();
  const int f = golden.frontend().features();
  std::vector<Eigen::MatrixXf> features;
  for (const data::Segment& segment : dataset.segments) {
    const std::vector<int64_t> raw = golden.frontend().run_segment(segment, columns);  // steps x F, row-major
    Eigen::MatrixXf matrix(f, static_cast<Eigen::Index>(raw.size()) / f);
    for (size_t i = 0; i < raw.size(); ++i) matrix.data()[i] = static_cast<float>(dequantize(raw[i], format));
    features.push_back(std::move(matrix));
  }
  return features;
}

std::vector<int64_t> qat_forward_logits(const GoldenDetector& golden, const data::Dataset& dataset,
                                        const std::vector<data::Decision>& decisions) {
  const std::vector<Eigen::MatrixXf> features = golden_features(golden, dataset);
  const QuantizedLstm& lstm = golden.lstm();
  std::vector<int64_t> logits;
  std::vector<int64_t> inputs;
  for (size_t i = 0; i < decisions.size(); ++i) {
    const int index = static_cast<int>(i);
    const model::SequenceBatch<float> batch = model::make_sequence_batch(
        features, decisions, &index, 1, golden.history_steps(), golden.frontend().config().decimation);
    inputs.clear();
    for (int t = batch.first_step[0]; t < batch.length(); ++t)
      for (int f = 0; f < lstm.shape().inputs; ++f)
        inputs.push_back(quantize(batch.steps[static_cast<size_t>(t)](f, 0), lstm.formats().input));
    logits.push_back(lstm.run(inputs.data(), batch.length() - batch.first_step[0]));
  }
  return logits;
}

namespace {

// The float training's site-shift augmentation (model/detector.cc) for the
// fine-tuning: transformed copies of the training subjects' segments, their
// golden features appended to `features` and their decisions to `train`.
void add_augmented_copies(const GoldenDetector& golden, const data::Dataset& dataset,
                          const model::TrainConfig& training, const data::ProtocolConfig& protocol,
                          std::vector<Eigen::MatrixXf>& features, std::vector<data::Decision>& train) {
  if (training.augment_copies <= 0 || !training.augmentation.any()) return;
  std::vector<int> subjects;
  for (const data::Decision& d : train) {
    if (std::find(subjects.begin(), subjects.end(), d.subject) == subjects.end()) subjects.push_back(d.subject);
  }
  const data::Dataset copies =
      data::augment_dataset(dataset, subjects, training.augmentation, training.augment_copies, training.seed);
  const int first = static_cast<int>(features.size());
  for (Eigen::MatrixXf& matrix : golden_features(golden, copies)) features.push_back(std::move(matrix));
  for (data::Decision d : data::make_decisions(copies, protocol)) {
    d.segment += first;
    train.push_back(d);
  }
}

}  // namespace

QatResult quantization_aware_finetune(const model::Detector& detector, const QuantConfig& config,
                                      const data::Dataset& dataset, const std::vector<data::Decision>& train,
                                      const std::vector<data::Decision>& validation,
                                      const data::ProtocolConfig& protocol, const QatOptions& options,
                                      std::ostream* progress) {
  const GoldenDetector ptq(detector, config, protocol);
  std::vector<Eigen::MatrixXf> features = golden_features(ptq, dataset);
  std::vector<data::Decision> train_decisions = train;
  add_augmented_copies(ptq, dataset, detector.training, protocol, features, train_decisions);
  const std::vector<uint8_t> labels = model::decision_labels(validation);
  auto score_validation = [&](const model::LstmParams<float>& params) {
    model::Detector candidate = detector;
    candidate.lstm = params;
    return as_doubles(GoldenDetector(candidate, config, protocol).score_decisions(dataset, validation, options.threads));
  };

  QatResult result;
  result.detector = detector;
  result.detector.lstm = ptq.lstm().dequantized();
  result.ptq_validation_auc = model::roc_auc(score_validation(result.detector.lstm), labels);
  result.validation_auc = result.ptq_validation_auc;

  model::TrainConfig training = detector.training;
  training.max_epochs = options.epochs;
  training.patience = options.patience;
  training.learning_rate = options.learning_rate;
  training.weight_averaging = 0;  // fine-tuning: the epochs' own weights
  training.seed = options.seed;
  training.threads = options.threads;
  training.hidden = detector.lstm.shape.hidden;  // the weights decide, not the recorded config
  training.history_steps = detector.history_steps;
  training.output_smoothing = detector.output_smoothing;

  model::TrainingData data;
  data.features = &features;
  data.train = std::move(train_decisions);
  data.validation = validation;
  data.decimation = detector.frontend.decimation;
  data.features_per_channel = detector.frontend.features_per_sensor();
  for (int i = 0; i < detector.frontend.features(); ++i)  // a gain shifts L, not R
    data.log2_unit.push_back(detector.frontend.is_relative_feature(i)
                                 ? 0.0f
                                 : static_cast<float>(1 / detector.frontend.feature_std[static_cast<size_t>(i)]));
  data.initial = &detector.lstm;
  data.score_validation = score_validation;
  data.loss_and_gradient = [&](const model::LstmParams<float>& shadow, const model::SequenceBatch<float>& batch,
                               const model::StepTargets& targets, model::LstmParams<float>& gradient) {
    const QuantizedLstm lstm(shadow, config.lstm);
    const model::LstmParams<float> quantized = lstm.dequantized();
    const model::TraceForward forward = [&lstm](const model::LstmParams<float>&,
                                                const model::SequenceBatch<float>& share,
                                                model::LstmTrace<float>& trace) { integer_trace(lstm, share, trace); };
    model::LstmParams<float> step_gradient(shadow.shape);
    const double loss =
        model::batch_loss_and_gradient(quantized, batch, targets, options.threads, step_gradient, forward);
    mask_saturated(shadow, quantized, config.lstm, step_gradient);
    gradient.values += step_gradient.values;
    return loss;
  };

  const model::TrainResult trained = model::train_lstm(training, data, progress);
  result.epochs = trained.epochs;
  if (trained.best_validation_auc > result.ptq_validation_auc) {
    result.best_epoch = trained.best_epoch;
    result.validation_auc = trained.best_validation_auc;
    result.detector.lstm = QuantizedLstm(trained.params, config.lstm).dequantized();
  }
  return result;
}

}  // namespace gaitlstm::quant
