// Wearer self-calibration: the threshold T_n follows the wearer's own
// decision statistic, without labels (docs/GOLDEN.md, "Self-calibration").
// Two exponential moving averages with rate 2^-a (a = rate_shift) track the
// mean m and the mean absolute deviation d of the statistic s_n; the
// threshold in force at decision n uses the state BEFORE s_n:
//
//   T_n   = max(floor, m + k d)                  (integer: also <= the format's largest value)
//   then  dev = |s_n - m|,  m += (s_n - m) 2^-a,  d += (dev - d) 2^-a
//
// m and d start at the seeds (m0, d0) at every reset (segment start: the
// chip's rst).  The seeds are the mean and the mean absolute deviation of
// the statistic on held-out validation data (seed_calibration), so the chip
// starts at a population operating point and drifts towards its wearer.
// k is a multiple of 1/16 so the chip multiplies by a 4-bit-fraction
// constant.  The integer form (IntegerCalibrationLogic, used by the golden
// model, quant/calibration.h, and mirrored by rtl/calibration_rtl.h) keeps m
// and d with `a` extra fraction bits, M = m 2^a and D = d 2^a, and truncates
// with arithmetic shifts:
//
//   m = M >> a,  d = D >> a,  T = min(max_raw, max(floor, m + ((d k16) >> 4)))
//   M += s - m,  D += |s - m| - d
//
// Only with output smoothing (K > 1): the statistic is then a probability,
// the same scale in the float model and the chip (with K = 1 the chip
// compares logits, on which the float model's mean and deviation have no
// integer counterpart).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/protocol.h"

namespace gaitlstm::model {

inline constexpr int kMaxCalibrationRateShift = 16;
inline constexpr double kMaxCalibrationK = 255.0 / 16;  // k16 fits 8 bits

struct CalibrationConfig {
  int rate_shift = 5;         // a: rate 2^-a (5 = 1/32 per decision)
  double k = 0.5;             // T = m + k d; a multiple of 1/16 in [0, 255/16]
  double floor = 0.3;         // lowest threshold (statistic units: FoG probability)
  double seed_mean = 0.5;     // m0 at reset (statistic units)
  double seed_deviation = 0;  // d0 at reset (>= 0)
  bool operator==(const CalibrationConfig&) const = default;
};

// Throws std::invalid_argument naming the bad parameter.
void check_calibration(const CalibrationConfig& config);

// {"rate_shift", "k", "floor", "seed_mean", "seed_deviation"}; from_json
// checks ranges and unknown fields (std::invalid_argument); missing fields
// keep their defaults.
nlohmann::json to_json(const CalibrationConfig& config);
CalibrationConfig calibration_config_from_json(const nlohmann::json& json);

// `config` with seeds = mean and mean absolute deviation (about the mean) of
// `statistics` (e.g. the validation subject's decision statistics).  Throws
// std::invalid_argument if `statistics` is empty.
CalibrationConfig seed_calibration(CalibrationConfig config, const std::vector<double>& statistics);

// The float self-calibration (see above).
class CalibrationLogic {
 public:
  explicit CalibrationLogic(const CalibrationConfig& config);
  double threshold() const;  // T_n from the state before s_n
  void update(double statistic);
  void reset();

 private:
  CalibrationConfig config_;
  double rate_, mean_, deviation_;
};

// The integer self-calibration on raw statistics (see above); k16 = 16 k.
struct IntegerCalibrationParams {
  int rate_shift = 5;
  int k16 = 8;
  int64_t floor = 0, max_raw = 0, seed_mean = 0, seed_deviation = 0;
};

class IntegerCalibrationLogic {
 public:
  explicit IntegerCalibrationLogic(const IntegerCalibrationParams& params);
  int64_t threshold() const;
  void update(int64_t statistic);
  void reset();
  int64_t mean_state() const { return mean_; }            // M = m 2^a
  int64_t deviation_state() const { return deviation_; }  // D = d 2^a

 private:
  IntegerCalibrationParams p_;
  int64_t mean_ = 0, deviation_ = 0;
};

// The thresholds T_n of protocol decisions with their statistics: the state
// restarts at every segment's first decision (segments must be consecutive,
// as model::segment_starts).  Throws std::invalid_argument on a size mismatch.
std::vector<double> calibrated_thresholds(const CalibrationConfig& config, const std::vector<data::Decision>& decisions,
                                          const std::vector<double>& statistics, const data::ProtocolConfig& protocol = {});

}  // namespace gaitlstm::model
