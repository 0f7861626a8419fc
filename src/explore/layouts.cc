// Layouts: routed (qflow) layouts of the headline pair first (the designs
// the report's claim is about), then the smallest final Pareto designs, all
// within the cell limit, one per density x aspect.
#include <algorithm>

#include <fmt/format.h>

#include "explore/exploration.h"

namespace gaitlstm::explore {

namespace {

std::vector<const DesignPoint*> layout_designs(const ReportData& report, const std::vector<size_t>& front,
                                               const LayoutConfig& layout) {
  std::vector<const DesignPoint*> by_cells;
  for (size_t i : front) by_cells.push_back(&report.points[i]);
  std::sort(by_cells.begin(), by_cells.end(), [](const DesignPoint* a, const DesignPoint* b) { return a->cells < b->cells; });
  std::vector<const DesignPoint*> wanted;
  for (const std::optional<size_t>& i : {report.headline.alternative, report.headline.best})
    if (i) wanted.push_back(&report.points[*i]);
  wanted.insert(wanted.end(), by_cells.begin(), by_cells.end());
  std::vector<const DesignPoint*> chosen;
  for (const DesignPoint* p : wanted) {
    if (static_cast<int>(chosen.size()) >= layout.designs) break;
    if (p->cells <= layout.max_cells && std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
  }
  return chosen;
}

}  // namespace

void Exploration::build_layouts(ReportData& report, const std::vector<size_t>& front) {
  std::vector<const DesignPoint*> chosen;
  if (config_.layout.enabled) chosen = layout_designs(report, front, config_.layout);
  std::vector<LayoutSpec> layouts;
  for (const DesignPoint* p : chosen)
    for (double density : config_.layout.densities)
      for (double aspect : config_.layout.aspects)
        layouts.push_back({hash_key(nlohmann::json{{"point", p->key}, {"density", density}, {"aspect", aspect},
                                                   {"speedup", config_.layout.speedup},
                                                   // qflow gets flat plain names (eda/flat_names.h)
                                                   {"qflow_source", "flat"},
                                                   // qrouter's via cleanup off: layouts routed with it
                                                   // may hold an open it made (eda/layout.h)
                                                   {"qrouter_via_cleanup", false},
                                                   {"routed_verify", config_.verify.routed_decisions}}),
                           p->key, p->name(), density, aspect});
  std::vector<Task> tasks;
  int64_t from_disk = 0;
  for (const LayoutSpec& l : layouts) {
    const std::optional<LayoutOutcome> rec = store_->layout(l.key);
    if (rec && !(!rec->done() && options_.retry_failed)) continue;
    if (!rec)
      if (std::optional<LayoutOutcome> o = finished_layout(out_, l.key); o && !(!o->done() && options_.retry_failed)) {
        store_->put_layout(*o);
        ++from_disk;
        continue;
      }
    tasks.push_back({"layout", {}, l});
    forget_failed_outcome(out_, tasks.back());  // --retry-failed
  }
  if (options_.report_only) tasks.clear();
  if (!layouts.empty())
    log_.line(fmt::format("{} layouts of {} Pareto designs (<= {} cells): {} to route{}", layouts.size(), chosen.size(),
                          config_.layout.max_cells, tasks.size(),
                          from_disk ? fmt::format(" ({} finished earlier and recorded now)", from_disk) : ""));
  run_tasks("layouts", tasks);
  for (const LayoutSpec& l : layouts) {
    const std::optional<LayoutOutcome> rec = store_->layout(l.key);
    if (!rec) continue;
    report.layouts.push_back(*rec);
    (rec->done() ? summary_.layouts_done : summary_.layouts_failed)++;
  }
}

}  // namespace gaitlstm::explore
