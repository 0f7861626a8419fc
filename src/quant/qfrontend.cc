#include "quant/qfrontend.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::quant {

int exact_log2(int64_t value) {
  if (value <= 0 || (value & (value - 1)) != 0)
    throw std::invalid_argument(fmt::format("{} is not a power of two", value));
  return std::countr_zero(static_cast<uint64_t>(value));
}

QuantizedFrontEnd::QuantizedFrontEnd(const model::FrontEndConfig& config, const FrontEndFormats& formats,
                                     const QFormat& feature)
    : config_(config), formats_(formats), feature_(feature) {
  for (const QFormat* f : {&formats.sample, &formats.coefficient, &formats.state, &formats.energy,
                           &formats.log_energy, &formats.inv_std, &feature})
    validate(*f);
  decimation_log2_ = exact_log2(config.decimation);
  // Products must fit int64 with room for the sums (filter taps, D x axes squares).
  if (formats.coefficient.bits + std::max(formats.state.bits, formats.sample.bits) > 58 ||
      2 * formats.state.bits + decimation_log2_ + 2 > 62)
    throw std::invalid_argument("front-end formats too wide for exact 64-bit arithmetic");
  if (formats.energy.bits + config.energy_smoothing_shift > 62)
    throw std::invalid_argument("energy format too wide for the smoothing shift in 64-bit arithmetic");
  // log2approx(E + 1) needs the unit 1 in both formats.
  if (formats.energy.frac < 0 || formats.log_energy.frac < 0)
    throw std::invalid_argument("energy and log-energy formats need >= 0 fraction bits");
  if (config.filters.size() != config.bands.size())
    throw std::invalid_argument("front-end filters are not designed (one pair per band)");
  if (static_cast<int>(config.feature_mean.size()) != config.features() ||
      static_cast<int>(config.feature_std.size()) != config.features())
    throw std::invalid_argument("front-end normalization does not match its feature count");
  for (const auto& pair : config.filters) {
    std::array<std::array<int64_t, 5>, 2> raw{};
    for (int section = 0; section < 2; ++section) {
      const auto& q = pair[section].coefficients;
      for (int c = 0; c < 5; ++c) raw[section][c] = quantize(q[c], formats.coefficient);
      // A high-pass numerator sums to zero (no DC); keep it exactly so, or
      // gravity (~1000 mg) would leak through the rounded coefficients.
      if (std::abs(q[0] + q[1] + q[2]) < 1e-12) raw[section][1] = -(raw[section][0] + raw[section][2]);
    }
    coefficients_.push_back(raw);
  }
  for (int i = 0; i < config.features(); ++i) {
    mean_.push_back(quantize(config.feature_mean[static_cast<size_t>(i)], formats.log_energy));
    inv_std_.push_back(quantize(1.0 / config.feature_std[static_cast<size_t>(i)], formats.inv_std));
  }
}

// Direct form I section; `delay` holds [u1, u2, v1, v2] at `offset`.
int64_t QuantizedFrontEnd::biquad(int band, int section, int64_t u, int u_frac, std::array<int64_t, 8>& delay,
                                  int offset) const {
  const auto& c = coefficients_[static_cast<size_t>(band)][static_cast<size_t>(section)];
  const int cf = formats_.coefficient.frac, sf = formats_.state.frac;
  const int acc_frac = std::max(cf + u_frac, cf + sf);
  const int u_shift = acc_frac - cf - u_frac, v_shift = acc_frac - cf - sf;
  int64_t* d = delay.data() + offset;
  const int64_t feed_forward = c[0] * u + c[1] * d[0] + c[2] * d[1];
  const int64_t feedback = c[3] * d[2] + c[4] * d[3];
  const int64_t acc = (feed_forward << u_shift) - (feedback << v_shift);
  const int64_t v = requantize(acc, acc_frac, formats_.state);
  d[1] = d[0];
  d[0] = u;
  d[3] = d[2];
  d[2] = v;
  return v;
}

int64_t QuantizedFrontEnd::log2_approx(int64_t value, int frac) const {
  const int lf = formats_.log_energy.frac;
  const int64_t v = std::max<int64_t>(value, 0) + (int64_t{1} << frac);  // S + 1, >= 2^frac
  const int msb = 63 - std::countl_zero(static_cast<uint64_t>(v));
  const int64_t below = v - (int64_t{1} << msb);  // mantissa bits under the leading one
  const int64_t mantissa = msb >= lf ? below >> (msb - lf) : below << (lf - msb);
  return fit((static_cast<int64_t>(msb - frac) << lf) + mantissa, formats_.log_energy);
}

int64_t QuantizedFrontEnd::normalize(int feature, int64_t value) const {
  const int64_t centred = value - mean_[static_cast<size_t>(feature)];
  return requantize(centred * inv_std_[static_cast<size_t>(feature)], formats_.log_energy.frac + formats_.inv_std.frac,
                    feature_);
}

QuantizedFrontEnd::Stream::Stream(const QuantizedFrontEnd& frontend) : fe_(frontend) {
  const size_t bands = fe_.config_.bands.size();
  delay_.assign(static_cast<size_t>(fe_.config_.channels()) * bands, {});
  energy_acc_.assign(static_cast<size_t>(fe_.config_.sensors()) * bands, 0);
  baseline_.assign(energy_acc_.size(), 0);
  smoothed_.assign(energy_acc_.size(), 0);
}

