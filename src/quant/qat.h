// Quantization-aware training: fine-tunes a trained detector's LSTM through
// the integer golden arithmetic itself.  Every training batch quantizes the
// current (shadow, float) weights into the configuration's formats, runs the
// golden QuantizedLstm on the golden front-end's features, and
// backpropagates through the recorded integer activations with
// straight-through estimators:
//   - weights: d/dw_shadow = d/dw_quantized, zero where the shadow weight
//     saturates its format;
//   - rounding of x, z, c, h and the activation units: identity;
//   - activation derivatives: s(1 - s) and 1 - t^2 of the units' outputs.
// The forward pass is the golden model, so after QAT the golden model's
// scores equal the QAT forward pass bit for bit (tests/quant/qat_test.cc).
// Early stopping reads the golden model's validation AUC; the PTQ weights
// are kept if no epoch beats them.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include <Eigen/Dense>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/detector.h"
#include "quant/golden.h"

namespace gaitlstm::quant {

struct QatOptions {
  int epochs = 6;
  int patience = 2;
  double learning_rate = 5e-4;
  uint64_t seed = 1;
  int threads = 2;
};

struct QatResult {
  model::Detector detector;          // LSTM weights = the quantized values (exact)
  double ptq_validation_auc = 0;     // before fine-tuning
  double validation_auc = 0;         // of the kept weights
  int best_epoch = 0;                // 0 = the PTQ weights were kept
  std::vector<model::EpochLog> epochs;
};

QatResult quantization_aware_finetune(const model::Detector& detector, const QuantConfig& config,
                                      const data::Dataset& dataset, const std::vector<data::Decision>& train,
                                      const std::vector<data::Decision>& validation,
                                      const data::ProtocolConfig& protocol, const QatOptions& options,
                                      std::ostream* progress = nullptr);

// The golden front-end's features of every segment, dequantized: features x
// steps, the inputs QAT trains on (exact in float for inputs <= 24 bits).
std::vector<Eigen::MatrixXf> golden_features(const GoldenDetector& golden, const data::Dataset& dataset);

// The QAT forward pass of the given decisions (no smoothing): the LSTM logit
// (raw, score format) of each decision's history window, computed the way
// QAT computes it (features via golden_features, batches as in training).
std::vector<int64_t> qat_forward_logits(const GoldenDetector& golden, const data::Dataset& dataset,
                                        const std::vector<data::Decision>& decisions);

}  // namespace gaitlstm::quant
