// Private to the data layer: turns the rows a loader kept into gap-free
// segments.  Shared by every file format, so all of them split alike.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace gaitlstm::data {

// The file line of each row of a table.  Kept rows are mostly consecutive
// lines, so only the rows where that run breaks (after dropped rows) are
// stored: a few entries per file instead of 8 bytes a row (16 bytes a row
// only if every other line were dropped).
class RowLines {
 public:
  void push_back(int64_t line) {
    if (jumps_.empty() || line != last_ + 1) jumps_.push_back({size_, line});
    last_ = line;
    ++size_;
  }
  int64_t at(int64_t row) const {
    // The last jump at or before `row`; the lines run on from it.
    const auto after = std::upper_bound(jumps_.begin(), jumps_.end(), row,
                                        [](int64_t r, const Jump& jump) { return r < jump.row; });
    const Jump& jump = *std::prev(after);
    return jump.line + (row - jump.row);
  }
  int64_t size() const { return size_; }

 private:
  struct Jump {
    int64_t row, line;
  };
  std::vector<Jump> jumps_;  // by row
  int64_t size_ = 0;
  int64_t last_ = 0;  // line of the last row
};

// Rows of one file after dropping ignored labels.
struct RowTable {
  std::string source;
  int subject = 0;
  int run = 0;
  int channels = 0;
  std::vector<double> time_s;    // per row, strictly increasing
  RowLines line;                 // 1-based line of each row in `source`
  std::vector<float> values;     // row-major
  std::vector<uint8_t> freeze;

  int64_t rows() const { return static_cast<int64_t>(freeze.size()); }
  // Room for `rows` rows up front: growing by doubling would hold the old
  // and the new copy of each column at once.
  void reserve(int64_t rows) {
    const auto n = static_cast<size_t>(std::max<int64_t>(rows, 0));
    time_s.reserve(n);
    values.reserve(n * static_cast<size_t>(channels));
    freeze.reserve(n);
  }
};

// A step of more than kGapFactor sample periods starts a new segment.
inline constexpr double kGapFactor = 1.5;

// Throws InputError at the first row whose time is not after the previous
// row's (as split_segments does).
void check_times_increase(const RowTable& table);

// Splits at gaps.  Throws InputError at the first row whose time is not
// after the previous row's.  Consumes `table` so that its rows are not held
// twice: a table without gaps becomes its one segment by a move, and the
// times are freed before the samples of several segments are copied out.
std::vector<Segment> split_segments(RowTable table, double rate_hz);

}  // namespace gaitlstm::data

namespace gaitlstm::data {

// Splits `table` at gaps, resamples each segment from `file_rate_hz` to
// dataset.sample_rate_hz, and appends the segments and `info` to `dataset`.
// Segments already at the dataset's rate are moved in, not copied.
void append_recording(Dataset& dataset, RowTable table, SourceFile info);

}  // namespace gaitlstm::data
