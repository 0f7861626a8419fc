// First-order technology scaling: what a figure measured in the library's
// node (OSU 0.18 um) would roughly be in a target node (default 65 nm).
// Always an ESTIMATE and always reported next to the measured figure.
//
// Rules (classic constant-field scaling with s = L_target / L_measured,
// supply V from a table of nominal core voltages):
//   area            x s^2
//   dynamic power   x s * (V_target / V_measured)^2   at the same clock
//                   (P = a C V^2 f, switched capacitance C ~ L)
//   energy/decision x the same factor (same cycles, same clock)
//   leakage         NOT scaled: it is set by threshold voltage and oxide,
//                   not by L; first-order rules do not hold for it, so it is
//                   reported as measured and the scaled total is dynamic only.
// Nominal supplies (V): 180 nm 1.8, 130 nm 1.2, 90 nm 1.0, 65 nm 1.0,
// 45 nm 0.9, 28 nm 0.9 (general-purpose logic processes); other nodes take
// the next larger listed node's value.
#pragma once

#include <nlohmann/json.hpp>

namespace gaitlstm::eda {

// Nominal core supply of a node (see table above).
double nominal_supply_v(double node_nm);

struct ScalingRule {
  double from_nm = 180, to_nm = 65;
  double from_v = 1.8, to_v = 1.0;
  double area_factor() const { return (to_nm / from_nm) * (to_nm / from_nm); }
  double dynamic_power_factor() const { return (to_nm / from_nm) * (to_v / from_v) * (to_v / from_v); }
};

// The rule from a measured node/supply to a target node (its nominal supply).
ScalingRule scaling_rule(double from_nm, double from_v, double to_nm);

// A figure at `target_nm` from the same design measured in two real
// libraries (e.g. OSU 0.18 um and sky130hd 130 nm): the power law
// value = c * L^k through both points, evaluated at the target.  Only as
// good as the two libraries are comparable (cell architecture, supply,
// corner), and 65 nm lies outside their range: an ESTIMATE, always labelled.
// Throws std::invalid_argument unless both values and nodes are positive and
// the nodes differ.
double two_library_estimate(double value_a, double nm_a, double value_b, double nm_b, double target_nm);

// {"estimate": true, "rule": "...", "target_nm": .., "target_supply_v": ..,
//  "area_factor": .., "dynamic_power_factor": ..}
nlohmann::json to_json(const ScalingRule& rule);

}  // namespace gaitlstm::eda
