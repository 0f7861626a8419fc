// `gaitlstm cv --shift`: the site-shift battery's flag, table and JSON
// (model/shift_battery.h, docs/PROTOCOL.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "data/shift.h"
#include "model/cv.h"
#include "model/shift_battery.h"

namespace gaitlstm::cli {

// --shift LIST (checked by data::parse_shifts when parsed).
void add_shift_flag(CLI::App* cmd, std::string& shift);

// A CLI11 check of a shift list: empty, or parse_shifts' error.
std::string check_shift_list(const std::string& text);

// What the battery runs: shifts, the seed of their random draws, the
// decisions' protocol.
struct ShiftRequest {
  std::vector<data::Shift> shifts;
  uint64_t seed = 1;
  data::ProtocolConfig protocol;
  int threads = 2;
  bool active() const { return !shifts.empty(); }
};

// The self-calibrated thresholds T_n of fold `fold`'s chip along
// (shifted) decisions with their scores, from reset at every segment.
using FoldThresholdTrack = std::function<std::vector<double>(size_t fold, const std::vector<data::Decision>& decisions,
                                                             const std::vector<double>& scores)>;

// Runs the battery on `unshifted`'s fold models, prints its table
// headed by `label` and returns the JSON shifts[].  Without `score` the
// folds' float detectors score; with it e.g. their golden models.  When
// `unshifted`'s folds carry a self-calibration (cv --calibration on), each
// shift also gets the self-calibrated sensitivity and specificity (table
// columns, JSON `calibrated{pooled, worst_sensitivity, ...}`): the chip
// seeded on unshifted validation data, T_n from `track` (default: the float
// calibration of each fold, model/calibration.h).
nlohmann::json run_shift_report(const model::CvOutcome& unshifted, const data::Dataset& dataset,
                                const ShiftRequest& request, const std::string& label = "float model",
                                const model::FoldScorer& score = nullptr, const FoldThresholdTrack& track = nullptr);

}  // namespace gaitlstm::cli
