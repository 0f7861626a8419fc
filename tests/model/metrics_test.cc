// Detection metrics against hand-computed examples.
#include "model/metrics.h"

#include <cmath>

#include <gtest/gtest.h>

namespace gaitlstm::model {
namespace {

TEST(RocAuc, PerfectAndInvertedRanking) {
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), 0.0);
}

TEST(RocAuc, HandComputedWithTies) {
  // Positives {0.8, 0.4}, negatives {0.4, 0.3, 0.1}.  Pairs (pos > neg) = 1,
  // ties = 0.5: 0.8 beats all 3; 0.4 ties 0.4 (0.5), beats 0.3 and 0.1 -> 5.5 / 6.
  EXPECT_DOUBLE_EQ(roc_auc({0.8, 0.4, 0.4, 0.3, 0.1}, {1, 1, 0, 0, 0}), 5.5 / 6);
  // All scores equal: chance.
  EXPECT_DOUBLE_EQ(roc_auc({1, 1, 1, 1}, {1, 0, 1, 0}), 0.5);
}

TEST(RocAuc, OneClassIsNaN) {
  EXPECT_TRUE(std::isnan(roc_auc({0.1, 0.2}, {0, 0})));
  EXPECT_THROW(roc_auc({0.1}, {0, 1}), std::invalid_argument);
}

TEST(Confusion, CountsWithInclusiveThreshold) {
  const Confusion c = confusion_at({0.9, 0.5, 0.5, 0.2, 0.7}, {1, 1, 0, 0, 0}, 0.5);
  EXPECT_EQ(c.true_positives, 2);   // 0.9, 0.5 (>= threshold)
  EXPECT_EQ(c.false_positives, 2);  // 0.5, 0.7
  EXPECT_EQ(c.true_negatives, 1);   // 0.2
  EXPECT_EQ(c.false_negatives, 0);
}

TEST(EvaluateScores, HandComputedFigures) {
  // TP = 2, FN = 1, FP = 1, TN = 3.
  const BinaryMetrics m = evaluate_scores({0.9, 0.8, 0.1, 0.7, 0.3, 0.2, 0.1}, {1, 1, 1, 0, 0, 0, 0}, 0.5);
  EXPECT_DOUBLE_EQ(m.sensitivity, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.specificity, 3.0 / 4);
  EXPECT_DOUBLE_EQ(m.precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.f1, 2.0 / 3);
  EXPECT_EQ(m.confusion.true_positives, 2);
  EXPECT_EQ(m.confusion.false_negatives, 1);
  // AUC: positives 0.9, 0.8, 0.1 vs negatives 0.7, 0.3, 0.2, 0.1:
  // 4 + 4 + 0.5 (tie with 0.1) = 8.5 of 12.
  EXPECT_DOUBLE_EQ(m.auc, 8.5 / 12);
}

TEST(EvaluateScores, NothingPredictedGivesZeroPrecisionAndF1) {
  const BinaryMetrics m = evaluate_scores({0.1, 0.2}, {1, 0}, 0.9);
  EXPECT_EQ(m.precision, 0.0);
  EXPECT_EQ(m.f1, 0.0);
  EXPECT_EQ(m.specificity, 1.0);
}

TEST(YoudenThreshold, HandComputed) {
  // Thresholds: 0.9 -> J = 1/3; 0.8 -> 2/3; 0.7 -> 2/3 - 1/4; 0.3 -> 2/3 - 2/4 ...
  // best J = 2/3 at 0.8.
  EXPECT_DOUBLE_EQ(youden_threshold({0.9, 0.8, 0.1, 0.7, 0.3, 0.2, 0.1}, {1, 1, 1, 0, 0, 0, 0}), 0.8);
  // Separable: the lowest positive score.
  EXPECT_DOUBLE_EQ(youden_threshold({0.1, 0.2, 0.6, 0.7}, {0, 0, 1, 1}), 0.6);
  // Tied scores are one threshold: at 0.5 J = 1 - 1/2; at 0.9 J = 1/2 - 0: the higher wins.
  EXPECT_DOUBLE_EQ(youden_threshold({0.9, 0.5, 0.5, 0.1}, {1, 1, 0, 0}), 0.9);
}

TEST(YoudenThreshold, OneClassFallsBackToHalf) {
  EXPECT_DOUBLE_EQ(youden_threshold({0.3, 0.4}, {0, 0}), 0.5);
}

TEST(BalancedThreshold, HandComputed) {
  // Scores 0.9 0.8 0.1 | 0.7 0.3 0.2 0.1 (3 positives, 4 negatives), "score >= t":
  //   t = 0.9: sens 1/3, spec 1    -> min 1/3
  //   t = 0.8: sens 2/3, spec 1    -> min 2/3, J 2/3
  //   t = 0.7: sens 2/3, spec 3/4  -> min 2/3, J 5/12: equal minimum, lower J
  //   t = 0.3: sens 2/3, spec 2/4  -> min 1/2
  //   t = 0.1: sens 1,   spec 0    -> min 0
  EXPECT_DOUBLE_EQ(balanced_threshold({0.9, 0.8, 0.1, 0.7, 0.3, 0.2, 0.1}, {1, 1, 1, 0, 0, 0, 0}), 0.8);
  // Positives 0.9 0.8 0.3 0.25, negatives 0.7 0.2 0.1 0.0:
  //   t = 0.3: sens 3/4, spec 3/4 (min 3/4, J 1/2); t = 0.25: sens 1, spec 3/4 (min 3/4, J 3/4).
  EXPECT_DOUBLE_EQ(balanced_threshold({0.9, 0.8, 0.3, 0.25, 0.7, 0.2, 0.1, 0.0}, {1, 1, 1, 1, 0, 0, 0, 0}),
                   0.25);
}

TEST(BalancedThreshold, DiffersFromYoudenAtEqualJ) {
  // Positives 0.9 0.8 0.6 0.1, negatives 0.7 0.5 0.4 0.05 (quarters: exact J):
  //   t = 0.8: sens 2/4, spec 4/4 (J 1/2, min 1/2)
  //   t = 0.7: sens 2/4, spec 3/4
  //   t = 0.6: sens 3/4, spec 3/4 (J 1/2, min 3/4)
  //   t = 0.1: sens 4/4, spec 1/4
  // Youden: equal J, the higher threshold 0.8; balanced: 0.6.
  const std::vector<double> scores = {0.9, 0.8, 0.6, 0.1, 0.7, 0.5, 0.4, 0.05};
  const std::vector<uint8_t> labels = {1, 1, 1, 1, 0, 0, 0, 0};
  EXPECT_DOUBLE_EQ(youden_threshold(scores, labels), 0.8);
  EXPECT_DOUBLE_EQ(balanced_threshold(scores, labels), 0.6);
  EXPECT_DOUBLE_EQ(choose_threshold(scores, labels, ThresholdRule::kYouden), 0.8);
  EXPECT_DOUBLE_EQ(choose_threshold(scores, labels, ThresholdRule::kBalanced), 0.6);
}

TEST(BalancedThreshold, OneClassFallsBackToHalf) {
  EXPECT_DOUBLE_EQ(balanced_threshold({0.3, 0.4}, {1, 1}), 0.5);
}

}  // namespace
}  // namespace gaitlstm::model
