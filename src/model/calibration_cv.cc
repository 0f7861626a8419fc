#include "model/calibration_cv.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::model {

namespace {
double ratio(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? std::numeric_limits<double>::quiet_NaN()
                          : static_cast<double>(numerator) / static_cast<double>(denominator);
}

BinaryMetrics from_confusion(const Confusion& c) {
  BinaryMetrics m;
  m.threshold = std::numeric_limits<double>::quiet_NaN();
  m.auc = std::numeric_limits<double>::quiet_NaN();
  m.confusion = c;
  m.sensitivity = ratio(c.true_positives, c.true_positives + c.false_negatives);
  m.specificity = ratio(c.true_negatives, c.true_negatives + c.false_positives);
  m.precision = c.true_positives + c.false_positives == 0 ? 0 : ratio(c.true_positives, c.true_positives + c.false_positives);
  const double sum = m.precision + m.sensitivity;
  m.f1 = !(sum > 0) ? 0.0 : 2 * m.precision * m.sensitivity / sum;
  return m;
}

Confusion add(Confusion a, const Confusion& b) {
  a.true_positives += b.true_positives;
  a.false_positives += b.false_positives;
  a.true_negatives += b.true_negatives;
  a.false_negatives += b.false_negatives;
  return a;
}
}  // namespace

BinaryMetrics metrics_at_thresholds(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                                    const std::vector<double>& thresholds) {
  if (scores.size() != labels.size() || scores.size() != thresholds.size())
    throw std::invalid_argument(fmt::format("metrics_at_thresholds: {} scores, {} labels, {} thresholds", scores.size(),
                                            labels.size(), thresholds.size()));
  Confusion c;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool predicted = scores[i] >= thresholds[i];
    if (labels[i]) {
      (predicted ? c.true_positives : c.false_negatives) += 1;
    } else {
      (predicted ? c.false_positives : c.true_negatives) += 1;
    }
  }
  return from_confusion(c);
}

std::vector<uint8_t> cue_alarms_at_thresholds(const CueConfig& cue, const std::vector<data::Decision>& decisions,
                                              const std::vector<double>& statistics,
                                              const std::vector<double>& thresholds,
                                              const data::ProtocolConfig& protocol) {
  if (statistics.size() != decisions.size() || thresholds.size() != decisions.size())
    throw std::invalid_argument(fmt::format("cue_alarms_at_thresholds: {} statistics, {} thresholds for {} decisions",
                                            statistics.size(), thresholds.size(), decisions.size()));
  const std::vector<uint8_t> starts = segment_starts(decisions, protocol);
  CueLogic<double> logic(cue.hysteresis, cue.min_on, cue.refractory);
  std::vector<uint8_t> alarms(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (starts[i]) logic.reset();
    alarms[i] = logic.step(statistics[i], thresholds[i]) ? 1 : 0;
  }
  return alarms;
}

void calibrate_folds(CvOutcome& outcome, const std::vector<data::Decision>& decisions, const CalibrationConfig& config,
                     const data::ProtocolConfig& protocol) {
  for (FoldOutcome& fold : outcome.folds) {
    if (fold.held_out_scores.empty() || fold.held_out_scores.front().empty())
      throw std::invalid_argument(
          fmt::format("fold {}: no validation scores to seed the calibration", fold.fold.name));
    fold.calibration = seed_calibration(config, fold.held_out_scores.front());
    const std::vector<data::Decision> test = data::filter_subjects(decisions, fold.fold.test_subjects);
    fold.calibrated_thresholds = calibrated_thresholds(*fold.calibration, test, fold.scores, protocol);
  }
}

CalibratedFigures calibrated_figures(const CvOutcome& outcome) {
  CalibratedFigures figures;
  Confusion pooled;
  figures.worst_sensitivity = figures.worst_specificity = std::numeric_limits<double>::infinity();
  for (const FoldOutcome& fold : outcome.folds) {
    if (fold.calibrated_thresholds.empty() || !fold.calibration) continue;
    CalibratedFold f{fold.fold.name, metrics_at_thresholds(fold.scores, fold.labels, fold.calibrated_thresholds),
                     *fold.calibration};
    pooled = add(pooled, f.test.confusion);
    if (std::isfinite(f.test.sensitivity)) figures.worst_sensitivity = std::min(figures.worst_sensitivity, f.test.sensitivity);
    if (std::isfinite(f.test.specificity)) figures.worst_specificity = std::min(figures.worst_specificity, f.test.specificity);
    figures.folds.push_back(std::move(f));
  }
  figures.pooled = from_confusion(pooled);
  if (!std::isfinite(figures.worst_sensitivity)) figures.worst_sensitivity = std::numeric_limits<double>::quiet_NaN();
  if (!std::isfinite(figures.worst_specificity)) figures.worst_specificity = std::numeric_limits<double>::quiet_NaN();
  return figures;
}

namespace {
nlohmann::json figure(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

nlohmann::json rates_json(const BinaryMetrics& m) {
  const Confusion& c = m.confusion;
  return {{"sensitivity", figure(m.sensitivity)},
          {"specificity", figure(m.specificity)},
          {"precision", figure(m.precision)},
          {"f1", figure(m.f1)},
          {"confusion", {{"tp", c.true_positives}, {"fp", c.false_positives}, {"tn", c.true_negatives}, {"fn", c.false_negatives}}}};
}
}  // namespace

nlohmann::json to_json(const CalibratedFigures& figures, const CalibrationConfig& params) {
  nlohmann::json folds = nlohmann::json::array();
  for (const CalibratedFold& f : figures.folds) {
    nlohmann::json entry = rates_json(f.test);
    entry["fold"] = f.name;
    entry["seed_mean"] = f.calibration.seed_mean;
    entry["seed_deviation"] = f.calibration.seed_deviation;
    folds.push_back(std::move(entry));
  }
  nlohmann::json p = to_json(params);
  p.erase("seed_mean");
  p.erase("seed_deviation");
  return {{"pooled", rates_json(figures.pooled)},
          {"worst_sensitivity", figure(figures.worst_sensitivity)},
          {"worst_specificity", figure(figures.worst_specificity)},
          {"folds", folds},
          {"params", p}};
}

}  // namespace gaitlstm::model
