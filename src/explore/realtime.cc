#include "explore/realtime.h"

#include <stdexcept>
#include <string>

namespace gaitlstm::explore {

RealTimeSpec realtime_spec(double sensor_hz, int stride, const std::string& mode, double seconds) {
  RealTimeSpec spec;
  spec.sensor_hz = sensor_hz;
  spec.stride = stride;
  if (mode == "decision") {
    spec.deadline_s = spec.decision_period_s();
  } else if (mode == "sample") {
    spec.deadline_s = spec.sample_period_s();
  } else if (mode == "seconds") {
    spec.deadline_s = seconds;
  } else {
    throw std::invalid_argument("unknown deadline mode '" + mode + "'");
  }
  return spec;
}

double power_at(const MeasuredPower& measured, double clock_mhz) {
  if (measured.clock_mhz <= 0) return measured.leakage_w;
  return measured.dynamic_w * clock_mhz / measured.clock_mhz + measured.leakage_w;
}

RealTimeFigures evaluate_realtime(const RealTimeSpec& spec, int64_t cycles_per_decision, double clock_mhz,
                                  const MeasuredPower* power) {
  RealTimeFigures f;
  f.cycles_per_decision = cycles_per_decision;
  f.clock_mhz = clock_mhz;
  f.deadline_s = spec.deadline_s;
  if (clock_mhz > 0 && cycles_per_decision > 0) {
    f.latency_s = static_cast<double>(cycles_per_decision) / (clock_mhz * 1e6);
    f.margin = spec.deadline_s / f.latency_s;
    f.streaming_margin = spec.sample_period_s() / f.latency_s;
    f.meets_deadline = f.latency_s <= spec.deadline_s;
  }
  f.min_clock_mhz = static_cast<double>(cycles_per_decision) / spec.deadline_s / 1e6;
  if (power && power->clock_mhz > 0) {
    f.has_power = true;
    f.power_at_clock_w = power_at(*power, clock_mhz);
    f.power_at_min_clock_w = power_at(*power, f.min_clock_mhz);
    const int64_t active = power->activity_cycles_per_decision > 0 ? power->activity_cycles_per_decision
                                                                   : cycles_per_decision;
    f.dynamic_energy_per_decision_j = power->dynamic_w / (power->clock_mhz * 1e6) * static_cast<double>(active);
    f.energy_per_decision_j = f.dynamic_energy_per_decision_j + power->leakage_w * spec.decision_period_s();
  }
  return f;
}

nlohmann::json to_json(const RealTimeFigures& f) {
  nlohmann::json j = {{"cycles_per_decision", f.cycles_per_decision},
                      {"clock_mhz", f.clock_mhz},
                      {"latency_s", f.latency_s},
                      {"deadline_s", f.deadline_s},
                      {"margin", f.margin},
                      {"streaming_margin", f.streaming_margin},
                      {"meets_deadline", f.meets_deadline},
                      {"min_clock_mhz", f.min_clock_mhz},
                      {"has_power", f.has_power}};
  if (f.has_power) {
    j["power_at_clock_w"] = f.power_at_clock_w;
    j["power_at_min_clock_w"] = f.power_at_min_clock_w;
    j["dynamic_energy_per_decision_j"] = f.dynamic_energy_per_decision_j;
    j["energy_per_decision_j"] = f.energy_per_decision_j;
  }
  return j;
}

}  // namespace gaitlstm::explore
