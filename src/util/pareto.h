// Pareto fronts and the headline pair: the one place the project decides
// which designs are worth showing.  Used by the bit-width search (cost x AUC,
// quant/search.cc) and by the exploration (AUC x area x latency x energy, and
// the headline pair of its report).
//
// Every objective is a cost to minimise (negate what should be maximised,
// e.g. AUC).  A point is on the front if no other point is at least as good
// in every objective and strictly better in one.  Points with equal costs are
// all kept.  O(n^2 k): fine for hundreds.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace gaitlstm {

// costs[i][k]: objective k of point i (all rows the same length).
// Returns the indices of the non-dominated points, ascending.
std::vector<size_t> pareto_front(const std::vector<std::vector<double>>& costs);

// True if a dominates b (a <= b everywhere, < somewhere).
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// A candidate for the headline pair: its accuracy (AUC, 0..1) and its area
// (<= 0: not measured, never chosen).
struct AccuracyArea {
  double accuracy = 0, area = 0;
};

// The headline pair: the most accurate design A (highest accuracy; ties:
// smaller area) and the area-optimised alternative B, the smallest design
// with at least `min_area_saving` less area than A at no more than
// `max_loss_pp` percentage points lower accuracy.
struct HeadlinePair {
  std::optional<size_t> best, alternative;  // indices into the candidates
  double area_saving = 0;                   // 1 - area(B) / area(A)
  double accuracy_loss_pp = 0;              // 100 (accuracy(A) - accuracy(B))
};

HeadlinePair headline_pair(const std::vector<AccuracyArea>& designs, double max_loss_pp, double min_area_saving);

}  // namespace gaitlstm
