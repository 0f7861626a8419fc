#include "data/synthetic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>

#include "data/daphnet.h"
#include "util/atomic_file.h"
#include "util/rng.h"

namespace gaitlstm::data {

namespace {

constexpr double kRate = kDaphnetRateHz;
constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr int kSensors = 3;  // ankle, thigh, trunk
constexpr double kUnlabelledSeconds = 3;  // label 0 at both ends of a run

enum class Activity { kStand, kWalk, kTurn, kFreeze };

// What stays fixed for one virtual subject.
struct Gait {
  double cadence_hz;                 // stride-related step rhythm
  double amplitude_mg;               // ankle locomotion amplitude
  std::array<double, 4> harmonic;    // weights of harmonics 1..4
  std::array<double, kSensors> sensor_gain;   // ankle, thigh, trunk
  std::array<std::array<double, 3>, kSensors> axis_phase;  // per sensor and axis
  std::array<std::array<double, 3>, kSensors> gravity;     // tilted gravity vector per sensor [mg]
  double noise_mg;
  double freeze_rate;                // freeze episodes per walking bout
};

Gait make_gait(Rng& rng, bool freezes) {
  Gait g{};
  g.cadence_hz = rng.uniform(0.8, 1.2);
  g.amplitude_mg = rng.uniform(250, 450);
  g.harmonic = {1.0, rng.uniform(0.3, 0.6), rng.uniform(0.1, 0.3), rng.uniform(0.05, 0.15)};
  g.sensor_gain = {1.0, rng.uniform(0.5, 0.7), rng.uniform(0.25, 0.35)};
  for (int s = 0; s < kSensors; ++s) {
    for (int a = 0; a < 3; ++a) g.axis_phase[s][a] = rng.uniform(0, kTwoPi);
    const double tilt = rng.uniform(0.0, 0.25), azimuth = rng.uniform(0, kTwoPi);
    g.gravity[s] = {1000 * std::sin(tilt) * std::cos(azimuth), -1000 * std::cos(tilt),
                    1000 * std::sin(tilt) * std::sin(azimuth)};
  }
  g.noise_mg = rng.uniform(8, 15);
  g.freeze_rate = freezes ? rng.uniform(0.35, 0.6) : 0.0;
  return g;
}

struct Bout {
  Activity activity;
  int64_t samples;
};

// The run's schedule: stand, then walking bouts with turns, stops and freezes.
std::vector<Bout> make_schedule(Rng& rng, const Gait& gait, int64_t total) {
  std::vector<Bout> bouts;
  int64_t used = 0;
  auto add = [&](Activity a, double seconds) {
    const auto n = std::min<int64_t>(static_cast<int64_t>(seconds * kRate), total - used);
    if (n > 0) bouts.push_back({a, n});
    used += std::max<int64_t>(n, 0);
  };
  add(Activity::kStand, rng.uniform(5, 10));
  bool first_bout = true;  // a subject who freezes does so in every run
  // ... even a short one: the first freeze starts at least 2 s before the
  // unlabelled end, so a 30 s run of a freezing subject has label 2.
  const double latest_first_freeze_s = static_cast<double>(total) / kRate - kUnlabelledSeconds - 2;
  while (used < total) {
    double walk_s = rng.uniform(8, 30);
    if (first_bout && gait.freeze_rate > 0)
      walk_s = std::max(1.0, std::min(walk_s, latest_first_freeze_s - static_cast<double>(used) / kRate));
    add(Activity::kWalk, walk_s);
    const bool freeze = gait.freeze_rate > 0 && (first_bout || rng.bernoulli(gait.freeze_rate));
    first_bout = false;
    if (freeze) {
      add(Activity::kFreeze, rng.uniform(2, 20));
      add(Activity::kWalk, rng.uniform(3, 8));
    }
    add(Activity::kTurn, rng.uniform(2, 5));
    if (rng.bernoulli(0.3)) add(Activity::kStand, rng.uniform(2, 8));
  }
  return bouts;
}

// Smoothly varying drive of the oscillators (targets per activity).
struct Drive {
  double locomotion = 0;  // share of the gait amplitude
  double cadence = 1;     // multiple of the subject's cadence
  double lateral = 0.3;   // lateral share
  double tremble = 0;     // trembling amplitude [mg at the ankle]
};

Drive target_drive(Activity activity, bool festinating, double tremble_mg) {
  switch (activity) {
    case Activity::kStand: return {0.0, 1.0, 0.3, 0.0};
    case Activity::kTurn: return {0.7, 1.15, 0.8, 0.0};
    case Activity::kFreeze: return {0.12, 1.0, 0.3, tremble_mg};
    case Activity::kWalk: break;
  }
  return festinating ? Drive{0.6, 1.35, 0.3, 0.0} : Drive{1.0, 1.0, 0.3, 0.0};
}

}  // namespace

std::string synthesize_daphnet_recording(const SyntheticConfig& config, int subject, int run) {
  if (subject < 1 || subject > 99 || run < 1 || run > 99) throw std::invalid_argument("subject and run must be 1..99");
  const bool freezes = subject <= config.subjects - config.subjects_without_freeze;
  Rng subject_rng(config.seed * 1000003ULL + static_cast<uint64_t>(subject));
  const Gait gait = make_gait(subject_rng, freezes);
  Rng rng(config.seed * 1000003ULL + static_cast<uint64_t>(subject) * 101 + static_cast<uint64_t>(run) + 7777);

  const auto total = static_cast<int64_t>(config.minutes_per_run * 60 * kRate);
  const std::vector<Bout> schedule = make_schedule(rng, gait, total);
  const auto outside = static_cast<int64_t>(kUnlabelledSeconds * kRate);
  // Every other run loses two seconds in the middle: a gap in the time column.
  const bool has_gap = (subject + run) % 2 == 0;
  const int64_t gap_begin = total / 2, gap_end = gap_begin + static_cast<int64_t>(2 * kRate);

  std::string text;
  text.reserve(static_cast<size_t>(total) * 40);
  Drive drive;
  double phase = 0, tremble_phase = 0, tremble_hz = 5;
  const double smoothing = 1 - std::exp(-1 / (0.3 * kRate));  // 0.3 s time constant
  int64_t t = 0;
  for (size_t b = 0; b < schedule.size(); ++b) {
    const Bout& bout = schedule[b];
    const bool before_freeze = b + 1 < schedule.size() && schedule[b + 1].activity == Activity::kFreeze;
    const double tremble_mg = rng.uniform(80, 200);
    if (bout.activity == Activity::kFreeze) tremble_hz = rng.uniform(4, 7);
    for (int64_t i = 0; i < bout.samples; ++i, ++t) {
      const bool festinating = before_freeze && bout.samples - i < static_cast<int64_t>(2 * kRate);
      const Drive target = target_drive(bout.activity, festinating, tremble_mg);
      drive.locomotion += smoothing * (target.locomotion - drive.locomotion);
      drive.cadence += smoothing * (target.cadence - drive.cadence);
      drive.lateral += smoothing * (target.lateral - drive.lateral);
      drive.tremble += 3 * smoothing * (target.tremble - drive.tremble);  // trembling sets in fast
      phase += kTwoPi * gait.cadence_hz * drive.cadence / kRate;
      tremble_phase += kTwoPi * (tremble_hz + 0.5 * std::sin(0.7 * t / kRate)) / kRate;
      if (has_gap && t >= gap_begin && t < gap_end) continue;

      int label = bout.activity == Activity::kFreeze ? 2 : 1;
      if (t < outside || t >= total - outside) label = 0;
      const auto time_ms = static_cast<int64_t>(std::llround(t * 1000.0 / kRate));
      text += std::to_string(time_ms);
      for (int s = 0; s < kSensors; ++s) {
        for (int a = 0; a < 3; ++a) {
          double gait_wave = 0;
          for (int h = 0; h < 4; ++h) gait_wave += gait.harmonic[h] * std::sin((h + 1) * (phase + gait.axis_phase[s][a]));
          const double axis_share = a == 2 ? drive.lateral : (a == 1 ? 0.8 : 1.0);
          const double value = gait.gravity[s][a] +
                               gait.amplitude_mg * gait.sensor_gain[s] * drive.locomotion * axis_share * gait_wave +
                               drive.tremble * gait.sensor_gain[s] * gait.sensor_gain[s] * (a == 2 ? 0.3 : 1.0) *
                                   std::sin(tremble_phase + gait.axis_phase[s][a]) +
                               rng.normal(0, gait.noise_mg);
          text += ' ';
          text += std::to_string(std::llround(value));
        }
      }
      text += ' ';
      text += std::to_string(label);
      text += '\n';
    }
  }
  return text;
}

std::vector<std::string> write_synthetic_dataset(const std::string& dir, const SyntheticConfig& config) {
  if (config.subjects < 2 || config.subjects > 99) throw std::invalid_argument("synthetic subjects must be 2..99");
  if (config.subjects_without_freeze < 0 || config.subjects_without_freeze > config.subjects - 2)
    throw std::invalid_argument("at least two synthetic subjects must have freezes");
  if (config.runs_per_subject < 1 || config.minutes_per_run < 0.5)
    throw std::invalid_argument("synthetic runs need at least one run of 0.5 min");
  std::filesystem::create_directories(dir);
  std::vector<std::string> written;
  for (int subject = 1; subject <= config.subjects; ++subject) {
    for (int run = 1; run <= config.runs_per_subject; ++run) {
      const std::string path = (std::filesystem::path(dir) / fmt::format("S{:02d}R{:02d}.txt", subject, run)).string();
      write_file_atomic(path, synthesize_daphnet_recording(config, subject, run));
      written.push_back(path);
    }
  }
  return written;
}

}  // namespace gaitlstm::data
