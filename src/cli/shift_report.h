// `gaitlstm cv --shift`: the site-shift battery's flag, table and JSON
// (model/shift_battery.h, docs/PROTOCOL.md).
#pragma once

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

// What the battery runs: shifts, the seed of their random draws, the
// decisions' protocol.
struct ShiftRequest {
  std::vector<data::Shift> shifts;
  uint64_t seed = 1;
  data::ProtocolConfig protocol;
  int threads = 2;
  bool active() const { return !shifts.empty(); }
};

// Runs the battery on `unshifted`'s fold models, prints its table
// headed by `label` and returns the JSON shifts[].  Without `score` the
// folds' float detectors score; with it e.g. their golden models.
nlohmann::json run_shift_report(const model::CvOutcome& unshifted, const data::Dataset& dataset,
                                const ShiftRequest& request, const std::string& label = "float model",
                                const model::FoldScorer& score = nullptr);

}  // namespace gaitlstm::cli
