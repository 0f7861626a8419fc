#include "model/calibration.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "model/cue.h"

namespace gaitlstm::model {

void check_calibration(const CalibrationConfig& c) {
  if (c.rate_shift < 1 || c.rate_shift > kMaxCalibrationRateShift)
    throw std::invalid_argument(
        fmt::format("calibration rate_shift must be 1..{} (rate 2^-a; got {})", kMaxCalibrationRateShift, c.rate_shift));
  if (!std::isfinite(c.k) || c.k < 0 || c.k > kMaxCalibrationK || c.k * 16 != std::round(c.k * 16))
    throw std::invalid_argument(
        fmt::format("calibration k must be a multiple of 1/16 in [0, {}] (got {})", kMaxCalibrationK, c.k));
  if (!std::isfinite(c.floor)) throw std::invalid_argument("calibration floor must be finite");
  if (!std::isfinite(c.seed_mean)) throw std::invalid_argument("calibration seed_mean must be finite");
  if (!std::isfinite(c.seed_deviation) || c.seed_deviation < 0)
    throw std::invalid_argument(fmt::format("calibration seed_deviation must be >= 0 (got {})", c.seed_deviation));
}

nlohmann::json to_json(const CalibrationConfig& c) {
  return {{"rate_shift", c.rate_shift},
          {"k", c.k},
          {"floor", c.floor},
          {"seed_mean", c.seed_mean},
          {"seed_deviation", c.seed_deviation}};
}

CalibrationConfig calibration_config_from_json(const nlohmann::json& json) {
  if (!json.is_object())
    throw std::invalid_argument("a calibration must be an object {rate_shift, k, floor, seed_mean, seed_deviation}");
  CalibrationConfig c;
  for (const auto& [key, value] : json.items()) {
    if (key == "rate_shift") {
      if (!value.is_number_integer()) throw std::invalid_argument("calibration rate_shift must be an integer");
      c.rate_shift = value.get<int>();
    } else if (key == "k" || key == "floor" || key == "seed_mean" || key == "seed_deviation") {
      if (!value.is_number()) throw std::invalid_argument("calibration " + key + " must be a number");
      const double x = value.get<double>();
      (key == "k" ? c.k : key == "floor" ? c.floor : key == "seed_mean" ? c.seed_mean : c.seed_deviation) = x;
    } else {
      throw std::invalid_argument("unknown calibration field '" + key + "'");
    }
  }
  check_calibration(c);
  return c;
}

CalibrationConfig seed_calibration(CalibrationConfig config, const std::vector<double>& statistics) {
  if (statistics.empty()) throw std::invalid_argument("calibration seeds need at least one statistic");
  double sum = 0;
  for (double s : statistics) sum += s;
  const double mean = sum / static_cast<double>(statistics.size());
  double deviation = 0;
  for (double s : statistics) deviation += std::abs(s - mean);
  config.seed_mean = mean;
  config.seed_deviation = deviation / static_cast<double>(statistics.size());
  return config;
}

CalibrationLogic::CalibrationLogic(const CalibrationConfig& config)
    : config_(config), rate_(std::ldexp(1.0, -config.rate_shift)) {
  check_calibration(config);
  reset();
}

double CalibrationLogic::threshold() const { return std::max(config_.floor, mean_ + config_.k * deviation_); }

void CalibrationLogic::update(double statistic) {
  const double deviation = std::abs(statistic - mean_);
  mean_ += (statistic - mean_) * rate_;
  deviation_ += (deviation - deviation_) * rate_;
}

void CalibrationLogic::reset() {
  mean_ = config_.seed_mean;
  deviation_ = config_.seed_deviation;
}

IntegerCalibrationLogic::IntegerCalibrationLogic(const IntegerCalibrationParams& params) : p_(params) {
  if (p_.rate_shift < 1 || p_.rate_shift > kMaxCalibrationRateShift)
    throw std::invalid_argument(fmt::format("calibration rate_shift must be 1..{}", kMaxCalibrationRateShift));
  if (p_.k16 < 0 || p_.k16 > 255) throw std::invalid_argument("calibration k16 must be 0..255");
  if (p_.seed_deviation < 0) throw std::invalid_argument("calibration seed_deviation must be >= 0");
  if (p_.floor > p_.max_raw) throw std::invalid_argument("calibration floor above the statistic's largest value");
  reset();
}

int64_t IntegerCalibrationLogic::threshold() const {
  const int64_t m = mean_ >> p_.rate_shift, d = deviation_ >> p_.rate_shift;  // arithmetic (floor) shifts
  return std::min(p_.max_raw, std::max(p_.floor, m + ((d * p_.k16) >> 4)));
}

void IntegerCalibrationLogic::update(int64_t statistic) {
  const int64_t m = mean_ >> p_.rate_shift, d = deviation_ >> p_.rate_shift;
  mean_ += statistic - m;
  deviation_ += std::abs(statistic - m) - d;
}

void IntegerCalibrationLogic::reset() {
  mean_ = p_.seed_mean * (int64_t{1} << p_.rate_shift);
  deviation_ = p_.seed_deviation * (int64_t{1} << p_.rate_shift);
}

std::vector<double> calibrated_thresholds(const CalibrationConfig& config, const std::vector<data::Decision>& decisions,
                                          const std::vector<double>& statistics, const data::ProtocolConfig& protocol) {
  if (statistics.size() != decisions.size())
    throw std::invalid_argument(
        fmt::format("calibrated_thresholds: {} statistics for {} decisions", statistics.size(), decisions.size()));
  const std::vector<uint8_t> starts = segment_starts(decisions, protocol);
  CalibrationLogic logic(config);
  std::vector<double> thresholds(decisions.size());
  for (size_t i = 0; i < decisions.size(); ++i) {
    if (starts[i]) logic.reset();
    thresholds[i] = logic.threshold();
    logic.update(statistics[i]);
  }
  return thresholds;
}

}  // namespace gaitlstm::model
