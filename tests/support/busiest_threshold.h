// A threshold that makes the FoG flag toggle as often as possible on a
// sequence of statistics: tests of the cue need many alarm edges, or a broken
// cue would go unseen.
#pragma once

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

namespace gaitlstm::testing {

inline int64_t busiest_threshold(const std::vector<int64_t>& statistics) {
  const std::set<int64_t> candidates(statistics.begin(), statistics.end());
  int64_t best = statistics.empty() ? 0 : statistics.front();
  int best_edges = -1;
  for (int64_t t : candidates) {
    int edges = 0;
    for (size_t i = 1; i < statistics.size(); ++i) edges += (statistics[i] >= t) != (statistics[i - 1] >= t);
    if (edges > best_edges) {
      best_edges = edges;
      best = t;
    }
  }
  return best;
}

}  // namespace gaitlstm::testing
