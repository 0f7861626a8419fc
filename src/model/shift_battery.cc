#include "model/shift_battery.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "model/detector.h"
#include "model/sequences.h"

namespace gaitlstm::model {

std::vector<ShiftOutcome> run_shift_battery(const CvOutcome& cv, const data::Dataset& dataset,
                                            const std::vector<data::Shift>& shifts,
                                            const data::ProtocolConfig& protocol, uint64_t seed,
                                            int threads) {
  for (const FoldOutcome& fold : cv.folds) {
    if (!fold.detector)
      throw std::invalid_argument("the shift battery needs every fold's model (CvOptions::keep_models)");
  }
  return run_shift_battery(cv, dataset, shifts, protocol, seed,
                           [&cv, threads](size_t fold, const data::Dataset& shifted,
                                          const std::vector<data::Decision>& decisions) {
                             return score_dataset(*cv.folds[fold].detector, shifted, decisions, threads);
                           });
}

std::vector<ShiftOutcome> run_shift_battery(const CvOutcome& cv, const data::Dataset& dataset,
                                            const std::vector<data::Shift>& shifts,
                                            const data::ProtocolConfig& protocol, uint64_t seed,
                                            const FoldScorer& score) {
  std::vector<ShiftOutcome> outcomes;
  for (const data::Shift& shift : shifts) {
    ShiftOutcome outcome;
    outcome.shift = shift;
    for (size_t f = 0; f < cv.folds.size(); ++f) {
      const FoldOutcome& fold = cv.folds[f];
      const data::Dataset shifted = data::apply_shift(dataset, fold.fold.test_subjects, shift, seed);
      const std::vector<data::Decision> decisions = data::make_decisions(shifted, protocol);
      FoldOutcome result;
      result.fold = fold.fold;
      result.validation_auc = fold.validation_auc;
      result.best_epoch = fold.best_epoch;
      result.scores = score(f, shifted, decisions);
      result.labels = decision_labels(decisions);
      result.test = evaluate_scores(result.scores, result.labels, fold.test.threshold);
      outcome.transferred.folds.push_back(std::move(result));
      outcome.decisions.push_back(decisions);
    }
    summarize(outcome.transferred);
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

namespace {

nlohmann::json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json shifts_to_json(const std::vector<ShiftOutcome>& shifts, const CvOutcome& unshifted) {
  nlohmann::json entries = nlohmann::json::array();
  for (const ShiftOutcome& s : shifts) {
    nlohmann::json pooled = metrics_to_json(s.transferred.pooled);
    pooled.erase("threshold");
    nlohmann::json folds = nlohmann::json::array();
    for (const FoldOutcome& fold : s.transferred.folds) {
      nlohmann::json entry = metrics_to_json(fold.test);
      entry["fold"] = fold.fold.name;
      if (fold.fold.test_subjects.size() == 1) entry["subject"] = fold.fold.test_subjects.front();
      entry["decisions"] = fold.labels.size();
      folds.push_back(std::move(entry));
    }
    entries.push_back({{"shift", s.shift.name()},
                       {"pooled", pooled},
                       {"mean_fold_auc", number_or_null(s.transferred.mean_fold_auc)},
                       {"delta_auc", number_or_null(s.transferred.pooled.auc - unshifted.pooled.auc)},
                       {"delta_mean_fold_auc",
                        number_or_null(s.transferred.mean_fold_auc - unshifted.mean_fold_auc)},
                       {"folds", folds}});
  }
  return entries;
}

}  // namespace gaitlstm::model
