// The quantization stage of the exploration: from one float detector to the
// list of candidate quantized models the sweep builds hardware for.
//
// Two producers of bit-width candidates: the TensorBits listed in the config
// ("quant": {"bits": [...]}), and the bit-width search ("quant": {"search":
// {...}}, quant/search.h), whose Pareto set is thinned to a few candidates
// here.  Either way a candidate is then post-training quantized the same way
// (quantize_candidate), so the sweep, the store and the report do not care
// where it came from.  Every point keeps its candidate's TensorBits and its
// synthesized area: calibrate_cost_model() fits the search's hardware cost
// model to them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "explore/config.h"
#include "model/detector.h"
#include "quant/cost_model.h"
#include "quant/qmodel_file.h"
#include "quant/search.h"

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

// Runs the bit-width search; returns quant::search_to_json.  `models`: the
// float model with its calibration decisions (training subjects) and the
// decisions its AUC loss is measured on, or one such model per
// leave-one-subject-out fold (the loss is then pooled over the folds).
nlohmann::json search_bits(const std::vector<quant::SearchModel>& models, const data::Dataset& dataset,
                           const SearchConfig& search, const quant::CostModel& cost,
                           const data::ProtocolConfig& protocol, int threads, std::ostream* progress);

// Candidates from a search's JSON: the start ("<prefix>start"), each budget's
// survivor ("<prefix>within<budget in pp>pp") and up to `pareto_points` more
// Pareto points evenly spread by cost ("<prefix>pareto<i>").  Bits already
// listed are not repeated.
std::vector<BitsCandidate> candidates_from_search(const nlohmann::json& search, const SearchConfig& config,
                                                  const std::string& prefix);

// The cost model fitted to measured designs, with its error before and after.
struct Calibration {
  quant::CostModel prior, fitted;
  size_t samples = 0;
  double prior_error = 0;          // mean |predicted - area| / area with the prior model
  double fitted_error = 0;         // ... with the fitted model, on the samples it was fitted to
  double fitted_max_error = 0;
  double leave_one_out_error = 0;  // each sample predicted by a model fitted without it
  nlohmann::json to_json() const;
};

// Throws std::invalid_argument with fewer than three samples.
Calibration calibrate_cost_model(const std::vector<quant::CostSample>& samples, const quant::CostModel& prior);

}  // namespace gaitlstm::explore
