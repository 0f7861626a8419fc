#include "cli/metrics_report.h"

#include <cmath>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/json_output.h"
#include "model/cv.h"
#include "util/atomic_file.h"

namespace gaitlstm::cli {

std::string subject_labels(const data::Dataset& dataset, const std::vector<int>& subjects) {
  std::vector<std::string> labels;
  for (int s : subjects) labels.push_back(data::subject_label(dataset, s));
  return fmt::format("{}", fmt::join(labels, ","));
}

std::string metric_text(double value) { return std::isfinite(value) ? fmt::format("{:.4f}", value) : "-"; }

void add_metrics_row(TextTable& table, const std::string& name, const model::BinaryMetrics& m,
                     const std::string& extra) {
  const model::Confusion& c = m.confusion;
  table.add_row({name, metric_text(m.auc), metric_text(m.sensitivity), metric_text(m.specificity), metric_text(m.precision),
                 metric_text(m.f1), metric_text(m.threshold),
                 fmt::format("{}/{}/{}/{}", c.true_positives, c.false_positives, c.true_negatives,
                             c.false_negatives),
                 extra});
}

TextTable metrics_table(const std::string& first_column, const std::string& extra) {
  return TextTable({first_column, "AUC", "sens", "spec", "prec", "F1", "threshold", "TP/FP/TN/FN", extra});
}

nlohmann::json calibrated_json(const model::BinaryMetrics& m) {
  nlohmann::json j = model::metrics_to_json(m);
  j.erase("auc");
  j.erase("threshold");
  return j;
}

void write_json(const std::string& path, const nlohmann::json& json) {
  if (path.empty()) return;
  write_file_atomic(path, json_text(json));
  std::cout << "wrote " << path << "\n";
}

}  // namespace gaitlstm::cli
