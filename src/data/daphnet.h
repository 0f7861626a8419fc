// The Daphnet Freezing-of-Gait format: one file per recording, `SxxRyy.txt`
// (subject xx, run yy), space-separated integers, 11 columns: time [ms],
// ankle, thigh, trunk acceleration (forward, vertical, lateral) [mg], label
// (0 = not part of the experiment, 1 = no freeze, 2 = freeze).  64 Hz.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "data/dataset.h"

namespace gaitlstm::data {

inline constexpr double kDaphnetRateHz = 64.0;
inline constexpr int kDaphnetColumns = 11;
inline constexpr int kDaphnetChannels = 9;

// (subject, run) from a file name like "S03R02.txt"; nullopt otherwise.
std::optional<std::pair<int, int>> parse_daphnet_name(const std::string& filename);

// The Daphnet channel names and groups (ankle, thigh, trunk, all).
void set_daphnet_channels(Dataset& dataset);

// Loads every SxxRyy.txt file of `dir` (sorted by subject, run), resampled
// to `target_rate_hz`.  Label-0 rows are dropped; time gaps split segments.
Dataset load_daphnet(const std::string& dir, double target_rate_hz = kDaphnetRateHz);

}  // namespace gaitlstm::data
