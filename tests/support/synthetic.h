// A small synthetic data set, loaded through the Daphnet loader, for tests
// that need realistic recordings without the shared data.
#pragma once

#include "data/load.h"
#include "data/synthetic.h"
#include "support/temp_dir.h"

namespace gaitlstm::testing {

inline data::Dataset synthetic_dataset(int subjects, double minutes, int subjects_without_freeze) {
  TempDir dir;
  data::SyntheticConfig config;
  config.subjects = subjects;
  config.subjects_without_freeze = subjects_without_freeze;
  config.minutes_per_run = minutes;
  data::write_synthetic_dataset(dir.path(), config);
  return data::load_dataset(dir.path());
}

}  // namespace gaitlstm::testing
