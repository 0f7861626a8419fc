// Several recording sets in one Dataset (load_datasets) and the folds over
// them (leave-one-subject-out across sets, leave-one-dataset-out).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "data/load.h"
#include "data/protocol.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::data {
namespace {

using ::testing::HasSubstr;

// A Daphnet-format recording (64 Hz, mg): 30 s, freeze in [from_s, to_s).
std::string daphnet_file(double from_s, double to_s, int ankle_fwd) {
  std::string text;
  for (int i = 0; i < 64 * 30; ++i) {
    const double t = i / 64.0;
    const int label = t >= from_s && t < to_s ? 2 : 1;
    text += fmt::format("{} {} 1000 -3 4 5 6 7 8 9 {}\n", i * 1000 / 64, ankle_fwd, label);
  }
  return text;
}

// The same axes as another site writes them: tab-separated, g, other names
// and another column order (ML first), a column the spec does not use.
std::string other_site_file(double from_s, double to_s) {
  std::string text = "ACC ML [g]\tACC AP [g]\tACC SI [g]\tGYR [deg/s]\tFreezing event [flag]\n";
  for (int i = 0; i < 64 * 30; ++i) {
    const double t = i / 64.0;
    text += fmt::format("-0.25\t0.5\t1\t12.5\t{}\n", t >= from_s && t < to_s ? 1 : 0);
  }
  return text;
}

const char* kOtherSiteSpec = R"J({"format":"csv","files":"*.txt","delimiter":"\t","sample_rate_hz":64,
"channels":["ACC AP [g]","ACC SI [g]","ACC ML [g]"],
"groups":{"ankle":["ACC AP [g]","ACC SI [g]","ACC ML [g]"],"shank":["ACC AP [g]","ACC SI [g]","ACC ML [g]"]},
"scale":1000,"label_column":"Freezing event [flag]","positive_labels":[1],"subject_regex":"SUB([0-9]+)_"})J";

class MultiSetTest : public ::testing::Test {
 protected:
  MultiSetTest() {
    dir_.write("lab/S01R01.txt", daphnet_file(10, 14, 100));
    dir_.write("lab/S02R01.txt", daphnet_file(5, 15, 200));
    dir_.write("site/SUB03_1.txt", other_site_file(10, 13));
    dir_.write("site/SUB05_1.txt", other_site_file(2, 20));  // the most freeze decisions of the site
    spec_ = dir_.write("site.json", kOtherSiteSpec);
  }
  std::vector<DataSource> both() const { return {{dir_.file("lab"), "", ""}, {dir_.file("site"), spec_, ""}}; }
  testing::TempDir dir_;
  std::string spec_;
};

TEST_F(MultiSetTest, OneSetLoadsAsBefore) {
  const Dataset alone = load_datasets({{dir_.file("lab"), "", ""}}, 64, "ankle");
  EXPECT_EQ(alone.subjects(), (std::vector<int>{1, 2}));
  EXPECT_EQ(alone.channel_names.size(), 9u);  // the selection is the caller's, as before
  EXPECT_EQ(alone.set_names, std::vector<std::string>{"lab"});
  EXPECT_EQ(subject_label(alone, 2), "2");
}

