// Figures of the wearer self-calibration (model/calibration.h) in
// cross-validation and evaluation: every test recording runs from reset with
// the chip's moving threshold T_n, and the decision rule is s_n >= T_n.
// Per fold the seeds are the mean and mean absolute deviation of the fold
// model's statistic on its validation subject (never the test subject): the
// population operating point the chip starts from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/protocol.h"
#include "model/calibration.h"
#include "model/cv.h"
#include "model/metrics.h"

namespace gaitlstm::model {

// Sensitivity, specificity, precision and F1 of "score >= thresholds[i]"
// (threshold field NaN: it moves; AUC NaN: not a ranking figure).
BinaryMetrics metrics_at_thresholds(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                                    const std::vector<double>& thresholds);

// Cue alarms (model/cue.h) of consecutive decisions with the threshold T_n
// of every decision (e.g. self-calibrated); the cue restarts at every segment.
std::vector<uint8_t> cue_alarms_at_thresholds(const CueConfig& cue, const std::vector<data::Decision>& decisions,
                                              const std::vector<double>& statistics,
                                              const std::vector<double>& thresholds,
                                              const data::ProtocolConfig& protocol = {});

// Fills every fold's `calibration` (seeded from held_out_scores[0], the
// validation subject's statistics by the fold's model) and
// `calibrated_thresholds` (T_n of its test decisions, from reset at every
// segment).  Throws std::invalid_argument if a fold lacks validation scores.
void calibrate_folds(CvOutcome& outcome, const std::vector<data::Decision>& decisions, const CalibrationConfig& config,
                     const data::ProtocolConfig& protocol = {});

struct CalibratedFold {
  std::string name;    // the fold's name (its test subject, or test set)
  BinaryMetrics test;  // at T_n
  CalibrationConfig calibration;
};

struct CalibratedFigures {
  std::vector<CalibratedFold> folds;  // folds with calibrated thresholds, in order
  BinaryMetrics pooled;               // from the summed confusion matrices
  double worst_sensitivity = 0, worst_specificity = 0;  // over test subjects (with freezes, resp. walking)
};

// From the folds' calibrated_thresholds (folds without are skipped).
CalibratedFigures calibrated_figures(const CvOutcome& outcome);

// {"pooled": {sensitivity, specificity, precision, f1, confusion},
//  "worst_sensitivity", "worst_specificity",
//  "folds": [{fold, sensitivity, specificity, ..., seed_mean, seed_deviation}], "params": {calibration}}
nlohmann::json to_json(const CalibratedFigures& figures, const CalibrationConfig& params);

}  // namespace gaitlstm::model
