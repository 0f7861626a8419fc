#include "cli/episode_report.h"
#include "cli/validators.h"

#include <cmath>
#include <iostream>

#include <fmt/format.h>

namespace gaitlstm::cli {

void add_cue_flags(CLI::App* cmd, model::CueConfig& cue) {
  // Declared first: CLI11 runs option callbacks in declaration order, so the
  // --cue-* values given with it replace its defaults.
  cmd->add_flag_callback("--cue", [&cue] { cue = model::default_cue(); },
                         fmt::format("Cue on with the measured defaults ({}); --cue-* change them",
                                     cue_summary(model::default_cue())));
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
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--early-tolerance", config.early_tolerance_s,
                  "Episodes: an alarm this long (s) before the onset still detects it")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--late-grace", config.late_grace_s,
                  "Episodes: an alarm overlapping this long (s) after an episode is not false")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--within", config.within_s, "Episodes: latency (s) of 'caught within'")
      ->capture_default_str()
      ->check(kNonNegative);
}

void add_alarm_rule_flags(CLI::App* cv, AlarmRuleFlags& flags) {
  cv->add_flag("--choose-cue", flags.choose_cue,
               "Choose each fold's cue on its held-out validation subjects (docs/PROTOCOL.md) instead of --cue-*");
  cv->add_option("--max-false-alarms", flags.max_false_alarms,
                 "Shift each fold's threshold, on its held-out validation subjects, to catch the most episodes within "
                 "--within s at no more than this many false alarms per hour (docs/PROTOCOL.md)")
      ->check(kNonNegative);
  cv->add_flag("--episode-curve", flags.curve,
               "Also print the episode operating curve: every fold's threshold shifted together, measured on the test "
               "subjects (a characterization, like an ROC curve)");
  add_episode_flags(cv, flags.episodes);
}

model::FoldAlarmRule fold_alarm_rule(const AlarmRuleFlags& flags, const data::Dataset& dataset,
                                     const std::vector<data::Decision>& decisions) {
  return [flags, &dataset, &decisions](size_t, const model::FoldOutcome& fold) {
    model::AlarmRule rule{0, flags.cue};
    if (!flags.active()) return rule;
    std::vector<model::HeldOutStatistics> held_out = model::held_out_statistics(fold, decisions);
    if (flags.max_false_alarms >= 0) {
      model::ThresholdOffsetOptions options;
      options.max_false_alarms_per_hour = flags.max_false_alarms;
      options.episodes = flags.episodes;
      rule.threshold_offset = model::choose_threshold_offset(dataset, held_out, rule.cue, options);
      for (model::HeldOutStatistics& h : held_out) h.threshold += rule.threshold_offset;
    }
    if (flags.choose_cue) {
      model::CueChoiceOptions options;
      options.episodes = flags.episodes;
      rule.cue = model::choose_cue(dataset, held_out, options).cue;
    }
    return rule;
  };
}

nlohmann::json alarm_rule_json(const AlarmRuleFlags& flags) {
  nlohmann::json j = {{"cue", flags.choose_cue ? nlohmann::json("chosen per fold on its held-out validation subjects")
                                               : model::to_json(flags.cue)}};
  if (flags.max_false_alarms >= 0) j["max_false_alarms_per_hour"] = flags.max_false_alarms;
  return j;
}

void print_cv_episodes(const model::CvOutcome& outcome, const model::CvEpisodes& episodes, const std::string& title) {
  TextTable table = episode_table(title);
  for (size_t f = 0; f < outcome.folds.size(); ++f) {
    const model::FoldOutcome& fold = outcome.folds[f];
    std::string rule = "cue " + cue_summary(fold.cue);
    if (fold.threshold_offset != 0) rule += fmt::format("; threshold {:+.2f}", fold.threshold_offset);
    add_episode_row(table, fold.fold.name, episodes.folds[f], rule);
  }
  table.add_separator();
  add_episode_row(table, "pooled", episodes.pooled);
  std::cout << table.render();
}

nlohmann::json episode_curve_report(const model::CvOutcome& outcome, const data::Dataset& dataset,
                                    const std::vector<data::Decision>& decisions, const model::EpisodeConfig& config,
                                    const std::string& title) {
  const std::vector<model::OperatingPoint> curve = model::episode_operating_curve(
      outcome, dataset, decisions, model::ThresholdOffsetOptions::default_offsets(), config);
  TextTable table = episode_table(title + ": threshold offset");
  nlohmann::json points = nlohmann::json::array();
  for (const model::OperatingPoint& p : curve) {
    add_episode_row(table, fmt::format("{:+.2f}", p.offset), p.episodes);
    points.push_back({{"offset", p.offset}, {"episodes", model::to_json(p.episodes)}});
  }
  std::cout << "episode operating curve (every fold's threshold shifted; on the test subjects):\n" << table.render();
  return points;
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
