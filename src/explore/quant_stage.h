// The quantization stage of the exploration: from one float detector to the
// list of candidate quantized models the sweep builds hardware for.
//
// SEAM for the bit-width search (src/quant/search.h, cost_model.h, another
// engineer): today the candidates come from post-training quantization over
// the TensorBits listed in the config ("quant": {"bits": [...]}).  The search
// adds "quant": {"search": {...}} and a second producer of the same
// QuantCandidate list; the sweep, the store and the report take candidates
// from either unchanged.  Every point keeps its candidate's TensorBits JSON
// and its synthesized area (results.json, the store), which is what the
// cost-model calibration fits.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "explore/config.h"
#include "model/detector.h"
#include "quant/qmodel_file.h"

namespace gaitlstm::explore {

struct QuantCandidate {
  std::string label;          // "8bit", or a label the search makes up
  quant::TensorBits bits;     // its bit widths (also as JSON: quant::to_json(bits))
  quant::QuantizedModel model;
};

// Decisions the quantization stage uses.
struct QuantDecisions {
  std::vector<data::Decision> calibration;  // ranges (training subjects)
  std::vector<data::Decision> threshold;    // Youden threshold (validation subject)
};

// Post-training quantization of `detector` for one bit-width candidate.
QuantCandidate quantize_candidate(const model::Detector& detector, const BitsCandidate& bits,
                                  const data::Dataset& dataset, const QuantDecisions& decisions,
                                  const data::ProtocolConfig& protocol, int threads);

}  // namespace gaitlstm::explore
