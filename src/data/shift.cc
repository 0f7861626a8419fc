#include "data/shift.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "data/augment.h"
#include "util/rng.h"

namespace gaitlstm::data {
namespace {

struct KindName {
  ShiftKind kind;
  const char* name;
  bool needs_parameter;
  double default_parameter;
};

constexpr KindName kKinds[] = {
    {ShiftKind::kNone, "none", false, 0},     {ShiftKind::kRotation, "rotation", false, 0},
    {ShiftKind::kGain, "gain", true, 0},      {ShiftKind::kOffset, "offset", false, 200},
    {ShiftKind::kRate, "rate", true, 0},      {ShiftKind::kNoise, "noise", false, 20},
    {ShiftKind::kAdc, "adc", false, 16},      {ShiftKind::kWarp, "warp", true, 0},
};

const KindName& kind_name(ShiftKind kind) {
  for (const KindName& k : kKinds)
    if (k.kind == kind) return k;
  throw std::logic_error("unknown shift kind");
}

constexpr const char* kValidForms =
    "all, or a comma list of none, rotation, gain:G, offset[:MG], rate:HZ, noise[:MG], adc[:MG], warp:F";

Shift parse_shift(const std::string& entry, const std::string& text) {
  const size_t colon = entry.find(':');
  const std::string name = entry.substr(0, colon);
  for (const KindName& k : kKinds) {
    if (name != k.name) continue;
    Shift shift{k.kind, k.default_parameter};
    if (colon == std::string::npos) {
      if (k.needs_parameter)
        throw std::invalid_argument(fmt::format("shift '{}' in '{}' needs a value, e.g. {}:2 ({})", entry, text, name, kValidForms));
      return shift;
    }
    if (k.kind == ShiftKind::kNone || k.kind == ShiftKind::kRotation)
      throw std::invalid_argument(fmt::format("shift '{}' in '{}' takes no value ({})", entry, text, kValidForms));
    const std::string value = entry.substr(colon + 1);
    size_t used = 0;
    try {
      shift.parameter = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size() || !(shift.parameter > 0) || !std::isfinite(shift.parameter))
      throw std::invalid_argument(fmt::format("shift '{}' in '{}': '{}' is not a positive number", entry, text, value));
    return shift;
  }
  throw std::invalid_argument(fmt::format("shift '{}' in '{}' is unknown ({})", entry, text, kValidForms));
}

uint64_t mix(uint64_t seed, uint64_t index) {
  Rng rng(seed ^ (index * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL));
  return rng.next_u64();
}

}  // namespace

std::string Shift::name() const {
  const KindName& k = kind_name(kind);
  if (kind == ShiftKind::kNone || kind == ShiftKind::kRotation) return k.name;
  return fmt::format("{}:{}", k.name, parameter);
}

const std::vector<Shift>& standard_shifts() {
  static const std::vector<Shift> shifts = {
      {ShiftKind::kRotation, 0}, {ShiftKind::kGain, 0.5}, {ShiftKind::kGain, 2},   {ShiftKind::kRate, 128},
      {ShiftKind::kRate, 100},   {ShiftKind::kNoise, 20}, {ShiftKind::kWarp, 0.8}, {ShiftKind::kWarp, 1.2}};
  return shifts;
}

std::vector<Shift> parse_shifts(const std::string& text) {
  if (text == "all") return standard_shifts();
  std::vector<Shift> shifts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const Shift shift = parse_shift(text.substr(start, comma - start), text);
    for (const Shift& earlier : shifts) {
      if (earlier.name() == shift.name())
        throw std::invalid_argument(fmt::format("shift '{}' is listed twice in '{}'", shift.name(), text));
    }
    shifts.push_back(shift);
    start = comma + 1;
  }
  return shifts;
}

Segment apply_shift(const Segment& segment, const Shift& shift, double sample_rate_hz, uint64_t seed) {
  Rng rng(seed);
  Segment out = segment;
  switch (shift.kind) {
    case ShiftKind::kNone:
      break;
    case ShiftKind::kRotation:
      for (const SensorAxes& sensor : sensors_of(out.channels)) rotate_sensor(out, sensor, random_rotation(rng));
      break;
    case ShiftKind::kGain:
      for (const SensorAxes& sensor : sensors_of(out.channels)) scale_sensor(out, sensor, shift.parameter);
      break;
    case ShiftKind::kOffset:
      for (const SensorAxes& sensor : sensors_of(out.channels)) {
        std::array<double, 3> v{rng.normal(), rng.normal(), rng.normal()};
        const double norm = std::max(1e-12, std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
        for (double& x : v) x *= shift.parameter / norm;
        if (sensor.axes == 1) v[0] = v[0] < 0 ? -shift.parameter : shift.parameter;
        offset_sensor(out, sensor, v);
      }
      break;
    case ShiftKind::kRate:
      out = simulate_rate(out, sample_rate_hz, shift.parameter);
      break;
    case ShiftKind::kNoise:
      add_noise(out, shift.parameter, rng);
      break;
    case ShiftKind::kAdc:
      quantize(out, shift.parameter);
      break;
    case ShiftKind::kWarp:
      out = time_warp(out, shift.parameter);
      break;
  }
  return out;
}

Dataset apply_shift(const Dataset& dataset, const std::vector<int>& subjects, const Shift& shift,
                    uint64_t seed) {
  Dataset out = dataset;
  out.segments.clear();
  out.sources.clear();
  for (size_t s = 0; s < dataset.segments.size(); ++s) {
    const Segment& segment = dataset.segments[s];
    if (std::find(subjects.begin(), subjects.end(), segment.subject) == subjects.end()) continue;
    out.segments.push_back(apply_shift(segment, shift, dataset.sample_rate_hz, mix(seed, s)));
  }
  return out;
}

Dataset with_shifted_copies(const Dataset& dataset, const std::vector<Shift>& shifts, uint64_t seed) {
  Dataset out = dataset;
  out.segments.clear();
  out.segments.reserve(dataset.segments.size() * (shifts.size() + 1));
  for (size_t s = 0; s < dataset.segments.size(); ++s) {
    out.segments.push_back(dataset.segments[s]);
    for (size_t k = 0; k < shifts.size(); ++k)
      out.segments.push_back(apply_shift(dataset.segments[s], shifts[k], dataset.sample_rate_hz, mix(mix(seed, k), s)));
  }
  return out;
}

}  // namespace gaitlstm::data
