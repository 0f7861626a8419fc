// From front-end features to LSTM input sequences at the protocol's decisions.
//
// A decision after sample `end - 1` of a segment reads LSTM steps
// m < floor(end / D).  The model's causal history is the last `history_steps`
// of them (fewer near the segment start, see SequenceBatch::first_step); the
// LSTM restarts from h = c = 0 at the oldest step of that history.
#pragma once

#include <vector>

#include <Eigen/Dense>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/frontend.h"
#include "model/lstm.h"

namespace gaitlstm::model {

// Normalized features of every segment (features x steps), using both cores.
std::vector<Eigen::MatrixXf> compute_features(const FrontEndConfig& config,
                                              const data::Dataset& dataset, int threads);

// Raw (unnormalized) log band energies of every segment.
std::vector<Eigen::MatrixXf> compute_raw_features(const FrontEndConfig& config,
                                                  const data::Dataset& dataset, int threads);

// Sequences of the decisions decisions[indices[0..]] (one column each).
SequenceBatch<float> make_sequence_batch(const std::vector<Eigen::MatrixXf>& features,
                                         const std::vector<data::Decision>& decisions,
                                         const int* indices, int count, int history_steps,
                                         int decimation);

// FoG probability of every decision (in order).  With output_smoothing
// K > 1 a decision's score is the mean LSTM output of itself and the up to
// K - 1 decisions before it in the same segment (causal; decisions must be
// in protocol order).
std::vector<double> score_decisions(const LstmParams<float>& params,
                                    const std::vector<Eigen::MatrixXf>& features,
                                    const std::vector<data::Decision>& decisions,
                                    int history_steps, int decimation, int threads,
                                    int output_smoothing = 1);

// The causal moving average above, applied to raw per-decision outputs.
std::vector<double> smooth_scores(const std::vector<double>& raw,
                                  const std::vector<data::Decision>& decisions, int window);

std::vector<uint8_t> decision_labels(const std::vector<data::Decision>& decisions);

}  // namespace gaitlstm::model
