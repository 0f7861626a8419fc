// `gaitlstm eval`: a float or quantized model file scored on recordings,
// per subject and pooled, with its cue's episodes and, for a model that
// self-calibrates, the figures at the chip's moving threshold.
#include "cli/model_commands.h"

#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/calibration_report.h"
#include "cli/data_flags.h"
#include "cli/episode_report.h"
#include "cli/metrics_report.h"
#include "data/load.h"
#include "data/protocol.h"
#include "model/calibration_cv.h"
#include "model/cue.h"
#include "model/cv.h"
#include "model/detector.h"
#include "model/episodes.h"
#include "model/model_file.h"
#include "model/sequences.h"
#include "quant/golden.h"
#include "quant/qmodel_file.h"

namespace gaitlstm::cli {
namespace {

struct EvalArgs {
  std::string model, json;
  DataFlags data;
  std::string channels;  // empty: the model's channel group (or its channel names)
  int threads = 2;
  model::EpisodeConfig episodes;
};

// A float model file, or a quantized one (scored by its integer golden model).
struct ModelFile {
  model::Detector detector;
  std::optional<quant::QuantizedModel> quantized;

  static ModelFile load(const std::string& path) {
    ModelFile file;
    if (quant::is_qmodel_file(path)) {
      file.quantized = quant::load_qmodel(path);
      file.detector = file.quantized->detector;
    } else {
      file.detector = model::load_detector(path);
    }
    return file;
  }
  // Decision scores: probabilities, or raw golden statistics.
  std::vector<double> score(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                            int threads) const {
    if (!quantized) return model::score_dataset(detector, dataset, decisions, threads);
    const std::vector<int64_t> raw = quant::make_golden(*quantized).score_decisions(dataset, decisions, threads);
    return {raw.begin(), raw.end()};
  }
  double threshold() const { return quantized ? static_cast<double>(quantized->threshold) : detector.threshold; }
  bool calibrated() const { return quantized ? quantized->calibration.has_value() : detector.calibration.has_value(); }
  // T_n of consecutive decisions (score() order) with the model's self-calibration, from reset at every segment.
  std::vector<double> calibrated_thresholds(const std::vector<data::Decision>& decisions,
                                            const std::vector<double>& scores) const {
    if (!quantized) return model::calibrated_thresholds(*detector.calibration, decisions, scores);
    std::vector<double> thresholds;
    const std::vector<int64_t> raw(scores.begin(), scores.end());
    for (const auto& out : quant::make_golden(*quantized).decide(decisions, raw))
      thresholds.push_back(static_cast<double>(out.threshold));
    return thresholds;
  }
  std::string calibration() const {
    if (!calibrated()) return "off";
    if (!quantized) return calibration_summary(*detector.calibration);
    const quant::QuantizedCalibration& c = *quantized->calibration;
    return fmt::format("rate 2^-{}, k16 {}, floor {}, seeds {} / {} (raw)", c.rate_shift, c.k16, c.floor, c.seed_mean,
                       c.seed_deviation);
  }
  // The alarms of consecutive decisions (score() order): the float cue, or
  // the golden model's (integer threshold and cue).
  std::vector<uint8_t> alarms(const std::vector<data::Decision>& decisions, const std::vector<double>& scores) const {
    if (!quantized && detector.calibration)
      return model::cue_alarms_at_thresholds(detector.cue, decisions, scores, calibrated_thresholds(decisions, scores));
    if (!quantized) return model::cue_alarms(detector.cue, decisions, scores, detector.threshold);
    std::vector<uint8_t> alarms;
    const std::vector<int64_t> raw(scores.begin(), scores.end());
    for (const auto& out : quant::make_golden(*quantized).decide(decisions, raw)) alarms.push_back(out.alarm ? 1 : 0);
    return alarms;
  }
  std::string cue() const {
    return quantized ? (quantized->cue.active() ? fmt::format("hysteresis {} (raw), min {}, refractory {}",
                                                              quantized->cue.hysteresis, quantized->cue.min_on,
                                                              quantized->cue.refractory)
                                                : "off")
                     : cue_summary(detector.cue);
  }
};

// Episode figures per subject and pooled: table and JSON (pooled, and one per
// entry of `subjects`, in dataset.subjects() order).
nlohmann::json report_episodes(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                               const std::vector<uint8_t>& alarms, const model::EpisodeConfig& config,
                               nlohmann::json& subjects) {
  const std::vector<model::EpisodeStream> streams = model::episode_streams(dataset, decisions, alarms);
  TextTable table = episode_table("subject");
  size_t entry = 0;
  for (int subject : dataset.subjects()) {
    std::vector<model::EpisodeStream> own;
    for (const model::EpisodeStream& s : streams)
      if (s.subject == subject) own.push_back(s);
    const model::EpisodeMetrics m = model::episode_metrics(own, config);
    add_episode_row(table, data::subject_label(dataset, subject), m);
    subjects[entry++]["episodes"] = model::to_json(m);
  }
  const model::EpisodeMetrics pooled = model::episode_metrics(streams, config);
  table.add_separator();
  add_episode_row(table, "all", pooled);
  std::cout << table.render();
  return model::to_json(pooled);
}

void run_eval(const EvalArgs& args) {
  const ModelFile file = ModelFile::load(args.model);
  const std::vector<data::DataSource> sources = args.data.sources();
  const model::FrontEndConfig& frontend = file.detector.frontend;
  const data::Dataset dataset =
      data::load_for_channels(sources, frontend.sample_rate_hz,
                              args.channels.empty() ? frontend.channel_group : args.channels, frontend.channel_names);
  const std::vector<data::Decision> decisions = data::make_decisions(dataset);
  const std::vector<double> scores = file.score(dataset, decisions, args.threads);
  const double threshold = file.threshold();
  const std::vector<uint8_t> labels = model::decision_labels(decisions);
  if (file.quantized) std::cout << "quantized model: integer golden model scores (raw), threshold " << threshold << "\n";

  // With the model's self-calibration: T_n per decision, from reset at every segment.
  const std::vector<double> thresholds =
      file.calibrated() ? file.calibrated_thresholds(decisions, scores) : std::vector<double>{};
  TextTable table = metrics_table("subject", file.calibrated() ? "decisions; self-calibrated sens / spec" : "decisions");
  nlohmann::json subjects = nlohmann::json::array();
  for (int subject : dataset.subjects()) {
    std::vector<double> subject_scores, subject_thresholds;
    std::vector<uint8_t> subject_labels;
    for (size_t i = 0; i < decisions.size(); ++i) {
      if (decisions[i].subject != subject) continue;
      subject_scores.push_back(scores[i]);
      subject_labels.push_back(labels[i]);
      if (!thresholds.empty()) subject_thresholds.push_back(thresholds[i]);
    }
    const model::BinaryMetrics m = model::evaluate_scores(subject_scores, subject_labels, threshold);
    nlohmann::json entry = model::metrics_to_json(m);
    std::string extra = std::to_string(subject_scores.size());
    if (!thresholds.empty()) {
      const model::BinaryMetrics c = model::metrics_at_thresholds(subject_scores, subject_labels, subject_thresholds);
      extra += fmt::format("; {} / {}", metric_text(c.sensitivity), metric_text(c.specificity));
      entry["calibrated"] = calibrated_json(c);
    }
    add_metrics_row(table, data::subject_label(dataset, subject), m, extra);
    entry["subject"] = subject;
    if (dataset.several_sets()) entry["label"] = data::subject_label(dataset, subject);
    entry["decisions"] = subject_scores.size();
    subjects.push_back(entry);
  }
  const model::BinaryMetrics pooled = model::evaluate_scores(scores, labels, threshold);
  table.add_separator();
  std::string pooled_extra = std::to_string(scores.size());
  std::optional<model::BinaryMetrics> pooled_calibrated;
  if (!thresholds.empty()) {
    pooled_calibrated = model::metrics_at_thresholds(scores, labels, thresholds);
    pooled_extra += fmt::format("; {} / {}", metric_text(pooled_calibrated->sensitivity), metric_text(pooled_calibrated->specificity));
  }
  add_metrics_row(table, "all", pooled, pooled_extra);
  std::cout << table.render();
  if (file.calibrated()) std::cout << "self-calibration (from reset at every segment): " << file.calibration() << "\n";
  std::cout << "episodes (cue " << file.cue() << "):\n";
  nlohmann::json pooled_json = model::metrics_to_json(pooled);
  pooled_json["episodes"] = report_episodes(dataset, decisions, file.alarms(decisions, scores), args.episodes, subjects);
  if (pooled_calibrated) pooled_json["calibrated"] = calibrated_json(*pooled_calibrated);
  write_json(args.json, {{"model", args.model}, {"data", sources_json(sources)}, {"quantized", file.quantized.has_value()},
                         {"pooled", pooled_json}, {"subjects", subjects}});
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto eval = std::make_shared<EvalArgs>();
  CLI::App* eval_cmd = app.add_subcommand("eval", "Score a model file on a dataset, per subject and pooled");
  eval_cmd->add_option("--model", eval->model, "Model file (JSON): float, or quantized (scored by the golden model)")
      ->required();
  add_data_flags(eval_cmd, eval->data);
  eval_cmd->add_option("--channels", eval->channels,
                       "Channels fed to the model, picked in each recording set's own terms: a group or comma list "
                       "(default: the group the model was trained on, e.g. ankle; models without one: its channel "
                       "names)");
  eval_cmd->add_option("--json", eval->json, "Also write the figures as JSON here");
  eval_cmd->add_option("--threads", eval->threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 1024));
  add_episode_flags(eval_cmd, eval->episodes);
  eval_cmd->callback([eval] { run_eval(*eval); });
}

}  // namespace gaitlstm::cli
