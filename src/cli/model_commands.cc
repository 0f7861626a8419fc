#include "cli/model_commands.h"
#include "cli/data_flags.h"
#include "cli/json_output.h"
#include "cli/metrics_report.h"
#include "cli/calibration_report.h"
#include "cli/episode_report.h"
#include "cli/quant_commands.h"
#include "cli/shift_report.h"
#include "cli/validators.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/augment.h"
#include "data/load.h"
#include "data/protocol.h"
#include "model/calibration_cv.h"
#include "model/cue_choice.h"
#include "model/cv.h"
#include "model/episodes.h"
#include "model/detector.h"
#include "model/model_file.h"
#include "model/sequences.h"
#include "model/preset.h"
#include "util/atomic_file.h"
#include "util/text_table.h"

namespace gaitlstm::cli {
namespace {

// Flags shared by train and cv: what the detector looks like and how it
// learns.  The defaults are the configuration measured in docs/RESULTS.md.
struct ModelFlags {
  DataFlags data;
  std::string preset;  // model/preset.h: fills every model flag not given
  std::string channels = "all";
  std::string bands = "0.5-3,3-8";
  int decimation = 16;
  int baseline_shift = 6;
  int axes_per_sensor = 3;
  bool keep_levels = true;
  int energy_smoothing = 0;
  bool ratios = false;
  model::TrainConfig training = default_training();
  bool axes_per_sensor_given = true;  // false: the default, which follows --channels
  model::CueConfig cue;  // off unless --cue-* flags
  CalibrationFlags calibration;  // off unless --calibration on
  std::string augment = "none";  // --augment, read into training.augmentation

