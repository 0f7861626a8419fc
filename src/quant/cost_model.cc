#include "quant/cost_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

namespace gaitlstm::quant {

const std::array<std::string, kCostFeatureCount>& cost_feature_names() {
  static const std::array<std::string, kCostFeatureCount> names{
      "weight_bits", "multiplier_bits", "accumulator_bits", "table_bits", "state_bits", "history_bits"};
  return names;
}

double CostModel::cost(const CostFeatures& features) const {
  const auto values = features.values();
  double total = intercept;
  for (int k = 0; k < kCostFeatureCount; ++k) total += coefficients[k] * values[k];
  return total;
}

nlohmann::json to_json(const CostFeatures& features) {
  nlohmann::json json;
  const auto values = features.values();
  for (int k = 0; k < kCostFeatureCount; ++k) json[cost_feature_names()[k]] = values[k];
  return json;
}

nlohmann::json to_json(const CostModel& model) {
  nlohmann::json coefficients;
  for (int k = 0; k < kCostFeatureCount; ++k) coefficients[cost_feature_names()[k]] = model.coefficients[k];
  return {{"intercept", model.intercept}, {"coefficients", coefficients}, {"source", model.source}};
}

CostModel cost_model_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("a cost model must be a JSON object");
  CostModel model;
  for (const auto& [key, value] : json.items()) {
    if (key == "intercept") {
      model.intercept = value.get<double>();
    } else if (key == "source") {
      model.source = value.get<std::string>();
    } else if (key == "coefficients") {
      for (const auto& [name, c] : value.items()) {
        const auto& names = cost_feature_names();
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) throw std::invalid_argument("unknown cost feature '" + name + "'");
        if (!c.is_number() || c.get<double>() < 0)
          throw std::invalid_argument("cost coefficient '" + name + "' must be a non-negative number");
        model.coefficients[static_cast<size_t>(it - names.begin())] = c.get<double>();
      }
    } else {
      throw std::invalid_argument("unknown cost model field '" + key + "'");
    }
  }
  return model;
}

CostFeatures cost_features(const GoldenDetector& golden) {
  const QuantizedLstm& lstm = golden.lstm();
  const LstmFormats& q = lstm.formats();
  const FrontEndFormats& fe = golden.frontend().formats();
  const model::FrontEndConfig& fc = golden.frontend().config();
  const double H = lstm.shape().hidden, F = lstm.shape().inputs;
  const double bands = static_cast<double>(fc.bands.size());
  const double channels = fc.channels(), sensors = fc.sensors();
  const bool smoothing = golden.smoothing() > 1;
  const OutputFormats& out = golden.output_formats();

  CostFeatures c;
  c.weight_bits = 4 * H * F * q.input_weight.bits + 4 * H * H * q.recurrent_weight.bits + 4 * H * q.gate_bias.bits +
                  H * q.output_weight.bits + q.output_bias.bits +
                  bands * 2 * 5 * fe.coefficient.bits + F * (fe.log_energy.bits + fe.inv_std.bits);
  c.multiplier_bits = std::max(q.input.bits, q.hidden.bits) * std::max(q.input_weight.bits, q.recurrent_weight.bits) +
                      q.sigmoid.bits * q.cell.bits + 2.0 * q.sigmoid.bits * q.tanh.bits +
                      q.hidden.bits * q.output_weight.bits + fe.coefficient.bits * fe.state.bits +
                      fe.state.bits * fe.state.bits + fe.log_energy.bits * fe.inv_std.bits +
                      (smoothing ? out.probability.bits * out.reciprocal.bits : 0);
  // The cue (quant/cue.h), when on: its hysteresis comparator (one bit wider
  // than the statistic) and down-counter; registers on, alarm and the counter.
  const QuantizedCue& cue = golden.cue();
  const double cue_counter = cue.active() ? cue_counter_bits(cue) : 0;
  c.accumulator_bits = lstm.gate_accumulator_bits() + lstm.score_accumulator_bits() + fe.energy.bits +
                       (cue.active() && cue.hysteresis > 0 ? golden.statistic_format().bits + 1 : 0) + cue_counter;
  c.table_bits = static_cast<double>(lstm.sigmoid_unit().storage_bits() + lstm.tanh_unit().storage_bits() +
                                     lstm.cell_tanh_unit().storage_bits()) +
                 (smoothing ? static_cast<double>(golden.output_unit().storage_bits()) : 0);
  c.state_bits = H * (q.cell.bits + q.hidden.bits) + channels * bands * 8 * fe.state.bits +
                 sensors * bands * (fe.energy.bits + (fc.has_relative_levels() ? fe.log_energy.bits + fc.baseline_shift : 0)) +
                 // level-free features: the smoothed energies (T extra fraction bits) and each sensor's L_0
                 (fc.energy_smoothing_shift > 0 ? sensors * bands * (fe.energy.bits - 1 + fc.energy_smoothing_shift) : 0) +
                 (fc.has_ratios() ? sensors * fe.log_energy.bits : 0) +
                 (smoothing ? golden.smoothing() * out.probability.bits : 0) + (cue.active() ? 2 + cue_counter : 0);
  c.history_bits = (golden.history_steps() + 1) * F * q.input.bits;
  // Self-calibration (quant/calibration.h), when on: the constant multiplier
  // d * k16 (B+1 x 8 bits), the adders of m + k d, s - m, both state updates
  // (two adds for D) and the floor and ceiling comparators; the state
  // registers M and D and the register holding the T_n that was used.
  if (const auto& cal = golden.calibration()) {
    const int b = golden.statistic_format().bits;
    const CalibrationWidths w = calibration_widths(*cal, b);
    c.multiplier_bits += (b + 1) * 8;
    c.accumulator_bits += w.threshold * 3 + (b + 1) * 2 + 3.0 * w.state;
    c.state_bits += 2.0 * w.state + b;
  }
  return c;
}

