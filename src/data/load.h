// Public entry to the data layer: load a directory of recordings, or several
// recording sets (sites) at once.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"

namespace gaitlstm::data {

struct LoadOptions {
  std::string spec_path;       // JSON dataset description; empty = Daphnet format
  double target_rate_hz = 64;  // recordings at another rate are resampled
};

// Loads every recording of `dir`: Daphnet `SxxRyy.txt` files when no spec is
// given, else the files the spec describes.  Resamples to target_rate_hz.
// Bad input throws InputError (file, line, reason); nothing is skipped silently.
Dataset load_dataset(const std::string& dir, const LoadOptions& options = {});

// One recording set: a directory and how to read it.
struct DataSource {
  std::string dir;
  std::string spec_path;  // empty = Daphnet format
  std::string name;       // for tables and JSON; empty = the directory's name
};

// The name of a source: `name`, else the last component of `dir`.
std::string source_name(const DataSource& source);

// Loads recording sets into one Dataset, each resampled to target_rate_hz.
//  - One source: exactly load_dataset (every channel, the set's own subject
//    numbers); `channels` is not applied (the caller resolves it as before).
//  - Several: in each set the channel selection `channels` (a group such as
//    "ankle", "all", or a comma list of names) is resolved in that set's own
//    terms and kept, so sets whose columns are named differently line up
//    axis by axis; every set must give the same number of channels.  The
//    merged channels are named as the first set's; its groups that survive
//    the selection stay.  Subjects are renumbered (k + 1) * kSubjectsPerSet +
//    own number for the k-th set (0-based); set_names hold the sets' names
//    (made unique by a "-2", "-3" suffix).  A set lacking the selection is
//    an InputError naming the set and what it offers.
Dataset load_datasets(const std::vector<DataSource>& sources, double target_rate_hz,
                      const std::string& channels = "all");

// The recording sets a trained model runs on, resampled to rate_hz: in each
// set the channels `selection` (the model's channel group, or the user's
// --channels) are picked in that set's own terms and renamed to the model's
// `channel_names` (select_channels_as), so a model trained on Daphnet's
// ankle group runs on any set whose spec defines an ankle group.  An empty
// selection (models saved before channel groups) picks the model's channels
// by name; with one set that is exactly load_dataset.  A set lacking the
// selection, or giving another number of channels, is an InputError.
Dataset load_for_channels(const std::vector<DataSource>& sources, double rate_hz, const std::string& selection,
                          const std::vector<std::string>& channel_names);

}  // namespace gaitlstm::data
