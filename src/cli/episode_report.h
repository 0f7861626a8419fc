// CLI pieces shared by train, eval, cv, quantize and replay: the cue flags,
// the episode definition flags, and the episode table (docs/PROTOCOL.md).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/cue.h"
#include "model/cue_choice.h"
#include "model/episodes.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

// --cue (the measured default cue), --cue-hysteresis, --cue-min-on,
// --cue-refractory (default: off).
void add_cue_flags(CLI::App* cmd, model::CueConfig& cue);
// Throws CLI::ValidationError for out-of-range values.
void check_cue_flags(const model::CueConfig& cue);
std::string cue_summary(const model::CueConfig& cue);  // "off" or "hysteresis 0.05, min 4, refractory 2"

// --merge-gap, --early-tolerance, --late-grace, --within (seconds).
void add_episode_flags(CLI::App* cmd, model::EpisodeConfig& config);

// How `cv` turns each fold's statistics into alarms beyond its threshold.
struct AlarmRuleFlags {
  model::CueConfig cue;          // fixed cue (--cue-*, set from the model flags)
  bool choose_cue = false;       // --choose-cue
  double max_false_alarms = -1;  // --max-false-alarms R (< 0: off)
  bool curve = false;            // --episode-curve
  model::EpisodeConfig episodes;
  bool active() const { return choose_cue || max_false_alarms >= 0; }
};
// --choose-cue, --max-false-alarms, --episode-curve and the episode flags.
void add_alarm_rule_flags(CLI::App* cv, AlarmRuleFlags& flags);
// Per fold, on its held-out validation data (model/cue_choice.h): the threshold
// offset for --max-false-alarms, then the cue (--choose-cue) at that threshold.
model::FoldAlarmRule fold_alarm_rule(const AlarmRuleFlags& flags, const data::Dataset& dataset,
                                     const std::vector<data::Decision>& decisions);
nlohmann::json alarm_rule_json(const AlarmRuleFlags& flags);

// A cross-validation's episode table (per fold with its cue and offset, pooled).
void print_cv_episodes(const model::CvOutcome& outcome, const model::CvEpisodes& episodes, const std::string& title);
// --episode-curve: prints the operating curve of `outcome` and returns it as JSON.
nlohmann::json episode_curve_report(const model::CvOutcome& outcome, const data::Dataset& dataset,
                                    const std::vector<data::Decision>& decisions, const model::EpisodeConfig& config,
                                    const std::string& title);

TextTable episode_table(const std::string& first_column);
void add_episode_row(TextTable& table, const std::string& name, const model::EpisodeMetrics& m,
                     const std::string& extra = "");

}  // namespace gaitlstm::cli