  static model::TrainConfig default_training() {
    model::TrainConfig t;
    t.hidden = 32;
    t.history_steps = 32;
    t.output_smoothing = 8;
    t.gain_augmentation_log2 = 2;
    t.weight_averaging = 0.99;
    t.min_epochs = 3;
    return t;
  }
};

// Fills every model flag the user did not give from the preset, so that
// `--preset chip --hidden 6` is the chip preset with 6 units.
void apply_preset(const CLI::App& cmd, ModelFlags& f) {
  const model::DetectorPreset& p = model::find_preset(f.preset);
  auto unset = [&cmd](const char* flag) { return cmd.get_option(flag)->count() == 0; };
  if (unset("--channels")) f.channels = p.channels;
  if (unset("--axes-per-sensor")) f.axes_per_sensor = p.axes_per_sensor;
  if (unset("--bands")) f.bands = p.bands;
  if (unset("--baseline-shift")) f.baseline_shift = p.baseline_shift;
  if (unset("--keep-levels")) f.keep_levels = p.keep_levels;
  if (unset("--ratios")) f.ratios = p.ratios;
  if (unset("--energy-smoothing")) f.energy_smoothing = p.energy_smoothing_shift;
  if (unset("--hidden")) f.training.hidden = p.hidden;
  if (unset("--history")) f.training.history_steps = p.history;
  if (unset("--smoothing")) f.training.output_smoothing = p.output_smoothing;
}

void add_model_flags(CLI::App* cmd, ModelFlags& f) {
  model::TrainConfig& t = f.training;
  std::string presets;
  for (const model::DetectorPreset& p : model::detector_presets()) presets += "\n  " + p.name + ": " + p.description;
  cmd->add_option("--preset", f.preset,
                  "Named detector settings (docs/MODEL.md); flags given explicitly override them:" + presets)
      ->check(parsed_by(model::find_preset));
  // The ranges are the model file's (model/model_file.cc), so that every
  // model trained can be read back; below them training would hang (hidden,
  // batch 0) or write a model no command accepts (smoothing 0).
  cmd->add_option("--channels", f.channels,
                  "Channel group (ankle, thigh, trunk, all) or comma list; with several --data, picked in each "
                  "set's own terms (the group must exist in every set)")
      ->capture_default_str();
  cmd->add_option("--bands", f.bands, "Front-end bands in Hz, e.g. 0.5-3,3-8")->capture_default_str();
  cmd->add_option("--decimation", f.decimation, "Samples per LSTM step (power of two)")->capture_default_str();
  cmd->add_option("--baseline-shift", f.baseline_shift,
                  "Relative-level features: baseline time constant 2^s steps (0 = off)")
      ->capture_default_str()
      ->check(CLI::Range(0, 30));
  CLI::Option* axes = cmd->add_option("--axes-per-sensor", f.axes_per_sensor,
                                      "Consecutive channels whose band energies are summed (3 = orientation-free; "
                                      "default: 3, or 1 if 3 does not divide the selected channels)")
                          ->capture_default_str()
                          ->check(CLI::Range(1, 16));
  cmd->add_option("--keep-levels", f.keep_levels,
                  "Keep the absolute levels L_k besides the relative levels (--baseline-shift) or ratios (--ratios)")
      ->capture_default_str();
  cmd->add_option("--energy-smoothing", f.energy_smoothing,
                  "Average the band energies over ~2^T steps before the log (one-pole, 0 = off)")
      ->check(CLI::Range(0, 16))
      ->capture_default_str();
  cmd->add_option("--ratios", f.ratios,
                  "Band-energy ratios Q_k = L_k - L_0 per sensor (gain-free, as the freeze index; needs >= 2 bands)")
      ->capture_default_str();
  cmd->add_option("--hidden", t.hidden, "LSTM hidden size H")->capture_default_str()->check(CLI::Range(1, 4096));
  cmd->add_option("--history", t.history_steps, "LSTM steps of causal history per decision")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--epochs", t.max_epochs, "Maximum epochs")->capture_default_str()->check(kPositive);
  cmd->add_option("--patience", t.patience, "Epochs without validation-AUC gain before stopping")
      ->capture_default_str()
      ->check(kNonNegative);
  CLI::Option* min_epochs = cmd->add_option("--min-epochs", t.min_epochs,
                                            "Epochs always trained before early stopping may keep a model "
                                            "(default: 3, or --epochs if fewer)")
                                ->capture_default_str()
                                ->check(kPositive);
  cmd->add_option("--batch", t.batch_size, "Mini-batch size")->capture_default_str()->check(kPositive);
  cmd->add_option("--lr", t.learning_rate, "Adam learning rate")->capture_default_str()->check(kPositive);
  cmd->add_option("--weight-decay", t.weight_decay, "Decoupled weight decay")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--clip", t.clip_norm, "Gradient clipping (global L2 norm, 0 = off)")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--gain-augmentation", t.gain_augmentation_log2,
                  "Random per-channel gain, +-log2 units of energy")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--augment", f.augment,
                  "Site-shift augmentation of added training copies: comma list of rotation, gain, offset, "
                  "rate, noise, adc, warp, jitter; all; none (docs/MODEL.md)")
      ->capture_default_str();
  cmd->add_option("--augment-copies", t.augment_copies,
                  "Transformed copies of each training segment added with --augment (default 1 when --augment "
                  "is on)")
      ->check(kNonNegative);
  cmd->add_option("--weight-averaging", t.weight_averaging, "EMA decay of weights per batch (0 = off)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.999999));
  cmd->add_option("--smoothing", t.output_smoothing, "Decisions averaged into each score (causal)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--dense-loss", t.dense_loss,
                  "Also train the outputs at earlier decisions inside the history")->capture_default_str();
  cmd->add_option("--seed", t.seed, "Random seed")->capture_default_str();
  cmd->add_option("--threads", t.threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 1024));
  // A default that depends on another option follows it, so that e.g.
  // `--epochs 2` alone works instead of contradicting --min-epochs' default.
  CLI::Option* copies = cmd->get_option("--augment-copies");
  cmd->parse_complete_callback([cmd, &f, &t, min_epochs, axes, copies] {
    if (!f.preset.empty()) apply_preset(*cmd, f);
    if (min_epochs->count() == 0) t.min_epochs = std::min(t.min_epochs, t.max_epochs);
    f.axes_per_sensor_given = axes->count() > 0 || !f.preset.empty();
    try {
      t.augmentation = data::parse_augmentation(f.augment);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError("--augment", e.what());
    }
    if (copies->count() == 0) t.augment_copies = t.augmentation.any() ? 1 : 0;
  });
  add_cue_flags(cmd, f.cue);
  add_calibration_flags(cmd, f.calibration);
}

