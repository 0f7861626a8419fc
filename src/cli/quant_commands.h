#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/shift_report.h"
#include "data/dataset.h"
#include "model/calibration.h"
#include "model/cue_choice.h"
#include "model/cv.h"
#include "model/episodes.h"

namespace gaitlstm::cli {

// `gaitlstm activations` (and, with the golden model, `quantize`).
void add_quant_commands(CLI::App& app);

// What `gaitlstm cv` does with quantized models after the float folds.
struct QuantizedCvRequest {
  std::string qmodel;                     // a quantized model file: its bits (or formats) for every fold
  std::string bits;                       // a TensorBits file for every fold
  std::string search_on = "non-test";     // or "validation" (quantized_cv.h, SearchScope)
  bool search = false;                    // bit-width search over the folds
  std::vector<double> budgets{0.01, 0.03};
  int qat_epochs = 0;
  std::string cost_model;                 // JSON file (default: built-in estimate)
  std::string search_json;                // search report (every point, Pareto set)
  std::string survivor_bits;              // directory: bits-within-<budget>pp.json per survivor
  std::string search_shift;               // --search-shift: the search also scores its data under these shifts
  std::vector<std::string> search_fixed;  // --search-fixed: knobs the search leaves at their start width
  int threads = 2;
  model::FoldAlarmRule rule_of;           // each fold's threshold offset and cue (golden alarms); empty = none
  model::EpisodeConfig episodes;
  bool episode_curve = false;             // also the operating curve of each entry
  std::optional<model::CalibrationConfig> calibration;  // golden self-calibration per fold (seeded on validation)
  ShiftRequest shifts;                    // the site-shift battery on the --quant-bits / --qmodel golden models
  bool active() const { return search || !qmodel.empty() || !bits.empty(); }
};

void add_quantized_cv_flags(CLI::App* cv, QuantizedCvRequest& request);

// Prints tables; returns the "quantized" section of the cv JSON.
nlohmann::json run_quantized_cv(const QuantizedCvRequest& request, const model::CvOutcome& float_cv,
                                const data::Dataset& dataset, const std::vector<data::Decision>& decisions);

}  // namespace gaitlstm::cli
