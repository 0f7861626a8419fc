#include "data/augment.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/resample.h"

namespace gaitlstm::data {
namespace {

double log_uniform(Rng& rng, double low, double high) {
  return std::exp2(rng.uniform(std::log2(low), std::log2(high)));
}

// A sub-stream per transform: the same draws whether or not others are on.
uint64_t mix(uint64_t a, uint64_t b) {
  Rng rng(a ^ (b * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
  return rng.next_u64();
}

// Keeps the first `length` samples, holding the last one if `segment` is shorter.
void fit_length(Segment& segment, int64_t length) {
  const int64_t n = segment.samples();
  segment.values.resize(static_cast<size_t>(length * segment.channels));
  for (int64_t t = n; t < length; ++t) {
    for (int c = 0; c < segment.channels; ++c) {
      segment.values[static_cast<size_t>(t * segment.channels + c)] =
          segment.values[static_cast<size_t>((n - 1) * segment.channels + c)];
    }
  }
  segment.freeze.resize(static_cast<size_t>(length), n > 0 ? segment.freeze.back() : 0);
}

}  // namespace

const std::vector<std::string>& augmentation_names() {
  static const std::vector<std::string> names = {"warp", "rotation", "offset", "gain",
                                                 "noise", "adc", "rate", "jitter"};
  return names;
}

namespace {

bool* switch_of(AugmentConfig& config, const std::string& name) {
  if (name == "rotation") return &config.rotation;
  if (name == "gain") return &config.gain;
  if (name == "offset") return &config.offset;
  if (name == "rate") return &config.rate;
  if (name == "noise") return &config.noise;
  if (name == "adc") return &config.adc;
  if (name == "warp") return &config.warp;
  if (name == "jitter") return &config.jitter;
  return nullptr;
}

}  // namespace

AugmentConfig parse_augmentation(const std::string& text) {
  AugmentConfig config;
  if (text == "none" || text.empty()) return config;
  if (text == "all") {
    for (const std::string& name : augmentation_names()) *switch_of(config, name) = true;
    return config;
  }
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    bool* on = switch_of(config, name);
    if (!on) {
      throw std::invalid_argument(fmt::format("augmentation '{}' in '{}' is unknown (valid: {}, all, none)",
                                              name, text, fmt::join(augmentation_names(), ", ")));
    }
    if (*on) throw std::invalid_argument(fmt::format("augmentation '{}' is listed twice in '{}'", name, text));
    *on = true;
    start = comma + 1;
  }
  return config;
}

std::string augmentation_string(const AugmentConfig& config) {
  std::vector<std::string> on;
  AugmentConfig copy = config;
  for (const std::string& name : augmentation_names()) {
    if (*switch_of(copy, name)) on.push_back(name);
  }
  return on.empty() ? "none" : fmt::format("{}", fmt::join(on, ","));
}

nlohmann::json to_json(const AugmentConfig& c) {
  return {{"transforms", augmentation_string(c)},
          {"gain_range", {c.gain_min, c.gain_max}},
          {"offset_max_mg", c.offset_max_mg},
          {"rate_range_hz", {c.rate_min_hz, c.rate_max_hz}},
          {"noise_max_mg", c.noise_max_mg},
          {"adc_lsb_range_mg", {c.adc_lsb_min_mg, c.adc_lsb_max_mg}},
          {"warp_max", c.warp_max},
          {"jitter_s", c.jitter_s}};
}

AugmentConfig augment_config_from_json(const nlohmann::json& j) {
  AugmentConfig c = parse_augmentation(j.value("transforms", std::string("none")));
  auto range = [&](const char* key, double& low, double& high) {
    if (!j.contains(key)) return;
    low = j.at(key).at(0).get<double>();
    high = j.at(key).at(1).get<double>();
  };
  range("gain_range", c.gain_min, c.gain_max);
  range("rate_range_hz", c.rate_min_hz, c.rate_max_hz);
  range("adc_lsb_range_mg", c.adc_lsb_min_mg, c.adc_lsb_max_mg);
  c.offset_max_mg = j.value("offset_max_mg", c.offset_max_mg);
  c.noise_max_mg = j.value("noise_max_mg", c.noise_max_mg);
  c.warp_max = j.value("warp_max", c.warp_max);
  c.jitter_s = j.value("jitter_s", c.jitter_s);
  return c;
}

// ---- primitives --------------------------------------------------------------

Rotation random_rotation(Rng& rng) {
  // A unit quaternion with i.i.d. normal components is uniform on S^3, and
  // its rotation uniform (Haar) on SO(3).
  double w = 0, x = 0, y = 0, z = 0, norm = 0;
  while (norm < 1e-12) {
    w = rng.normal(), x = rng.normal(), y = rng.normal(), z = rng.normal();
    norm = std::sqrt(w * w + x * x + y * y + z * z);
  }
  w /= norm, x /= norm, y /= norm, z /= norm;
  return {1 - 2 * (y * y + z * z), 2 * (x * y - w * z),     2 * (x * z + w * y),
          2 * (x * y + w * z),     1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
          2 * (x * z - w * y),     2 * (y * z + w * x),     1 - 2 * (x * x + y * y)};
}

std::vector<SensorAxes> sensors_of(int channels) {
  std::vector<SensorAxes> sensors;
  int c = 0;
  for (; c + 3 <= channels; c += 3) sensors.push_back({c, 3});
  for (; c < channels; ++c) sensors.push_back({c, 1});
  return sensors;
}

void rotate_sensor(Segment& segment, const SensorAxes& sensor, const Rotation& r) {
  if (sensor.axes != 3) return;
  for (int64_t t = 0; t < segment.samples(); ++t) {
    float* v = &segment.values[static_cast<size_t>(t * segment.channels + sensor.first)];
    const double a = v[0], b = v[1], c = v[2];
    v[0] = static_cast<float>(r[0] * a + r[1] * b + r[2] * c);
    v[1] = static_cast<float>(r[3] * a + r[4] * b + r[5] * c);
    v[2] = static_cast<float>(r[6] * a + r[7] * b + r[8] * c);
  }
}

void scale_sensor(Segment& segment, const SensorAxes& sensor, double gain) {
  for (int64_t t = 0; t < segment.samples(); ++t) {
    for (int a = 0; a < sensor.axes; ++a) {
      float& v = segment.values[static_cast<size_t>(t * segment.channels + sensor.first + a)];
      v = static_cast<float>(v * gain);
    }
  }
}

void offset_sensor(Segment& segment, const SensorAxes& sensor, const std::array<double, 3>& offset_mg) {
  for (int64_t t = 0; t < segment.samples(); ++t) {
    for (int a = 0; a < sensor.axes; ++a) {
      float& v = segment.values[static_cast<size_t>(t * segment.channels + sensor.first + a)];
      v = static_cast<float>(v + offset_mg[static_cast<size_t>(a)]);
    }
  }
}

void add_noise(Segment& segment, double sd_mg, Rng& rng) {
  for (float& v : segment.values) v = static_cast<float>(v + sd_mg * rng.normal());
}

void quantize(Segment& segment, double lsb_mg) {
  if (!(lsb_mg > 0)) throw std::invalid_argument(fmt::format("ADC LSB must be > 0 mg, not {}", lsb_mg));
  for (float& v : segment.values) v = static_cast<float>(std::round(v / lsb_mg) * lsb_mg);
}

Segment simulate_rate(const Segment& segment, double sample_rate_hz, double recorded_hz) {
  const double model_hz = std::round(sample_rate_hz), sensor_hz = std::round(recorded_hz);
  if (!(sensor_hz >= 1)) throw std::invalid_argument(fmt::format("cannot record at {} Hz", recorded_hz));
  if (sensor_hz == model_hz || segment.samples() == 0) return segment;
  Segment out = Resampler(sensor_hz, model_hz).apply(Resampler(model_hz, sensor_hz).apply(segment));
  fit_length(out, segment.samples());
  out.freeze = segment.freeze;  // the same time grid as the input
  return out;
}

Segment time_warp(const Segment& segment, double factor) {
  const double rounded = std::round(factor * 100) / 100;
  if (!(rounded >= 0.1 && rounded <= 10))
    throw std::invalid_argument(fmt::format("time-warp factor {} is outside 0.1-10", factor));
  if (rounded == 1 || segment.samples() == 0) return segment;
  // Read at `rounded` Hz, written at 1 Hz: 1/rounded as many samples.
  return Resampler(rounded, 1.0).apply(segment);
}

void jitter_labels(Segment& segment, int64_t max_samples, Rng& rng) {
  const int64_t n = segment.samples();
  std::vector<std::pair<int64_t, int64_t>> runs;  // [start, end)
  for (int64_t t = 0; t < n;) {
    if (!segment.freeze[static_cast<size_t>(t)]) {
      ++t;
      continue;
    }
    int64_t end = t;
    while (end < n && segment.freeze[static_cast<size_t>(end)]) ++end;
    runs.emplace_back(t, end);
    t = end;
  }
  std::fill(segment.freeze.begin(), segment.freeze.end(), 0);
  for (auto [start, end] : runs) {
    const int64_t moved_start = std::clamp<int64_t>(start + rng.uniform_int(-max_samples, max_samples), 0, n);
    const int64_t moved_end = std::clamp<int64_t>(end + rng.uniform_int(-max_samples, max_samples), 0, n);
    for (int64_t t = moved_start; t < moved_end; ++t) segment.freeze[static_cast<size_t>(t)] = 1;
  }
}

// ---- augmentation ------------------------------------------------------------

Segment augment_segment(const Segment& segment, const AugmentConfig& config, double sample_rate_hz,
                        Rng& rng) {
  const uint64_t base = rng.next_u64();
  auto stream = [base](uint64_t k) { return Rng(mix(base, k)); };
  const std::vector<SensorAxes> sensors = sensors_of(segment.channels);
  Segment out = segment;
  if (config.warp) {
    Rng r = stream(1);
    out = time_warp(out, r.uniform(1 - config.warp_max, 1 + config.warp_max));
  }
  if (config.rotation) {
    Rng r = stream(2);
    for (const SensorAxes& sensor : sensors) rotate_sensor(out, sensor, random_rotation(r));
  }
  if (config.offset) {
    Rng r = stream(3);
    for (const SensorAxes& sensor : sensors) {
      // Uniform direction (normalized normal vector), uniform length.
      std::array<double, 3> v{r.normal(), r.normal(), r.normal()};
      const double norm = std::max(1e-12, std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
      const double length = r.uniform(0, config.offset_max_mg);
      if (sensor.axes == 1) {
        v = {v[0] < 0 ? -length : length, 0, 0};
      } else {
        for (double& x : v) x *= length / norm;
      }
      offset_sensor(out, sensor, v);
    }
  }
  if (config.gain) {
    Rng r = stream(4);
    for (const SensorAxes& sensor : sensors) scale_sensor(out, sensor, log_uniform(r, config.gain_min, config.gain_max));
  }
  if (config.noise) {
    Rng r = stream(5);
    add_noise(out, r.uniform(0, config.noise_max_mg), r);
  }
  if (config.adc) {
    Rng r = stream(6);
    quantize(out, log_uniform(r, config.adc_lsb_min_mg, config.adc_lsb_max_mg));
  }
  if (config.rate) {
    Rng r = stream(7);
    out = simulate_rate(out, sample_rate_hz, log_uniform(r, config.rate_min_hz, config.rate_max_hz));
  }
  if (config.jitter) {
    Rng r = stream(8);
    jitter_labels(out, std::llround(config.jitter_s * sample_rate_hz), r);
  }
  return out;
}

Dataset augment_dataset(const Dataset& dataset, const std::vector<int>& subjects,
                        const AugmentConfig& config, int copies, uint64_t seed) {
  Dataset out;
  out.name = dataset.name + "+augmented";
  out.sample_rate_hz = dataset.sample_rate_hz;
  out.channel_names = dataset.channel_names;
  out.channel_groups = dataset.channel_groups;
  for (int k = 0; k < copies; ++k) {
    for (size_t s = 0; s < dataset.segments.size(); ++s) {
      const Segment& segment = dataset.segments[s];
      if (std::find(subjects.begin(), subjects.end(), segment.subject) == subjects.end()) continue;
      Rng rng(mix(mix(seed, static_cast<uint64_t>(k)), s));
      out.segments.push_back(augment_segment(segment, config, dataset.sample_rate_hz, rng));
    }
  }
  return out;
}

}  // namespace gaitlstm::data
