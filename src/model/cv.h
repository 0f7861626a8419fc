// Cross-validation over the protocol's folds (data::make_loso_folds by
// default, or data::make_dataset_folds): train on the training subjects,
// early-stop on the validation subject, test on the test subject(s).  The threshold is chosen on
// validation scores only (never the test subject's): by default on the
// validation subject alone (ThresholdSource::kValidationSubject), or
// (kNested) on the out-of-fold validation scores of every non-test subject
// with freezes (nested leave-one-subject-out, see threshold_folds), pooled
// or averaged, on the raw score or the training-rank scale (CvOptions).
// Pooled figures: AUC over the concatenated test scores of all folds;
// sensitivity, specificity, precision and F1 from the summed confusion
// matrices (each fold at its own validation-chosen threshold).
#pragma once

#include <optional>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/calibration.h"
#include "model/cue.h"
#include "model/detector.h"
#include "model/freeze_index.h"
#include "model/frontend.h"
#include "model/metrics.h"
#include "model/train.h"

namespace gaitlstm::model {

// Where a fold's threshold is chosen.
enum class ThresholdSource {
  kValidationSubject,  // the fold's validation subject alone
  kNested,             // pooled out-of-fold scores of every non-test subject with freezes
};

// On which scale the held-out subjects' scores are pooled.
enum class ThresholdScale {
  kScore,         // the raw FoG probabilities
  kTrainingRank,  // each score's rank among its own model's training no-FoG scores
};

// How the held-out subjects are combined into one threshold.
enum class ThresholdCombine {
  kPooled,  // the rule on the concatenated scores
  kMean,    // the mean of the rule's thresholds on each subject alone
};

struct CvOptions {
  ThresholdSource source = ThresholdSource::kValidationSubject;
  ThresholdRule rule = ThresholdRule::kYouden;
  ThresholdScale scale = ThresholdScale::kScore;
  ThresholdCombine combine = ThresholdCombine::kPooled;
  bool keep_training_scores = false;  // fill FoldOutcome::training_negative_scores
  bool keep_models = false;           // fill FoldOutcome::detector (LSTM only)
  // The folds; empty = leave-one-subject-out (data::make_loso_folds).  Also
  // data::make_dataset_folds (leave-one-dataset-out).
  std::vector<data::Fold> folds;
};

// options.folds, or the leave-one-subject-out folds of `decisions`.
std::vector<data::Fold> cv_folds(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                                 const CvOptions& options);

// One held-out subject of a fold's threshold choice: a model is trained on
// `train_subjects`, early-stopped on `subject`, and scores `subject`.
struct ThresholdFold {
  int subject = 0;
  std::vector<int> train_subjects;  // every subject but `subject` and the test subjects
};

// The held-out subjects whose validation scores choose the threshold of
// outer fold `fold`.  Always first: the fold's validation subject with the
// fold's own training set (its scores come from the fold's model, no extra
// training).  With kNested also every other subject with at least one FoG
// decision except the test subjects, ascending, each with all subjects but
// itself and the test subjects as training set: the same number of training
// subjects as the fold's model.  No test subject is in any of them.
std::vector<ThresholdFold> threshold_folds(const data::Fold& fold,
                                           const std::vector<data::Decision>& decisions,
                                           ThresholdSource source);

// Validation figures of one held-out subject of the threshold choice.
struct ThresholdSubject {
  int subject = 0;
  double auc = 0;
  double threshold = 0;  // the rule on this subject alone (reported, not used with kNested)
  int best_epoch = 0;    // LSTM only
};

struct FoldOutcome {
  data::Fold fold;
  BinaryMetrics test;          // at `test.threshold`, chosen on validation
  double validation_auc = 0;   // of the fold's model on its validation subject
  int best_epoch = 0;          // LSTM only
  std::vector<double> scores;  // test decisions, in order
  std::vector<uint8_t> labels;
  // The threshold choice: held-out subjects, and the pooled validation
  // scores (in threshold_folds order) with the figures at the chosen threshold.
  std::vector<ThresholdSubject> threshold_subjects;
  BinaryMetrics threshold_validation;
  std::vector<double> threshold_scores;
  std::vector<uint8_t> threshold_labels;
  // Per held-out subject: its model's scores on its own training subjects'
  // no-FoG decisions (in-sample; reported with --save-scores only).
  std::vector<std::vector<double>> training_negative_scores;
  // With CvOptions::keep_models: the fold's trained detector (threshold set)
  // and the subjects it was trained on (without the validation subject).
  std::optional<Detector> detector;
  std::vector<int> train_subjects;
  // Per held-out subject of the threshold choice (threshold_folds order): its
  // model's raw scores and the fold's threshold on that model's scale (the
  // chosen rank mapped through its own training no-FoG scores with
  // kTrainingRank): the validation data a cue is chosen on (model/cue_choice.h).
  std::vector<std::vector<double>> held_out_scores;
  std::vector<double> held_out_thresholds;
  // The test decisions' alarms, the cue and the threshold offset that made
  // them (empty: not computed; model/cue_choice.h fills them).
  std::vector<uint8_t> alarms;
  CueConfig cue;
  double threshold_offset = 0;  // added to the threshold chosen above (test.threshold includes it)
  // Wearer self-calibration (model/calibration_cv.h; empty / unset: not
  // computed): the fold's seeded calibration and T_n of every test decision.
  std::optional<CalibrationConfig> calibration;
  std::vector<double> calibrated_thresholds;
};

struct CvOutcome {
  std::vector<FoldOutcome> folds;
  BinaryMetrics pooled;
  double mean_fold_auc = 0;
};

CvOutcome cross_validate_lstm(const data::Dataset& dataset,
                              const std::vector<data::Decision>& decisions,
                              const FrontEndConfig& frontend, const TrainConfig& config,
                              const CvOptions& options, std::ostream* progress);

CvOutcome cross_validate_freeze_index(const data::Dataset& dataset,
                                      const std::vector<data::Decision>& decisions,
                                      const FreezeIndexConfig& config,
                                      const std::vector<int>& channels, int threads,
                                      const CvOptions& options);

// Rank of each score among `sorted_reference` (ascending): the fraction of
// reference values strictly below it, in [0, 1].
std::vector<double> reference_ranks(const std::vector<double>& sorted_reference,
                                    const std::vector<double>& scores);

// The score threshold equivalent to a rank threshold on `sorted_reference`:
// reference_ranks(ref, {s})[0] >= rank  <=>  s >= score_at_rank(ref, rank)
// (-inf / +inf when every / no score qualifies).
double score_at_rank(const std::vector<double>& sorted_reference, double rank);

// Chooses a fold's threshold from its held-out subjects' validation scores
// (`scores[k]`, `labels[k]` of `subjects[k]`; subjects[0] scored by the
// fold's own model): fills threshold_subjects, threshold_scores/labels
// (concatenated), threshold_validation and held_out_scores/thresholds, and
// returns the threshold: the
// rule on the concatenation.  With `sorted_references` (per subject, its
// model's training no-FoG scores, ascending) the scores are first replaced by
// their ranks among their own model's references, the rule picks a rank, and
// the returned threshold is the fold model's score at that rank.  With
// kMean the threshold (score or rank) is the mean of the per-subject ones.
double choose_fold_threshold(FoldOutcome& outcome, const std::vector<ThresholdSubject>& subjects,
                             const std::vector<std::vector<double>>& scores,
                             const std::vector<std::vector<uint8_t>>& labels, ThresholdRule rule,
                             const std::vector<std::vector<double>>* sorted_references = nullptr,
                             ThresholdCombine combine = ThresholdCombine::kPooled);

// Pooled metrics and mean fold AUC from the folds.
void summarize(CvOutcome& outcome);

// {pooled: {auc, sensitivity, specificity, precision, f1, confusion},
//  mean_fold_auc, folds: [{subject, validation_subject, auc, sensitivity,
//  specificity, precision, f1, threshold, confusion, threshold_choice, ...}],
//  params}.  With `with_scores` every fold also lists its test and
//  threshold-choice scores and labels.
nlohmann::json cv_to_json(const CvOutcome& outcome, const nlohmann::json& params,
                          bool with_scores = false);
nlohmann::json metrics_to_json(const BinaryMetrics& metrics);

}  // namespace gaitlstm::model
