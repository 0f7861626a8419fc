#include "model/preset.h"

#include <stdexcept>

namespace gaitlstm::model {

const std::vector<DetectorPreset>& detector_presets() {
  // "chip": chosen by leave-one-dataset-out measurement (docs/MODEL.md,
  // docs/RESULTS.md issue 13).  Absolute band levels reverse their meaning
  // between sites (Daphnet's trembling freezes raise the 3-8 Hz energy,
  // PDFE's akinetic turning freezes lower every band), so the chip sees only
  // the band-energy ratio Q = L(4-8 Hz) - L(0.5-2 Hz) of the ankle's summed
  // axes, from energies smoothed over ~2^3 steps: no gain, placement or
  // orientation dependence.  4 decisions are averaged into the statistic.
  static const std::vector<DetectorPreset> presets = {
      {.name = "chip",
       .description = "chip-sized detector: ankle axes, band-energy ratio only, H 8, history 8, smoothing 4",
       .channels = "ankle",
       .axes_per_sensor = 3,
       .bands = "0.5-2,4-8",
       .baseline_shift = 0,
       .keep_levels = false,
       .ratios = true,
       .energy_smoothing_shift = 3,
       .hidden = 8,
       .history = 8,
       .output_smoothing = 4,
       .search_max_loss = 0.01},
  };
  return presets;
}

const DetectorPreset& find_preset(const std::string& name) {
  std::string known;
  for (const DetectorPreset& preset : detector_presets()) {
    if (preset.name == name) return preset;
    known += (known.empty() ? "" : ", ") + preset.name;
  }
  throw std::invalid_argument("unknown preset '" + name + "' (known: " + known + ")");
}

}  // namespace gaitlstm::model
