// Private to the data layer: turns the rows a loader kept into gap-free
// segments.  Shared by every file format, so all of them split alike.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace gaitlstm::data {

// Rows of one file after dropping ignored labels.
struct RowTable {
  std::string source;
  int subject = 0;
  int run = 0;
  int channels = 0;
  std::vector<double> time_s;    // per row, strictly increasing
  std::vector<int64_t> line;     // 1-based line of each row in `source`
  std::vector<float> values;     // row-major
  std::vector<uint8_t> freeze;

  int64_t rows() const { return static_cast<int64_t>(freeze.size()); }
  // Room for `rows` rows up front: growing by doubling would hold the old
  // and the new copy of each column at once.
  void reserve(int64_t rows) {
    const auto n = static_cast<size_t>(std::max<int64_t>(rows, 0));
    time_s.reserve(n);
    line.reserve(n);
    values.reserve(n * static_cast<size_t>(channels));
    freeze.reserve(n);
  }
};

// A step of more than kGapFactor sample periods starts a new segment.
inline constexpr double kGapFactor = 1.5;

// Splits at gaps.  Throws InputError at the first row whose time is not
// after the previous row's.  Consumes `table` so that its rows are not held
// twice: a table without gaps becomes its one segment by a move, and the
// times and lines are freed before the samples of several segments are
// copied out.
std::vector<Segment> split_segments(RowTable table, double rate_hz);

}  // namespace gaitlstm::data

namespace gaitlstm::data {

// Splits `table` at gaps, resamples each segment from `file_rate_hz` to
// dataset.sample_rate_hz, and appends the segments and `info` to `dataset`.
// Segments already at the dataset's rate are moved in, not copied.
void append_recording(Dataset& dataset, RowTable table, SourceFile info);

}  // namespace gaitlstm::data
