// Power scope "front": gate-level power only for the candidates that have a
// design on the (AUC, area, latency) front or in the headline pair, every
// architecture of them, after the sweep.  Points measured before (or failed
// at it) are left alone, so a rerun continues where a killed one stopped.
#include <set>

#include <fmt/format.h>

#include "explore/exploration.h"
#include "util/pareto.h"

namespace gaitlstm::explore {

std::set<std::string> Exploration::chosen_candidates(bool headline_only) {
  std::vector<DesignPoint> points;
  std::vector<const PlannedPoint*> planned;
  for (const PlannedPoint& p : planned_)
    if (const std::optional<PointOutcome> rec = store_->point(p.spec.key); rec && rec->done()) {
      points.push_back(DesignPoint::from_result(p.spec.key, *rec->result));
      planned.push_back(&p);
    }
  std::vector<size_t> chosen;
  if (!headline_only) {
    std::vector<std::vector<double>> costs;
    for (const DesignPoint& p : points) costs.push_back({-p.auc, p.area_mm2, p.latency_s});
    chosen = pareto_front(costs);
  }
  const Headline h = find_headline(points, config_.report.delta_auc_pp, config_.report.min_area_saving);
  for (const std::optional<size_t>& i : {h.best, h.alternative})
    if (i) chosen.push_back(*i);
  std::set<std::string> candidates;
  for (size_t i : chosen) candidates.insert(planned[i]->spec.quant_key);
  return candidates;
}

void Exploration::add_power_to_front() {
  std::vector<DesignPoint> points;
  std::vector<const PlannedPoint*> planned;
  for (const PlannedPoint& p : planned_)
    if (const std::optional<PointOutcome> rec = store_->point(p.spec.key); rec && rec->done()) {
      points.push_back(DesignPoint::from_result(p.spec.key, *rec->result));
      planned.push_back(&p);
    }
  const std::set<std::string> candidates = chosen_candidates(false);
  std::vector<Task> tasks;
  int64_t from_disk = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const PointResult& r = points[i].result;
    if (!candidates.count(planned[i]->spec.quant_key) || r.power || r.power_error) continue;
    if (std::optional<PointOutcome> o = finished_power(out_, planned[i]->spec.key)) {  // measured, not recorded
      store_->put_point(*o);
      ++from_disk;
      continue;
    }
    tasks.push_back({"power", planned[i]->spec, {}});
  }
  log_.line(fmt::format("power: {} candidates on the AUC x area x latency front or in the headline, {} designs to "
                        "simulate{}",
                        candidates.size(), tasks.size(),
                        from_disk ? fmt::format(" ({} finished earlier and recorded now)", from_disk) : ""));
  run_tasks("gate-level power", tasks);
}

}  // namespace gaitlstm::explore
