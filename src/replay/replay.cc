#include "replay/replay.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/protocol.h"
#include "model/cue.h"
#include "model/frontend.h"
#include "model/model_file.h"
#include "rtl/verify.h"
#include "util/error.h"
#include "util/progress.h"

namespace gaitlstm::replay {

namespace fs = std::filesystem;

ReplayModel ReplayModel::load(const std::string& path) {
  ReplayModel m;
  m.path = path;
  if (quant::is_qmodel_file(path)) {
    m.quantized = quant::load_qmodel(path);
    m.detector = m.quantized->detector;
  } else {
    m.detector = model::load_detector(path);
  }
  return m;
}

namespace {

std::string recording_of(const data::Segment& segment) { return fs::path(segment.source).stem().string(); }

// Segments to show: those of the requested subjects and recordings.
std::vector<int> selected_segments(const data::Dataset& dataset, const std::string& data_name, const ReplayOptions& o) {
  std::set<int> subjects;
  std::set<std::string> recordings;
  for (const data::Segment& s : dataset.segments) {
    subjects.insert(s.subject);
    recordings.insert(recording_of(s));
  }
  for (int subject : o.subjects)
    if (!subjects.count(subject))
      throw InputError(data_name, 0, fmt::format("subject {} is not in the data (subjects: {})", subject, fmt::join(subjects, ", ")));
  for (const std::string& r : o.recordings)
    if (!recordings.count(r))
      throw InputError(data_name, 0, fmt::format("recording '{}' is not in the data (recordings: {})", r, fmt::join(recordings, ", ")));
  std::vector<int> chosen;
  for (size_t i = 0; i < dataset.segments.size(); ++i) {
    const data::Segment& s = dataset.segments[i];
    const bool subject_ok = o.subjects.empty() || std::count(o.subjects.begin(), o.subjects.end(), s.subject);
    const bool recording_ok = o.recordings.empty() || std::count(o.recordings.begin(), o.recordings.end(), recording_of(s));
    if (subject_ok && recording_ok) chosen.push_back(static_cast<int>(i));
  }
  return chosen;
}

// |a| of the model's first sensor (its first axes_per_sensor channels), min and max per period.
void fill_envelope(SegmentTrace& trace, const data::Segment& segment, const std::vector<int>& columns, int axes,
                   double rate, double period_s) {
  const int64_t per_bin = std::max<int64_t>(1, std::llround(period_s * rate));
  trace.envelope_period_s = static_cast<double>(per_bin) / rate;
  for (int64_t begin = 0; begin < segment.samples(); begin += per_bin) {
    float low = INFINITY, high = -INFINITY;
    for (int64_t t = begin; t < std::min(segment.samples(), begin + per_bin); ++t) {
      double sum = 0;
      for (int a = 0; a < axes; ++a) {
        const double v = segment.at(t, columns[static_cast<size_t>(a)]);
        sum += v * v;
      }
      const float magnitude = static_cast<float>(std::sqrt(sum));
      low = std::min(low, magnitude);
      high = std::max(high, magnitude);
    }
    trace.magnitude_min.push_back(low);
    trace.magnitude_max.push_back(high);
  }
}

std::string describe(const data::Segment& segment, int index) {
  return fmt::format("segment {} ({} from row {})", index, segment.source, segment.first_row);
}

}  // namespace

Replay build_replay(ToolRunner& runner, const ReplayModel& m, const data::Dataset& dataset,
                    const std::string& data_name, const ReplayOptions& options, std::ostream* progress) {
  if (!options.rtl_dir.empty() && !m.quantized)
    throw InputError(m.path, 0, "--rtl needs a quantized model (gaitlstm quantize): the chip computes the golden model");
  const std::vector<int> chosen = selected_segments(dataset, data_name, options);
  const data::ProtocolConfig protocol = m.quantized ? m.quantized->protocol : data::ProtocolConfig{};
  std::vector<data::Decision> decisions;
  for (const data::Decision& d : data::make_decisions(dataset, protocol))
    if (std::binary_search(chosen.begin(), chosen.end(), d.segment)) decisions.push_back(d);
  if (decisions.empty()) throw InputError(data_name, 0, "the selected recordings are too short for a single decision");

  Replay replay;
  replay.model = m.path;
  replay.data = data_name;
  replay.quantized = m.quantized.has_value();
  std::vector<DecisionTrace> traces(decisions.size());
  std::optional<quant::GoldenDetector> golden;
  std::vector<quant::GoldenDetector::Output> golden_out;  // per decision
  if (m.quantized) {
    golden.emplace(quant::make_golden(*m.quantized));
    replay.statistic = golden->smoothing() > 1 ? "FoG probability" : "FoG logit";
    const quant::QuantizedCue& c = golden->cue();
    replay.hysteresis = quant::dequantize(c.hysteresis, golden->statistic_format());
    replay.cue = c.active() ? fmt::format("hysteresis {} (raw), min {} decisions, refractory {} decisions", c.hysteresis,
                                          c.min_on, c.refractory)
                            : "off";
    golden_out = golden->decide(decisions, golden->score_decisions(dataset, decisions, options.threads));
    const quant::QFormat& f = golden->statistic_format();
    for (size_t i = 0; i < golden_out.size(); ++i)
      traces[i] = {0, quant::dequantize(golden_out[i].score, f), quant::dequantize(golden_out[i].threshold, f),
                   golden_out[i].fog, golden_out[i].alarm};
  } else {
    replay.statistic = "FoG probability";
    const model::CueConfig& c = m.detector.cue;
    replay.hysteresis = c.hysteresis;
    replay.cue = c.active() ? fmt::format("hysteresis {:.4g}, min {} decisions, refractory {} decisions", c.hysteresis,
                                          c.min_on, c.refractory)
                            : "off";
    const std::vector<double> scores = model::score_dataset(m.detector, dataset, decisions, options.threads);
    const std::vector<uint8_t> alarms = model::cue_alarms(c, decisions, scores, m.detector.threshold, protocol);
    for (size_t i = 0; i < scores.size(); ++i)
      traces[i] = {0, scores[i], m.detector.threshold, scores[i] >= m.detector.threshold, alarms[i] != 0};
  }

  std::unique_ptr<rtl::ChipSimulator> chip;
  if (!options.rtl_dir.empty()) {
    if (progress) *progress << "replay: building the chip's simulation (Verilator) from " << options.rtl_dir << "\n";
    chip = std::make_unique<rtl::ChipSimulator>(
        runner, *golden, options.rtl_dir,
        options.work_dir.empty() ? (fs::path(options.rtl_dir) / "replay").string() : options.work_dir);
  }
  const std::vector<int> columns = model::channel_columns(m.detector.frontend, dataset);
  const double rate = dataset.sample_rate_hz;
  ProgressBar bar(chip ? "replay (chip)" : "replay", static_cast<int64_t>(chosen.size()));
  size_t next = 0;
  std::vector<model::EpisodeStream> all_streams;
  for (int s : chosen) {
    const data::Segment& segment = dataset.segments[static_cast<size_t>(s)];
    SegmentTrace trace;
    trace.recording = recording_of(segment);
    trace.source = segment.source;
    trace.first_row = segment.first_row;
    trace.subject = segment.subject;
    trace.segment = s;
    trace.duration_s = static_cast<double>(segment.samples()) / rate;
    fill_envelope(trace, segment, columns, m.detector.frontend.axes_per_sensor, rate, options.envelope_period_s);
    std::vector<data::Decision> own;
    const size_t first = next;
    for (; next < decisions.size() && decisions[next].segment == s; ++next) {
      own.push_back(decisions[next]);
      traces[next].time_s = static_cast<double>(decisions[next].end) / rate;
      trace.decisions.push_back(traces[next]);
    }
    if (chip && !own.empty()) {
      const std::vector<quant::GoldenDetector::Output> out = chip->run(quant::segment_samples(*golden, dataset, s));
      const std::vector<quant::GoldenDetector::Output> expected(golden_out.begin() + static_cast<std::ptrdiff_t>(first),
                                                                golden_out.begin() + static_cast<std::ptrdiff_t>(next));
      if (out.size() != expected.size())
        throw std::runtime_error(fmt::format("replay: the chip made {} decisions in {}, the golden model {}", out.size(),
                                             describe(segment, s), expected.size()));
      for (size_t i = 0; i < out.size(); ++i)
        if (out[i].score != expected[i].score || out[i].fog != expected[i].fog || out[i].alarm != expected[i].alarm)
          throw std::runtime_error(fmt::format(
              "replay: the chip differs from the golden model at decision {} of {} (t = {:.1f} s): golden statistic {} "
              "FoG {} alarm {}, chip statistic {} FoG {} alarm {}",
              i, describe(segment, s), trace.decisions[i].time_s, expected[i].score, expected[i].fog, expected[i].alarm,
              out[i].score, out[i].fog, out[i].alarm));
      replay.rtl_decisions += static_cast<int64_t>(out.size());
    }
    std::vector<uint8_t> alarms;
    for (const DecisionTrace& d : trace.decisions) alarms.push_back(d.alarm ? 1 : 0);
    std::vector<model::EpisodeStream> streams = model::episode_streams(dataset, own, alarms, protocol);
    trace.episodes = model::episode_metrics(streams, options.episodes);
    for (model::EpisodeStream& st : streams) all_streams.push_back(std::move(st));
    replay.segments.push_back(std::move(trace));
    bar.advance(1, fmt::format("{} {}", recording_of(segment), chip ? "simulated" : ""));
  }
  replay.rtl_checked = chip != nullptr;
  replay.episodes = model::episode_metrics(all_streams, options.episodes);
  return replay;
}

nlohmann::json to_json(const Replay& replay) {
  nlohmann::json segments = nlohmann::json::array();
  for (const SegmentTrace& s : replay.segments)
    segments.push_back({{"recording", s.recording}, {"source", s.source}, {"first_row", s.first_row},
                        {"subject", s.subject}, {"segment", s.segment}, {"decisions", s.decisions.size()},
                        {"episodes", model::to_json(s.episodes)}});
  return {{"model", replay.model},
          {"data", replay.data},
          {"quantized", replay.quantized},
          {"rtl_checked", replay.rtl_checked},
          {"rtl_decisions", replay.rtl_decisions},
          {"statistic", replay.statistic},
          {"cue", replay.cue},
          {"episodes", model::to_json(replay.episodes)},
          {"segments", segments}};
}

}  // namespace gaitlstm::replay
