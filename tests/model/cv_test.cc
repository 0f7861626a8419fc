// Threshold choice of the cross-validation: which subjects choose a fold's
// threshold (never the test subject) and how their scores are pooled.
#include "model/cv.h"

#include <algorithm>
#include <limits>

#include <gtest/gtest.h>

namespace gaitlstm::model {
namespace {

// Subjects 1, 2, 3, 5, 8 have freezes, 6 has none (the Daphnet layout).
std::vector<data::Decision> daphnet_like_decisions() {
  std::vector<data::Decision> decisions;
  for (int subject : {1, 2, 3, 5, 6, 8}) {
    for (int i = 0; i < 4; ++i) {
      data::Decision d;
      d.subject = subject;
      d.end = 128 + 32 * i;
      d.freeze = subject != 6 && i == 3;
      decisions.push_back(d);
    }
  }
  return decisions;
}

bool contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

TEST(CvThresholdFolds, NestedCoversEveryNonTestSubjectWithFreezes) {
  const std::vector<data::Decision> decisions = daphnet_like_decisions();
  const std::vector<data::Fold> folds = data::make_loso_folds(decisions);
  ASSERT_EQ(folds.size(), 5u);
  for (const data::Fold& fold : folds) {
    const std::vector<ThresholdFold> inner = threshold_folds(fold, decisions, ThresholdSource::kNested);
    ASSERT_EQ(inner.size(), 4u) << "test subject " << fold.name;
    // First: the fold's own validation subject and training set.
    EXPECT_EQ(inner[0].subject, fold.validation_subject);
    EXPECT_EQ(inner[0].train_subjects, fold.train_subjects);
    std::vector<int> held_out;
    for (const ThresholdFold& f : inner) {
      held_out.push_back(f.subject);
      EXPECT_FALSE(fold.is_test(f.subject));
      EXPECT_NE(f.subject, 6);  // no freezes: never held out
      EXPECT_FALSE(contains(f.train_subjects, fold.test_subjects.front()));
      EXPECT_FALSE(contains(f.train_subjects, f.subject));
      EXPECT_TRUE(contains(f.train_subjects, 6));
      EXPECT_EQ(f.train_subjects.size(), 4u);  // as many as the fold's model
    }
    std::vector<int> expected;
    for (int s : {1, 2, 3, 5, 8}) {
      if (!fold.is_test(s)) expected.push_back(s);
    }
    std::sort(held_out.begin(), held_out.end());
    EXPECT_EQ(held_out, expected);
  }
}

TEST(CvThresholdFolds, ValidationSourceIsTheValidationSubjectOnly) {
  const std::vector<data::Decision> decisions = daphnet_like_decisions();
  const data::Fold fold = data::make_loso_folds(decisions)[4];  // test 8, validation 1
  ASSERT_EQ(fold.test_subjects, std::vector<int>{8});
  const std::vector<ThresholdFold> inner =
      threshold_folds(fold, decisions, ThresholdSource::kValidationSubject);
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(inner[0].subject, 1);
  EXPECT_EQ(inner[0].train_subjects, (std::vector<int>{2, 3, 5, 6}));
}

TEST(CvFoldThreshold, PoolsTheHeldOutSubjects) {
  // Subject A alone would choose 0.8 (its positives 0.9, 0.8; negatives
  // 0.3, 0.15), subject B alone 0.2 (positives 0.25, 0.2; negatives 0.1,
  // 0.05).  Pooled (4 positives, 4 negatives), Youden: t = 0.8: sens 1/2,
  // spec 1 (J 1/2); t = 0.3: sens 1/2, spec 3/4; t = 0.25: sens 3/4, spec
  // 3/4; t = 0.2: sens 1, spec 3/4 (J 3/4) -> 0.2.
  FoldOutcome outcome;
  const double threshold = choose_fold_threshold(
      outcome, {{1, 0, 0, 0}, {2, 0, 0, 0}}, {{0.9, 0.8, 0.3, 0.15}, {0.25, 0.2, 0.1, 0.05}},
      {{1, 1, 0, 0}, {1, 1, 0, 0}}, ThresholdRule::kYouden);
  EXPECT_DOUBLE_EQ(threshold, 0.2);
  ASSERT_EQ(outcome.threshold_subjects.size(), 2u);
  EXPECT_DOUBLE_EQ(outcome.threshold_subjects[0].threshold, 0.8);
  EXPECT_DOUBLE_EQ(outcome.threshold_subjects[1].threshold, 0.2);
  EXPECT_DOUBLE_EQ(outcome.threshold_subjects[0].auc, 1.0);
  EXPECT_EQ(outcome.threshold_scores.size(), 8u);
  EXPECT_EQ(outcome.threshold_labels.size(), 8u);
  EXPECT_DOUBLE_EQ(outcome.threshold_validation.threshold, 0.2);
  EXPECT_DOUBLE_EQ(outcome.threshold_validation.sensitivity, 1.0);
  EXPECT_DOUBLE_EQ(outcome.threshold_validation.specificity, 0.75);
  // Mean of the per-subject thresholds: (0.8 + 0.2) / 2.
  FoldOutcome mean;
  EXPECT_DOUBLE_EQ(choose_fold_threshold(mean, {{1, 0, 0, 0}, {2, 0, 0, 0}},
                                         {{0.9, 0.8, 0.3, 0.15}, {0.25, 0.2, 0.1, 0.05}},
                                         {{1, 1, 0, 0}, {1, 1, 0, 0}}, ThresholdRule::kYouden, nullptr,
                                         ThresholdCombine::kMean),
                   0.5);
  EXPECT_THROW(choose_fold_threshold(outcome, {{1, 0, 0, 0}}, {}, {}, ThresholdRule::kYouden),
               std::invalid_argument);
}

TEST(CvRankScale, RanksAndTheirScoreThresholdAgree) {
  const std::vector<double> reference = {0.1, 0.2, 0.2, 0.4, 0.8};  // sorted
  // Fraction strictly below: 0.05 -> 0, 0.2 -> 1/5, 0.3 -> 3/5, 0.9 -> 1.
  const std::vector<double> ranks = reference_ranks(reference, {0.05, 0.2, 0.3, 0.9});
  EXPECT_DOUBLE_EQ(ranks[0], 0.0);
  EXPECT_DOUBLE_EQ(ranks[1], 0.2);
  EXPECT_DOUBLE_EQ(ranks[2], 0.6);
  EXPECT_DOUBLE_EQ(ranks[3], 1.0);
  EXPECT_EQ(score_at_rank(reference, 0.0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(score_at_rank(reference, 1.01), std::numeric_limits<double>::infinity());
  // rank(s) >= r  <=>  s >= score_at_rank(r), for every candidate s and r.
  const std::vector<double> probes = {0.0, 0.1, 0.15, 0.2, 0.25, 0.4, 0.5, 0.8, 0.9};
  const std::vector<double> probe_ranks = reference_ranks(reference, probes);
  for (double r : {0.0, 0.2, 0.4, 0.6, 0.7, 0.8, 1.0}) {
    const double t = score_at_rank(reference, r);
    for (size_t i = 0; i < probes.size(); ++i) {
      EXPECT_EQ(probe_ranks[i] >= r, probes[i] >= t) << "rank " << r << " score " << probes[i];
    }
  }
}

TEST(CvRankScale, PoolsRanksAndMapsBackThroughTheFoldModel) {
  // Subject A's model scores high (its training no-FoG scores 0.5..0.9),
  // subject B's low (0.05..0.25).  On raw scores no cut separates the pool
  // (B's positives lie below A's negatives; best J 1/2 at 0.92 and 0.28); on
  // ranks both subjects separate at rank 1 (above all training negatives):
  //   A: positives 0.95, 0.92 (rank 1), negatives 0.6, 0.55 (ranks 2/5, 1/5)
  //   B: positives 0.3, 0.28 (rank 1), negatives 0.12, 0.06 (ranks 2/5, 1/5)
  // -> rank threshold 1, mapped back on A's (the fold model's) reference:
  // just above 0.9.
  const std::vector<std::vector<double>> references = {{0.5, 0.6, 0.7, 0.8, 0.9},
                                                       {0.05, 0.1, 0.15, 0.2, 0.25}};
  FoldOutcome outcome;
  const double threshold = choose_fold_threshold(
      outcome, {{1, 0, 0, 0}, {2, 0, 0, 0}}, {{0.95, 0.92, 0.6, 0.55}, {0.3, 0.28, 0.12, 0.06}},
      {{1, 1, 0, 0}, {1, 1, 0, 0}}, ThresholdRule::kYouden, &references);
  EXPECT_GT(threshold, 0.9);
  EXPECT_LT(threshold, 0.9 + 1e-12);
  EXPECT_DOUBLE_EQ(outcome.threshold_validation.threshold, 1.0);
  EXPECT_DOUBLE_EQ(outcome.threshold_validation.sensitivity, 1.0);
  EXPECT_DOUBLE_EQ(outcome.threshold_validation.specificity, 1.0);
  // The same scores on the raw scale: B's positives fall below A's negatives.
  FoldOutcome raw;
  const double raw_threshold = choose_fold_threshold(
      raw, {{1, 0, 0, 0}, {2, 0, 0, 0}}, {{0.95, 0.92, 0.6, 0.55}, {0.3, 0.28, 0.12, 0.06}},
      {{1, 1, 0, 0}, {1, 1, 0, 0}}, ThresholdRule::kYouden);
  EXPECT_LT(raw.threshold_validation.specificity + raw.threshold_validation.sensitivity, 2.0);
  EXPECT_DOUBLE_EQ(raw_threshold, 0.92);
}

}  // namespace
}  // namespace gaitlstm::model
