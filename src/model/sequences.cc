#include "model/sequences.h"

#include <algorithm>
#include <numeric>

#include "util/parallel.h"

namespace gaitlstm::model {

std::vector<Eigen::MatrixXf> compute_raw_features(const FrontEndConfig& config,
                                                  const data::Dataset& dataset, int threads) {
  const std::vector<int> columns = channel_columns(config, dataset);
  std::vector<Eigen::MatrixXf> features(dataset.segments.size());
  parallel_chunks(threads, static_cast<int>(features.size()), [&](int, int begin, int end) {
    for (int s = begin; s < end; ++s) {
      features[s] = log_band_energies(config, dataset.segments[s], columns);
    }
  });
  return features;
}

std::vector<Eigen::MatrixXf> compute_features(const FrontEndConfig& config,
                                              const data::Dataset& dataset, int threads) {
  std::vector<Eigen::MatrixXf> features = compute_raw_features(config, dataset, threads);
  for (Eigen::MatrixXf& matrix : features) normalize(config, matrix);
  return features;
}

SequenceBatch<float> make_sequence_batch(const std::vector<Eigen::MatrixXf>& features,
                                         const std::vector<data::Decision>& decisions,
                                         const int* indices, int count, int history_steps,
                                         int decimation) {
  const int inputs = features.empty() ? 0 : static_cast<int>(features[0].rows());
  SequenceBatch<float> batch;
  batch.steps.assign(history_steps, Eigen::MatrixXf::Zero(inputs, count));
  batch.first_step.assign(count, 0);
  for (int b = 0; b < count; ++b) {
    const data::Decision& decision = decisions[indices[b]];
    const Eigen::MatrixXf& segment = features[decision.segment];
    const int available = static_cast<int>(decision.end / decimation);  // steps m < end / D
    const int first = std::max(0, available - history_steps);
    const int padding = history_steps - (available - first);
    batch.first_step[b] = padding;
    for (int m = first; m < available; ++m) {
      batch.steps[padding + m - first].col(b) = segment.col(m);
    }
  }
  return batch;
}

std::vector<double> score_decisions(const LstmParams<float>& params,
                                    const std::vector<Eigen::MatrixXf>& features,
                                    const std::vector<data::Decision>& decisions,
                                    int history_steps, int decimation, int threads,
                                    int output_smoothing) {
  constexpr int kBatch = 256;
  const int n = static_cast<int>(decisions.size());
  std::vector<int> indices(n);
  std::iota(indices.begin(), indices.end(), 0);
  std::vector<double> scores(n);
  const int batches = (n + kBatch - 1) / kBatch;
  parallel_chunks(threads, batches, [&](int, int first_batch, int last_batch) {
    for (int k = first_batch; k < last_batch; ++k) {
      const int begin = k * kBatch;
      const int count = std::min(kBatch, n - begin);
      const SequenceBatch<float> batch = make_sequence_batch(
          features, decisions, indices.data() + begin, count, history_steps, decimation);
      const Eigen::VectorXf outputs = lstm_forward<float>(params, batch, nullptr);
      for (int b = 0; b < count; ++b) scores[begin + b] = outputs[b];
    }
  });
  return smooth_scores(scores, decisions, output_smoothing);
}

std::vector<double> smooth_scores(const std::vector<double>& raw,
                                  const std::vector<data::Decision>& decisions, int window) {
  if (window <= 1) return raw;
  std::vector<double> smoothed(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    double sum = 0;
    int count = 0;
    for (size_t j = i + 1; j-- > 0 && count < window;) {
      if (decisions[j].segment != decisions[i].segment || decisions[j].end > decisions[i].end) break;
      sum += raw[j];
      ++count;
    }
    smoothed[i] = sum / count;
  }
  return smoothed;
}

std::vector<uint8_t> decision_labels(const std::vector<data::Decision>& decisions) {
  std::vector<uint8_t> labels;
  labels.reserve(decisions.size());
  for (const data::Decision& decision : decisions) labels.push_back(decision.freeze ? 1 : 0);
  return labels;
}

}  // namespace gaitlstm::model
