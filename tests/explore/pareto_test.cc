#include "explore/pareto.h"

#include <gtest/gtest.h>

namespace gaitlstm::explore {
namespace {

TEST(Pareto, TwoObjectivesByHand) {
  // (cost1, cost2): A(1,5) B(2,3) C(3,4: dominated by B) D(4,1) E(5,5: dominated)
  const std::vector<std::vector<double>> c = {{1, 5}, {2, 3}, {3, 4}, {4, 1}, {5, 5}};
  EXPECT_EQ(pareto_front(c), (std::vector<size_t>{0, 1, 3}));
}

TEST(Pareto, EqualPointsAreBothKept) {
  EXPECT_EQ(pareto_front({{1, 1}, {1, 1}, {2, 2}}), (std::vector<size_t>{0, 1}));
}

TEST(Pareto, WeakDominationRemoves) {
  EXPECT_EQ(pareto_front({{1, 2}, {1, 3}}), (std::vector<size_t>{0}));
}

TEST(Pareto, FourObjectives) {
  // -AUC, area, latency, energy
  const std::vector<std::vector<double>> c = {
      {-0.90, 1.0, 1e-3, 5e-6},   // most accurate
      {-0.89, 0.5, 2e-3, 4e-6},   // smaller
      {-0.89, 0.6, 2e-3, 4e-6},   // dominated by 1
      {-0.80, 0.5, 1e-4, 9e-6}};  // fastest
  EXPECT_EQ(pareto_front(c), (std::vector<size_t>{0, 1, 3}));
}

TEST(Pareto, EmptyAndMismatched) {
  EXPECT_TRUE(pareto_front({}).empty());
  EXPECT_THROW(dominates({1, 2}, {1}), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::explore
