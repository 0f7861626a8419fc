// The complete FoG detector (front-end + LSTM + threshold) and how it is
// fitted to a set of training subjects.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/calibration.h"
#include "model/cue.h"
#include "model/frontend.h"
#include "model/lstm.h"
#include "model/metrics.h"
#include "model/train.h"

namespace gaitlstm::model {

struct Detector {
  FrontEndConfig frontend;        // filters and normalization included
  int history_steps = 32;         // LSTM steps of causal history per decision
  int output_smoothing = 1;       // decisions averaged into a score (sequences.h)
  LstmParams<float> lstm;
  double threshold = 0.5;         // FoG when probability >= threshold
  CueConfig cue;                  // cueing logic after the threshold (model/cue.h); default off
  // Wearer self-calibration (model/calibration.h): T_n follows the wearer's
  // statistic instead of `threshold` (needs output_smoothing > 1); absent = off.
  std::optional<CalibrationConfig> calibration;
  TrainConfig training;           // how it was trained
  nlohmann::json metrics = nlohmann::json::object();  // free-form figures (validation, ...)
};

// FoG probability at every decision of `dataset`.
std::vector<double> score_dataset(const Detector& detector, const data::Dataset& dataset,
                                  const std::vector<data::Decision>& decisions, int threads);

struct FitResult {
  Detector detector;
  TrainResult training;
  BinaryMetrics validation;       // at the chosen (Youden) threshold
};

// Fits normalization on the training subjects' segments, trains the LSTM with
// early stopping on `validation_subject`, and picks the Youden threshold on
// its decisions.  `frontend` gives channels, bands and decimation.
FitResult fit_detector(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                       FrontEndConfig frontend, const TrainConfig& config,
                       const std::vector<int>& train_subjects, int validation_subject,
                       std::ostream* progress);

}  // namespace gaitlstm::model