bool QuantizedFrontEnd::Stream::push(const int64_t* sample, int64_t* features) {
  const auto& config = fe_.config_;
  const int bands = static_cast<int>(config.bands.size());
  const int sf = fe_.formats_.state.frac;
  for (int ch = 0; ch < config.channels(); ++ch) {
    const int64_t x = fit(sample[ch], fe_.formats_.sample);
    const int sensor = ch / config.axes_per_sensor;
    for (int k = 0; k < bands; ++k) {
      auto& delay = delay_[static_cast<size_t>(ch * bands + k)];
      const int64_t high = fe_.biquad(k, 0, x, fe_.formats_.sample.frac, delay, 0);
      const int64_t y = fe_.biquad(k, 1, high, sf, delay, 4);
      energy_acc_[static_cast<size_t>(sensor * bands + k)] += y * y;
    }
  }
  if (++in_block_ < config.decimation) return false;
  in_block_ = 0;

  const int per_sensor = config.features_per_sensor();
  const int s = config.baseline_shift, t = config.energy_smoothing_shift;
  const int lf = fe_.formats_.log_energy.frac;
  // Feature offsets inside a sensor's group: L_k, then R_k, then Q_k (k >= 1).
  const int relative_offset = config.has_levels() ? bands : 0;
  const int ratio_offset = relative_offset + (config.has_relative_levels() ? bands : 0) - 1;
  for (int sensor = 0; sensor < config.sensors(); ++sensor) {
    int64_t level0 = 0;
    for (int k = 0; k < bands; ++k) {
      const size_t slot = static_cast<size_t>(sensor * bands + k);
      int64_t& acc = energy_acc_[slot];
      const int64_t energy = requantize(acc, 2 * sf + fe_.decimation_log2_, fe_.formats_.energy);
      acc = 0;
      // S: the smoothed energy with t extra fraction bits (S = E for t = 0).
      int64_t& smoothed = smoothed_[slot];
      const int64_t energy_wide = std::max<int64_t>(energy, 0) << t;
      smoothed = first_step_ ? energy_wide : smoothed + shift_round(energy_wide - smoothed, t, Rounding::kTruncate);
      const int64_t level = fe_.log2_approx(smoothed, fe_.formats_.energy.frac + t);
      const int base = sensor * per_sensor;
      if (config.has_levels()) features[base + k] = fe_.normalize(base + k, level);
      if (config.has_relative_levels()) {
        int64_t& baseline = baseline_[slot];
        const int64_t level_wide = level << s;
        baseline = first_step_ ? level_wide : baseline + shift_round(level_wide - baseline, s, Rounding::kTruncate);
        const int64_t relative = requantize(level_wide - baseline, lf + s, fe_.formats_.log_energy);
        features[base + relative_offset + k] = fe_.normalize(base + relative_offset + k, relative);
      }
      if (k == 0) level0 = level;
      if (config.has_ratios() && k > 0)
        features[base + ratio_offset + k] = fe_.normalize(base + ratio_offset + k, fit(level - level0, fe_.formats_.log_energy));
    }
  }
  first_step_ = false;
  return true;
}

std::vector<int64_t> QuantizedFrontEnd::run_segment(const data::Segment& segment, const std::vector<int>& columns) const {
  Stream stream(*this);
  const int f = features();
  std::vector<int64_t> out(static_cast<size_t>(segment.samples() / config_.decimation * f));
  std::vector<int64_t> sample(columns.size());
  int64_t step = 0;
  for (int64_t t = 0; t < segment.samples(); ++t) {
    for (size_t c = 0; c < columns.size(); ++c) sample[c] = quantize(segment.at(t, columns[c]), formats_.sample);
    if (stream.push(sample.data(), out.data() + step * f)) ++step;
  }
  return out;
}

nlohmann::json to_json(const FrontEndFormats& f) {
  return {{"sample", to_json(f.sample)},       {"coefficient", to_json(f.coefficient)},
          {"state", to_json(f.state)},         {"energy", to_json(f.energy)},
          {"log_energy", to_json(f.log_energy)}, {"inv_std", to_json(f.inv_std)}};
}

FrontEndFormats frontend_formats_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("front-end formats must be a JSON object");
  FrontEndFormats f;
  const std::pair<const char*, QFormat*> tensors[] = {{"sample", &f.sample}, {"coefficient", &f.coefficient},
                                                      {"state", &f.state},   {"energy", &f.energy},
                                                      {"log_energy", &f.log_energy}, {"inv_std", &f.inv_std}};
  for (const auto& [key, _] : json.items())
    // [&name = key]: clang 14 (the fuzz build) cannot capture a structured binding.
    if (std::none_of(std::begin(tensors), std::end(tensors), [&name = key](const auto& t) { return name == t.first; }))
      throw std::invalid_argument("unknown front-end tensor '" + key + "'");
  for (const auto& [name, format] : tensors) {
    if (!json.contains(name)) throw std::invalid_argument(fmt::format("missing format of front-end tensor '{}'", name));
    try {
      *format = format_from_json(json[name]);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("front-end tensor '{}': {}", name, e.what()));
    }
  }
  return f;
}

}  // namespace gaitlstm::quant
