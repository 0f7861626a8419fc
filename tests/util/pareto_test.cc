#include "util/pareto.h"

#include <gtest/gtest.h>

namespace gaitlstm {
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

TEST(Headline, MostAccurateAndSmallestAcceptableAlternative) {
  // serial, gates, lanes:4, mcm: (AUC, area mm^2)
  const std::vector<AccuracyArea> d = {{0.90, 1.00}, {0.895, 0.70}, {0.85, 0.50}, {0.90, 2.00}};
  const HeadlinePair h = headline_pair(d, 1.0, 0.25);
  ASSERT_TRUE(h.best && h.alternative);
  EXPECT_EQ(*h.best, 0u);         // AUC tie with mcm: smaller area wins
  EXPECT_EQ(*h.alternative, 1u);  // 30 % smaller at 0.5 pp; lanes:4 loses 5 pp
  EXPECT_NEAR(h.area_saving, 0.30, 1e-12);
  EXPECT_NEAR(h.accuracy_loss_pp, 0.5, 1e-9);
  EXPECT_FALSE(headline_pair(d, 1.0, 0.5).alternative.has_value());
}

TEST(Headline, UnmeasuredAreaIsNeverChosenAndNothingGivesNoPair) {
  EXPECT_FALSE(headline_pair({}, 1.0, 0.25).best.has_value());
  const HeadlinePair h = headline_pair({{0.99, 0}, {0.8, 1.0}}, 1.0, 0.25);
  ASSERT_TRUE(h.best.has_value());
  EXPECT_EQ(*h.best, 1u);
  EXPECT_FALSE(h.alternative.has_value());
}

TEST(Headline, LimitsAreInclusive) {
  // exactly 25 % smaller at exactly 1 pp lower AUC
  const HeadlinePair h = headline_pair({{0.90, 1.0}, {0.89, 0.75}}, 1.0, 0.25);
  ASSERT_TRUE(h.alternative.has_value());
  EXPECT_EQ(*h.alternative, 1u);
}

}  // namespace
}  // namespace gaitlstm
