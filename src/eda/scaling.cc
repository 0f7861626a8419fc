#include "eda/scaling.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::eda {

double nominal_supply_v(double node_nm) {
  struct Node {
    double nm, volts;
  };
  static constexpr Node kNodes[] = {{28, 0.9}, {45, 0.9}, {65, 1.0}, {90, 1.0}, {130, 1.2}, {180, 1.8}};
  for (const Node& n : kNodes)
    if (node_nm <= n.nm) return n.volts;
  return 1.8 * node_nm / 180;  // older nodes: supply grew roughly with L
}

ScalingRule scaling_rule(double from_nm, double from_v, double to_nm) {
  if (from_nm <= 0 || to_nm <= 0 || from_v <= 0)
    throw std::invalid_argument(fmt::format("technology scaling needs positive nodes and supply (from {} nm {} V to {} nm)",
                                            from_nm, from_v, to_nm));
  return {from_nm, to_nm, from_v, nominal_supply_v(to_nm)};
}

nlohmann::json to_json(const ScalingRule& r) {
  return {{"estimate", true},
          {"rule", fmt::format("first-order: area x (L/{0} nm)^2, dynamic power x (L/{0} nm) x (V/{1} V)^2; "
                               "leakage not scaled",
                               r.from_nm, r.from_v)},
          {"target_nm", r.to_nm},
          {"target_supply_v", r.to_v},
          {"area_factor", r.area_factor()},
          {"dynamic_power_factor", r.dynamic_power_factor()}};
}

double two_library_estimate(double value_a, double nm_a, double value_b, double nm_b, double target_nm) {
  if (!(value_a > 0 && value_b > 0 && nm_a > 0 && nm_b > 0 && target_nm > 0) || nm_a == nm_b)
    throw std::invalid_argument("two_library_estimate needs positive figures at two different nodes");
  const double k = std::log(value_a / value_b) / std::log(nm_a / nm_b);
  return value_b * std::pow(target_nm / nm_b, k);
}

}  // namespace gaitlstm::eda
