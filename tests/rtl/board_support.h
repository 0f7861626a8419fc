// Helpers of the board tests: a small random detector, formats, a slow clock.
#pragma once

#include "model/detector.h"
#include "quant/golden.h"
#include "rtl/board.h"
#include "util/rng.h"

namespace gaitlstm::rtl {

// An untrained three-axis ankle detector with random weights.
inline model::Detector ankle_detector(uint64_t seed) {
  model::Detector d;
  d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
  d.frontend.axes_per_sensor = 3;
  d.frontend.baseline_shift = 3;
  model::design_filters(d.frontend);
  for (int i = 0; i < d.frontend.features(); ++i) {
    d.frontend.feature_mean.push_back(i % 2 ? 0.0 : 10.0);
    d.frontend.feature_std.push_back(2.0);
  }
  d.history_steps = 4;
  d.lstm = model::LstmParams<float>({d.frontend.features(), 3});
  Rng rng(seed);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1.2, 1.2));
  d.threshold = 0.5;
  return d;
}

inline quant::QuantConfig with_sample(quant::QFormat sample) {
  quant::QuantConfig q;
  q.frontend.sample = sample;
  return q;
}

// A board clock low enough for fast simulation: 4096 cycles per 64 Hz sample.
inline BoardConfig test_board() {
  BoardConfig c;
  c.clock_hz = 64.0 * 4096;
  c.uart_baud = static_cast<int>(c.clock_hz / 8);
  return c;
}

}  // namespace gaitlstm::rtl
