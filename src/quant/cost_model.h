// Hardware cost model of a quantized detector: a weighted sum of the bit
// counts that dominate the area of every generated architecture, so the
// bit-width search can rank configurations without synthesizing them.
//
//   feature            counts                                     why it costs
//   weight_bits        every constant the chip stores: W_x, W_h,  ROM (synthesized
//                      b, w_out, b_out, filter coefficients,      as logic)
//                      feature means and inverse stds
//   multiplier_bits    sum over the datapath's multipliers of     array multiplier
//                      (width a) x (width b): gate MAC, the three  ~ a*b full adders
//                      cell/hidden products, output MAC, biquad
//                      MAC, energy square, normalization
//   accumulator_bits   widths of the gate, score and energy        adder + register
//                      accumulators; the cue's hysteresis
//                      comparator and counter (when on); the
//                      self-calibration's adders and comparators
//                      (when on; its d*k multiplier in multiplier_bits)
//   table_bits         constant storage of the activation units    ROM
//   state_bits         registers that persist: h and c (H each),   flip-flops
//                      biquad delay lines, energy accumulators,
//                      baselines, the cue's state (when on), the
//                      self-calibration's M, D and used T_n (when on)
//   history_bits       the ring of (history_steps + 1) feature     flip-flops
//                      vectors the LSTM re-reads every decision
//
// cost = intercept + sum_k coefficient_k * feature_k, in µm² of the default
// OSU 0.18 µm library.  The default coefficients are first-order estimates
// (one flip-flop ~ 100 µm², one full adder ~ 60 µm², one ROM bit ~ 15 µm²);
// fit_cost_model() recalibrates them against synthesized areas (the
// exploration's calibration step) and the search then uses the fitted ones.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "quant/golden.h"

namespace gaitlstm::quant {

inline constexpr int kCostFeatureCount = 6;

struct CostFeatures {
  double weight_bits = 0, multiplier_bits = 0, accumulator_bits = 0, table_bits = 0, state_bits = 0,
         history_bits = 0;
  std::array<double, kCostFeatureCount> values() const {
    return {weight_bits, multiplier_bits, accumulator_bits, table_bits, state_bits, history_bits};
  }
};

// The feature names, in values() order.
const std::array<std::string, kCostFeatureCount>& cost_feature_names();

struct CostModel {
  double intercept = 0;
  std::array<double, kCostFeatureCount> coefficients{15, 60, 150, 15, 110, 110};  // µm² per unit
  std::string source = "default first-order estimate";  // or how it was fitted

  double cost(const CostFeatures& features) const;
};

nlohmann::json to_json(const CostFeatures& features);
nlohmann::json to_json(const CostModel& model);
CostModel cost_model_from_json(const nlohmann::json& json);  // throws std::invalid_argument

// The counts of one quantized detector (architecture-neutral: one of each unit).
CostFeatures cost_features(const GoldenDetector& golden);

// A measured design: its counts and its synthesized area.
struct CostSample {
  CostFeatures features;
  double area = 0;
};

struct CostFit {
  CostModel model;
  double mean_abs_relative_error = 0;  // |predicted - area| / area over the samples
  double max_abs_relative_error = 0;
};

// Non-negative least squares fit of intercept and coefficients to the samples
// (coefficients of features that do not vary stay at their prior ratio).
// Throws std::invalid_argument with fewer than two samples.
CostFit fit_cost_model(const std::vector<CostSample>& samples, const CostModel& prior = {});

}  // namespace gaitlstm::quant