std::vector<model::Band> parse_bands(const std::string& text) {
  try {
    return model::parse_bands(text);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--bands", e.what());
  }
}

model::FrontEndConfig frontend_from_flags(const ModelFlags& f, const data::Dataset& dataset) {
  model::FrontEndConfig frontend;
  frontend.sample_rate_hz = dataset.sample_rate_hz;
  frontend.decimation = f.decimation;
  if (f.decimation < 1 || (f.decimation & (f.decimation - 1)) != 0) {
    throw CLI::ValidationError("--decimation", "must be a power of two");
  }
  frontend.bands = parse_bands(f.bands);
  frontend.baseline_shift = f.baseline_shift;
  frontend.axes_per_sensor = f.axes_per_sensor;
  frontend.keep_levels = f.keep_levels;
  frontend.energy_smoothing_shift = f.energy_smoothing;
  frontend.ratios = f.ratios;
  if (f.ratios && frontend.bands.size() < 2) throw CLI::ValidationError("--ratios", "needs at least two --bands");
  for (const model::Band& band : frontend.bands) {
    if (band.high_hz >= dataset.sample_rate_hz / 2) {
      throw CLI::ValidationError("--bands", "band edges must stay below the Nyquist frequency");
    }
  }
  for (int column : data::resolve_channels(dataset, f.channels)) {
    frontend.channel_names.push_back(dataset.channel_names[column]);
  }
  if (f.channels == "all" || dataset.channel_groups.count(f.channels)) frontend.channel_group = f.channels;
  if (!f.axes_per_sensor_given && frontend.channels() % f.axes_per_sensor != 0) {
    frontend.axes_per_sensor = 1;  // the default follows --channels (one sensor per channel)
  }
  if (frontend.axes_per_sensor < 1 || frontend.channels() % frontend.axes_per_sensor != 0) {
    throw CLI::ValidationError("--axes-per-sensor", "must divide the number of selected channels");
  }
  return frontend;
}

nlohmann::json params_json(const ModelFlags& f, const model::FrontEndConfig& frontend) {
  nlohmann::json params = model::to_json(f.training);
  params["channels"] = frontend.channel_names;
  params["bands"] = f.bands;
  params["decimation"] = f.decimation;
  params["baseline_shift"] = f.baseline_shift;
  params["axes_per_sensor"] = frontend.axes_per_sensor;
  params["keep_levels"] = f.keep_levels;
  if (!f.preset.empty()) params["preset"] = f.preset;
  params["augment"] = data::augmentation_string(f.training.augmentation);
  params["augment_copies"] = f.training.augment_copies;
  params["energy_smoothing_shift"] = f.energy_smoothing;
  params["ratios"] = f.ratios;
  params["parameters"] = model::LstmShape{frontend.features(), f.training.hidden}.parameter_count();
  return params;
}

// ---- train -----------------------------------------------------------------

struct TrainArgs {
  ModelFlags flags;
  std::string out;
  int validation_subject = 0;       // 0 = the last subject with freezes
  std::vector<int> exclude;         // subjects kept out entirely (for a later eval)
};

int default_validation_subject(const std::vector<data::Decision>& decisions) {
  int subject = 0;
  for (const data::Decision& d : decisions) {
    if (d.freeze) subject = std::max(subject, d.subject);
  }
  if (subject == 0) throw std::runtime_error("no decision is labelled freeze: nothing to train on");
  return subject;
}

