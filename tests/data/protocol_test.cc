#include <gtest/gtest.h>

#include "data/protocol.h"

namespace gaitlstm::data {
namespace {

Segment segment_with_labels(int subject, const std::vector<uint8_t>& freeze) {
  Segment segment;
  segment.subject = subject;
  segment.channels = 1;
  segment.freeze = freeze;
  segment.values.assign(freeze.size(), 0.0f);
  return segment;
}

TEST(ProtocolTest, DecisionsEveryStrideAfterAFullLabelWindow) {
  Dataset dataset;
  std::vector<uint8_t> labels(10, 0);
  for (int t = 4; t < 7; ++t) labels[static_cast<size_t>(t)] = 1;
  dataset.segments.push_back(segment_with_labels(1, labels));
  dataset.segments.push_back(segment_with_labels(1, std::vector<uint8_t>(3, 1)));  // shorter than the window
  const ProtocolConfig config{2, 4, 0.5};
  const auto decisions = make_decisions(dataset, config);
  // ends 4, 6, 8, 10; freeze samples in [end-4, end): 0, 2, 3, 1.
  ASSERT_EQ(decisions.size(), 4u);
  const std::vector<int64_t> ends = {4, 6, 8, 10};
  const std::vector<bool> fog = {false, true, true, false};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(decisions[i].segment, 0);
    EXPECT_EQ(decisions[i].end, ends[i]);
    EXPECT_EQ(decisions[i].freeze, fog[i]) << "decision " << i;
  }
}

TEST(ProtocolTest, DefaultIsHalfSecondStrideTwoSecondWindow) {
  Dataset dataset;
  std::vector<uint8_t> labels(64 * 10, 0);
  for (int t = 0; t < 64; ++t) labels[static_cast<size_t>(200 + t)] = 1;  // exactly 1 s of freeze
  dataset.segments.push_back(segment_with_labels(3, labels));
  const auto decisions = make_decisions(dataset);
  ASSERT_EQ(decisions.size(), static_cast<size_t>((640 - 128) / 32 + 1));
  int positives = 0;
  for (const Decision& d : decisions) {
    positives += d.freeze;  // 64 of 128 samples = 50 %: counts as FoG
    if (d.freeze) {
      EXPECT_LE(d.end - 128, 200);
      EXPECT_GE(d.end, 264);
    }
  }
  EXPECT_EQ(positives, 2);  // only the windows ending at 288 and 320 hold all of [200, 264)
}

TEST(ProtocolTest, FoldsTestOnlySubjectsWithFreezes) {
  std::vector<Decision> decisions = {
      {0, 128, 1, true}, {0, 160, 1, false}, {1, 128, 2, false}, {2, 128, 6, false},
      {3, 128, 3, true}, {4, 128, 5, true}};
  const auto folds = make_loso_folds(decisions);
  ASSERT_EQ(folds.size(), 3u);  // subjects 1, 3, 5 have freezes; 2 and 6 only negatives
  EXPECT_EQ(folds[0].test_subjects, std::vector<int>{1});
  EXPECT_EQ(folds[0].name, "1");
  EXPECT_EQ(folds[0].validation_subject, 3);
  EXPECT_EQ(folds[0].train_subjects, (std::vector<int>{2, 5, 6}));
  EXPECT_EQ(folds[2].test_subjects, std::vector<int>{5});
  EXPECT_EQ(folds[2].validation_subject, 1);  // cyclic
  EXPECT_EQ(folds[2].train_subjects, (std::vector<int>{2, 3, 6}));
  for (const Fold& fold : folds) {
    for (int s : fold.train_subjects) {
      EXPECT_FALSE(fold.is_test(s));
      EXPECT_NE(s, fold.validation_subject);
    }
  }
  EXPECT_EQ(filter_subjects(decisions, {1}).size(), 2u);
}

TEST(ProtocolTest, NoFoldsWithFewerThanTwoFreezeSubjects) {
  EXPECT_TRUE(make_loso_folds({{0, 128, 1, true}, {1, 128, 2, false}}).empty());
}

}  // namespace
}  // namespace gaitlstm::data
