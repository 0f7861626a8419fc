// The detector replayed on recordings, for a person to look at: per segment
// the acceleration, the decision statistic, the threshold, the alarms and the
// annotated freezes, with every episode caught or missed and every false
// alarm marked (model/episodes.h), written as a self-contained page by
// replay_html.h.  A quantized model runs as the golden model; with an RTL
// directory the alarms come from the generated chip simulated sample by
// sample (Verilator, rtl::ChipSimulator) and must equal the golden model's.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "model/detector.h"
#include "model/episodes.h"
#include "quant/qmodel_file.h"
#include "util/process_runner.h"

namespace gaitlstm::replay {

struct ReplayOptions {
  std::vector<int> subjects;             // empty = every subject
  std::vector<std::string> recordings;   // file stems, e.g. "S01R02" (empty = every recording)
  std::string rtl_dir;                   // generated chip (gaitlstm rtl); needs a quantized model
  std::string work_dir;                  // Verilator build (default <rtl_dir>/replay)
  model::EpisodeConfig episodes;
  double envelope_period_s = 0.125;      // acceleration drawn as min/max per period
  int threads = 2;
};

struct DecisionTrace {
  double time_s = 0;     // decision time in the segment (end / rate)
  double statistic = 0;  // real value (probability or logit)
  double threshold = 0;  // T_n, real value
  bool fog = false;
  bool alarm = false;
};

struct SegmentTrace {
  std::string recording;  // file stem, e.g. S01R02
  std::string source;
  int64_t first_row = 0;
  int subject = 0, segment = 0;
  double duration_s = 0;
  double envelope_period_s = 0;
  std::vector<float> magnitude_min, magnitude_max;  // |a| of the model's first sensor, per period
  std::vector<DecisionTrace> decisions;
  model::EpisodeMetrics episodes;  // this segment alone (episodes, alarm events)
};

struct Replay {
  std::string model, data;
  bool quantized = false;
  bool rtl_checked = false;        // alarms from the Verilated chip, equal to the golden model's
  int64_t rtl_decisions = 0;
  std::string statistic;           // "FoG probability" or "FoG logit"
  std::string cue;                 // summary of the cue parameters
  double hysteresis = 0;           // the cue's, real value: an alarm stays on down to threshold - hysteresis
  std::vector<SegmentTrace> segments;
  model::EpisodeMetrics episodes;  // every shown segment together
};

// Either a float model (threshold, cue from the model file) or a quantized one.
struct ReplayModel {
  std::string path;
  model::Detector detector;
  std::optional<quant::QuantizedModel> quantized;
  static ReplayModel load(const std::string& path);
};

// Throws InputError when a requested subject or recording is not in the data
// or nothing is selected; std::runtime_error naming the segment and decision
// index when the chip's output differs from the golden model's.
// The chip's simulation (options.rtl_dir) runs through `runner`.
Replay build_replay(ToolRunner& runner, const ReplayModel& model, const data::Dataset& dataset,
                    const std::string& data_name, const ReplayOptions& options, std::ostream* progress = nullptr);

// Summary for --json: episodes (pooled and per segment) and what was checked.
nlohmann::json to_json(const Replay& replay);

}  // namespace gaitlstm::replay
