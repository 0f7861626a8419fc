// `gaitlstm cv --shift`: the site-shift battery's flag, table and JSON
// (model/shift_battery.h, docs/PROTOCOL.md).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/shift.h"
#include "model/cv.h"
#include "model/train.h"

namespace gaitlstm::cli {

// --shift LIST (checked by data::parse_shifts when parsed).
void add_shift_flag(CLI::App* cmd, std::string& shift);

// Runs the battery on `unshifted`'s fold models (shifted recordings drawn
// from training.seed, decisions by training.protocol), prints its table and
// returns the JSON shifts[].
nlohmann::json run_shift_report(const model::CvOutcome& unshifted, const data::Dataset& dataset,
                                const std::vector<data::Shift>& shifts, const model::TrainConfig& training);

}  // namespace gaitlstm::cli
