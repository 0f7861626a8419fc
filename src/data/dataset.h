// Recordings as the rest of the flow sees them: uniformly sampled segments
// of multi-channel acceleration with a per-sample freeze label.
//
// Every loader (Daphnet, generic CSV, synthetic) produces a Dataset; nothing
// downstream knows which one it came from.  A Segment is a stretch of a
// recording without gaps: no window or model state may span two segments.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gaitlstm::data {

struct Segment {
  int subject = 0;           // subject number (Daphnet: xx of SxxRyy)
  int run = 0;               // run number of that subject
  std::string source;        // file the segment was read from
  int64_t first_row = 0;     // 1-based line in `source` of the first sample
  int channels = 0;          // values per sample
  std::vector<float> values; // row-major, size() == samples() * channels
  std::vector<uint8_t> freeze;  // 1 = freeze, 0 = no freeze; one per sample

  int64_t samples() const { return static_cast<int64_t>(freeze.size()); }
  float at(int64_t sample, int channel) const {
    return values[static_cast<size_t>(sample * channels + channel)];
  }
};

// One file that was read, with the rows it contributed and dropped.
struct SourceFile {
  std::string path;
  int subject = 0;
  int run = 0;
  int64_t rows = 0;          // data rows read
  int64_t ignored_rows = 0;  // rows dropped for an ignored label (Daphnet: 0)
  double file_rate_hz = 0;   // rate in the file, before resampling
};

struct Dataset {
  std::string name;                        // "daphnet", "csv:<spec>", "synthetic"
  double sample_rate_hz = 64.0;
  std::vector<std::string> channel_names;  // e.g. ankle_fwd, ankle_vert, ...
  // Named channel subsets, e.g. "ankle" -> {0,1,2}; "all" is implicit.
  std::map<std::string, std::vector<int>> channel_groups;
  std::vector<Segment> segments;           // ordered by subject, run, time
  std::vector<SourceFile> sources;         // ordered like the segments

  std::vector<int> subjects() const;       // sorted, unique
  int64_t total_samples() const;
};

// Resolves a channel selection: a group name ("ankle", "all", ...) or a
// comma-separated list of channel names.  Throws std::invalid_argument
// naming the unknown group/channel and the available ones.
std::vector<int> resolve_channels(const Dataset& dataset, const std::string& selection);

// Returns a dataset holding only the selected channels (same segments).
Dataset select_channels(const Dataset& dataset, const std::vector<int>& channels);

}  // namespace gaitlstm::data
