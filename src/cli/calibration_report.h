// CLI pieces of the wearer self-calibration (model/calibration.h) shared by
// train, cv, quantize and eval: the --calibration flags and the table of
// self-calibrated figures printed beside the fixed-threshold ones.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include "model/calibration.h"
#include "model/calibration_cv.h"
#include "model/cv.h"

namespace gaitlstm::cli {

struct CalibrationFlags {
  std::string mode = "off";          // off | on (quantize also: model = as the float model file says)
  model::CalibrationConfig config;   // rate_shift, k, floor (seeds come from validation data)
  bool on() const { return mode == "on"; }
};

// --calibration MODE, --calibration-rate A, --calibration-k K, --calibration-floor F.
// `modes`: the accepted modes, the first is the default.
void add_calibration_flags(CLI::App* cmd, CalibrationFlags& flags, const std::vector<std::string>& modes = {"off", "on"});
// Throws CLI::ValidationError for out-of-range values, or with `smoothing` < 2.
void check_calibration_flags(const CalibrationFlags& flags, int smoothing);
// "rate 2^-5, k 0.5, floor 0.3, seeds 0.21 / 0.08"
std::string calibration_summary(const model::CalibrationConfig& config);

// Per-test-subject and pooled table of the self-calibrated figures next to
// the fixed-threshold ones (`outcome`'s folds), then the worst subject.
void print_calibrated_cv(const model::CvOutcome& outcome, const model::CalibratedFigures& figures,
                         const std::string& label);

}  // namespace gaitlstm::cli
