// The real-time requirement model: does a design keep up with the sensors,
// by how much, and what does it cost at the slowest clock that still does?
//
//   decision period   P = stride / sensor_hz            (0.5 s at 64 Hz, stride 32)
//   deadline          D = P ("decision": ready before the next decision),
//                         1 / sensor_hz ("sample": strict streaming, every
//                         sample absorbed before the next arrives, 15.6 ms),
//                         or a given number of seconds
//   latency           L = N / f_clk   (N = cycles per decision, f_clk = the
//                                      clock the design meets: STA f_max)
//   margin            M = D / L       ("M x faster than required")
//   lowest clock      f_min = N / D
//   power at f        P(f) = P_dyn(f0) * f / f0 + P_leak     (dynamic power
//                     scales with f at the same activity per cycle; leakage
//                     does not)
//   energy/decision   E = P_dyn(f0) / f0 * N_act + P_leak * P
//                     (N_act = clock cycles the measured activity covers per
//                     decision; the dynamic energy of a decision does not
//                     depend on the clock, leakage burns for the whole period)
// At f_min with D = P the chip is busy all the time and E = P(f_min) * P.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace gaitlstm::explore {

struct RealTimeSpec {
  double sensor_hz = 64;
  int stride = 32;
  double deadline_s = 0.5;
  double decision_period_s() const { return stride / sensor_hz; }
  double sample_period_s() const { return 1.0 / sensor_hz; }
};

// The spec for a config's mode: "decision", "sample" or "seconds".
RealTimeSpec realtime_spec(double sensor_hz, int stride, const std::string& mode, double seconds);

// Power measured by OpenSTA at one clock.
struct MeasuredPower {
  double clock_mhz = 0;
  double dynamic_w = 0, leakage_w = 0;
  int64_t activity_cycles_per_decision = 0;  // N_act (0 = use the design's cycles)
};

struct RealTimeFigures {
  int64_t cycles_per_decision = 0;
  double clock_mhz = 0;            // the clock the design meets
  double latency_s = 0;
  double deadline_s = 0;
  double margin = 0;               // deadline / latency
  double streaming_margin = 0;     // (1 / sensor_hz) / latency
  bool meets_deadline = false;
  double min_clock_mhz = 0;        // lowest clock meeting the deadline
  bool has_power = false;
  double power_at_clock_w = 0;     // P(clock_mhz)
  double power_at_min_clock_w = 0; // P(min_clock_mhz)
  double dynamic_energy_per_decision_j = 0;
  double energy_per_decision_j = 0;
};

// Power at another clock from a measurement: dynamic scales, leakage stays.
double power_at(const MeasuredPower& measured, double clock_mhz);

RealTimeFigures evaluate_realtime(const RealTimeSpec& spec, int64_t cycles_per_decision, double clock_mhz,
                                  const MeasuredPower* power);

nlohmann::json to_json(const RealTimeFigures& figures);

}  // namespace gaitlstm::explore
