#include "model/freeze_index.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/metrics.h"
#include "util/parallel.h"

namespace gaitlstm::model {
namespace {

constexpr double kGatedScore = -1e3;  // below any log freeze index

struct BandPowers {
  double locomotion = 0;
  double freeze = 0;
};

// Power of the DFT bins inside both bands for samples [end - W, end) of one channel.
BandPowers band_powers(const FreezeIndexConfig& config, const data::Segment& segment,
                       int64_t end, int channel, double sample_rate_hz) {
  const int64_t width = std::min<int64_t>(config.window, end);
  std::vector<double> x(width);
  double mean = 0;
  for (int64_t n = 0; n < width; ++n) mean += x[n] = segment.at(end - width + n, channel);
  mean /= static_cast<double>(width);
  for (double& v : x) v -= mean;
  BandPowers powers;
  const double resolution = sample_rate_hz / static_cast<double>(width);
  const int last_bin = static_cast<int>(std::ceil(config.freeze_high_hz / resolution));
  for (int k = 1; k <= last_bin; ++k) {
    const double f = k * resolution;
    const bool locomotion = f >= config.locomotion_low_hz && f < config.locomotion_high_hz;
    const bool freeze = f >= config.freeze_low_hz && f < config.freeze_high_hz;
    if (!locomotion && !freeze) continue;
    double re = 0, im = 0;
    const double w = 2 * std::numbers::pi * k / static_cast<double>(width);
    for (int64_t n = 0; n < width; ++n) {
      re += x[n] * std::cos(w * static_cast<double>(n));
      im -= x[n] * std::sin(w * static_cast<double>(n));
    }
    const double power = (re * re + im * im) / static_cast<double>(width);
    (locomotion ? powers.locomotion : powers.freeze) += power;
  }
  return powers;
}

}  // namespace

FreezeIndexFeatures freeze_index_features(const FreezeIndexConfig& config,
                                          const data::Dataset& dataset,
                                          const std::vector<data::Decision>& decisions,
                                          const std::vector<int>& channels, int threads) {
  FreezeIndexFeatures features;
  features.log_freeze_index.resize(decisions.size());
  features.power.resize(decisions.size());
  parallel_chunks(threads, static_cast<int>(decisions.size()), [&](int, int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const data::Decision& decision = decisions[i];
      BandPowers total;
      for (int channel : channels) {
        const BandPowers p = band_powers(config, dataset.segments[decision.segment], decision.end,
                                         channel, dataset.sample_rate_hz);
        total.locomotion += p.locomotion;
        total.freeze += p.freeze;
      }
      constexpr double kTiny = 1e-9;  // silent window: FI = 1
      features.log_freeze_index[i] = std::log((total.freeze + kTiny) / (total.locomotion + kTiny));
      features.power[i] = total.freeze + total.locomotion;
    }
  });
  return features;
}

double freeze_index_score(const FreezeIndexFeatures& features, size_t i, double gate) {
  return features.power[i] >= gate ? features.log_freeze_index[i] : kGatedScore;
}

double choose_power_gate(const FreezeIndexFeatures& features, const std::vector<size_t>& indices,
                         const std::vector<uint8_t>& labels) {
  std::vector<double> powers;
  for (size_t i : indices) powers.push_back(features.power[i]);
  std::sort(powers.begin(), powers.end());
  double best_gate = 0, best_auc = -1;
  for (int percent = 0; percent <= 50 && !powers.empty(); percent += 5) {
    const double gate = powers[powers.size() * percent / 100];
    std::vector<double> scores;
    for (size_t i : indices) scores.push_back(freeze_index_score(features, i, gate));
    const double auc = roc_auc(scores, labels);
    if (auc > best_auc) {
      best_auc = auc;
      best_gate = gate;
    }
  }
  return best_gate;
}

}  // namespace gaitlstm::model
