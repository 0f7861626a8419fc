#include "cli/calibration_report.h"

#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "cli/metrics_report.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

void add_calibration_flags(CLI::App* cmd, CalibrationFlags& flags, const std::vector<std::string>& modes) {
  flags.mode = modes.front();
  cmd->add_option("--calibration", flags.mode,
                  "Wearer self-calibration: the threshold follows each wearer's own statistic (needs --smoothing > 1; "
                  "docs/MODEL.md)")
      ->check(CLI::IsMember(modes))
      ->capture_default_str();
  cmd->add_option("--calibration-rate", flags.config.rate_shift, "Self-calibration: running averages at rate 2^-A per decision")
      ->capture_default_str();
  cmd->add_option("--calibration-k", flags.config.k,
                  "Self-calibration: threshold = mean + K x mean absolute deviation (a multiple of 1/16)")
      ->capture_default_str();
  cmd->add_option("--calibration-floor", flags.config.floor, "Self-calibration: lowest threshold (FoG probability)")
      ->capture_default_str();
}

void check_calibration_flags(const CalibrationFlags& flags, int smoothing) {
  if (!flags.on()) return;
  try {
    model::check_calibration(flags.config);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--calibration-*", e.what());
  }
  if (smoothing < 2) throw CLI::ValidationError("--calibration", "self-calibration needs output smoothing (--smoothing > 1)");
}

std::string calibration_summary(const model::CalibrationConfig& c) {
  return fmt::format("rate 2^-{}, k {:.4g}, floor {:.4g}, seeds {:.4g} / {:.4g}", c.rate_shift, c.k, c.floor, c.seed_mean,
                     c.seed_deviation);
}

void print_calibrated_cv(const model::CvOutcome& outcome, const model::CalibratedFigures& figures,
                         const std::string& label) {
  TextTable table({label, "fixed sens", "fixed spec", "calibrated sens", "calibrated spec", "seed mean", "seed dev"});
  size_t k = 0;
  for (const model::FoldOutcome& fold : outcome.folds) {
    if (k >= figures.folds.size() || figures.folds[k].name != fold.fold.name) continue;
    const model::CalibratedFold& f = figures.folds[k++];
    table.add_row({f.name, metric_text(fold.test.sensitivity), metric_text(fold.test.specificity),
                   metric_text(f.test.sensitivity), metric_text(f.test.specificity), fmt::format("{:.4f}", f.calibration.seed_mean),
                   fmt::format("{:.4f}", f.calibration.seed_deviation)});
  }
  table.add_separator();
  table.add_row({"pooled", metric_text(outcome.pooled.sensitivity), metric_text(outcome.pooled.specificity),
                 metric_text(figures.pooled.sensitivity), metric_text(figures.pooled.specificity), "", ""});
  std::cout << table.render();
  std::cout << fmt::format("self-calibrated: worst test subject sensitivity {}, specificity {}\n",
                           metric_text(figures.worst_sensitivity), metric_text(figures.worst_specificity));
}

}  // namespace gaitlstm::cli
