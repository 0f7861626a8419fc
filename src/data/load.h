// Public entry to the data layer: load a directory of recordings.
#pragma once

#include <string>

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

}  // namespace gaitlstm::data
