#include "explore/pareto.h"

#include <stdexcept>

namespace gaitlstm::explore {

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

}  // namespace gaitlstm::explore
