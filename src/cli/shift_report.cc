#include "cli/shift_report.h"

#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "util/text_table.h"

namespace gaitlstm::cli {
namespace {

std::string figure(double value) { return std::isfinite(value) ? fmt::format("{:.4f}", value) : "-"; }
std::string delta(double value) { return std::isfinite(value) ? fmt::format("{:+.4f}", value) : "-"; }

}  // namespace

void add_shift_flag(CLI::App* cmd, std::string& shift) {
  cmd->add_option("--shift", shift,
                  "Site-shift battery: each fold's model also scores its test subject's recordings under each "
                  "shift: all (rotation,gain:0.5,gain:2,rate:128,rate:100,noise,warp:0.8,warp:1.2) or a comma "
                  "list of none, rotation, gain:G, offset[:MG], rate:HZ, noise[:MG], adc[:MG], warp:F "
                  "(docs/PROTOCOL.md)")
      ->check([](const std::string& text) {
        try {
          data::parse_shifts(text);
          return std::string();
        } catch (const std::invalid_argument& e) {
          return std::string(e.what());
        }
      });
}

nlohmann::json run_shift_report(const model::CvOutcome& unshifted, const data::Dataset& dataset,
                                const ShiftRequest& request, const std::string& label,
                                const model::FoldScorer& score) {
  const std::vector<model::ShiftOutcome> shifted =
      score ? model::run_shift_battery(unshifted, dataset, request.shifts, request.protocol, request.seed, score)
            : model::run_shift_battery(unshifted, dataset, request.shifts, request.protocol, request.seed,
                                       request.threads);
  // Columns per operating point (now: the transferred threshold) go after the AUCs.
  TextTable table({"shift", "pooled AUC", "delta", "mean fold AUC", "delta", "sens", "spec", "decisions"});
  auto row = [&](const std::string& name, const model::CvOutcome& o) {
    size_t decisions = 0;
    for (const model::FoldOutcome& fold : o.folds) decisions += fold.labels.size();
    table.add_row({name, figure(o.pooled.auc), delta(o.pooled.auc - unshifted.pooled.auc), figure(o.mean_fold_auc),
                   delta(o.mean_fold_auc - unshifted.mean_fold_auc), figure(o.pooled.sensitivity),
                   figure(o.pooled.specificity), std::to_string(decisions)});
  };
  row("unshifted", unshifted);
  table.add_separator();
  for (const model::ShiftOutcome& s : shifted) row(s.shift.name(), s.transferred);
  std::cout << "site-shift battery (" << label
            << "; sens/spec at each fold's threshold chosen on its unshifted validation data):\n"
            << table.render();
  return model::shifts_to_json(shifted, unshifted);
}

}  // namespace gaitlstm::cli