void run_train(const TrainArgs& args) {
  const std::vector<data::DataSource> sources = args.flags.data.sources();
  const data::Dataset dataset = data::load_datasets(sources, 64, args.flags.channels);
  const std::vector<data::Decision> decisions = data::make_decisions(dataset);
  const int validation = args.validation_subject ? args.validation_subject
                                                 : default_validation_subject(decisions);
  std::vector<int> train_subjects;
  for (int s : dataset.subjects()) {
    const bool excluded = std::find(args.exclude.begin(), args.exclude.end(), s) != args.exclude.end();
    if (s != validation && !excluded) train_subjects.push_back(s);
  }
  const model::FrontEndConfig frontend = frontend_from_flags(args.flags, dataset);
  std::cerr << fmt::format("training on subjects {}, validation subject {}\n",
                           subject_labels(dataset, train_subjects), data::subject_label(dataset, validation));
  check_cue_flags(args.flags.cue);
  check_calibration_flags(args.flags.calibration, args.flags.training.output_smoothing);
  model::FitResult fit = model::fit_detector(dataset, decisions, frontend, args.flags.training,
                                             train_subjects, validation, &std::cerr);
  fit.detector.cue = args.flags.cue;
  if (args.flags.calibration.on()) {  // seeds: the statistic on the validation subject
    const std::vector<data::Decision> held_out = data::filter_subjects(decisions, {validation});
    fit.detector.calibration = model::seed_calibration(
        args.flags.calibration.config, model::score_dataset(fit.detector, dataset, held_out, args.flags.training.threads));
    std::cout << "self-calibration: " << calibration_summary(*fit.detector.calibration) << "\n";
  }
  fit.detector.metrics = {{"validation", model::metrics_to_json(fit.validation)},
                          {"validation_subject", validation},
                          {"train_subjects", train_subjects},
                          {"best_epoch", fit.training.best_epoch},
                          {"epochs_run", fit.training.epochs.size()}};
  if (dataset.several_sets()) fit.detector.metrics["data"] = sources_json(sources);
  model::save_detector(fit.detector, args.out);
  TextTable table = metrics_table("validation", "best epoch");
  add_metrics_row(table, fmt::format("subject {}", data::subject_label(dataset, validation)), fit.validation,
                  std::to_string(fit.training.best_epoch));
  std::cout << table.render();
  std::cout << fmt::format("{} parameters; wrote {}\n", fit.detector.lstm.shape.parameter_count(), args.out);
}

// ---- cv --------------------------------------------------------------------

struct CvArgs {
  ModelFlags flags;
  std::string model = "lstm";
  std::string folds = "subject";
  std::string json;
  // Defaults: the nested rule that meets issue 3's sensitivity/specificity
  // target (docs/RESULTS.md, Issue 3 follow-up).
  std::string threshold_from = "nested";
  std::string threshold_rule = "balanced";
  std::string threshold_scale = "training-rank";
  std::string threshold_combine = "mean";
  bool save_scores = false;
  std::string shift;                 // --shift: the site-shift battery (empty = off)
  std::vector<data::Shift> shifts;   // parsed from `shift`
  AlarmRuleFlags alarms;
  QuantizedCvRequest quantized;
};

void print_cv(const model::CvOutcome& outcome, const data::Dataset& dataset, const std::string& first_column) {
  TextTable table = metrics_table(first_column, "validation (AUC); threshold on (pooled AUC)");
  for (const model::FoldOutcome& fold : outcome.folds) {
    std::vector<int> held_out;
    for (const model::ThresholdSubject& s : fold.threshold_subjects) held_out.push_back(s.subject);
    add_metrics_row(table, fold.fold.name, fold.test,
                    fmt::format("{} ({}); {} ({})", data::subject_label(dataset, fold.fold.validation_subject),
                                metric_text(fold.validation_auc), subject_labels(dataset, held_out),
                                metric_text(fold.threshold_validation.auc)));
  }
  table.add_separator();
  add_metrics_row(table, "pooled", outcome.pooled, "");
  std::cout << table.render();
  std::cout << fmt::format("mean fold AUC {}\n", metric_text(outcome.mean_fold_auc));
}