TEST_F(MultiSetTest, SubjectsAreNamespacedAndTheGroupLinesUpAxisByAxis) {
  const Dataset dataset = load_datasets(both(), 64, "ankle");
  EXPECT_EQ(dataset.set_names, (std::vector<std::string>{"lab", "site"}));
  EXPECT_EQ(dataset.name, "lab+site");
  EXPECT_EQ(dataset.subjects(), (std::vector<int>{1001, 1002, 2003, 2005}));
  EXPECT_EQ(dataset.channel_names, (std::vector<std::string>{"ankle_fwd", "ankle_vert", "ankle_lat"}));
  EXPECT_EQ(dataset.channel_groups.at("ankle"), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(subject_label(dataset, 1002), "lab/S02");
  EXPECT_EQ(subject_label(dataset, 2005), "site/S05");
  EXPECT_EQ(set_of_subject(dataset, 2003), 1);
  ASSERT_EQ(dataset.sources.size(), 4u);
  EXPECT_EQ(dataset.sources[3].subject, 2005);
  for (const Segment& segment : dataset.segments) {
    ASSERT_EQ(segment.channels, 3);
    if (segment.subject == 2003) {  // AP, SI, ML in g -> forward, vertical, lateral in mg
      EXPECT_FLOAT_EQ(segment.at(0, 0), 500);
      EXPECT_FLOAT_EQ(segment.at(0, 1), 1000);
      EXPECT_FLOAT_EQ(segment.at(0, 2), -250);
    }
    if (segment.subject == 1002) {
      EXPECT_FLOAT_EQ(segment.at(0, 0), 200);
      EXPECT_FLOAT_EQ(segment.at(0, 2), -3);
    }
  }
}

TEST_F(MultiSetTest, ASetWithoutTheGroupIsAnErrorNamingTheSetAndItsGroups) {
  try {
    load_datasets(both(), 64, "thigh");
    FAIL() << "the site has no thigh group";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), spec_);
    EXPECT_THAT(e.reason(), HasSubstr("recording set 'site'"));
    EXPECT_THAT(e.reason(), HasSubstr("thigh"));
    EXPECT_THAT(e.reason(), HasSubstr("ankle, shank"));
  }
}

TEST_F(MultiSetTest, DuplicateSetNamesAreMadeUnique) {
  const Dataset dataset = load_datasets({{dir_.file("lab"), "", ""}, {dir_.file("lab"), "", ""}}, 64, "all");
  EXPECT_EQ(dataset.set_names, (std::vector<std::string>{"lab", "lab-2"}));
  EXPECT_EQ(dataset.subjects(), (std::vector<int>{1001, 1002, 2001, 2002}));
  EXPECT_EQ(dataset.channel_names.size(), 9u);
}

TEST_F(MultiSetTest, LeaveOneSubjectOutSpansTheSetsWithLabels) {
  const Dataset dataset = load_datasets(both(), 64, "ankle");
  const std::vector<Fold> folds = make_loso_folds(make_decisions(dataset), &dataset);
  ASSERT_EQ(folds.size(), 4u);
  EXPECT_EQ(folds[1].name, "lab/S02");
  EXPECT_EQ(folds[1].test_subjects, std::vector<int>{1002});
  EXPECT_EQ(folds[1].validation_subject, 2003);
  EXPECT_EQ(folds[1].train_subjects, (std::vector<int>{1001, 2005}));
}

TEST_F(MultiSetTest, LeaveOneDatasetOutHoldsOutEachSetOnce) {
  const Dataset dataset = load_datasets(both(), 64, "ankle");
  const std::vector<Decision> decisions = make_decisions(dataset);
  const std::vector<Fold> folds = make_dataset_folds(dataset, decisions);
  ASSERT_EQ(folds.size(), 2u);
  EXPECT_EQ(folds[0].name, "lab");
  EXPECT_EQ(folds[0].test_subjects, (std::vector<int>{1001, 1002}));
  EXPECT_EQ(folds[0].validation_subject, 2005);  // the site's subject with the most freeze decisions
  EXPECT_EQ(folds[0].train_subjects, std::vector<int>{2003});
  EXPECT_EQ(folds[1].name, "site");
  EXPECT_EQ(folds[1].test_subjects, (std::vector<int>{2003, 2005}));
  EXPECT_EQ(folds[1].validation_subject, 1002);
  EXPECT_EQ(folds[1].train_subjects, std::vector<int>{1001});
  EXPECT_TRUE(folds[1].is_test(2005));
  EXPECT_FALSE(folds[1].is_test(1001));
}

TEST_F(MultiSetTest, LeaveOneDatasetOutBreaksTiesByTheLowestSubject) {
  dir_.write("lab/S02R01.txt", daphnet_file(10, 14, 200));  // now as many freeze decisions as S01
  const Dataset dataset = load_datasets(both(), 64, "ankle");
  EXPECT_EQ(make_dataset_folds(dataset, make_decisions(dataset))[1].validation_subject, 1001);
}

TEST_F(MultiSetTest, LeaveOneDatasetOutNeedsTwoSets) {
  const Dataset alone = load_datasets({{dir_.file("lab"), "", ""}}, 64);
  EXPECT_THROW(make_dataset_folds(alone, make_decisions(alone)), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::data
