// Pareto fronts over design points.  Every objective is a cost to minimise
// (negate what should be maximised, e.g. AUC).  A point is on the front if no
// other point is at least as good in every objective and strictly better in
// one.  Points with equal costs are all kept.  O(n^2 k): fine for hundreds.
#pragma once

#include <cstddef>
#include <vector>

namespace gaitlstm::explore {

// costs[i][k]: objective k of point i (all rows the same length).
// Returns the indices of the non-dominated points, ascending.
std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& costs);

// True if a dominates b (a <= b everywhere, < somewhere).
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace gaitlstm::explore
