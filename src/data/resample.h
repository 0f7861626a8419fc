// Sample-rate conversion of segments, so e.g. 128 Hz recordings feed a
// 64 Hz model.  Polyphase rational resampler: up by L, low-pass, down by M,
// computing only the outputs that are kept.  The anti-alias filter is a
// Kaiser-windowed sinc (beta 8.6, about 80 dB stop-band) with its cut-off at
// 0.45 x the lower of the two rates, i.e. 90 % of the lower Nyquist band.
// Offline and zero-phase: it stands in for the sensor's own analog
// anti-alias filter, so it is part of loading, not of the causal model.
#pragma once

#include <vector>

#include "data/dataset.h"

namespace gaitlstm::data {

class Resampler {
 public:
  // Throws std::invalid_argument if the ratio is not a fraction L/M with
  // L, M <= 1000 (after reducing rates given to 1 mHz).
  Resampler(double from_hz, double to_hz);

  int up() const { return up_; }
  int down() const { return down_; }
  const std::vector<double>& taps() const { return taps_; }

  // Resamples every channel; a label is taken from the nearest input sample.
  // Segment edges are extended by holding the first/last sample.
  Segment apply(const Segment& input) const;
  // One channel (contiguous samples).
  std::vector<double> apply(const std::vector<double>& input) const;
  int64_t output_length(int64_t input_length) const;

 private:
  int up_ = 1;
  int down_ = 1;
  int half_ = 0;              // taps_ has 2 * half_ + 1 entries, centred
  std::vector<double> taps_;  // at the up-sampled rate, gain `up_` folded in
};

}  // namespace gaitlstm::data
