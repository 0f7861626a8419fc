// Leave-one-subject-out cross-validation over the protocol's folds
// (data::make_loso_folds): train on the training subjects, early-stop and
// choose the threshold on the validation subject, test on the test subject.
// Pooled figures: AUC over the concatenated test scores of all folds;
// sensitivity, specificity, precision and F1 from the summed confusion
// matrices (each fold at its own validation-chosen threshold).
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/freeze_index.h"
#include "model/frontend.h"
#include "model/metrics.h"
#include "model/train.h"

namespace gaitlstm::model {

struct FoldOutcome {
  data::Fold fold;
  BinaryMetrics test;          // at `test.threshold`, chosen on validation
  double validation_auc = 0;
  int best_epoch = 0;          // LSTM only
  std::vector<double> scores;  // test decisions, in order
  std::vector<uint8_t> labels;
};

struct CvOutcome {
  std::vector<FoldOutcome> folds;
  BinaryMetrics pooled;
  double mean_fold_auc = 0;
};

CvOutcome cross_validate_lstm(const data::Dataset& dataset,
                              const std::vector<data::Decision>& decisions,
                              const FrontEndConfig& frontend, const TrainConfig& config,
                              std::ostream* progress);

CvOutcome cross_validate_freeze_index(const data::Dataset& dataset,
                                      const std::vector<data::Decision>& decisions,
                                      const FreezeIndexConfig& config,
                                      const std::vector<int>& channels, int threads);

// Pooled metrics and mean fold AUC from the folds.
void summarize(CvOutcome& outcome);

// {pooled: {auc, sensitivity, specificity, precision, f1, confusion},
//  mean_fold_auc, folds: [{subject, validation_subject, auc, sensitivity,
//  specificity, precision, f1, threshold, confusion, ...}], params}
nlohmann::json cv_to_json(const CvOutcome& outcome, const nlohmann::json& params);
nlohmann::json metrics_to_json(const BinaryMetrics& metrics);

}  // namespace gaitlstm::model
