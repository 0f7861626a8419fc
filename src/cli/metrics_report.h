// Tables and JSON of decision-level figures shared by train, eval and cv:
// one row per subject or fold (AUC, sens, spec, ...), subject lists, and
// the "wrote FILE" report files.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "model/metrics.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

// "1,2,3" for one recording set; "daphnet/S01,pdfe-turning/S05" for several.
std::string subject_labels(const data::Dataset& dataset, const std::vector<int>& subjects);

// A rate or AUC with 4 decimals; "-" when undefined (NaN).
std::string metric_text(double value);

// Columns: first_column, AUC, sens, spec, prec, F1, threshold, TP/FP/TN/FN, extra.
TextTable metrics_table(const std::string& first_column, const std::string& extra);
void add_metrics_row(TextTable& table, const std::string& name, const model::BinaryMetrics& m,
                     const std::string& extra);

// Figures at a moving threshold (self-calibration): no AUC, no single threshold.
nlohmann::json calibrated_json(const model::BinaryMetrics& m);

// Writes `json` atomically to `path` and says so; nothing when `path` is empty.
void write_json(const std::string& path, const nlohmann::json& json);

}  // namespace gaitlstm::cli
