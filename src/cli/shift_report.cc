#include "cli/shift_report.h"

#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "cli/metrics_report.h"
#include "cli/validators.h"
#include "model/calibration_cv.h"
#include "util/text_table.h"

namespace gaitlstm::cli {
namespace {

std::string delta(double value) { return std::isfinite(value) ? fmt::format("{:+.4f}", value) : "-"; }

// True when every fold carries a seeded self-calibration (cv --calibration on).
bool with_calibration(const model::CvOutcome& outcome) {
  if (outcome.folds.empty()) return false;
  for (const model::FoldOutcome& fold : outcome.folds)
    if (!fold.calibration) return false;
  return true;
}

// The self-calibrated figures of one shift: each fold's chip keeps the seeds
// of its unshifted validation data (what a wearer's device would carry) and
// moves T_n along the shifted recordings from reset.
model::CalibratedFigures calibrated_under_shift(const model::CvOutcome& unshifted, const model::ShiftOutcome& shift,
                                               const data::ProtocolConfig& protocol, const FoldThresholdTrack& track) {
  model::CvOutcome outcome = shift.transferred;
  for (size_t f = 0; f < outcome.folds.size(); ++f) {
    model::FoldOutcome& fold = outcome.folds[f];
    fold.calibration = unshifted.folds[f].calibration;
    fold.calibrated_thresholds =
        track ? track(f, shift.decisions[f], fold.scores)
              : model::calibrated_thresholds(*fold.calibration, shift.decisions[f], fold.scores, protocol);
  }
  return model::calibrated_figures(outcome);
}

}  // namespace

void add_shift_flag(CLI::App* cmd, std::string& shift) {
  cmd->add_option("--shift", shift,
                  "Site-shift battery: each fold's model also scores its test subject's recordings under each "
                  "shift: all (rotation,gain:0.5,gain:2,rate:128,rate:100,noise,warp:0.8,warp:1.2) or a comma "
                  "list of none, rotation, gain:G, offset[:MG], rate:HZ, noise[:MG], adc[:MG], warp:F "
                  "(docs/PROTOCOL.md)")
      ->check(check_shift_list);
}

std::string check_shift_list(const std::string& text) { return parsed_by(data::parse_shifts)(text); }

nlohmann::json run_shift_report(const model::CvOutcome& unshifted, const data::Dataset& dataset,
                                const ShiftRequest& request, const std::string& label,
                                const model::FoldScorer& score, const FoldThresholdTrack& track) {
  const std::vector<model::ShiftOutcome> shifted =
      score ? model::run_shift_battery(unshifted, dataset, request.shifts, request.protocol, request.seed, score)
            : model::run_shift_battery(unshifted, dataset, request.shifts, request.protocol, request.seed,
                                       request.threads);
  const bool calibrated = with_calibration(unshifted);
  std::vector<std::string> columns = {"shift", "pooled AUC", "delta", "mean fold AUC", "delta", "sens", "spec"};
  if (calibrated) columns.insert(columns.end(), {"calibrated sens", "calibrated spec", "worst subject"});
  columns.push_back("decisions");
  TextTable table(columns);
  auto row = [&](const std::string& name, const model::CvOutcome& o, const model::CalibratedFigures* c) {
    size_t decisions = 0;
    for (const model::FoldOutcome& fold : o.folds) decisions += fold.labels.size();
    std::vector<std::string> cells = {name, metric_text(o.pooled.auc), delta(o.pooled.auc - unshifted.pooled.auc),
                                      metric_text(o.mean_fold_auc), delta(o.mean_fold_auc - unshifted.mean_fold_auc),
                                      metric_text(o.pooled.sensitivity), metric_text(o.pooled.specificity)};
    if (c)
      cells.insert(cells.end(), {metric_text(c->pooled.sensitivity), metric_text(c->pooled.specificity),
                                 metric_text(c->worst_sensitivity) + " / " + metric_text(c->worst_specificity)});
    cells.push_back(std::to_string(decisions));
    table.add_row(cells);
  };
  const model::CalibratedFigures unshifted_calibrated = model::calibrated_figures(unshifted);
  row("unshifted", unshifted, calibrated ? &unshifted_calibrated : nullptr);
  table.add_separator();
  std::vector<model::CalibratedFigures> shifted_calibrated;
  for (const model::ShiftOutcome& s : shifted) {
    if (calibrated) shifted_calibrated.push_back(calibrated_under_shift(unshifted, s, request.protocol, track));
    row(s.shift.name(), s.transferred, calibrated ? &shifted_calibrated.back() : nullptr);
  }
  std::cout << "site-shift battery (" << label
            << "; sens/spec at each fold's threshold chosen on its unshifted validation data"
            << (calibrated ? "; calibrated: the self-calibrated chip seeded on unshifted validation data, worst "
                             "subject's sens / spec"
                           : "")
            << "):\n"
            << table.render();
  nlohmann::json out = model::shifts_to_json(shifted, unshifted);
  if (calibrated) {
    const model::CalibrationConfig& params = *unshifted.folds.front().calibration;
    for (size_t i = 0; i < shifted_calibrated.size(); ++i) out[i]["calibrated"] = model::to_json(shifted_calibrated[i], params);
  }
  return out;
}

}  // namespace gaitlstm::cli
