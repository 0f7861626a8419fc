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

// What turns a fold's statistics into alarms beyond its threshold: an offset
// added to the threshold and the cue.
struct AlarmRule {
  double threshold_offset = 0;
  CueConfig cue;
};

// The threshold offset for an episode aim, chosen on held-out data with the
// given cue: among `offsets` whose held-out alarm time outside episodes is at
// most `max_non_freeze_duty` of the non-freezing time (an alarm left on
// through walking is one rising edge but no use) and whose false alarms per
// hour are at most `max_false_alarms_per_hour`, the one detecting most
// episodes within `episodes.within_s` (ties: the lower false-alarm rate, then
// the offset nearest 0); none within the false-alarm limit: the lowest rate
// within the duty limit; none within that either: the lowest duty.
struct ThresholdOffsetOptions {
  double max_false_alarms_per_hour = 6;
  double max_non_freeze_duty = 0.05;
  std::vector<double> offsets = default_offsets();  // statistic units
  EpisodeConfig episodes;
  static std::vector<double> default_offsets();    // -0.30, -0.29, ..., +0.40
};
double choose_threshold_offset(const data::Dataset& dataset, std::vector<HeldOutStatistics> held_out, const CueConfig& cue,
                               const ThresholdOffsetOptions& options, const data::ProtocolConfig& protocol = {});

// Fills every fold's alarm rule, test figures at threshold + offset, alarms
// (float cue on the fold's test scores) and the pooled figures.
using FoldAlarmRule = std::function<AlarmRule(size_t fold, const FoldOutcome& outcome)>;
void apply_fold_rules(CvOutcome& outcome, const std::vector<data::Decision>& decisions, const FoldAlarmRule& rule_of,
                      const data::ProtocolConfig& protocol = {});

// Episode figures of the folds' test subjects (pooled) with every fold's
// threshold shifted by each offset and its own cue: an operating curve
// (episode sensitivity against false alarms), measured on the test subjects
// themselves: a characterization like an ROC curve, not a figure of a rule.
struct OperatingPoint {
  double offset = 0;
  EpisodeMetrics episodes;
};
std::vector<OperatingPoint> episode_operating_curve(const CvOutcome& outcome, const data::Dataset& dataset,
                                                    const std::vector<data::Decision>& decisions,
                                                    const std::vector<double>& offsets, const EpisodeConfig& config = {},
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
