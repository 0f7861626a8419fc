// Leave-one-subject-out figures of quantized detectors: every fold's float
// model (from model::cross_validate_lstm with keep_models) is turned into a
// quantized one by a recipe, and scored by the golden model — the fold's
// threshold by Youden J on the golden scores of its validation subject, its
// figures on the test subject.  Pooled figures as in model/cv.h.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/cue_choice.h"
#include "model/cv.h"
#include "quant/calibrate.h"
#include "quant/qat.h"
#include "quant/search.h"

namespace gaitlstm::quant {

// The quantized detector of fold `fold` (index into the cv's folds) from its
// float detector.
using FoldQuantizer = std::function<std::pair<model::Detector, QuantConfig>(size_t fold, const model::Detector&)>;

// With `rule_of`, every fold's threshold moves by the rule's offset and its
// test alarms come from its golden model with the rule's cue (hysteresis in
// the statistic's units, quantized in its format) at that threshold
// (model/cue_choice.h; FoldOutcome::alarms, cue, threshold_offset).  With
// `calibration`, every fold's golden model also runs the self-calibration
// (seeded from its golden statistics on the validation subject) over the test
// decisions: FoldOutcome::calibration and calibrated_thresholds (real values,
// model/calibration_cv.h turns them into figures).
model::CvOutcome quantized_cv(const model::CvOutcome& float_cv, const data::Dataset& dataset,
                              const std::vector<data::Decision>& decisions, const FoldQuantizer& quantizer,
                              const data::ProtocolConfig& protocol = {}, int threads = 2,
                              const model::FoldAlarmRule& rule_of = {},
                              const std::optional<model::CalibrationConfig>& calibration = std::nullopt);

// Where a fold's quantization loss is measured: its validation subject, or
// every subject but the test subject (training and validation subjects:
// more decisions, a steadier AUC).  QAT early-stops on the validation
// subject either way.
enum class SearchScope { kValidation, kNonTest };

// Search models from a float cv: per fold, its detector, its training
// subjects' decisions (calibration, QAT training) and the scope's.
std::vector<SearchModel> search_models(const model::CvOutcome& float_cv, const std::vector<data::Decision>& decisions,
                                       SearchScope scope = SearchScope::kValidation);

// Recipes: formats sized for `bits` from each fold's own ranges (post-training
// quantization), optionally fine-tuned with QAT on the fold's training data.
FoldQuantizer bits_recipe(const std::vector<SearchModel>& models, const data::Dataset& dataset, const TensorBits& bits,
                          const data::ProtocolConfig& protocol, int qat_epochs = 0, const QatOptions& qat = {});
// The same formats for every fold (e.g. those of a quantized model file).
FoldQuantizer config_recipe(const std::vector<SearchModel>& models, const data::Dataset& dataset,
                            const QuantConfig& config, const data::ProtocolConfig& protocol, int qat_epochs = 0,
                            const QatOptions& qat = {});

}  // namespace gaitlstm::quant
