#include "model/frontend.h"

#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

#include "util/error.h"

namespace gaitlstm::model {
namespace {

constexpr double kButterworthQ = 0.70710678118654752;

// RBJ cookbook: w0 = 2 pi f / fs, alpha = sin(w0) / (2 Q); coefficients divided by a0.
Biquad normalized(double b0, double b1, double b2, double a0, double a1, double a2) {
  return Biquad{{b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0}};
}

}  // namespace

Biquad design_highpass(double cutoff_hz, double sample_rate_hz) {
  const double w0 = 2 * std::numbers::pi * cutoff_hz / sample_rate_hz;
  const double alpha = std::sin(w0) / (2 * kButterworthQ);
  const double cw = std::cos(w0);
  return normalized((1 + cw) / 2, -(1 + cw), (1 + cw) / 2, 1 + alpha, -2 * cw, 1 - alpha);
}

Biquad design_lowpass(double cutoff_hz, double sample_rate_hz) {
  const double w0 = 2 * std::numbers::pi * cutoff_hz / sample_rate_hz;
  const double alpha = std::sin(w0) / (2 * kButterworthQ);
  const double cw = std::cos(w0);
  return normalized((1 - cw) / 2, 1 - cw, (1 - cw) / 2, 1 + alpha, -2 * cw, 1 - alpha);
}

void validate_features(const FrontEndConfig& config) {
  if (config.ratios && config.bands.size() < 2)
    throw std::invalid_argument("band-energy ratios need at least two bands");
  if (config.energy_smoothing_shift < 0 || config.energy_smoothing_shift > 16)
    throw std::invalid_argument("energy smoothing shift must be in 0..16, got " +
                                std::to_string(config.energy_smoothing_shift));
}

void design_filters(FrontEndConfig& config) {
  validate_features(config);
  config.filters.clear();
  for (const Band& band : config.bands) {
    config.filters.push_back({design_highpass(band.low_hz, config.sample_rate_hz),
                              design_lowpass(band.high_hz, config.sample_rate_hz)});
  }
}

double log2_approx(double v) {
  int exponent = 0;
  const double mantissa = std::frexp(v, &exponent);  // v = mantissa 2^exponent, mantissa in [0.5, 1)
  return (exponent - 1) + (2 * mantissa - 1);
}

namespace {

// Direct form I section with its own delay line.
class BiquadState {
 public:
  explicit BiquadState(const Biquad& biquad) : q_(biquad) {}
  double step(double u) {
    const double v = q_.b0() * u + q_.b1() * u1_ + q_.b2() * u2_ - q_.a1() * v1_ - q_.a2() * v2_;
    u2_ = u1_;
    u1_ = u;
    v2_ = v1_;
    v1_ = v;
    return v;
  }

