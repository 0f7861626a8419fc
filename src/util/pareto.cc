#include "util/pareto.h"

#include <stdexcept>

namespace gaitlstm {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("pareto: points with different numbers of objectives");
  bool strictly = false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) strictly = true;
  }
  return strictly;
}

std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& costs) {
  std::vector<size_t> front;
  for (size_t i = 0; i < costs.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < costs.size() && !dominated; ++j) dominated = j != i && dominates(costs[j], costs[i]);
    if (!dominated) front.push_back(i);
  }
  return front;
}

HeadlinePair headline_pair(const std::vector<AccuracyArea>& designs, double max_loss_pp, double min_area_saving) {
  HeadlinePair h;
  for (size_t i = 0; i < designs.size(); ++i) {
    if (designs[i].area <= 0) continue;
    if (!h.best || designs[i].accuracy > designs[*h.best].accuracy ||
        (designs[i].accuracy == designs[*h.best].accuracy && designs[i].area < designs[*h.best].area))
      h.best = i;
  }
  if (!h.best) return h;
  const AccuracyArea& a = designs[*h.best];
  for (size_t i = 0; i < designs.size(); ++i) {
    const AccuracyArea& b = designs[i];
    if (b.area <= 0) continue;
    const double saving = 1 - b.area / a.area;
    const double loss_pp = 100 * (a.accuracy - b.accuracy);
    // The tolerances keep a design exactly at the limits (25 %, 1 pp) in.
    if (saving + 1e-12 < min_area_saving || loss_pp > max_loss_pp + 1e-12) continue;
    if (!h.alternative || b.area < designs[*h.alternative].area) h.alternative = i;
  }
  if (h.alternative) {
    h.area_saving = 1 - designs[*h.alternative].area / a.area;
    h.accuracy_loss_pp = 100 * (a.accuracy - designs[*h.alternative].accuracy);
  }
  return h;
}

}  // namespace gaitlstm
