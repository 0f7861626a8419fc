// Classical baseline: the freeze index of Bächlin et al. (2010).
//
// For a decision after sample end - 1, over the last W = min(window, end)
// samples of each selected channel (mean removed):
//   P_band = sum over DFT bins f_k = k fs / W in the band of |X_k|^2
//   freeze index  FI = P_freeze(3-8 Hz) / P_locomotion(0.5-3 Hz)
//   power         P  = P_freeze + P_locomotion   (summed over channels)
// Score = log FI when P >= gate (the subject is moving), else a floor below
// every log FI: standing still is never called a freeze.  The gate is chosen
// on the training subjects (best training AUC), the threshold on validation.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/protocol.h"

namespace gaitlstm::model {

struct FreezeIndexConfig {
  int window = 256;  // samples (4 s at 64 Hz)
  double locomotion_low_hz = 0.5, locomotion_high_hz = 3.0;
  double freeze_low_hz = 3.0, freeze_high_hz = 8.0;
};

struct FreezeIndexFeatures {
  std::vector<double> log_freeze_index;  // per decision
  std::vector<double> power;             // per decision
};

FreezeIndexFeatures freeze_index_features(const FreezeIndexConfig& config,
                                          const data::Dataset& dataset,
                                          const std::vector<data::Decision>& decisions,
                                          const std::vector<int>& channels, int threads);

// Gated score (see above) of decision i.
double freeze_index_score(const FreezeIndexFeatures& features, size_t i, double gate);

// Gate among training-power quantiles 0%, 5%, ..., 50% maximizing the AUC
// over `indices`.
double choose_power_gate(const FreezeIndexFeatures& features, const std::vector<size_t>& indices,
                         const std::vector<uint8_t>& labels);

}  // namespace gaitlstm::model
