#include "cli/episode_report.h"

#include <cmath>

#include <fmt/format.h>

namespace gaitlstm::cli {

void add_cue_flags(CLI::App* cmd, model::CueConfig& cue) {
  cmd->add_option("--cue-hysteresis", cue.hysteresis,
                  "Cue: an alarm stays on until the statistic falls this far below the threshold (FoG probability)")
      ->capture_default_str();
  cmd->add_option("--cue-min-on", cue.min_on, "Cue: decisions an alarm lasts at least (0.5 s each)")->capture_default_str();
  cmd->add_option("--cue-refractory", cue.refractory, "Cue: decisions after an alarm ends that cannot start a new one")
      ->capture_default_str();
}

void check_cue_flags(const model::CueConfig& cue) {
  try {
    model::check_cue(cue.hysteresis, cue.min_on, cue.refractory);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--cue-*", e.what());
  }
}

std::string cue_summary(const model::CueConfig& cue) {
  if (!cue.active()) return "off";
  return fmt::format("hysteresis {:.4g}, min {}, refractory {}", cue.hysteresis, cue.min_on, cue.refractory);
}

void add_episode_flags(CLI::App* cmd, model::EpisodeConfig& config) {
  cmd->add_option("--merge-gap", config.merge_gap_s, "Episodes: freeze runs closer than this (s) are one episode")
      ->capture_default_str();
  cmd->add_option("--early-tolerance", config.early_tolerance_s,
                  "Episodes: an alarm this long (s) before the onset still detects it")
      ->capture_default_str();
  cmd->add_option("--late-grace", config.late_grace_s,
                  "Episodes: an alarm overlapping this long (s) after an episode is not false")
      ->capture_default_str();
  cmd->add_option("--within", config.within_s, "Episodes: latency (s) of 'caught within'")->capture_default_str();
}

TextTable episode_table(const std::string& first_column) {
  return TextTable({first_column, "episodes", "detected", "sens", "within", "latency med (s)", "p90 (s)", "before onset",
                    "alarms", "false", "FA/h", "duty", "coverage", ""});
}

void add_episode_row(TextTable& table, const std::string& name, const model::EpisodeMetrics& m, const std::string& extra) {
  auto number = [](double v, const char* format) { return std::isfinite(v) ? fmt::format(fmt::runtime(format), v) : "-"; };
  table.add_row({name, std::to_string(m.count), std::to_string(m.detected), number(m.sensitivity, "{:.3f}"),
                 number(m.sensitivity_within, "{:.3f}"), number(m.latency_median_s, "{:.2f}"),
                 number(m.latency_p90_s, "{:.2f}"), number(m.before_onset_share, "{:.2f}"), std::to_string(m.alarms),
                 std::to_string(m.false_alarms), number(m.false_alarms_per_hour, "{:.1f}"), number(m.duty_cycle, "{:.3f}"),
                 number(m.coverage, "{:.3f}"), extra});
}

}  // namespace gaitlstm::cli
