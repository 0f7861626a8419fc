// The embedded default data set: synthetic recordings in the Daphnet
// format, so the whole flow runs on a machine without real data.  They are
// SYNTHETIC: plausible enough to exercise every stage, no clinical value.
//
// Each virtual subject walks with its own cadence (0.8-1.2 Hz step rhythm,
// 2nd-4th harmonics), amplitude, sensor tilt (gravity on the vertical axis
// rotated slightly) and noise; it stands, turns (faster, shorter steps,
// more lateral motion) and - unless it is a subject without freezes - has
// freezing-of-gait episodes: festination (shorter, faster steps) before, then
// the locomotion band fades and 3-8 Hz trembling appears, strongest at the
// ankle.  Labels follow Daphnet: 0 for the first and last seconds (outside
// the experiment), 1 walking, 2 freeze.  Some runs have a time gap.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gaitlstm::data {

struct SyntheticConfig {
  uint64_t seed = 1;
  int subjects = 6;
  int subjects_without_freeze = 1;  // the last ones, like Daphnet's S06
  int runs_per_subject = 1;
  double minutes_per_run = 6.0;
};

// Text of one recording in the Daphnet format (11 integer columns).
std::string synthesize_daphnet_recording(const SyntheticConfig& config, int subject, int run);

// Writes S01R01.txt, ... into `dir` (created if needed, files written
// atomically).  Returns the paths written.
std::vector<std::string> write_synthetic_dataset(const std::string& dir, const SyntheticConfig& config);

}  // namespace gaitlstm::data
