// Named detector presets: one definition of "the chip-sized detector" shared
// by the CLI (train, cv, quantize --preset) and the explore config
// (models[].preset), so the figures of docs/RESULTS.md and the exploration's
// headline designs come from the same settings.  A preset only fills what
// the user did not set: an explicit flag or config key always wins.
#pragma once

#include <string>
#include <vector>

namespace gaitlstm::model {

struct DetectorPreset {
  std::string name;
  std::string description;
  // Front end.
  std::string channels;     // channel group, resolved in each recording set's spec
  int axes_per_sensor = 3;  // energies summed over a sensor's axes (orientation-free)
  std::string bands;
  int baseline_shift = 0;
  bool keep_levels = true;
  bool ratios = false;
  int energy_smoothing_shift = 0;
  // LSTM and decision.
  int hidden = 8;
  int history = 8;
  int output_smoothing = 1;
  // quantize --preset: the bit-width search's AUC loss budget.
  double search_max_loss = 0.01;
};

// Every preset, in the order `--help` lists them.
const std::vector<DetectorPreset>& detector_presets();

// The preset called `name`; std::invalid_argument naming the known ones otherwise.
const DetectorPreset& find_preset(const std::string& name);

}  // namespace gaitlstm::model
