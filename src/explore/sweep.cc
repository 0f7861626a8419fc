// Running tasks on the executor and recording their outcomes: the only
// place outcomes enter the store.  Before anything is started, outcome
// files that are on disk but not in the store (a worker finished while the
// coordinator was down, or the coordinator died between a task's end and
// its record) are recorded, so nothing finished is computed again.
#include <filesystem>

#include <fmt/format.h>

#include "explore/build.h"
#include "explore/exploration.h"
#include "util/progress.h"

namespace gaitlstm::explore {

namespace {

std::string point_line(const PointOutcome& o) {
  if (!o.done()) return fmt::format("point {} FAILED after {:.0f} s: {}", o.name(), o.seconds, o.error.substr(0, 300));
  const PointResult& r = *o.result;
  return fmt::format("point {} done in {:.0f} s: {} cells, {:.3f} mm2, {:.1f} MHz", o.name(), o.seconds, r.cells(),
                     r.area_mm2(), r.fmax_mhz());
}

}  // namespace

void Exploration::build_points(size_t first) {
  std::vector<Task> tasks;
  int64_t from_disk = 0;
  for (size_t i = first; i < planned_.size(); ++i) {
    const PointSpec& spec = planned_[i].spec;
    const std::optional<PointOutcome> rec = store_->point(spec.key);
    if (rec && !(!rec->done() && options_.retry_failed)) continue;
    if (!rec) {
      if (std::optional<PointOutcome> o = finished_point(out_, spec.key); o && !(!o->done() && options_.retry_failed)) {
        store_->put_point(*o);
        ++from_disk;
        continue;
      }
    }
    tasks.push_back({"point", spec, {}});
    forget_failed_outcome(out_, tasks.back());  // --retry-failed
  }
  const size_t total = planned_.size() - first;
  log_.line(fmt::format("{} design points: {} in the store{}, {} to build{}; load average {}", total,
                        total - tasks.size() - static_cast<size_t>(from_disk),
                        from_disk ? fmt::format(", {} finished earlier and recorded now", from_disk) : "", tasks.size(),
                        options_.report_only ? " (not now: --report-only)" : " with " + executor_->describe(),
                        load_average()));
  if (options_.report_only) {
    summary_.points_pending += static_cast<int64_t>(tasks.size());
    return;
  }
  run_tasks("design points", tasks);
  summary_.points_computed += static_cast<int64_t>(tasks.size());
}

void Exploration::run_tasks(const std::string& label, const std::vector<Task>& tasks) {
  if (tasks.empty()) return;
  std::mutex progress_mutex;
  ProgressBar bar(label, static_cast<int64_t>(tasks.size()));
  TaskEvents events;
  events.started = [&](size_t i, const std::string& worker) {
    store_->record_attempt(tasks[i].key(), tasks[i].kind, worker, !worker.empty());
  };
  events.finished = [&](size_t i) {
    event(tasks[i].kind + "-finished");
    record(tasks[i], false, "");
    std::lock_guard lock(progress_mutex);
    bar.advance(1, tasks[i].name());
  };
  events.lost = [&](size_t i, const std::string& reason) {
    record(tasks[i], true, reason);
    std::lock_guard lock(progress_mutex);
    bar.advance(1, tasks[i].name());
  };
  executor_->run(tasks, events);
}

// Records the outcome `task` left on disk, or (lost) a failure saying why
// it never left one, so a rerun does not try it again unless asked.
void Exploration::record(const Task& task, bool lost, const std::string& reason) {
  if (task.kind == "point") {
    std::optional<PointOutcome> o = lost ? std::nullopt : finished_point(out_, task.key());
    if (!o) {
      const PointSpec& s = task.point;
      o = PointOutcome{s.key, s.model, s.quant, s.arch, "failed", std::nullopt,
                       lost ? reason : "the task ended without an outcome file", 0};
    }
    store_->put_point(*o);
    log_.line(point_line(*o));
  } else if (task.kind == "power") {
    std::optional<PointOutcome> o = lost ? std::nullopt : finished_power(out_, task.key());
    if (!o) {  // keep the point, without energy
      o = store_->point(task.key());
      if (!o || !o->done()) return;
      o->result->power.reset();
      o->result->power_error = lost ? reason : "the power task ended without an outcome";
    }
    store_->put_point(*o);
    const PointResult& r = *o->result;
    log_.line(fmt::format("power {}: {}", task.name(),
                          r.power ? fmt::format("{:.2f} mW", 1e3 * r.power->total_w)
                                  : "failed: " + r.power_error.value_or("").substr(0, 300)));
  } else if (task.kind == "fpga") {
    std::optional<PointOutcome> o = lost ? std::nullopt : finished_fpga(out_, task.key());
    if (!o) {  // keep the point, with the reason as the FPGA run's error
      o = store_->point(task.key());
      if (!o || !o->done()) return;
      FpgaFigures f = fpga_settings(config_.fpga);
      f.error = lost ? reason : "the FPGA task ended without an outcome";
      o->result->fpga = f;
    }
    store_->put_point(*o);
    log_.line(fpga_line(task.name(), *o->result->fpga));
  } else {
    std::optional<LayoutOutcome> o = lost ? std::nullopt : finished_layout(out_, task.key());
    if (!o) {
      const LayoutSpec& s = task.layout;
      o = LayoutOutcome{s.key, s.point, s.design, s.density, s.aspect, "failed", std::nullopt,
                        lost ? reason : "the task ended without an outcome file", 0};
    }
    store_->put_layout(*o);
    log_.line(fmt::format("layout {} density {} aspect {}: {} in {:.0f} s{}", o->design, o->density, o->aspect,
                          o->status, o->seconds, o->error.empty() ? "" : ": " + o->error.substr(0, 300)));
  }
  event(task.kind + "-recorded");
}

}  // namespace gaitlstm::explore
