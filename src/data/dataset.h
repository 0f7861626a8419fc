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
  // Everything above but the samples: for code that replaces them, so that
  // a long segment is not copied only to be overwritten.
  Segment without_samples() const {
    Segment segment;
    segment.subject = subject;
    segment.run = run;
    segment.source = source;
    segment.first_row = first_row;
    segment.channels = channels;
    return segment;
  }
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

// Several recording sets load into one Dataset (load_datasets, load.h); a
// subject of set k (0-based) is then numbered (k + 1) * kSubjectsPerSet + its
// number in the set, so subjects never collide and the set is recoverable.
// A single set keeps its own subject numbers.
inline constexpr int kSubjectsPerSet = 1000;

struct Dataset {
  std::string name;                        // "daphnet", "csv:<spec>", "synthetic", "a+b" (several sets)
  double sample_rate_hz = 64.0;
  std::vector<std::string> channel_names;  // e.g. ankle_fwd, ankle_vert, ...
  // Named channel subsets, e.g. "ankle" -> {0,1,2}; "all" is implicit.
  std::map<std::string, std::vector<int>> channel_groups;
  std::vector<Segment> segments;           // ordered by subject, run, time
  std::vector<SourceFile> sources;         // ordered like the segments
  // Names of the recording sets, in load order ("daphnet", "pdfe-turning");
  // empty or one entry: one set, subjects keep their own numbers.
  std::vector<std::string> set_names;

  std::vector<int> subjects() const;       // sorted, unique
  bool several_sets() const { return set_names.size() > 1; }
  int64_t total_samples() const;
};

// The recording set (index into set_names; 0 for a single set) of a subject.
int set_of_subject(const Dataset& dataset, int subject);

// A subject's name in tables and JSON: its number for a single set ("3"),
// "<set>/S<number in the set>" for several ("daphnet/S03", "pdfe-turning/S05").
std::string subject_label(const Dataset& dataset, int subject);

// Resolves a channel selection: a group name ("ankle", "all", ...) or a
// comma-separated list of channel names.  Throws std::invalid_argument
// naming the unknown group/channel and the available ones.
std::vector<int> resolve_channels(const Dataset& dataset, const std::string& selection);

// Returns a dataset holding only the selected channels (same segments).
Dataset select_channels(const Dataset& dataset, const std::vector<int>& channels);

// The channels `selection` (as resolve_channels) of `dataset`, renamed to
// `names` in order: how a model trained on one set's channel group (e.g.
// Daphnet's ankle_fwd, ankle_vert, ankle_lat) runs on another set whose spec
// names the same axes differently.  The result keeps only those channels;
// `selection` stays a group of it when it was one.  Throws
// std::invalid_argument when the counts differ.
Dataset select_channels_as(const Dataset& dataset, const std::string& selection,
                           const std::vector<std::string>& names);

}  // namespace gaitlstm::data
