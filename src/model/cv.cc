#include "model/cv.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/detector.h"
#include "model/sequences.h"

namespace gaitlstm::model {
namespace {

// The protocol's training subjects minus the fold's test and validation subjects.
std::vector<int> training_subjects(const data::Fold& fold) {
  std::vector<int> subjects;
  for (int s : fold.train_subjects) {
    if (!fold.is_test(s) && s != fold.validation_subject) subjects.push_back(s);
  }
  return subjects;
}

bool contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

std::vector<data::Fold> cv_folds(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                                 const CvOptions& options) {
  std::vector<data::Fold> folds = options.folds.empty() ? data::make_loso_folds(decisions, &dataset) : options.folds;
  // Refused here rather than reported as an empty table of NaNs or a model
  // trained on nothing.
  if (folds.empty()) {
    std::set<int> all, with_freeze;
    for (const data::Decision& d : decisions) {
      all.insert(d.subject);
      if (d.freeze) with_freeze.insert(d.subject);
    }
    throw std::invalid_argument(fmt::format(
        "cross-validation needs at least two subjects with freezes (a test and a validation subject); "
        "the recordings have {} of {} subjects with freeze decisions",
        with_freeze.size(), all.size()));
  }
  for (const data::Fold& fold : folds) {
    if (fold.train_subjects.empty())
      throw std::invalid_argument("cross-validation fold '" + fold.name +
                                  "' has no training subject: leave-one-subject-out needs at least three subjects "
                                  "(one tested, one validating, the rest training)");
  }
  return folds;
}

std::vector<ThresholdFold> threshold_folds(const data::Fold& fold,
                                           const std::vector<data::Decision>& decisions,
                                           ThresholdSource source) {
  std::set<int> all, with_freeze;
  for (const data::Decision& d : decisions) {
    all.insert(d.subject);
    if (d.freeze) with_freeze.insert(d.subject);
  }
  std::vector<ThresholdFold> folds;
  folds.push_back({fold.validation_subject, training_subjects(fold)});
  if (source == ThresholdSource::kValidationSubject) return folds;
  for (int held_out : with_freeze) {
    if (fold.is_test(held_out) || held_out == fold.validation_subject) continue;
    ThresholdFold inner;
    inner.subject = held_out;
    for (int s : all) {
      if (!fold.is_test(s) && s != held_out) inner.train_subjects.push_back(s);
    }
    folds.push_back(std::move(inner));
  }
  return folds;
}

std::vector<double> reference_ranks(const std::vector<double>& sorted_reference,
                                    const std::vector<double>& scores) {
  if (sorted_reference.empty()) throw std::invalid_argument("reference_ranks: empty reference");
  std::vector<double> ranks;
  ranks.reserve(scores.size());
  const double n = static_cast<double>(sorted_reference.size());
  for (double score : scores) {
    const auto below = std::lower_bound(sorted_reference.begin(), sorted_reference.end(), score);
    ranks.push_back(static_cast<double>(below - sorted_reference.begin()) / n);
  }
  return ranks;
}

double score_at_rank(const std::vector<double>& sorted_reference, double rank) {
  if (sorted_reference.empty()) throw std::invalid_argument("score_at_rank: empty reference");
  const double n = static_cast<double>(sorted_reference.size());
  // rank(s) >= rank  <=>  #(reference < s) >= m  <=>  s > reference[m - 1].
  const double needed = std::ceil(rank * n - 1e-9);
  if (needed <= 0) return -std::numeric_limits<double>::infinity();
  if (needed > n) return std::numeric_limits<double>::infinity();
  return std::nextafter(sorted_reference[static_cast<size_t>(needed) - 1],
                        std::numeric_limits<double>::infinity());
}

double choose_fold_threshold(FoldOutcome& outcome, const std::vector<ThresholdSubject>& subjects,
                             const std::vector<std::vector<double>>& scores,
                             const std::vector<std::vector<uint8_t>>& labels, ThresholdRule rule,
                             const std::vector<std::vector<double>>* sorted_references,
                             ThresholdCombine combine) {
  if (subjects.size() != scores.size() || subjects.size() != labels.size() || subjects.empty() ||
      (sorted_references && sorted_references->size() != subjects.size())) {
    throw std::invalid_argument("choose_fold_threshold: subjects, scores and labels differ in count");
  }
  outcome.threshold_subjects = subjects;
  outcome.threshold_scores.clear();
  outcome.threshold_labels.clear();
  for (size_t k = 0; k < subjects.size(); ++k) {
    const std::vector<double> scale =
        sorted_references ? reference_ranks((*sorted_references)[k], scores[k]) : scores[k];
    outcome.threshold_subjects[k].auc = roc_auc(scores[k], labels[k]);
    outcome.threshold_subjects[k].threshold = choose_threshold(scale, labels[k], rule);
    outcome.threshold_scores.insert(outcome.threshold_scores.end(), scale.begin(), scale.end());
    outcome.threshold_labels.insert(outcome.threshold_labels.end(), labels[k].begin(), labels[k].end());
  }
  double threshold = 0;
  if (combine == ThresholdCombine::kPooled) {
    threshold = choose_threshold(outcome.threshold_scores, outcome.threshold_labels, rule);
  } else {
    for (const ThresholdSubject& subject : outcome.threshold_subjects) threshold += subject.threshold;
    threshold /= static_cast<double>(outcome.threshold_subjects.size());
  }
  outcome.threshold_validation =
      evaluate_scores(outcome.threshold_scores, outcome.threshold_labels, threshold);
  outcome.held_out_scores = scores;
  outcome.held_out_thresholds.clear();
  for (size_t k = 0; k < subjects.size(); ++k)
    outcome.held_out_thresholds.push_back(sorted_references ? score_at_rank((*sorted_references)[k], threshold) : threshold);
  return outcome.held_out_thresholds.front();
}

CvOutcome cross_validate_lstm(const data::Dataset& dataset,
                              const std::vector<data::Decision>& decisions,
                              const FrontEndConfig& frontend, const TrainConfig& config,
                              const CvOptions& options, std::ostream* progress) {
  CvOutcome outcome;
  for (const data::Fold& fold : cv_folds(dataset, decisions, options)) {
    const std::vector<ThresholdFold> inner = threshold_folds(fold, decisions, options.source);
    std::vector<ThresholdSubject> subjects;
    std::vector<std::vector<double>> scores;
    std::vector<std::vector<uint8_t>> labels;
    std::vector<std::vector<double>> training_negatives;
    FitResult fit;  // the fold's model: inner[0] is the fold's own training set
    for (size_t k = 0; k < inner.size(); ++k) {
      if (progress) {
        *progress << fmt::format(
            "fold: test {}, {} subject {} ({} of {}), training subjects {}\n",
            fold.name, k == 0 ? "validation" : "threshold-validation", inner[k].subject,
            k + 1, inner.size(), fmt::join(inner[k].train_subjects, ","));
      }
      FitResult inner_fit = fit_detector(dataset, decisions, frontend, config,
                                         inner[k].train_subjects, inner[k].subject, progress);
      ThresholdSubject subject;
      subject.subject = inner[k].subject;
      subject.best_epoch = inner_fit.training.best_epoch;
      subjects.push_back(subject);
      scores.push_back(inner_fit.training.validation_scores);
      labels.push_back(decision_labels(data::filter_subjects(decisions, {inner[k].subject})));
      if (options.keep_training_scores || options.scale == ThresholdScale::kTrainingRank) {
        std::vector<data::Decision> negatives;
        for (const data::Decision& d : data::filter_subjects(decisions, inner[k].train_subjects)) {
          if (!d.freeze) negatives.push_back(d);
        }
        training_negatives.push_back(score_dataset(inner_fit.detector, dataset, negatives, config.threads));
      }
      if (k == 0) fit = std::move(inner_fit);
    }
    FoldOutcome result;
    result.fold = fold;
    for (std::vector<double>& reference : training_negatives) std::sort(reference.begin(), reference.end());
    const double threshold =
        choose_fold_threshold(result, subjects, scores, labels, options.rule,
                              options.scale == ThresholdScale::kTrainingRank ? &training_negatives : nullptr,
                              options.combine);
    fit.detector.threshold = threshold;
    if (options.keep_training_scores) result.training_negative_scores = std::move(training_negatives);
    const std::vector<data::Decision> test = data::filter_subjects(decisions, fold.test_subjects);
    result.scores = score_dataset(fit.detector, dataset, test, config.threads);
    result.labels = decision_labels(test);
    result.test = evaluate_scores(result.scores, result.labels, threshold);
    result.validation_auc = fit.validation.auc;
    result.best_epoch = fit.training.best_epoch;
    if (options.keep_models) {
      result.detector = fit.detector;
      result.train_subjects = inner.front().train_subjects;
    }
    if (progress) {
      std::vector<int> held_out;
      for (const ThresholdFold& f : inner) held_out.push_back(f.subject);
      *progress << fmt::format("fold: test {}: threshold {:.4f} ({} on subjects {})\n",
                               fold.name, threshold, threshold_rule_name(options.rule),
                               fmt::join(held_out, ","));
    }
    outcome.folds.push_back(std::move(result));
  }
  summarize(outcome);
  return outcome;
}

CvOutcome cross_validate_freeze_index(const data::Dataset& dataset,
                                      const std::vector<data::Decision>& decisions,
                                      const FreezeIndexConfig& config,
                                      const std::vector<int>& channels, int threads,
                                      const CvOptions& options) {
  const FreezeIndexFeatures features =
      freeze_index_features(config, dataset, decisions, channels, threads);
  auto indices_of = [&](const std::vector<int>& subjects) {
    std::vector<size_t> indices;
    for (size_t i = 0; i < decisions.size(); ++i) {
      if (contains(subjects, decisions[i].subject)) indices.push_back(i);
    }
    return indices;
  };
  auto labels_of = [&](const std::vector<size_t>& indices) {
    std::vector<uint8_t> labels;
    for (size_t i : indices) labels.push_back(decisions[i].freeze ? 1 : 0);
    return labels;
  };
  auto scores_of = [&](const std::vector<size_t>& indices, double gate) {
    std::vector<double> scores;
    for (size_t i : indices) scores.push_back(freeze_index_score(features, i, gate));
    return scores;
  };
  CvOutcome outcome;
  for (const data::Fold& fold : cv_folds(dataset, decisions, options)) {
    const std::vector<ThresholdFold> inner = threshold_folds(fold, decisions, options.source);
    std::vector<ThresholdSubject> subjects;
    std::vector<std::vector<double>> scores;
    std::vector<std::vector<uint8_t>> labels;
    std::vector<std::vector<double>> training_negatives;
    double gate = 0;  // the fold's gate: inner[0] is the fold's own training set
    for (size_t k = 0; k < inner.size(); ++k) {
      const std::vector<size_t> train = indices_of(inner[k].train_subjects);
      const double inner_gate = choose_power_gate(features, train, labels_of(train));
      if (k == 0) gate = inner_gate;
      std::vector<size_t> train_negatives;
      for (size_t i : train) {
        if (!decisions[i].freeze) train_negatives.push_back(i);
      }
      std::vector<double> reference = scores_of(train_negatives, inner_gate);
      std::sort(reference.begin(), reference.end());
      training_negatives.push_back(std::move(reference));
      const std::vector<size_t> held_out = indices_of({inner[k].subject});
      subjects.push_back({inner[k].subject, 0, 0, 0});
      scores.push_back(scores_of(held_out, inner_gate));
      labels.push_back(labels_of(held_out));
    }
    FoldOutcome result;
    result.fold = fold;
    const double threshold =
        choose_fold_threshold(result, subjects, scores, labels, options.rule,
                              options.scale == ThresholdScale::kTrainingRank ? &training_negatives : nullptr,
                              options.combine);
    if (options.keep_training_scores) result.training_negative_scores = std::move(training_negatives);
    const std::vector<size_t> test = indices_of(fold.test_subjects);
    result.scores = scores_of(test, gate);
    result.labels = labels_of(test);
    result.test = evaluate_scores(result.scores, result.labels, threshold);
    result.validation_auc = result.threshold_subjects.front().auc;
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

nlohmann::json cv_to_json(const CvOutcome& outcome, const nlohmann::json& params,
                          bool with_scores) {
  nlohmann::json pooled = metrics_to_json(outcome.pooled);
  pooled.erase("threshold");
  nlohmann::json folds = nlohmann::json::array();
  for (const FoldOutcome& fold : outcome.folds) {
    nlohmann::json entry = metrics_to_json(fold.test);
    entry["fold"] = fold.fold.name;
    // One test subject (leave-one-subject-out): "subject" as before; a
    // held-out recording set: its subjects.
    if (fold.fold.test_subjects.size() == 1) entry["subject"] = fold.fold.test_subjects.front();
    else entry["test_subjects"] = fold.fold.test_subjects;
    entry["validation_subject"] = fold.fold.validation_subject;
    entry["validation_auc"] = number_or_null(fold.validation_auc);
    entry["decisions"] = fold.labels.size();
    if (fold.best_epoch > 0) entry["best_epoch"] = fold.best_epoch;
    nlohmann::json held_out = nlohmann::json::array();
    for (const ThresholdSubject& subject : fold.threshold_subjects) {
      nlohmann::json item = {{"subject", subject.subject},
                             {"auc", number_or_null(subject.auc)},
                             {"own_threshold", subject.threshold}};
      if (subject.best_epoch > 0) item["best_epoch"] = subject.best_epoch;
      held_out.push_back(std::move(item));
    }
    entry["threshold_choice"] = {{"subjects", held_out},
                                 {"validation", metrics_to_json(fold.threshold_validation)}};
    if (with_scores) {
      entry["scores"] = fold.scores;
      entry["labels"] = fold.labels;
      entry["threshold_choice"]["scores"] = fold.threshold_scores;
      entry["threshold_choice"]["labels"] = fold.threshold_labels;
      if (!fold.training_negative_scores.empty()) {
        entry["threshold_choice"]["training_negative_scores"] = fold.training_negative_scores;
      }
    }
    folds.push_back(std::move(entry));
  }
  return {{"pooled", pooled},
          {"mean_fold_auc", number_or_null(outcome.mean_fold_auc)},
          {"folds", folds},
          {"params", params}};
}

}  // namespace gaitlstm::model
