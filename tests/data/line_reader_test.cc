// The loaders' streaming line reader: the same lines, terminators stripped
// alike, wherever the chunk edges fall.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "data/line_reader.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Read {
  std::vector<std::string> lines, raw;
  std::vector<int64_t> numbers;
};

Read read_all(const std::string& path, size_t chunk_bytes) {
  LineReader reader(path, chunk_bytes);
  Read read;
  std::string_view line;
  while (reader.next(line)) {
    read.lines.emplace_back(line);
    read.raw.emplace_back(reader.raw_line());
    read.numbers.push_back(reader.line_number());
  }
  return read;
}

TEST(LineReaderTest, SameLinesForEveryChunkSize) {
  testing::TempDir dir;
  // CRLF, LF, a blank CRLF line, a lone '\r' kept inside a line, and a last
  // line without "\n" whose '\r' is stripped all the same.
  const std::string path = dir.write("f.txt", "a b\r\n\r\n12 3\nx\ry\nlast\r");
  for (size_t chunk = 1; chunk <= 24; ++chunk) {
    SCOPED_TRACE(chunk);
    const Read read = read_all(path, chunk);
    EXPECT_THAT(read.lines, ElementsAre("a b", "", "12 3", "x\ry", "last"));
    EXPECT_THAT(read.raw, ElementsAre("a b\r\n", "\r\n", "12 3\n", "x\ry\n", "last\r"));
    EXPECT_THAT(read.numbers, ElementsAre(1, 2, 3, 4, 5));
  }
}

TEST(LineReaderTest, LineLongerThanManyChunks) {
  testing::TempDir dir;
  const std::string long_line(10000, 'v');
  const std::string path = dir.write("f.txt", "h\n" + long_line + "\nt\n");
  const Read read = read_all(path, 7);
  EXPECT_THAT(read.lines, ElementsAre("h", long_line, "t"));
}

TEST(LineReaderTest, EmptyFileHasNoLine) {
  testing::TempDir dir;
  LineReader reader(dir.write("f.txt", ""), 4);
  std::string_view line;
  EXPECT_FALSE(reader.next(line));
  EXPECT_EQ(reader.estimated_lines(1), 0);
}

TEST(LineReaderTest, EstimatesLinesFromTheFirstChunk) {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "0123456789\n";  // 11 bytes a line
  const std::string path = dir.write("f.txt", text + "no newline");
  EXPECT_EQ(LineReader(path).estimated_lines(1), 1001);  // one chunk: counted
  const int64_t estimate = LineReader(path, 1100).estimated_lines(1);
  EXPECT_GE(estimate, 1001);
  EXPECT_LE(estimate, 1200);
}

TEST(LineReaderTest, EstimateIsBoundedByTheShortestValidLine) {
  testing::TempDir dir;
  // 70 000 blank lines (more than the 64 KiB sample), then long ones.
  std::string text(70000, '\n');
  for (int i = 0; i < 1000; ++i) text += std::string(99, 'x') + "\n";
  const std::string path = dir.write("f.txt", text);
  const LineReader reader(path);
  EXPECT_GT(reader.estimated_lines(1), 170000);  // the sample is all newlines
  EXPECT_EQ(reader.estimated_lines(22), 170000 / 22 + 1);
}

TEST(LineReaderTest, MissingFileNamesTheReason) {
  testing::TempDir dir;
  try {
    LineReader reader(dir.file("missing.txt"));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 0);
    EXPECT_THAT(e.reason(), HasSubstr("cannot open: No such file"));
  }
}

}  // namespace
}  // namespace gaitlstm::data
