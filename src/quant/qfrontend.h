// The detector's front-end in integer arithmetic (the golden model's and the
// chip's), following model/frontend.h step by step:
//
//   biquad (direct form I), per channel, band and section:
//     acc = b0 u + b1 u1 + b2 u2 - a1 v1 - a2 v2      products aligned to the
//                                                      larger fraction, exact
//     v   = requantize(acc, state)
//   block energy, per sensor and band, over D samples and the sensor's axes:
//     E_acc = sum y^2                                  exact (2 f_state frac)
//     E     = requantize(E_acc, 2 f_state + log2 D, energy)     (/D by shift)
//   energy smoothing (if T > 0): S <- S + ((E << T) - S) >> T  (S has T extra
//     fraction bits, so small energies keep their bits; truncating shift;
//     S starts at E << T of the first step; a negative, wrapped E counts as 0);
//     without smoothing S = E (T = 0)
//   log2approx(S + 1): v = S + 1 (raw + 2^(f_E + T)), e = position of the leading one,
//     L = (e - f_E - T) << f_L  +  the f_L bits below the leading one (truncated)
//   baseline (if s > 0): B <- B + ((L << g) - B) >> s  (B has g = s extra
//     fraction bits, truncating shift; B starts at L of the first step);
//     R = requantize(L << g - B, f_L + g, log_energy)
//   ratios (if on), k >= 1: Q_k = fit(L_k - L_0, log_energy)
//   normalization: u = requantize((feature - mean) * inv_std, LSTM input)
//     with mean in the log-energy format and inv_std in its own format.
// Filter states are zero at every segment start.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/frontend.h"
#include "quant/fixed_point.h"

namespace gaitlstm::quant {

struct FrontEndFormats {
  QFormat sample{16, 0};          // sensor reading, integer mg
  QFormat coefficient{18, 15};    // biquad coefficients (|a1| < 2)
  QFormat state{24, 6};           // biquad outputs and delay line
  QFormat energy{28, 0};          // block energy E
  QFormat log_energy{10, 4};      // L and R (log2 energies reach ~27)
  QFormat inv_std{12, 6};         // 1 / std of each feature
  bool operator==(const FrontEndFormats&) const = default;
};

nlohmann::json to_json(const FrontEndFormats& formats);
FrontEndFormats frontend_formats_from_json(const nlohmann::json& json);  // throws std::invalid_argument

class QuantizedFrontEnd {
 public:
  // Quantizes coefficients and normalization; `feature` is the LSTM input format.
  QuantizedFrontEnd(const model::FrontEndConfig& config, const FrontEndFormats& formats, const QFormat& feature);

  const model::FrontEndConfig& config() const { return config_; }
  const FrontEndFormats& formats() const { return formats_; }
  const QFormat& feature_format() const { return feature_; }
  int features() const { return config_.features(); }

  // Raw coefficients [band][section][b0, b1, b2, a1, a2], means, inverse stds.
  const std::vector<std::array<std::array<int64_t, 5>, 2>>& coefficients() const { return coefficients_; }
  const std::vector<int64_t>& mean() const { return mean_; }
  const std::vector<int64_t>& inv_std() const { return inv_std_; }

  // Streaming state of one segment: feed samples, get a feature vector (raw,
  // feature format) every D samples.
  class Stream {
   public:
    explicit Stream(const QuantizedFrontEnd& frontend);
    // One sample: channel values as raw sample-format integers (in
    // config().channel_names order).  Returns true when `features` was filled.
    bool push(const int64_t* sample, int64_t* features);

   private:
    const QuantizedFrontEnd& fe_;
    std::vector<std::array<int64_t, 8>> delay_;  // per channel x band: u1,u2,v1,v2 of both sections
    std::vector<int64_t> energy_acc_;            // per sensor x band
    std::vector<int64_t> baseline_;              // per sensor x band
    std::vector<int64_t> smoothed_;              // per sensor x band: S (f_E + T fraction bits)
    int in_block_ = 0;
    bool first_step_ = true;
  };

  // Every feature vector of a segment: steps x features raws (row-major),
  // steps = samples / D.  `columns` maps channel_names to segment columns.
  std::vector<int64_t> run_segment(const data::Segment& segment, const std::vector<int>& columns) const;

 private:
  int64_t biquad(int band, int section, int64_t u, int u_frac, std::array<int64_t, 8>& delay, int offset) const;
  // log2approx(v + 1) of a non-negative value with `frac` fraction bits (f_E + T).
  int64_t log2_approx(int64_t value, int frac) const;
  int64_t normalize(int feature, int64_t value) const;

  model::FrontEndConfig config_;
  FrontEndFormats formats_;
  QFormat feature_;
  int decimation_log2_ = 0;
  std::vector<std::array<std::array<int64_t, 5>, 2>> coefficients_;
  std::vector<int64_t> mean_, inv_std_;
};

// Integer log2 of a power of two; throws std::invalid_argument otherwise.
int exact_log2(int64_t power_of_two);

}  // namespace gaitlstm::quant
