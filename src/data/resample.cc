#include "data/resample.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::data {

namespace {

constexpr double kKaiserBeta = 8.6;
constexpr int kZeroCrossings = 16;  // filter half-length in input periods of the lower rate
constexpr double kCutoffShare = 0.9;  // of the lower Nyquist frequency

// Modified Bessel function of the first kind, order 0 (power series).
double bessel_i0(double x) {
  double sum = 1, term = 1;
  for (int k = 1; k < 50; ++k) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < 1e-16 * sum) break;
  }
  return sum;
}

// Rounds towards +infinity; b > 0, a of either sign.
int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

double sinc(double x) { return x == 0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x); }

}  // namespace

Resampler::Resampler(double from_hz, double to_hz) {
  if (!(from_hz > 0) || !(to_hz > 0))
    throw std::invalid_argument(fmt::format("cannot resample from {:g} Hz to {:g} Hz", from_hz, to_hz));
  const auto from_mhz = std::llround(from_hz * 1000), to_mhz = std::llround(to_hz * 1000);
  const long long g = std::gcd(from_mhz, to_mhz);
  if (to_mhz / g > 1000 || from_mhz / g > 1000)
    throw std::invalid_argument(fmt::format("resampling {:g} Hz -> {:g} Hz needs a ratio with terms over 1000", from_hz, to_hz));
  up_ = static_cast<int>(to_mhz / g);
  down_ = static_cast<int>(from_mhz / g);

  // Design at the up-sampled rate: cut-off as a fraction of its Nyquist band.
  const int factor = std::max(up_, down_);
  const double cutoff = kCutoffShare / factor;
  half_ = kZeroCrossings * factor;
  taps_.resize(static_cast<size_t>(2 * half_ + 1));
  for (int k = -half_; k <= half_; ++k) {
    const double r = static_cast<double>(k) / half_;
    const double window = bessel_i0(kKaiserBeta * std::sqrt(std::max(0.0, 1 - r * r))) / bessel_i0(kKaiserBeta);
    taps_[static_cast<size_t>(k + half_)] = cutoff * sinc(cutoff * k) * window;
  }
  // Unity gain at DC for every polyphase branch: each output sums every up_-th tap.
  const double sum = std::accumulate(taps_.begin(), taps_.end(), 0.0);
  for (double& tap : taps_) tap *= up_ / sum;
}

int64_t Resampler::output_length(int64_t n) const {
  return n <= 0 ? 0 : (n - 1) * up_ / down_ + 1;
}

std::vector<double> Resampler::apply(const std::vector<double>& x) const {
  if (up_ == down_) return x;
  const auto n = static_cast<int64_t>(x.size());
  std::vector<double> y(static_cast<size_t>(output_length(n)));
  for (int64_t m = 0; m < static_cast<int64_t>(y.size()); ++m) {
    // Output m sits at position p = m * down on the up-sampled grid; input j
    // sits at j * up.  Sum x[j] * h(p - j * up) over taps within +-half_.
    const int64_t p = m * down_;
    const int64_t j_first = ceil_div(p - half_, up_);
    double acc = 0;
    for (int64_t j = j_first; j * up_ <= p + half_; ++j) {
      const double sample = x[static_cast<size_t>(std::clamp<int64_t>(j, 0, n - 1))];
      acc += sample * taps_[static_cast<size_t>(p - j * up_ + half_)];
    }
    y[static_cast<size_t>(m)] = acc;
  }
  return y;
}

Segment Resampler::apply(const Segment& input) const {
  if (up_ == down_) return input;
  Segment out = input.without_samples();
  const int64_t n_in = input.samples();
  const int64_t n_out = output_length(n_in);
  out.values.assign(static_cast<size_t>(n_out * input.channels), 0.0f);
  out.freeze.resize(static_cast<size_t>(n_out));
  std::vector<double> channel(static_cast<size_t>(n_in));
  for (int c = 0; c < input.channels; ++c) {
    for (int64_t t = 0; t < n_in; ++t) channel[static_cast<size_t>(t)] = input.at(t, c);
    const std::vector<double> resampled = apply(channel);
    for (int64_t t = 0; t < n_out; ++t)
      out.values[static_cast<size_t>(t * input.channels + c)] = static_cast<float>(resampled[static_cast<size_t>(t)]);
  }
  for (int64_t m = 0; m < n_out; ++m) {
    const int64_t nearest = std::min<int64_t>(n_in - 1, (2 * m * down_ + up_) / (2 * up_));
    out.freeze[static_cast<size_t>(m)] = input.freeze[static_cast<size_t>(nearest)];
  }
  return out;
}

}  // namespace gaitlstm::data
