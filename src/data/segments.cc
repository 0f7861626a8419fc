#include "data/segments.h"

#include <fmt/format.h>

#include "util/error.h"

namespace gaitlstm::data {

namespace {
Segment empty_segment(const RowTable& table, int64_t first) {
  Segment segment;
  segment.subject = table.subject;
  segment.run = table.run;
  segment.source = table.source;
  segment.first_row = table.line[static_cast<size_t>(first)];
  segment.channels = table.channels;
  return segment;
}

void append_rows(const RowTable& table, int64_t begin, int64_t end, Segment& segment) {
  const auto c = static_cast<size_t>(table.channels);
  segment.values.assign(table.values.begin() + static_cast<ptrdiff_t>(begin * c),
                        table.values.begin() + static_cast<ptrdiff_t>(end * c));
  segment.freeze.assign(table.freeze.begin() + begin, table.freeze.begin() + end);
}
}  // namespace

std::vector<Segment> split_segments(const RowTable& table, double rate_hz) {
  std::vector<Segment> segments;
  const int64_t n = table.rows();
  const double max_step = kGapFactor / rate_hz;
  int64_t begin = 0;
  for (int64_t i = 1; i <= n; ++i) {
    bool gap = i == n;
    if (!gap) {
      const double step = table.time_s[static_cast<size_t>(i)] - table.time_s[static_cast<size_t>(i - 1)];
      if (!(step > 0)) {
        throw InputError(table.source, table.line[static_cast<size_t>(i)],
                         fmt::format("time {} is not after the previous row's time {}",
                                     table.time_s[static_cast<size_t>(i)],
                                     table.time_s[static_cast<size_t>(i - 1)]));
      }
      gap = step > max_step;
    }
    if (gap && n > 0) {
      Segment segment = empty_segment(table, begin);
      append_rows(table, begin, i, segment);
      segments.push_back(std::move(segment));
      begin = i;
    }
  }
  return segments;
}

}  // namespace gaitlstm::data

#include "data/resample.h"

namespace gaitlstm::data {

void append_recording(Dataset& dataset, const RowTable& table, SourceFile info) {
  const Resampler resampler(info.file_rate_hz, dataset.sample_rate_hz);
  for (Segment& segment : split_segments(table, info.file_rate_hz))
    dataset.segments.push_back(resampler.apply(segment));
  dataset.sources.push_back(std::move(info));
}

}  // namespace gaitlstm::data