void run_cv(const CvArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  check_calibration_flags(args.flags.calibration, args.flags.training.output_smoothing);
  const std::vector<data::DataSource> sources = args.flags.data.sources();
  const data::Dataset dataset = data::load_datasets(sources, 64, args.flags.channels);
  const std::vector<data::Decision> decisions = data::make_decisions(dataset);
  const model::FrontEndConfig frontend = frontend_from_flags(args.flags, dataset);
  model::CvOptions options;
  if (args.folds == "dataset") {
    if (!dataset.several_sets())
      throw CLI::ValidationError("--folds", "dataset (leave-one-dataset-out) needs at least two recording sets: "
                                            "give --data (with its --spec) once per set");
    options.folds = data::make_dataset_folds(dataset, decisions);
  } else {
    options.folds = data::make_loso_folds(decisions, &dataset);
  }
  options.source = args.threshold_from == "validation" ? model::ThresholdSource::kValidationSubject
                                                       : model::ThresholdSource::kNested;
  options.rule = args.threshold_rule == "balanced" ? model::ThresholdRule::kBalanced
                                                   : model::ThresholdRule::kYouden;
  options.scale = args.threshold_scale == "training-rank" ? model::ThresholdScale::kTrainingRank
                                                         : model::ThresholdScale::kScore;
  options.combine = args.threshold_combine == "mean" ? model::ThresholdCombine::kMean
                                                    : model::ThresholdCombine::kPooled;
  options.keep_training_scores = args.save_scores;
  options.keep_models = args.quantized.active() || !args.shifts.empty();
  if (args.quantized.active() && args.model != "lstm")
    throw std::invalid_argument("quantized cross-validation needs --model lstm");
  if (!args.shifts.empty() && args.model != "lstm") throw std::invalid_argument("--shift needs --model lstm");
  model::CvOutcome outcome;
  nlohmann::json params;
  if (args.model == "freeze-index") {
    const model::FreezeIndexConfig config;
    outcome = model::cross_validate_freeze_index(dataset, decisions, config,
                                                 data::resolve_channels(dataset, args.flags.channels),
                                                 args.flags.training.threads, options);
    params = {{"model", "freeze-index"},
              {"channels", frontend.channel_names},
              {"window", config.window},
              {"locomotion_band", {config.locomotion_low_hz, config.locomotion_high_hz}},
              {"freeze_band", {config.freeze_low_hz, config.freeze_high_hz}}};
  } else {
    outcome = model::cross_validate_lstm(dataset, decisions, frontend, args.flags.training, options,
                                         &std::cerr);
    params = params_json(args.flags, frontend);
    params["model"] = "lstm";
  }
  params["threshold_from"] = args.threshold_from;
  params["threshold_rule"] = args.threshold_rule;
  params["threshold_scale"] = args.threshold_scale;
  params["threshold_combine"] = args.threshold_combine;
  params["data"] = sources_json(sources);
  params["folds"] = args.folds;
  params["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check_cue_flags(args.flags.cue);
  AlarmRuleFlags alarms = args.alarms;
  alarms.cue = args.flags.cue;
  const model::FoldAlarmRule rule_of = fold_alarm_rule(alarms, dataset, decisions);
  model::apply_fold_rules(outcome, decisions, rule_of);
  const model::CvEpisodes episodes = model::cv_episodes(outcome, dataset, decisions, alarms.episodes);
  params["alarms"] = alarm_rule_json(alarms);
  const std::string first_column = args.folds == "dataset" ? "test set" : "test subject";
  print_cv(outcome, dataset, first_column);
  if (args.flags.calibration.on()) {  // the chip's self-calibration on every test recording, from reset
    if (args.model != "lstm") throw CLI::ValidationError("--calibration", "self-calibration needs --model lstm");
    model::calibrate_folds(outcome, decisions, args.flags.calibration.config);
    print_calibrated_cv(outcome, model::calibrated_figures(outcome), first_column + " (float)");
  }
  print_cv_episodes(outcome, episodes, first_column);
  nlohmann::json report = model::cv_to_json(outcome, params, args.save_scores);
  if (args.flags.calibration.on())
    report["calibrated"] = model::to_json(model::calibrated_figures(outcome), args.flags.calibration.config);
  model::add_episodes_json(report, outcome, episodes);
  if (alarms.curve) report["episode_curve"] = episode_curve_report(outcome, dataset, decisions, alarms.episodes, "float");
  ShiftRequest shifts{args.shifts, args.flags.training.seed, args.flags.training.protocol, args.flags.training.threads};
  if (shifts.active()) {
    report["shifts"] = run_shift_report(outcome, dataset, shifts);
    report["params"]["shift"] = args.shift;
  }
  if (args.quantized.active()) {
    QuantizedCvRequest request = args.quantized;
    request.rule_of = rule_of;
    request.episodes = alarms.episodes;
    request.episode_curve = alarms.curve;
    if (args.flags.calibration.on()) request.calibration = args.flags.calibration.config;
    request.shifts = shifts;
    report["quantized"] = run_quantized_cv(request, outcome, dataset, decisions);
    report["params"]["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  write_json(args.json, report);
}

}  // namespace

void add_model_commands(CLI::App& app) {
  auto train = std::make_shared<TrainArgs>();
  CLI::App* train_cmd = app.add_subcommand("train", "Train the LSTM FoG detector and write a model file");
  add_data_flags(train_cmd, train->flags.data);
  add_model_flags(train_cmd, train->flags);
  train_cmd->add_option("--out", train->out, "Model file to write (JSON)")->required();
  train_cmd->add_option("--validation-subject", train->validation_subject,
                        "Subject for early stopping and the threshold (default: last with freezes; with several "
                        "--data, numbered set*1000 + own number, e.g. 2005 = the second set's subject 5)");
  train_cmd->add_option("--exclude", train->exclude,
                        "Subjects left out of training entirely (numbered as --validation-subject)");
  train_cmd->callback([train] { run_train(*train); });

  add_eval_command(app);

  auto cv = std::make_shared<CvArgs>();
  CLI::App* cv_cmd = app.add_subcommand("cv", "Leave-one-subject-out (or leave-one-dataset-out) cross-validation");
  add_data_flags(cv_cmd, cv->flags.data);
  add_model_flags(cv_cmd, cv->flags);
  cv_cmd->add_option("--model", cv->model, "lstm or freeze-index (Baechlin 2010 baseline)")
      ->check(CLI::IsMember({"lstm", "freeze-index"}))->capture_default_str();
  cv_cmd->add_option("--folds", cv->folds,
                     "subject = leave-one-subject-out over every set's subjects; dataset = leave-one-dataset-out "
                     "(needs several --data: train on the other sets, test on the held-out one)")
      ->check(CLI::IsMember({"subject", "dataset"}))->capture_default_str();
  cv_cmd->add_option("--json", cv->json, "Write folds, pooled figures and parameters as JSON here");
  cv_cmd->add_option("--threshold-from", cv->threshold_from,
                     "Threshold chosen on: validation = the fold's validation subject alone; nested = the "
                     "out-of-fold validation scores of every non-test subject with freezes (inner "
                     "leave-one-subject-out, see --threshold-scale, --threshold-combine)")
      ->check(CLI::IsMember({"nested", "validation"}))->capture_default_str();
  cv_cmd->add_option("--threshold-rule", cv->threshold_rule,
                     "youden = max sensitivity + specificity - 1; balanced = max min(sensitivity, specificity)")
      ->check(CLI::IsMember({"youden", "balanced"}))->capture_default_str();
  cv_cmd->add_option("--threshold-scale", cv->threshold_scale,
                     "score = pool raw probabilities; training-rank = pool each score's rank among its "
                     "own model's training no-FoG scores (removes model-to-model scale differences)")
      ->check(CLI::IsMember({"score", "training-rank"}))->capture_default_str();
  cv_cmd->add_option("--threshold-combine", cv->threshold_combine,
                     "pooled = the rule on all held-out subjects' scores together; mean = the mean of "
                     "the rule's threshold on each held-out subject alone")
      ->check(CLI::IsMember({"pooled", "mean"}))->capture_default_str();
  cv_cmd->add_flag("--save-scores", cv->save_scores,
                   "Also write every fold's test and threshold-choice scores and labels to --json");
  add_shift_flag(cv_cmd, cv->shift);
  add_alarm_rule_flags(cv_cmd, cv->alarms);
  add_quantized_cv_flags(cv_cmd, cv->quantized);
  cv_cmd->callback([cv] {
    if (!cv->shift.empty()) cv->shifts = data::parse_shifts(cv->shift);
    cv->quantized.threads = cv->flags.training.threads;
    run_cv(*cv);
  });
}

}  // namespace gaitlstm::cli
