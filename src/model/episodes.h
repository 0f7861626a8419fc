// Episode-level figures: what the wearer experiences.  Freeze episodes are
// runs of the annotation, the alarms are the detector's per-decision output
// (the cue's, or the FoG flag without one); definitions and a worked example
// in docs/PROTOCOL.md, "Episodes":
//
// * a stream is one segment: decisions at times t_i (s from the segment
//   start), each alarm held from t_i until the next decision (t_i + P); the
//   observed span is [t_first, t_last + P);
// * episodes: maximal runs of freeze annotation, runs separated by gaps
//   shorter than `merge_gap_s` merged; only episodes overlapping the
//   observed span count;
// * an episode [a, b) is detected by the first decision with its alarm on and
//   t_i in [a - early_tolerance_s, b); latency = t_i - a (negative: before
//   the onset); "within" = latency <= within_s;
// * an alarm is a run of alarm-on decisions (a rising edge); it is false when
//   its interval [t_start, t_end + P) overlaps no episode's
//   [a - early_tolerance_s, b + late_grace_s);
// * false alarms per hour of non-freezing observed time; duty cycle = alarm
//   time / observed time; coverage = alarm time inside episodes / episode time.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"

namespace gaitlstm::model {

struct EpisodeConfig {
  double merge_gap_s = 1.0;        // freeze runs closer than this are one episode
  double early_tolerance_s = 2.0;  // an alarm this long before the onset still detects
  double late_grace_s = 1.0;       // an alarm overlapping this long after the end is not false
  double within_s = 2.0;           // the latency of "caught within"
};

// One segment's annotation and the alarms of its consecutive decisions.
struct EpisodeStream {
  int subject = 0;
  int segment = 0;
  double label_period_s = 0;           // seconds per annotation step; step k covers [k, k + 1) periods
  std::vector<uint8_t> freeze;         // annotation from t = 0
  double decision_period_s = 0;        // seconds between decisions
  std::vector<double> decision_times;  // seconds, increasing by decision_period_s
  std::vector<uint8_t> alarms;         // one per decision
};

struct Episode {
  int subject = 0, stream = 0;
  double onset_s = 0, offset_s = 0;  // [onset, offset) in the stream
  bool detected = false;
  double latency_s = 0;  // when detected
};

struct AlarmEvent {
  int subject = 0, stream = 0;
  double start_s = 0, end_s = 0;  // [t_start, t_end + P)
  bool false_alarm = false;
};

struct EpisodeMetrics {
  EpisodeConfig config;
  int64_t count = 0, detected = 0, detected_within = 0, detected_before_onset = 0;
  double sensitivity = 0;         // detected / count (0 without episodes)
  double sensitivity_within = 0;  // detected_within / count
  double latency_median_s = 0, latency_p90_s = 0;  // over detected episodes (NaN if none)
  double before_onset_share = 0;                   // detected_before_onset / detected (NaN if none)
  int64_t alarms = 0, false_alarms = 0;
  double observed_s = 0, freeze_s = 0, alarm_s = 0, alarm_in_freeze_s = 0;
  double false_alarms_per_hour = 0;  // per hour of observed non-freezing time (NaN if none)
  double duty_cycle = 0;             // alarm_s / observed_s
  double coverage = 0;               // alarm_in_freeze_s / freeze_s (NaN without episodes)
  double non_freeze_duty = 0;        // alarm time outside episodes / non-freezing time
  std::map<int, int64_t> episodes_per_subject;  // every subject of the streams, 0 included
  std::vector<Episode> episodes;
  std::vector<AlarmEvent> alarm_events;
};

// Throws std::invalid_argument on inconsistent streams (sizes, periods).
EpisodeMetrics episode_metrics(const std::vector<EpisodeStream>& streams, const EpisodeConfig& config = {});

// Linear interpolation between order statistics (position q (n - 1)); NaN if empty.
double percentile(std::vector<double> values, double q);

// Streams of protocol decisions (consecutive within each segment, e.g. whole
// subjects) and their alarms; annotation = the segments' per-sample labels.
std::vector<EpisodeStream> episode_streams(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                                           const std::vector<uint8_t>& alarms, const data::ProtocolConfig& protocol = {});

// {count, detected, sensitivity, detected_within, sensitivity_within,
//  latency_median_s, latency_p90_s, detected_before_onset, before_onset_share,
//  alarms, false_alarms, false_alarms_per_hour, duty_cycle, coverage, non_freeze_duty,
//  observed_hours, non_freeze_hours, freeze_hours, per_subject: [{subject, episodes}],
//  definition: {merge_gap_s, early_tolerance_s, late_grace_s, within_s}}; NaN -> null.
nlohmann::json to_json(const EpisodeMetrics& metrics);

}  // namespace gaitlstm::model
