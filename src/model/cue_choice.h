// Choosing a cue on validation data and the episode figures of a
// cross-validation (docs/PROTOCOL.md, "Episodes" and "Choosing the cue").
//
// A fold's cue is chosen on the held-out subjects of its threshold choice
// (FoldOutcome::held_out_scores at held_out_thresholds: never the test
// subject), over a grid of hysteresis x min_on x refractory: among the
// candidates that detect at least as many episodes within `within_s` as the
// cue off and keep the alarm time outside episodes within
// `max_extra_false_duty` of the cue off's (share of non-freezing time), the
// one with the fewest false alarms; ties go to the smaller cue (min_on, then
// hysteresis, then refractory).
#pragma once

#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/cue.h"
#include "model/cv.h"
#include "model/episodes.h"

namespace gaitlstm::model {

// One held-out subject: its decisions (consecutive), statistics and threshold.
struct HeldOutStatistics {
  std::vector<data::Decision> decisions;
  std::vector<double> statistics;
  double threshold = 0;
};

struct CueChoiceOptions {
  std::vector<double> hysteresis{0, 0.02, 0.05, 0.1};  // statistic units (FoG probability)
  std::vector<int> min_on{1, 2, 4, 8};                 // decisions (0.5 s each)
  std::vector<int> refractory{0, 2, 4, 8};             // decisions
  double max_extra_false_duty = 0.01;
  EpisodeConfig episodes;
};

struct CueChoice {
  CueConfig cue;
  EpisodeMetrics off, chosen;  // on the held-out data
  int candidates = 0;
};

CueChoice choose_cue(const data::Dataset& dataset, const std::vector<HeldOutStatistics>& held_out,
                     const CueChoiceOptions& options = {}, const data::ProtocolConfig& protocol = {});

// The held-out data of a fold's threshold choice (threshold_folds order).
std::vector<HeldOutStatistics> held_out_statistics(const FoldOutcome& fold, const std::vector<data::Decision>& decisions);

// Fills every fold's alarms (cue_of(fold index, fold) at its test threshold)
// and cue, with the float cue on the fold's test scores.
using FoldCue = std::function<CueConfig(size_t fold, const FoldOutcome& outcome)>;
void apply_fold_cues(CvOutcome& outcome, const std::vector<data::Decision>& decisions, const FoldCue& cue_of,
                     const data::ProtocolConfig& protocol = {});

// Episode figures of a cross-validation whose folds carry alarms: one per
// fold (its test subject) and pooled over all folds' test subjects.
struct CvEpisodes {
  std::vector<EpisodeMetrics> folds;
  EpisodeMetrics pooled;
};
CvEpisodes cv_episodes(const CvOutcome& outcome, const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                       const EpisodeConfig& config = {}, const data::ProtocolConfig& protocol = {});

// Adds "episodes" to `cv_json` (cv_to_json's layout): pooled.episodes and, per
// fold, episodes and cue.
void add_episodes_json(nlohmann::json& cv_json, const CvOutcome& outcome, const CvEpisodes& episodes);

}  // namespace gaitlstm::model
