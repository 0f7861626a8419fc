// Site-shift augmentation: transforms of raw recordings (mg, at the dataset
// rate, before the front end) that imitate what changes between wearers,
// sensors and sites: how the sensor sits (rotation), its calibration (gain,
// DC offset), its sample rate, noise and ADC resolution, the wearer's
// cadence (time warp) and where annotators put an episode's edges (label
// jitter).  Training adds transformed copies of its segments
// (model/detector.h); the site-shift battery (data/shift.h) applies the same
// primitives with fixed parameters to test recordings.
//
// Consecutive triples of channels are one sensor's three axes (Daphnet:
// ankle, thigh, trunk); channels left over after the last full triple are
// single-axis sensors, which rotation leaves alone and which draw their own
// gain and offset.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "util/rng.h"

namespace gaitlstm::data {

// Which transforms augment_segment applies, and the range each draws from.
// Every draw is per segment (a gap-free stretch of one recording).
struct AugmentConfig {
  bool rotation = false;  // per sensor: a rotation uniform on SO(3)
  bool gain = false;      // per sensor: x g, log2 g ~ U(log2 gain_min, log2 gain_max)
  bool offset = false;    // per sensor: + a DC vector, uniform direction, length U(0, offset_max_mg)
  bool rate = false;      // recorded at r Hz, log r ~ U(log rate_min_hz, log rate_max_hz), resampled back
  bool noise = false;     // white Gaussian noise, sd ~ U(0, noise_max_mg), independent per channel
  bool adc = false;       // rounded to an LSB, log2 lsb ~ U(log2 adc_lsb_min_mg, log2 adc_lsb_max_mg)
  bool warp = false;      // cadence x f, f ~ U(1 - warp_max, 1 + warp_max): time axis (and labels) / f
  bool jitter = false;    // each freeze episode's onset and end moved by U(-jitter_s, jitter_s)

  double gain_min = 0.5, gain_max = 2.0;
  double offset_max_mg = 200;
  double rate_min_hz = 50, rate_max_hz = 200;
  double noise_max_mg = 20;
  double adc_lsb_min_mg = 4, adc_lsb_max_mg = 32;
  double warp_max = 0.2;
  double jitter_s = 0.5;

  bool any() const { return rotation || gain || offset || rate || noise || adc || warp || jitter; }
};

// The transform names, in the order augment_segment applies them.
const std::vector<std::string>& augmentation_names();

// "rotation,gain,offset,rate,noise,adc,warp,jitter" (any subset, comma
// separated), "all" or "none".  Throws std::invalid_argument naming an
// unknown or repeated entry and the valid ones.  Ranges keep their defaults.
AugmentConfig parse_augmentation(const std::string& text);
// The switched-on transforms as parse_augmentation reads them ("none" if none).
std::string augmentation_string(const AugmentConfig& config);

nlohmann::json to_json(const AugmentConfig& config);
// Missing keys keep their defaults (model files from before augmentation).
AugmentConfig augment_config_from_json(const nlohmann::json& json);

// One transformed copy of `segment`: the switched-on transforms in the order
// warp, rotation, offset, gain, noise, adc, rate, jitter, each with its own
// stream drawn from `rng` (so switching one on or off leaves the others'
// draws unchanged).  Deterministic given the state of `rng`.
Segment augment_segment(const Segment& segment, const AugmentConfig& config, double sample_rate_hz,
                        Rng& rng);

// `copies` transformed copies of every segment of `subjects` (same subject,
// run and source), copy-major; copy k of segment s draws from
// Rng(mix(seed, k, s)), so the result does not depend on threads or on
// other segments.
Dataset augment_dataset(const Dataset& dataset, const std::vector<int>& subjects,
                        const AugmentConfig& config, int copies, uint64_t seed);

// ---- primitives (used by augment_segment and by the shift battery) --------

using Rotation = std::array<double, 9>;  // row-major 3 x 3
Rotation random_rotation(Rng& rng);      // uniform on SO(3) (random unit quaternion)

// Sensors of `channels` channels: first channel of each, and its axes (3 or 1).
struct SensorAxes {
  int first = 0;
  int axes = 3;
};
std::vector<SensorAxes> sensors_of(int channels);

void rotate_sensor(Segment& segment, const SensorAxes& sensor, const Rotation& rotation);
void scale_sensor(Segment& segment, const SensorAxes& sensor, double gain);
void offset_sensor(Segment& segment, const SensorAxes& sensor, const std::array<double, 3>& offset_mg);
void add_noise(Segment& segment, double sd_mg, Rng& rng);
void quantize(Segment& segment, double lsb_mg);  // round to the nearest multiple of lsb_mg
// Resampled from `sample_rate_hz` to `recorded_hz` and back (the loader's
// resampler, rates rounded to 1 Hz): same length and labels as the input.
Segment simulate_rate(const Segment& segment, double sample_rate_hz, double recorded_hz);
// Cadence x `factor` (rounded to 0.01): the time axis resampled so the
// segment lasts 1/factor as long; labels follow their samples.
Segment time_warp(const Segment& segment, double factor);
// Each freeze run's start and end moved by U(-max_samples, max_samples)
// (independently, clamped to the segment; a run that vanishes is dropped).
void jitter_labels(Segment& segment, int64_t max_samples, Rng& rng);

}  // namespace gaitlstm::data
