#include "model/detector.h"

#include <algorithm>

#include "data/augment.h"
#include "model/sequences.h"

namespace gaitlstm::model {

std::vector<double> score_dataset(const Detector& detector, const data::Dataset& dataset,
                                  const std::vector<data::Decision>& decisions, int threads) {
  const std::vector<Eigen::MatrixXf> features =
      compute_features(detector.frontend, dataset, threads);
  return score_decisions(detector.lstm, features, decisions, detector.history_steps,
                         detector.frontend.decimation, threads, detector.output_smoothing);
}

namespace {

bool contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Normalization statistics over the segments of the training subjects only.
void fit_normalization_on(FrontEndConfig& frontend, const data::Dataset& dataset,
                          const std::vector<Eigen::MatrixXf>& raw,
                          const std::vector<int>& train_subjects) {
  std::vector<const Eigen::MatrixXf*> training_raw;
  for (size_t s = 0; s < raw.size(); ++s) {
    if (contains(train_subjects, dataset.segments[s].subject)) training_raw.push_back(&raw[s]);
  }
  fit_normalization(frontend, training_raw);
}

// Site-shift augmentation (TrainConfig::augmentation): normalized features of
// `augment_copies` transformed copies of the training subjects' segments,
// appended to `features`, and their decisions (made with the training
// protocol, segment indices past the real ones), appended to `train`.
void add_augmented_copies(const FrontEndConfig& frontend, const data::Dataset& dataset,
                          const TrainConfig& config, const std::vector<int>& train_subjects,
                          std::vector<Eigen::MatrixXf>& features, std::vector<data::Decision>& train) {
  if (config.augment_copies <= 0 || !config.augmentation.any()) return;
  const data::Dataset copies = data::augment_dataset(dataset, train_subjects, config.augmentation,
                                                     config.augment_copies, config.seed);
  const int first = static_cast<int>(features.size());
  for (Eigen::MatrixXf& matrix : compute_raw_features(frontend, copies, config.threads)) {
    normalize(frontend, matrix);
    features.push_back(std::move(matrix));
  }
  for (data::Decision d : data::make_decisions(copies, config.protocol)) {
    d.segment += first;
    train.push_back(d);
  }
}

}  // namespace

FitResult fit_detector(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                       FrontEndConfig frontend, const TrainConfig& config,
                       const std::vector<int>& train_subjects, int validation_subject,
                       std::ostream* progress) {
  design_filters(frontend);
  std::vector<Eigen::MatrixXf> features = compute_raw_features(frontend, dataset, config.threads);
  fit_normalization_on(frontend, dataset, features, train_subjects);
  for (Eigen::MatrixXf& matrix : features) normalize(frontend, matrix);

  TrainingData data;
  data.features = &features;
  data.train = data::filter_subjects(decisions, train_subjects);
  data.validation = data::filter_subjects(decisions, {validation_subject});
  add_augmented_copies(frontend, dataset, config, train_subjects, features, data.train);
  data.decimation = frontend.decimation;
  data.features_per_channel = frontend.features_per_sensor();
  for (int i = 0; i < frontend.features(); ++i) {  // a gain shifts L, not R
    data.log2_unit.push_back(
        frontend.is_relative_feature(i) ? 0.0f : static_cast<float>(1 / frontend.feature_std[i]));
  }

  FitResult fit;
  fit.training = train_lstm(config, data, progress);
  const std::vector<uint8_t> labels = decision_labels(data.validation);
  const double threshold = youden_threshold(fit.training.validation_scores, labels);
  fit.validation = evaluate_scores(fit.training.validation_scores, labels, threshold);

  Detector& detector = fit.detector;
  detector.frontend = std::move(frontend);
  detector.history_steps = config.history_steps;
  detector.output_smoothing = config.output_smoothing;
  detector.lstm = fit.training.params;
  detector.threshold = threshold;
  detector.training = config;
  return fit;
}

}  // namespace gaitlstm::model