namespace {

// min |A x - b|^2 over x >= 0 by projected coordinate descent on the normal
// equations (small, well-scaled problems only).
Eigen::VectorXd nonnegative_least_squares(const Eigen::MatrixXd& a, const Eigen::VectorXd& b) {
  const Eigen::MatrixXd gram = a.transpose() * a;
  const Eigen::VectorXd rhs = a.transpose() * b;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(a.cols());
  for (int sweep = 0; sweep < 20000; ++sweep) {
    double change = 0;
    for (Eigen::Index k = 0; k < x.size(); ++k) {
      if (gram(k, k) <= 0) continue;
      const double updated = std::max(0.0, x[k] + (rhs[k] - gram.row(k).dot(x)) / gram(k, k));
      change = std::max(change, std::abs(updated - x[k]) / (std::abs(x[k]) + 1e-12));
      x[k] = updated;
    }
    if (change < 1e-10) break;
  }
  return x;
}

}  // namespace

CostFit fit_cost_model(const std::vector<CostSample>& samples, const CostModel& prior) {
  if (samples.size() < 2) throw std::invalid_argument("fitting the cost model needs at least two designs");
  // Unknowns: intercept and one scale per coefficient (coefficient = scale *
  // prior), fitted on relative error (rows divided by the area), with a weak
  // pull of every scale towards the common scale so collinear features keep
  // their prior ratio.
  const int n = static_cast<int>(samples.size());
  const int unknowns = 1 + kCostFeatureCount;
  double common_scale = 0;
  {
    double num = 0, den = 0;
    for (const CostSample& s : samples) {
      const double predicted = prior.cost(s.features) - prior.intercept;
      num += predicted * s.area / (s.area * s.area);
      den += predicted * predicted / (s.area * s.area);
    }
    common_scale = den > 0 ? num / den : 1.0;
  }
  const double pull = 0.05;
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n + kCostFeatureCount, unknowns);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n + kCostFeatureCount);
  for (int i = 0; i < n; ++i) {
    const auto values = samples[static_cast<size_t>(i)].features.values();
    const double w = 1.0 / samples[static_cast<size_t>(i)].area;
    a(i, 0) = w * 1e5;  // intercept in units of 1e5 µm² keeps the columns comparable
    for (int k = 0; k < kCostFeatureCount; ++k) a(i, 1 + k) = w * prior.coefficients[k] * values[k];
    b[i] = 1.0;
  }
  for (int k = 0; k < kCostFeatureCount; ++k) {
    a(n + k, 1 + k) = pull;
    b[n + k] = pull * common_scale;
  }
  const Eigen::VectorXd x = nonnegative_least_squares(a, b);
  CostFit fit;
  fit.model.intercept = x[0] * 1e5;
  for (int k = 0; k < kCostFeatureCount; ++k) fit.model.coefficients[k] = x[1 + k] * prior.coefficients[k];
  fit.model.source = "fitted to " + std::to_string(n) + " synthesized designs";
  double sum = 0;
  for (const CostSample& s : samples) {
    const double error = std::abs(fit.model.cost(s.features) - s.area) / s.area;
    sum += error;
    fit.max_abs_relative_error = std::max(fit.max_abs_relative_error, error);
  }
  fit.mean_abs_relative_error = sum / n;
  return fit;
}

}  // namespace gaitlstm::quant
