#include "data/segments.h"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "util/error.h"

namespace gaitlstm::data {

namespace {
// Rows [begin, end) of a table, and the file line of the first.
struct RowRange {
  int64_t begin = 0, end = 0;
  int64_t first_line = 0;
};

InputError time_runs_back(const RowTable& table, int64_t row) {
  const auto i = static_cast<size_t>(row);
  return InputError(table.source, table.line.at(row),
                    fmt::format("time {} is not after the previous row's time {}", table.time_s[i],
                                table.time_s[i - 1]));
}

std::vector<RowRange> gap_free_ranges(const RowTable& table, double rate_hz) {
  std::vector<RowRange> ranges;
  const int64_t n = table.rows();
  const double max_step = kGapFactor / rate_hz;
  int64_t begin = 0;
  for (int64_t i = 1; i <= n; ++i) {
    bool gap = i == n;
    if (!gap) {
      const double step = table.time_s[static_cast<size_t>(i)] - table.time_s[static_cast<size_t>(i - 1)];
      if (!(step > 0)) throw time_runs_back(table, i);
      gap = step > max_step;
    }
    if (gap && n > 0) {
      ranges.push_back({begin, i, table.line.at(begin)});
      begin = i;
    }
  }
  return ranges;
}

Segment empty_segment(const RowTable& table, const RowRange& range) {
  Segment segment;
  segment.subject = table.subject;
  segment.run = table.run;
  segment.source = table.source;
  segment.first_row = range.first_line;
  segment.channels = table.channels;
  return segment;
}
}  // namespace

void check_times_increase(const RowTable& table) {
  for (int64_t i = 1; i < table.rows(); ++i)
    if (!(table.time_s[static_cast<size_t>(i)] - table.time_s[static_cast<size_t>(i - 1)] > 0))
      throw time_runs_back(table, i);
}

std::vector<Segment> split_segments(RowTable table, double rate_hz) {
  const std::vector<RowRange> ranges = gap_free_ranges(table, rate_hz);
  // Only the samples are left to copy: free the times first.
  std::vector<double>().swap(table.time_s);
  std::vector<Segment> segments;
  if (ranges.size() == 1) {
    Segment segment = empty_segment(table, ranges[0]);
    segment.values = std::move(table.values);
    segment.freeze = std::move(table.freeze);
    segments.push_back(std::move(segment));
    return segments;
  }
  const auto c = static_cast<size_t>(table.channels);
  for (const RowRange& range : ranges) {
    Segment segment = empty_segment(table, range);
    segment.values.assign(table.values.begin() + static_cast<ptrdiff_t>(range.begin * c),
                          table.values.begin() + static_cast<ptrdiff_t>(range.end * c));
    segment.freeze.assign(table.freeze.begin() + range.begin, table.freeze.begin() + range.end);
    segments.push_back(std::move(segment));
  }
  return segments;
}

}  // namespace gaitlstm::data

#include "data/resample.h"

namespace gaitlstm::data {

namespace {

// The resampler refuses rate pairs it cannot reach with a short rational
// ratio; the recording's rate is the file's (or the spec's, or estimated from
// its time column), so the error names the file and both rates.
Resampler resampler_for(const SourceFile& info, double to_hz) {
  try {
    return Resampler(info.file_rate_hz, to_hz);
  } catch (const std::invalid_argument& e) {
    throw InputError(info.path, 0, fmt::format("the recording's rate: {}", e.what()));
  }
}

}  // namespace

void append_recording(Dataset& dataset, RowTable table, SourceFile info) {
  const Resampler resampler = resampler_for(info, dataset.sample_rate_hz);
  const bool same_rate = resampler.up() == resampler.down();
  for (Segment& segment : split_segments(std::move(table), info.file_rate_hz)) {
    if (same_rate) {
      dataset.segments.push_back(std::move(segment));
    } else {
      dataset.segments.push_back(resampler.apply(segment));
      segment = Segment();  // free its samples now, not after the last segment
    }
  }
  dataset.sources.push_back(std::move(info));
}

}  // namespace gaitlstm::data
