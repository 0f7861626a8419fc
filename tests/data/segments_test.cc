// Row tables into segments: the line of every row survives the compact
// RowLines, and a gap-free table becomes one segment whole.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/segments.h"
#include "util/error.h"

namespace gaitlstm::data {
namespace {

TEST(RowLinesTest, LinesOfRowsAcrossDroppedStretches) {
  const std::vector<int64_t> lines = {2, 3, 4, 9, 10, 12, 14, 15, 16, 17};
  RowLines table_lines;
  for (int64_t line : lines) table_lines.push_back(line);
  ASSERT_EQ(table_lines.size(), 10);
  for (size_t row = 0; row < lines.size(); ++row) EXPECT_EQ(table_lines.at(static_cast<int64_t>(row)), lines[row]);
}

RowTable table_of(const std::vector<double>& times, const std::vector<int64_t>& lines) {
  RowTable table;
  table.source = "rec.csv";
  table.channels = 1;
  for (size_t i = 0; i < times.size(); ++i) {
    table.time_s.push_back(times[i]);
    table.line.push_back(lines[i]);
    table.values.push_back(static_cast<float>(i));
    table.freeze.push_back(i % 2 ? 1 : 0);
  }
  return table;
}

TEST(SplitSegmentsTest, SegmentsStartAtTheirRowsLines) {
  // 1 Hz: a 3 s step is a gap.
  const auto segments = split_segments(table_of({0, 1, 2, 5, 6}, {2, 3, 4, 8, 9}), 1.0);
  ASSERT_EQ(segments.size(), 2u);
  EXPECT_EQ(segments[0].first_row, 2);
  EXPECT_THAT(segments[0].values, ::testing::ElementsAre(0, 1, 2));
  EXPECT_EQ(segments[1].first_row, 8);
  EXPECT_THAT(segments[1].freeze, ::testing::ElementsAre(1, 0));
}

TEST(SplitSegmentsTest, GapFreeTableIsOneSegment) {
  const auto segments = split_segments(table_of({0, 1, 2}, {5, 6, 7}), 1.0);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments[0].first_row, 5);
  EXPECT_THAT(segments[0].values, ::testing::ElementsAre(0, 1, 2));
  EXPECT_THAT(segments[0].freeze, ::testing::ElementsAre(0, 1, 0));
}

TEST(SplitSegmentsTest, TimeNotIncreasingNamesItsLineAfterADroppedStretch) {
  try {
    split_segments(table_of({0, 1, 2, 2}, {2, 3, 7, 8}), 1.0);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "rec.csv");
    EXPECT_EQ(e.line(), 8);
    EXPECT_THAT(e.reason(), ::testing::HasSubstr("time 2 is not after the previous row's time 2"));
  }
}

}  // namespace
}  // namespace gaitlstm::data
