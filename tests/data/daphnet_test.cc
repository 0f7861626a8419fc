#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "data/daphnet.h"
#include "data/load.h"
#include "data/protocol.h"
#include "data/summary.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::data {
namespace {

using ::testing::HasSubstr;

// A Daphnet row: time [ms], 9 channels, label.
std::string row(int time_ms, int value, int label) {
  std::ostringstream out;
  out << time_ms;
  for (int c = 0; c < 9; ++c) out << ' ' << value + c;
  out << ' ' << label << '\n';
  return out.str();
}

class DaphnetTest : public ::testing::Test {
 protected:
  // Expects load_daphnet to throw an InputError at `line` whose reason contains `reason`.
  void expect_error(const std::string& contents, int64_t line, const std::string& reason) {
    const std::string path = dir_.write("S01R01.txt", contents);
    try {
      load_daphnet(dir_.path());
      FAIL() << "no error for: " << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), path);
      EXPECT_EQ(e.line(), line) << e.what();
      EXPECT_THAT(e.reason(), HasSubstr(reason));
    }
  }
  testing::TempDir dir_;
};

TEST_F(DaphnetTest, ParsesNameIntoSubjectAndRun) {
  EXPECT_EQ(parse_daphnet_name("S03R02.txt"), std::make_pair(3, 2));
  EXPECT_FALSE(parse_daphnet_name("S3R2.txt"));
  EXPECT_FALSE(parse_daphnet_name("S03R02.csv"));
  EXPECT_FALSE(parse_daphnet_name("README.txt"));
}

