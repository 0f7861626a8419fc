// CLI pieces shared by train, eval, cv, quantize and replay: the cue flags,
// the episode definition flags, and the episode table (docs/PROTOCOL.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "model/cue.h"
#include "model/episodes.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

// --cue-hysteresis, --cue-min-on, --cue-refractory (default: off).
void add_cue_flags(CLI::App* cmd, model::CueConfig& cue);
// Throws CLI::ValidationError for out-of-range values.
void check_cue_flags(const model::CueConfig& cue);
std::string cue_summary(const model::CueConfig& cue);  // "off" or "hysteresis 0.05, min 4, refractory 2"

// --merge-gap, --early-tolerance, --late-grace, --within (seconds).
void add_episode_flags(CLI::App* cmd, model::EpisodeConfig& config);

TextTable episode_table(const std::string& first_column);
void add_episode_row(TextTable& table, const std::string& name, const model::EpisodeMetrics& m,
                     const std::string& extra = "");

}  // namespace gaitlstm::cli
