#include "model/cv.h"

#include <cmath>

#include <fmt/format.h>

#include "model/detector.h"
#include "model/sequences.h"

namespace gaitlstm::model {
namespace {

// The protocol's training subjects minus the fold's test and validation subjects.
std::vector<int> training_subjects(const data::Fold& fold) {
  std::vector<int> subjects;
  for (int s : fold.train_subjects) {
    if (s != fold.test_subject && s != fold.validation_subject) subjects.push_back(s);
  }
  return subjects;
}

}  // namespace

CvOutcome cross_validate_lstm(const data::Dataset& dataset,
                              const std::vector<data::Decision>& decisions,
                              const FrontEndConfig& frontend, const TrainConfig& config,
                              std::ostream* progress) {
  CvOutcome outcome;
  for (const data::Fold& fold : data::make_loso_folds(decisions)) {
    if (progress) {
      *progress << fmt::format("fold: test subject {}, validation subject {}\n",
                               fold.test_subject, fold.validation_subject);
    }
    const FitResult fit = fit_detector(dataset, decisions, frontend, config,
                                       training_subjects(fold), fold.validation_subject, progress);
    const std::vector<data::Decision> test = data::filter_subjects(decisions, {fold.test_subject});
    FoldOutcome result;
    result.fold = fold;
    result.scores = score_dataset(fit.detector, dataset, test, config.threads);
    result.labels = decision_labels(test);
    result.test = evaluate_scores(result.scores, result.labels, fit.detector.threshold);
    result.validation_auc = fit.validation.auc;
    result.best_epoch = fit.training.best_epoch;
    outcome.folds.push_back(std::move(result));
  }
  summarize(outcome);
  return outcome;
}

CvOutcome cross_validate_freeze_index(const data::Dataset& dataset,
                                      const std::vector<data::Decision>& decisions,
                                      const FreezeIndexConfig& config,
                                      const std::vector<int>& channels, int threads) {
  const FreezeIndexFeatures features =
      freeze_index_features(config, dataset, decisions, channels, threads);
  auto indices_of = [&](const std::vector<int>& subjects) {
    std::vector<size_t> indices;
    for (size_t i = 0; i < decisions.size(); ++i) {
      for (int s : subjects) {
        if (decisions[i].subject == s) indices.push_back(i);
      }
    }
    return indices;
  };
  auto labels_of = [&](const std::vector<size_t>& indices) {
    std::vector<uint8_t> labels;
    for (size_t i : indices) labels.push_back(decisions[i].freeze ? 1 : 0);
    return labels;
  };
  CvOutcome outcome;
  for (const data::Fold& fold : data::make_loso_folds(decisions)) {
    const std::vector<size_t> train = indices_of(training_subjects(fold));
    const double gate = choose_power_gate(features, train, labels_of(train));
    auto scores_of = [&](const std::vector<size_t>& indices) {
      std::vector<double> scores;
      for (size_t i : indices) scores.push_back(freeze_index_score(features, i, gate));
      return scores;
    };
    const std::vector<size_t> validation = indices_of({fold.validation_subject});
    const std::vector<uint8_t> validation_labels = labels_of(validation);
    const std::vector<double> validation_scores = scores_of(validation);
    const double threshold = youden_threshold(validation_scores, validation_labels);
    const std::vector<size_t> test = indices_of({fold.test_subject});
    FoldOutcome result;
    result.fold = fold;
    result.scores = scores_of(test);
    result.labels = labels_of(test);
    result.test = evaluate_scores(result.scores, result.labels, threshold);
    result.validation_auc = roc_auc(validation_scores, validation_labels);
    outcome.folds.push_back(std::move(result));
  }
  summarize(outcome);
  return outcome;
}

void summarize(CvOutcome& outcome) {
  std::vector<double> scores;
  std::vector<uint8_t> labels;
  Confusion total;
  double auc_sum = 0;
  int auc_count = 0;
  for (const FoldOutcome& fold : outcome.folds) {
    scores.insert(scores.end(), fold.scores.begin(), fold.scores.end());
    labels.insert(labels.end(), fold.labels.begin(), fold.labels.end());
    total.true_positives += fold.test.confusion.true_positives;
    total.false_positives += fold.test.confusion.false_positives;
    total.true_negatives += fold.test.confusion.true_negatives;
    total.false_negatives += fold.test.confusion.false_negatives;
    if (!std::isnan(fold.test.auc)) {
      auc_sum += fold.test.auc;
      ++auc_count;
    }
  }
  // Metrics from the summed confusion: evaluate_scores at each fold's own
  // threshold is exactly that sum, so recompute the ratios from `total`.
  BinaryMetrics& pooled = outcome.pooled;
  pooled.auc = roc_auc(scores, labels);
  pooled.threshold = std::nan("");
  pooled.confusion = total;
  auto ratio = [](int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; };
  pooled.sensitivity = ratio(total.true_positives, total.true_positives + total.false_negatives);
  pooled.specificity = ratio(total.true_negatives, total.true_negatives + total.false_positives);
  pooled.precision = ratio(total.true_positives, total.true_positives + total.false_positives);
  const double sum = pooled.precision + pooled.sensitivity;
  pooled.f1 = sum == 0 ? 0.0 : 2 * pooled.precision * pooled.sensitivity / sum;
  outcome.mean_fold_auc = auc_count ? auc_sum / auc_count : std::nan("");
}

namespace {

// JSON has no NaN: missing figures are null.
nlohmann::json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json metrics_to_json(const BinaryMetrics& m) {
  return {{"auc", number_or_null(m.auc)},
          {"sensitivity", m.sensitivity},
          {"specificity", m.specificity},
          {"precision", m.precision},
          {"f1", m.f1},
          {"threshold", number_or_null(m.threshold)},
          {"confusion",
           {{"tp", m.confusion.true_positives},
            {"fp", m.confusion.false_positives},
            {"tn", m.confusion.true_negatives},
            {"fn", m.confusion.false_negatives}}}};
}

nlohmann::json cv_to_json(const CvOutcome& outcome, const nlohmann::json& params) {
  nlohmann::json pooled = metrics_to_json(outcome.pooled);
  pooled.erase("threshold");
  nlohmann::json folds = nlohmann::json::array();
  for (const FoldOutcome& fold : outcome.folds) {
    nlohmann::json entry = metrics_to_json(fold.test);
    entry["subject"] = fold.fold.test_subject;
    entry["validation_subject"] = fold.fold.validation_subject;
    entry["validation_auc"] = number_or_null(fold.validation_auc);
    entry["decisions"] = fold.labels.size();
    if (fold.best_epoch > 0) entry["best_epoch"] = fold.best_epoch;
    folds.push_back(std::move(entry));
  }
  return {{"pooled", pooled},
          {"mean_fold_auc", number_or_null(outcome.mean_fold_auc)},
          {"folds", folds},
          {"params", params}};
}

}  // namespace gaitlstm::model