 private:
  Biquad q_;
  double u1_ = 0, u2_ = 0, v1_ = 0, v2_ = 0;
};

// Features of one sensor from its levels L (bands x steps): L, R = L - B with
// the leaky-integrator baseline B, Q_k = L_k - L_0, each if configured
// (header comment).
Eigen::MatrixXf sensor_features(const FrontEndConfig& config, const Eigen::MatrixXf& levels) {
  const Eigen::Index bands = levels.rows(), steps = levels.cols();
  Eigen::MatrixXf features(config.features_per_sensor(), steps);
  Eigen::Index row = 0;
  if (config.has_levels()) {
    features.middleRows(row, bands) = levels;
    row += bands;
  }
  if (config.has_relative_levels()) {
    const double rate = std::ldexp(1.0, -config.baseline_shift);
    for (Eigen::Index k = 0; k < bands; ++k, ++row) {
      double baseline = steps ? levels(k, 0) : 0.0;
      for (Eigen::Index m = 0; m < steps; ++m) {
        baseline += (levels(k, m) - baseline) * rate;
        features(row, m) = static_cast<float>(levels(k, m) - baseline);
      }
    }
  }
  for (Eigen::Index k = 1; k <= config.ratio_count(); ++k, ++row) features.row(row) = levels.row(k) - levels.row(0);
  return features;
}

// S = one-pole average of the block energies, S[0] = E[0] (header comment).
void smooth_energies(int shift, Eigen::VectorXd& energy) {
  if (shift <= 0 || energy.size() == 0) return;
  const double rate = std::ldexp(1.0, -shift);
  double smoothed = energy[0];
  for (Eigen::Index m = 0; m < energy.size(); ++m) {
    smoothed += (energy[m] - smoothed) * rate;
    energy[m] = smoothed;
  }
}

// Block energies E_k[m] of one sensor's band k, summed over its axes.
Eigen::VectorXd block_energies(const FrontEndConfig& config, const data::Segment& segment,
                               const std::vector<int>& channel_index, int sensor, int band) {
  const int64_t steps = segment.samples() / config.decimation;
  Eigen::VectorXd energy = Eigen::VectorXd::Zero(steps);
  for (int axis = 0; axis < config.axes_per_sensor; ++axis) {
    const int column = channel_index[sensor * config.axes_per_sensor + axis];
    BiquadState highpass(config.filters[band][0]);
    BiquadState lowpass(config.filters[band][1]);
    for (int64_t m = 0; m < steps; ++m) {
      for (int j = 0; j < config.decimation; ++j) {
        const double y = lowpass.step(highpass.step(segment.at(m * config.decimation + j, column)));
        energy[m] += y * y;
      }
    }
  }
  return energy / config.decimation;
}

}  // namespace

Eigen::MatrixXf log_band_energies(const FrontEndConfig& config, const data::Segment& segment,
                                  const std::vector<int>& channel_index) {
  const int bands = static_cast<int>(config.bands.size());
  const int64_t steps = segment.samples() / config.decimation;
  const int per_sensor = config.features_per_sensor();
  Eigen::MatrixXf features(config.features(), steps);
  for (int sensor = 0; sensor < config.sensors(); ++sensor) {
    Eigen::MatrixXf levels(bands, steps);
    for (int k = 0; k < bands; ++k) {
      Eigen::VectorXd energy = block_energies(config, segment, channel_index, sensor, k);
      smooth_energies(config.energy_smoothing_shift, energy);
      for (int64_t m = 0; m < steps; ++m) {
        levels(k, m) = static_cast<float>(log2_approx(energy[m] + 1));
      }
    }
    features.middleRows(sensor * per_sensor, per_sensor) = sensor_features(config, levels);
  }
  return features;
}

void fit_normalization(FrontEndConfig& config, const std::vector<const Eigen::MatrixXf*>& raw) {
  const int n = config.features();
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd sum_squares = Eigen::VectorXd::Zero(n);
  double count = 0;
  for (const Eigen::MatrixXf* matrix : raw) {
    const Eigen::MatrixXd values = matrix->cast<double>();
    sum += values.rowwise().sum();
    sum_squares += values.array().square().rowwise().sum().matrix();
    count += static_cast<double>(values.cols());
  }
  config.feature_mean.assign(n, 0.0);
  config.feature_std.assign(n, 1.0);
  if (count == 0) return;
  for (int i = 0; i < n; ++i) {
    const double mean = sum[i] / count;
    const double variance = std::max(sum_squares[i] / count - mean * mean, 0.0);
    config.feature_mean[i] = mean;
    config.feature_std[i] = std::max(std::sqrt(variance), 1e-6);
  }
}

void normalize(const FrontEndConfig& config, Eigen::MatrixXf& raw) {
  for (int i = 0; i < raw.rows(); ++i) {
    raw.row(i).array() = (raw.row(i).array() - static_cast<float>(config.feature_mean[i])) /
                         static_cast<float>(config.feature_std[i]);
  }
}

std::vector<int> channel_columns(const FrontEndConfig& config, const data::Dataset& dataset) {
  std::vector<int> columns;
  for (const std::string& name : config.channel_names) {
    int found = -1;
    for (size_t i = 0; i < dataset.channel_names.size(); ++i) {
      if (dataset.channel_names[i] == name) found = static_cast<int>(i);
    }
    if (found < 0) {
      throw InputError(dataset.name, 0, "dataset has no channel '" + name + "' the model needs");
    }
    columns.push_back(found);
  }
  return columns;
}

std::vector<Band> parse_bands(const std::string& text) {
  std::vector<Band> bands;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const size_t dash = item.find('-');
    try {
      if (dash == std::string::npos) throw std::invalid_argument("no dash");
      bands.push_back({std::stod(item.substr(0, dash)), std::stod(item.substr(dash + 1))});
    } catch (const std::exception&) {
      throw std::invalid_argument("expected LOW-HIGH[,LOW-HIGH...] in Hz, got '" + item + "'");
    }
    if (!(bands.back().low_hz > 0 && bands.back().low_hz < bands.back().high_hz))
      throw std::invalid_argument("band '" + item + "' needs 0 < low < high");
  }
  if (bands.empty()) throw std::invalid_argument("no band given");
  return bands;
}

}  // namespace gaitlstm::model
