// What the report shows, collected from the store for this config's points.
#include <fmt/format.h>

#include "explore/exploration.h"

namespace gaitlstm::explore {

ReportData Exploration::collect_report() {
  ReportData report;
  report.title = config_.report.title;
  report.realtime = rt_;
  report.delta_auc_pp = config_.report.delta_auc_pp;
  report.min_area_saving = config_.report.min_area_saving;
  report.config = config_.raw;
  for (const PlannedPoint& p : planned_) {
    const std::optional<PointOutcome> rec = store_->point(p.spec.key);
    if (!rec) continue;
    if (rec->done()) {
      PointResult result = *rec->result;
      // A point recorded before episodes were measured: its candidate's (the same golden alarms).
      if (!result.episodes) result.episodes = p.spec.episodes;
      report.points.push_back(DesignPoint::from_result(rec->key, result));
      ++summary_.points_done;
    } else {
      report.failed.push_back({p.spec.name(), rec->error});
      ++summary_.points_failed;
    }
  }
  report.calibration = calibration_;
  for (size_t i = 0; i < floats_.size(); ++i)
    for (const Candidate& c : candidates_[i])
      report.quant.push_back({floats_[i].config->label, c.label, c.auc, c.float_auc, c.bits});
  return report;
}

RunInfo Exploration::run_info() const {
  RunInfo r;
  r.seconds = summary_.seconds;
  r.jobs = options_.jobs;
  r.executor = executor_ ? executor_->describe() : options_.executor;
  r.report_only = options_.report_only;
  r.points_planned = summary_.points_planned;
  r.points_done = summary_.points_done;
  r.points_failed = summary_.points_failed;
  r.points_computed = summary_.points_computed;
  r.points_not_built = summary_.points_pending;
  r.points_skipped_invalid = summary_.points_skipped_invalid;
  r.layouts_done = summary_.layouts_done;
  r.layouts_failed = summary_.layouts_failed;
  r.load_average_start = load_at_start_;
  r.load_average_end = load_average();
  r.data = data_.dataset.several_sets() ? data_.dataset.name : data_.dir;  // "daphnet+pdfe-turning"
  r.auc_measured_on = auc_measured_on();
  r.store = store_->path();
  return r;
}

}  // namespace gaitlstm::explore
