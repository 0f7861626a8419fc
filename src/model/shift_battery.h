// The site-shift battery (docs/PROTOCOL.md): every fold's trained model of a
// leave-one-subject-out cross-validation also scores its test subject's
// recordings under each shift (data/shift.h), at the fold's transferred
// operating point: the threshold chosen on its unshifted validation data.
// A detector that holds across sites loses little AUC and keeps its
// sensitivity and specificity under every shift.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "data/shift.h"
#include "model/cv.h"

namespace gaitlstm::model {

// One shift's figures: a CvOutcome like the unshifted one (per fold: the
// shifted test decisions' scores, labels and metrics at the fold's
// threshold; pooled and mean fold AUC by summarize).  Further operating
// points (e.g. a self-calibrated one) go beside `transferred`.
struct ShiftOutcome {
  data::Shift shift;
  CvOutcome transferred;
  // Per fold: its shifted test decisions (in scores order), e.g. for an
  // operating point that adapts along each recording from its start.
  std::vector<std::vector<data::Decision>> decisions;
};

// `cv` must hold every fold's detector (CvOptions::keep_models).  Each
// fold's threshold is its test figures' (fold.test.threshold: the
// validation-chosen one, with any alarm-rule offset).  Shifted recordings
// are made with `seed`; their decisions with `protocol`.
std::vector<ShiftOutcome> run_shift_battery(const CvOutcome& cv, const data::Dataset& dataset,
                                            const std::vector<data::Shift>& shifts,
                                            const data::ProtocolConfig& protocol, uint64_t seed,
                                            int threads);

// The scores of fold `fold`'s model on (shifted) decisions.
using FoldScorer = std::function<std::vector<double>(size_t fold, const data::Dataset& dataset,
                                                     const std::vector<data::Decision>& decisions)>;

// The same with any fold models (e.g. quantized ones scored by the golden
// model): `cv` gives the folds and their thresholds on `score`'s scale.
std::vector<ShiftOutcome> run_shift_battery(const CvOutcome& cv, const data::Dataset& dataset,
                                            const std::vector<data::Shift>& shifts,
                                            const data::ProtocolConfig& protocol, uint64_t seed,
                                            const FoldScorer& score);

// shifts[] entries: {shift, pooled: {auc, sensitivity, specificity, ...},
// mean_fold_auc, delta_auc, delta_mean_fold_auc (vs `unshifted`),
// folds: [{subject, auc, sensitivity, specificity, threshold, decisions}]}.
nlohmann::json shifts_to_json(const std::vector<ShiftOutcome>& shifts, const CvOutcome& unshifted);

}  // namespace gaitlstm::model
