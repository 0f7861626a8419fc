// Causal, streaming feature front-end between the accelerometers and the LSTM.
//
// Per selected channel x[n] (64 Hz, mg) and per band k = [lo_k, hi_k] Hz:
//
//   y_k[n] = LP_hi(HP_lo(x))[n]      two cascaded biquads (RBJ Butterworth,
//                                    Q = 1/sqrt(2)), direct form I:
//            v[n] = b0 u[n] + b1 u[n-1] + b2 u[n-2] - a1 v[n-1] - a2 v[n-2]
//   E_k[m] = (1/D) sum_{n=mD}^{mD+D-1} sum_axes y_k[n]^2
//            block energy, D = decimation; with axes_per_sensor = 3 the
//            energies of a sensor's three axes are added, which makes the
//            feature independent of how the sensor is oriented on the body
//   S_k[m] = S_k[m-1] + (E_k[m] - S_k[m-1]) / 2^T,  S_k[0] = E_k[0]
//            optional smoothing of the energies (T = energy_smoothing_shift;
//            T = 0: S = E), a one-pole average over ~2^T steps that steadies
//            the short blocks' energies before the log
//   L_k[m] = log2approx(S_k[m] + 1)                  piecewise-linear log2:
//            for v = 2^e (1 + r), 0 <= r < 1:  log2approx(v) = e + r
//            (leading-one position + the mantissa bits below it: no tables)
//   B_k[m] = B_k[m-1] + (L_k[m] - B_k[m-1]) / 2^s,  B_k[0] = L_k[0]
//            slow causal baseline (leaky integrator, time constant 2^s steps)
//   R_k[m] = L_k[m] - B_k[m]                         level relative to the baseline
//   Q_k[m] = L_k[m] - L_0[m], k >= 1                  band-energy ratio (log2 of
//            S_k / S_0, as the freeze index): a gain on the sensor adds the same
//            log2(gain^2) to every L_k, so Q does not see it
//   u[m]   = (feature - mean) / std                  normalization (model file)
//
// Features per sensor (group of axes_per_sensor consecutive channels): the K
// log energies L_k (if kept), then (if baseline_shift > 0) the K relative
// levels R_k, then (if ratios) the K - 1 ratios Q_1 .. Q_{K-1}.
// One LSTM step m consumes all sensors' features sensor-major
// (index = sensor * features_per_sensor + j).  R removes a
// subject's or sensor's overall level (gain, walking vigour) causally; Q
// does so instantly and, unlike L and R, keeps its direction between sites
// (docs/MODEL.md: the level features reverse between Daphnet and PDFE).  Step m covers samples
// [mD, mD + D), so a decision after sample `end - 1` may read steps
// m < floor(end / D): the front-end never looks forward.  Filter states start
// at zero at the beginning of every segment.  Every operation is a multiply-
// accumulate, a square, a shift (D is a power of two) or a leading-one
// detection, so the quantization issue can carry it to fixed point unchanged.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "data/dataset.h"

namespace gaitlstm::model {

struct Band {
  double low_hz = 0;
  double high_hz = 0;
};

// b0, b1, b2, a1, a2 of v[n] = b0 u[n] + b1 u[n-1] + b2 u[n-2] - a1 v[n-1] - a2 v[n-2]
struct Biquad {
  std::array<double, 5> coefficients{};
  double b0() const { return coefficients[0]; }
  double b1() const { return coefficients[1]; }
  double b2() const { return coefficients[2]; }
  double a1() const { return coefficients[3]; }
  double a2() const { return coefficients[4]; }
};

// Butterworth second-order sections from the RBJ audio EQ cookbook.
Biquad design_highpass(double cutoff_hz, double sample_rate_hz);
Biquad design_lowpass(double cutoff_hz, double sample_rate_hz);

struct FrontEndConfig {
  double sample_rate_hz = 64;
  int decimation = 16;                      // samples per LSTM step (power of two)
  std::vector<std::string> channel_names;   // dataset channels, in feature order
  // The channel group they were selected as ("ankle", "all"); empty = a list
  // of names.  A model runs on any recording set whose spec defines this
  // group (same axis order, any column names): see data::select_channels_as.
  std::string channel_group;
  std::vector<Band> bands = {{0.5, 3.0}, {3.0, 8.0}};
  int baseline_shift = 0;  // s above; 0 = no relative features
  int axes_per_sensor = 1; // channels summed into one energy (1 or 3)
  bool keep_levels = true; // false (needs baseline_shift > 0 or ratios): no L_k
  int energy_smoothing_shift = 0;  // T above; 0 = no smoothing of the energies
  bool ratios = false;             // the K - 1 ratios Q_k (needs >= 2 bands)
  // Per band: {high-pass at low_hz, low-pass at high_hz}; filled by design_filters().
  std::vector<std::array<Biquad, 2>> filters;
  // Per feature: log-energy normalization, filled from training data.
  std::vector<double> feature_mean;
  std::vector<double> feature_std;

  int channels() const { return static_cast<int>(channel_names.size()); }
  int sensors() const { return channels() / axes_per_sensor; }
  bool has_levels() const { return keep_levels || (baseline_shift <= 0 && !has_ratios()); }
  bool has_relative_levels() const { return baseline_shift > 0; }
  bool has_ratios() const { return ratios && bands.size() >= 2; }
  int ratio_count() const { return has_ratios() ? static_cast<int>(bands.size()) - 1 : 0; }
  int features_per_sensor() const {
    return static_cast<int>(bands.size()) * (int{has_levels()} + int{has_relative_levels()}) + ratio_count();
  }
  int features() const { return sensors() * features_per_sensor(); }
  // True for the features a constant gain on the sensor leaves unchanged
  // (R_k and Q_k; a gain shifts every L_k by the same amount).
  bool is_relative_feature(int feature) const {
    return !has_levels() || feature % features_per_sensor() >= static_cast<int>(bands.size());
  }
};

// "0.5-3,3-8" -> bands in Hz; throws std::invalid_argument naming the bad
// item (not LOW-HIGH, or not 0 < low < high) or that no band was given.
std::vector<Band> parse_bands(const std::string& text);

// Throws std::invalid_argument when the feature options contradict each
// other (ratios with one band, no feature kept, smoothing shift out of 0..16).
void validate_features(const FrontEndConfig& config);

// Computes `filters` from `bands` and the sample rate.
void design_filters(FrontEndConfig& config);

// Piecewise-linear log2 (see header comment); v >= 1.
double log2_approx(double v);

// Log band energies of one segment, before normalization: features x steps,
// steps = samples / decimation.  `channel_index` maps config.channel_names to
// the segment's columns.
Eigen::MatrixXf log_band_energies(const FrontEndConfig& config, const data::Segment& segment,
                                  const std::vector<int>& channel_index);

// Sets feature_mean / feature_std from the given raw (unnormalized) feature
// matrices (one per segment).
void fit_normalization(FrontEndConfig& config, const std::vector<const Eigen::MatrixXf*>& raw);

// Applies the stored normalization in place.
void normalize(const FrontEndConfig& config, Eigen::MatrixXf& raw);

// Columns of `dataset` feeding the front-end, by config.channel_names;
// throws InputError if the dataset lacks one.
std::vector<int> channel_columns(const FrontEndConfig& config, const data::Dataset& dataset);

}  // namespace gaitlstm::model