TEST_F(DaphnetTest, DropsLabelZeroAndSplitsAtGaps) {
  std::string text;
  text += row(0, 10, 0);            // outside the experiment: dropped
  text += row(15, 10, 1);           // segment 1 starts (line 2)
  text += row(31, 11, 2);
  text += row(46, 12, 1);
  text += row(62, 13, 0);           // dropped: leaves a 31 ms step -> gap
  text += row(78, 14, 1);           // segment 2 starts (line 6)
  text += row(93, 15, 1);
  text += row(200, 16, 2);          // 107 ms step: segment 3 (line 8)
  dir_.write("S02R03.txt", text);
  const Dataset dataset = load_daphnet(dir_.path());
  ASSERT_EQ(dataset.segments.size(), 3u);
  EXPECT_EQ(dataset.segments[0].subject, 2);
  EXPECT_EQ(dataset.segments[0].run, 3);
  EXPECT_EQ(dataset.segments[0].first_row, 2);
  EXPECT_EQ(dataset.segments[1].first_row, 6);
  EXPECT_EQ(dataset.segments[2].first_row, 8);
  EXPECT_EQ(dataset.segments[0].freeze, (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(dataset.segments[0].channels, 9);
  EXPECT_FLOAT_EQ(dataset.segments[0].at(1, 0), 11);
  EXPECT_FLOAT_EQ(dataset.segments[0].at(1, 8), 19);
  ASSERT_EQ(dataset.sources.size(), 1u);
  EXPECT_EQ(dataset.sources[0].rows, 8);
  EXPECT_EQ(dataset.sources[0].ignored_rows, 2);
}

TEST_F(DaphnetTest, ChannelGroupsSelectSensors) {
  dir_.write("S01R01.txt", row(0, 100, 1) + row(16, 200, 1));
  const Dataset dataset = load_daphnet(dir_.path());
  EXPECT_EQ(resolve_channels(dataset, "ankle"), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(resolve_channels(dataset, "thigh"), (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(resolve_channels(dataset, "trunk"), (std::vector<int>{6, 7, 8}));
  EXPECT_EQ(resolve_channels(dataset, "all").size(), 9u);
  EXPECT_EQ(resolve_channels(dataset, "trunk_vert,ankle_fwd"), (std::vector<int>{7, 0}));
  EXPECT_THROW(resolve_channels(dataset, "wrist"), std::invalid_argument);
  const Dataset trunk = select_channels(dataset, resolve_channels(dataset, "trunk"));
  EXPECT_EQ(trunk.segments[0].channels, 3);
  EXPECT_FLOAT_EQ(trunk.segments[0].at(1, 0), 206);
  EXPECT_EQ(trunk.channel_names[0], "trunk_fwd");
  EXPECT_EQ(trunk.channel_groups.count("trunk"), 1u);
  EXPECT_EQ(trunk.channel_groups.count("ankle"), 0u);
}

TEST_F(DaphnetTest, AcceptsCrlfAndTrailingBlankLines) {
  dir_.write("S01R01.txt", "0 1 2 3 4 5 6 7 8 9 1\r\n16 1 2 3 4 5 6 7 8 9 2\r\n\r\n");
  EXPECT_EQ(load_daphnet(dir_.path()).total_samples(), 2);
}

TEST_F(DaphnetTest, AcceptsLastLineWithoutNewline) {
  dir_.write("S01R01.txt", row(0, 1, 1) + "16 1 2 3 4 5 6 7 8 9 2");
  EXPECT_EQ(load_daphnet(dir_.path()).total_samples(), 2);
}

TEST_F(DaphnetTest, RejectsEmptyFile) { expect_error("", 0, "empty file"); }
// Blank means spaces and tabs only: a newline makes a (data-less) recording.
TEST_F(DaphnetTest, RejectsFileOfBlanks) { expect_error(" \t  ", 0, "empty file"); }
TEST_F(DaphnetTest, RejectsWrongColumnCount) { expect_error(row(0, 1, 1) + "16 1 2 3\n", 2, "expected 11 columns, found 4"); }
TEST_F(DaphnetTest, RejectsNonNumericField) { expect_error(row(0, 1, 1) + "16 1 2 x 4 5 6 7 8 9 1\n", 2, "column 4 (ankle_lat): 'x' is not an integer"); }
TEST_F(DaphnetTest, RejectsNaN) { expect_error("0 1 2 nan 4 5 6 7 8 9 1\n", 1, "'nan' is not an integer"); }
TEST_F(DaphnetTest, RejectsInf) { expect_error("0 1 2 3 4 inf 6 7 8 9 1\n", 1, "'inf' is not an integer"); }
TEST_F(DaphnetTest, RejectsUnknownLabel) { expect_error(row(0, 1, 1) + row(16, 1, 3), 2, "unknown label 3"); }
TEST_F(DaphnetTest, RejectsNonMonotonicTime) { expect_error(row(0, 1, 1) + row(16, 1, 1) + row(16, 1, 1), 3, "is not after"); }
TEST_F(DaphnetTest, RejectsBlankLineInsideData) { expect_error(row(0, 1, 1) + "\n" + row(16, 1, 1), 2, "empty line"); }

TEST_F(DaphnetTest, RejectsDirectoryWithoutRecordings) {
  dir_.write("notes.txt", "hello");
  EXPECT_THROW(load_daphnet(dir_.path()), InputError);
  EXPECT_THROW(load_daphnet(dir_.file("missing")), InputError);
}

// The summary against an independent count straight from the shared files.
TEST(DaphnetSharedDataTest, SummaryMatchesIndependentCount) {
  namespace fs = std::filesystem;
  const std::string dir = GAITLSTM_SHARED_DATA;
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no shared Daphnet data at " << dir;

  struct Count { int64_t walk = 0, freeze = 0, ignored = 0, segments = 0, decisions = 0, fog = 0; };
  std::map<int, Count> expected;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto id = parse_daphnet_name(entry.path().filename().string());
    if (!id) continue;
    Count& count = expected[id->first];
    std::ifstream in(entry.path());
    std::vector<int> labels;  // of the current segment
    auto close_segment = [&] {
      if (labels.empty()) return;
      ++count.segments;
      for (size_t end = 128; end <= labels.size(); end += 32) {
        int freeze = 0;
        for (size_t t = end - 128; t < end; ++t) freeze += labels[t] == 2;
        ++count.decisions;
        count.fog += freeze >= 64;
      }
      labels.clear();
    };
    long long values[11];
    long long last_kept = -1000000;
    while (in >> values[0]) {
      for (int i = 1; i < 11; ++i) in >> values[i];
      if (values[10] == 0) {
        ++count.ignored;
        continue;
      }
      if (values[0] - last_kept > 23) close_segment();  // 1.5 periods of 15.625 ms
      last_kept = values[0];
      labels.push_back(static_cast<int>(values[10]));
      (values[10] == 2 ? count.freeze : count.walk)++;
    }
    close_segment();
  }

  const DatasetSummary summary = summarize(load_dataset(dir));
  ASSERT_EQ(summary.subjects.size(), expected.size());
  for (const SubjectSummary& s : summary.subjects) {
    const Count& e = expected.at(s.subject);
    EXPECT_EQ(s.walk_samples, e.walk) << "subject " << s.subject;
    EXPECT_EQ(s.freeze_samples, e.freeze) << "subject " << s.subject;
    EXPECT_EQ(s.ignored_rows, e.ignored) << "subject " << s.subject;
    EXPECT_EQ(s.segments, e.segments) << "subject " << s.subject;
    EXPECT_EQ(s.decisions, e.decisions) << "subject " << s.subject;
    EXPECT_EQ(s.freeze_decisions, e.fog) << "subject " << s.subject;
  }
  // The README's facts: subject 6 never freezes; 1, 2, 3, 5, 8 form the folds.
  EXPECT_EQ(summary.test_subjects, (std::vector<int>{1, 2, 3, 5, 8}));
}

}  // namespace
}  // namespace gaitlstm::data
