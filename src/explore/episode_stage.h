// Episode figures of a quantized candidate (EpisodeFigures in point.h): the
// alarms its golden model raises, cue included, on the decisions its AUC is
// measured on.  Internal to src/explore; plan.cc calls these beside the AUC.
#pragma once

#include <cstdint>
#include <vector>

#include "data/dataset.h"
#include "data/protocol.h"
#include "explore/point.h"
#include "model/cue_choice.h"
#include "model/cv.h"
#include "model/episodes.h"
#include "quant/qmodel_file.h"

namespace gaitlstm::explore {

// The typed figures of `metrics`; NaN (undefined for the data) becomes absent.
EpisodeFigures episode_figures(const model::EpisodeMetrics& metrics, const model::CueConfig& cue);

// Holdout evaluation: the candidate's golden alarms (its threshold and cue)
// on `decisions` (consecutive per segment), from their raw statistics `raw`
// (score_decisions of the same golden model).
EpisodeFigures holdout_episodes(const quant::QuantizedModel& model, const data::Dataset& dataset,
                                const std::vector<data::Decision>& decisions, const std::vector<int64_t>& raw,
                                const data::ProtocolConfig& protocol, const model::CueConfig& cue);

// Leave-one-subject-out: the folds' golden alarms (quant::quantized_cv with
// `alarm_rule`), pooled over every fold's test subject.
EpisodeFigures loso_episodes(const model::CvOutcome& quantized, const data::Dataset& dataset,
                             const std::vector<data::Decision>& decisions, const data::ProtocolConfig& protocol,
                             const model::CueConfig& cue);

// The rule quantized_cv turns each fold's statistics into alarms with: its
// own threshold (no offset) and the model's cue.
model::FoldAlarmRule alarm_rule(const model::CueConfig& cue);

}  // namespace gaitlstm::explore
