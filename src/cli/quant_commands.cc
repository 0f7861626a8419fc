#include "cli/quant_commands.h"
#include "cli/json_output.h"
#include "cli/calibration_report.h"
#include "cli/episode_report.h"
#include "cli/data_flags.h"
#include "cli/validators.h"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "data/augment.h"
#include "data/load.h"
#include "data/protocol.h"
#include "data/shift.h"
#include "model/model_file.h"
#include "model/preset.h"
#include "quant/activation_report.h"
#include "quant/calibrate.h"
#include "quant/calibration.h"
#include "quant/golden.h"
#include "quant/qmodel_file.h"
#include "quant/quantized_cv.h"
#include "quant/search.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

namespace {

// --search-shift LIST (quantize --search, cv --quant-search).
CLI::Option* add_search_shift_flag(CLI::App* cmd, std::string& shift) {
  return cmd->add_option("--search-shift", shift,
                  "Bit-width search: the validation (and calibration) data also under these shifts, e.g. "
                  "gain:0.5,gain:2, so the integer widths keep the range of other sensor levels (comma list as "
                  "cv --shift; docs/QUANT-SEARCH.md)")
      ->check(check_shift_list);
}

// --search-fixed LIST (quantize --search, cv --quant-search).
CLI::Option* add_search_fixed_flag(CLI::App* cmd, std::vector<std::string>& fixed) {
  return cmd->add_option("--search-fixed", fixed,
                         "Bit-width search: knobs left at their start width (names of the search table, or "
                         "frontend = smp,coef,st,E,L,istd; docs/QUANT-SEARCH.md)")
      ->delimiter(',')
      ->check([](const std::string& name) {
        try {
          quant::check_fixed_knobs({name});
          return std::string();
        } catch (const std::invalid_argument& e) {
          return std::string(e.what());
        }
      });
}

// The search's data with --search-shift: every recording of `dataset` also
// under each shift (data::with_shifted_copies), and the decisions of all.
struct SearchData {
  data::Dataset dataset;
  std::vector<data::Decision> decisions;
  std::vector<int> segment_level;  // quant::SearchOptions::segment_level
};
std::optional<SearchData> shifted_search_data(const data::Dataset& dataset, const std::string& search_shift,
                                              const data::ProtocolConfig& protocol, uint64_t seed) {
  if (search_shift.empty()) return std::nullopt;
  const std::vector<data::Shift> shifts = data::parse_shifts(search_shift);
  data::Dataset shifted = data::with_shifted_copies(dataset, shifts, seed);
  std::vector<data::Decision> decisions = data::make_decisions(shifted, protocol);
  // with_shifted_copies puts each recording's copies right after it.
  std::vector<int> level(shifted.segments.size());
  for (size_t i = 0; i < level.size(); ++i) level[i] = static_cast<int>(i % (shifts.size() + 1));
  return SearchData{std::move(shifted), std::move(decisions), std::move(level)};
}

struct ActivationsArgs {
  std::string markdown, json;
};

struct QuantizeArgs {
  std::string model, bits, config, out, json, cost_model;
  DataFlags data;
  std::string channels;  // empty: the model's channel group
  bool search = false;
  std::string search_shift;  // --search-shift: the search also scores its data under these shifts
  std::vector<std::string> search_fixed;  // --search-fixed: knobs the search leaves at --bits
  std::string preset;      // model/preset.h: --search within its budget unless --config/--max-loss say otherwise
  bool cue_given = false;  // --cue-* flags replace the float model's cue
  model::CueConfig cue;
  CalibrationFlags calibration;  // model: the float model's; on: re-seeded on --data; off: none
  double max_loss = 0.01;
  int qat_epochs = 0;
  std::string augment;     // empty: the float model's own augmentation drives QAT
  int augment_copies = -1; // -1: 1 when --augment is on
  int threads = 2;
};

nlohmann::json read_json(const std::string& path) {
  try {
    return nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw InputError(path, 0, std::string("malformed JSON: ") + e.what());
  }
}

quant::CostModel read_cost_model(const std::string& path) {
  if (path.empty()) return {};
  try {
    return quant::cost_model_from_json(read_json(path));
  } catch (const std::exception& e) {
    if (dynamic_cast<const InputError*>(&e)) throw;
    throw InputError(path, 0, e.what());
  }
}

quant::TensorBits read_bits(const std::string& path) {
  if (path.empty()) return {};
  try {
    return quant::tensor_bits_from_json(nlohmann::json::parse(read_file(path)));
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw InputError(path, 0, std::string("malformed JSON: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw InputError(path, 0, e.what());
  }
}

void print_formats(const quant::QuantizedModel& q) {
  const nlohmann::json lstm = quant::to_json(q.config.lstm), fe = quant::to_json(q.config.frontend);
  TextTable table({"tensor", "bits", "frac", "rounding", "overflow"});
  for (const auto* group : {&fe, &lstm})
    for (const auto& [name, f] : group->items())
      if (f.contains("bits"))
        table.add_row({name, std::to_string(f["bits"].get<int>()), std::to_string(f["frac"].get<int>()),
                       f["rounding"].get<std::string>(), f["overflow"].get<std::string>()});
  std::cout << table.render();
  std::cout << fmt::format("units: sigmoid {}, tanh {}, cell tanh {}\n", quant::to_string(q.config.lstm.sigmoid_unit),
                           quant::to_string(q.config.lstm.tanh_unit), quant::to_string(q.config.lstm.cell_tanh_unit));
}

// --search on one model: calibration, validation and QAT data are all of
// --data's decisions (for held-out figures use `gaitlstm cv --quant-search`).
quant::QuantizedModel search_single_model(const QuantizeArgs& args, const model::Detector& detector,
                                          const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                                          const data::ProtocolConfig& protocol) {
  quant::SearchOptions options;
  options.budgets = {args.max_loss};
  options.start = read_bits(args.bits);
  options.cost = read_cost_model(args.cost_model);
  options.qat_epochs = args.qat_epochs;
  options.protocol = protocol;
  options.threads = args.threads;
  options.fixed = args.search_fixed;
  const std::optional<SearchData> shifted = shifted_search_data(dataset, args.search_shift, protocol, 1);
  if (shifted) options.segment_level = shifted->segment_level;
  const data::Dataset& search_set = shifted ? shifted->dataset : dataset;
  const std::vector<data::Decision>& search_decisions = shifted ? shifted->decisions : decisions;
  const std::vector<quant::SearchModel> models{{detector, search_decisions, search_decisions, {}, "model"}};
  const quant::SearchResult result = quant::search_bit_widths(search_set, models, options, &std::cerr);
  std::cout << quant::search_table(result);
  const quant::Survivor& survivor = result.survivors.front();
  if (survivor.point < 0) throw std::runtime_error("no configuration within the loss budget (not even the start)");
  const bool qat_better = survivor.qat_point >= 0 && result.points[static_cast<size_t>(survivor.qat_point)].validation_auc >
                                                          result.points[static_cast<size_t>(survivor.point)].validation_auc;
  const quant::TensorBits& bits = result.points[static_cast<size_t>(survivor.point)].bits;
  const model::Detector& chosen = qat_better ? survivor.qat_detectors.front() : detector;
  quant::QuantizedModel q = quant::quantize_with_config(chosen, quant::configure(models.front(), search_set, bits, protocol),
                                                        dataset, decisions, protocol, args.threads);
  q.metrics["bits"] = quant::to_json(bits);
  q.metrics["qat"] = qat_better;
  // The reference is the float model given, not the QAT weights run in float.
  q.metrics["float_auc"] = result.float_auc.front();
  q.metrics["auc_loss"] = result.float_auc.front() - q.metrics["quantized_auc"].get<double>();
  q.metrics["search"] = quant::search_to_json(result, options.cost);
  if (!args.search_shift.empty()) q.metrics["search"]["validation_shifts"] = args.search_shift;
  if (!args.search_fixed.empty()) q.metrics["search"]["fixed"] = args.search_fixed;
  return q;
}

void run_quantize(const QuantizeArgs& args) {
  model::Detector detector = model::load_detector(args.model);
  if (!args.augment.empty()) {  // QAT's copies (quant/qat.h); the float weights stay as trained
    detector.training.augmentation = data::parse_augmentation(args.augment);
    detector.training.augment_copies =
        args.augment_copies >= 0 ? args.augment_copies : (detector.training.augmentation.any() ? 1 : 0);
  }
  if (args.cue_given) {
    check_cue_flags(args.cue);
    detector.cue = args.cue;
  }
  const std::vector<data::DataSource> sources = args.data.sources();
  const data::Dataset dataset =
      data::load_for_channels(sources, detector.frontend.sample_rate_hz,
                              args.channels.empty() ? detector.frontend.channel_group : args.channels,
                              detector.frontend.channel_names);
  const data::ProtocolConfig protocol;
  const std::vector<data::Decision> decisions = data::make_decisions(dataset, protocol);
  quant::QuantizedModel q;
  if (!args.config.empty()) {
    quant::QuantConfig config;
    try {
      config = quant::quant_config_from_json(nlohmann::json::parse(read_file(args.config)));
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
      throw InputError(args.config, 0, std::string("malformed JSON: ") + e.what());
    } catch (const std::invalid_argument& e) {
      throw InputError(args.config, 0, e.what());
    }
    q = quant::quantize_with_config(detector, config, dataset, decisions, protocol, args.threads);
  } else if (args.search) {
    q = search_single_model(args, detector, dataset, decisions, protocol);
  } else {
    q = quant::post_training_quantize(detector, dataset, decisions, decisions, read_bits(args.bits), protocol,
                                      args.threads);
  }
  if (args.calibration.mode == "off") q.calibration.reset();
  if (args.calibration.on()) {  // seeds: the golden statistic on --data's decisions
    check_calibration_flags(args.calibration, detector.output_smoothing);
    const quant::GoldenDetector golden(q.detector, q.config, q.protocol);
    const model::CalibrationConfig seeded = model::seed_calibration(
        args.calibration.config, golden.statistic_values(golden.score_decisions(dataset, decisions, args.threads)));
    q.calibration = quant::quantize_calibration(seeded, golden.statistic_format(), golden.smoothing());
  }
  q.metrics["data"] = sources_json(sources);
  quant::save_qmodel(q, args.out);
  print_formats(q);
  std::cout << fmt::format("float AUC {:.4f}, quantized AUC {:.4f} (loss {:+.2f} pp) on {} decisions; threshold {} (raw)\n",
                           q.metrics["float_auc"].get<double>(), q.metrics["quantized_auc"].get<double>(),
                           100 * q.metrics["auc_loss"].get<double>(), decisions.size(), q.threshold);
  if (q.cue.active())
    std::cout << fmt::format("cue: hysteresis {} (raw), min {} decisions, refractory {} decisions\n", q.cue.hysteresis,
                             q.cue.min_on, q.cue.refractory);
  if (q.calibration)
    std::cout << fmt::format("self-calibration: rate 2^-{}, k16 {}, floor {}, seeds {} / {} (raw)\n", q.calibration->rate_shift,
                             q.calibration->k16, q.calibration->floor, q.calibration->seed_mean, q.calibration->seed_deviation);
  std::cout << "wrote " << args.out << "\n";
  if (!args.json.empty()) write_file_atomic(args.json, json_text(q.metrics));
}

}  // namespace

void add_quant_commands(CLI::App& app) {
  auto activations = std::make_shared<ActivationsArgs>();
  CLI::App* act = app.add_subcommand("activations", "Measure the error of every hardware activation unit");
  act->add_option("--md", activations->markdown, "Write the Markdown report here (docs/ACTIVATIONS.md)");
  act->add_option("--json", activations->json, "Write the figures as JSON here");
  act->callback([activations] {
    const quant::ActivationReport report = quant::activation_error_report();
    std::cout << report.markdown;
    if (!activations->markdown.empty()) write_file_atomic(activations->markdown, report.markdown);
    if (!activations->json.empty()) write_file_atomic(activations->json, json_text(report.json));
  });

  auto args = std::make_shared<QuantizeArgs>();
  CLI::App* q = app.add_subcommand("quantize", "Quantize a float model to fixed point (range calibration)");
  q->add_option("--model", args->model, "Float model file (gaitlstm train)")->required()->check(CLI::ExistingFile);
  add_data_flags(q, args->data);  // recordings for calibration and the threshold
  q->add_option("--channels", args->channels,
                "Channels fed to the model, picked in each recording set's own terms (default: the model's group)");
  CLI::Option* bits = q->add_option("--bits", args->bits, "JSON bits per tensor (defaults: 8-bit LSTM, docs/GOLDEN.md)")
                          ->check(CLI::ExistingFile);
  q->add_option("--config", args->config, "JSON formats of every tensor (instead of calibration)")
      ->check(CLI::ExistingFile)
      ->excludes(bits);
  q->add_flag("--search", args->search,
                                    "Search the cheapest bits within --max-loss AUC of the float model (starts at --bits)")
                           ->excludes("--config");
  CLI::Option* max_loss =
      q->add_option("--max-loss", args->max_loss, "AUC loss budget of --search (0.01 = 1 pp)")->capture_default_str();
  q->add_option("--preset", args->preset,
                "Named detector settings (docs/MODEL.md): the bit-width search within the preset's budget "
                "(chip: --search --max-loss 0.01)")
      ->excludes("--config")
      ->check(parsed_by(model::find_preset));
  add_search_shift_flag(q, args->search_shift);
  add_search_fixed_flag(q, args->search_fixed);
  q->add_option("--qat-epochs", args->qat_epochs, "QAT fine-tuning epochs of the search's survivor (0 = off)")
      ->capture_default_str()
      ->check(kNonNegative);
  q->add_option("--augment", args->augment,
                 "Site-shift augmentation of QAT's training data, as train --augment (default: the float model's)")
      ->check(parsed_by(data::parse_augmentation));
  q->add_option("--augment-copies", args->augment_copies, "Transformed copies per segment with --augment (default 1)")
      ->needs("--augment")
      ->check(kNonNegative);
  q->add_option("--cost-model", args->cost_model, "JSON cost model coefficients (docs/QUANT-SEARCH.md)")
      ->check(CLI::ExistingFile);
  q->add_option("--out", args->out, "Quantized model file to write")->required();
  q->add_option("--json", args->json, "Also write the report as JSON here");
  q->add_option("--threads", args->threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 1024));
  add_cue_flags(q, args->cue);
  add_calibration_flags(q, args->calibration, {"model", "off", "on"});
  q->callback([args, q, max_loss] {
    if (!args->preset.empty()) {
      args->search = true;
      if (max_loss->count() == 0) args->max_loss = model::find_preset(args->preset).search_max_loss;
    }
    // Options of the search need it, given by --search or by --preset.
    for (const char* flag : {"--max-loss", "--qat-epochs", "--augment", "--search-shift", "--search-fixed"})
      if (q->count(flag) > 0 && !args->search) throw CLI::ValidationError(flag, "needs --search or --preset");
    args->cue_given = q->count("--cue-hysteresis") + q->count("--cue-min-on") + q->count("--cue-refractory") > 0;
    run_quantize(*args);
  });
}

void add_quantized_cv_flags(CLI::App* cv, QuantizedCvRequest& request) {
  cv->add_option("--qmodel", request.qmodel,
                 "Also cross-validate the quantized version of every fold model: the bits of this quantized "
                 "model file (formats re-sized per fold), scored by the golden model")
      ->check(CLI::ExistingFile);
  cv->add_option("--quant-bits", request.bits,
                 "Also cross-validate every fold model quantized with these bits per tensor (JSON, as quantize --bits)")
      ->check(CLI::ExistingFile);
  cv->add_option("--search-on", request.search_on,
                 "Quantization loss of --quant-search measured on the validation subject, or on every non-test subject")
      ->check(CLI::IsMember({"validation", "non-test"}))
      ->capture_default_str();
  cv->add_flag("--quant-search", request.search,
               "Also search the cheapest bits per tensor within each --budgets AUC loss on the folds' "
               "validation subjects, and cross-validate the survivors");
  cv->add_option("--budgets", request.budgets, "AUC loss budgets of --quant-search (0.01 = 1 pp)")
      ->delimiter(',')
      ->capture_default_str();
  cv->add_option("--qat-epochs", request.qat_epochs, "QAT fine-tuning epochs per fold for quantized models (0 = off)")
      ->capture_default_str()
      ->check(kNonNegative);
  cv->add_option("--cost-model", request.cost_model, "JSON cost model coefficients")->check(CLI::ExistingFile);
  cv->add_option("--search-json", request.search_json, "Write the search report (every point, Pareto set) here");
  cv->add_option("--survivor-bits", request.survivor_bits,
                 "Write each survivor's bits as DIR/bits-within-<budget>pp.json (input of quantize --bits)");
  add_search_shift_flag(cv, request.search_shift)->needs("--quant-search");
  add_search_fixed_flag(cv, request.search_fixed)->needs("--quant-search");
}

namespace {

// The quantized outcome's JSON; with the golden model's alarms also its
// episode figures (JSON, and a row of `episodes`).
nlohmann::json quantized_entry(const std::string& label, const model::CvOutcome& outcome, const model::CvOutcome& float_cv,
                               const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                               const QuantizedCvRequest& request, TextTable& episodes) {
  nlohmann::json entry = model::cv_to_json(outcome, nlohmann::json::object());
  entry.erase("params");
  if (!outcome.folds.empty() && !outcome.folds.front().alarms.empty()) {
    const model::CvEpisodes figures = model::cv_episodes(outcome, dataset, decisions, request.episodes);
    model::add_episodes_json(entry, outcome, figures);
    add_episode_row(episodes, label, figures.pooled);
    print_cv_episodes(outcome, figures, label + ": test subject");
    if (request.episode_curve)
      entry["episode_curve"] = episode_curve_report(outcome, dataset, decisions, request.episodes, label);
  }
  if (request.calibration) {
    const model::CalibratedFigures calibrated = model::calibrated_figures(outcome);
    print_calibrated_cv(outcome, calibrated, label + ": test subject (golden)");
    entry["calibrated"] = model::to_json(calibrated, *request.calibration);
  }
  entry["label"] = label;
  entry["pooled_auc_loss"] = float_cv.pooled.auc - outcome.pooled.auc;
  return entry;
}

// The site-shift battery on the golden models of `outcome`'s folds (the
// recipe run again on each fold's float model: deterministic), at the
// quantized cross-validation's own thresholds; with the self-calibration,
// each fold's golden chip seeded as quant::quantized_cv seeds it (its own
// statistic on the validation subject) moves T_n along the shifted data.
nlohmann::json golden_shift_report(const QuantizedCvRequest& request, const std::string& label,
                                   const model::CvOutcome& outcome, const model::CvOutcome& float_cv,
                                   const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                                   const quant::FoldQuantizer& recipe, const data::ProtocolConfig& protocol) {
  std::vector<quant::GoldenDetector> goldens;
  for (size_t f = 0; f < float_cv.folds.size(); ++f) {
    const auto [detector, config] = recipe(f, *float_cv.folds[f].detector);
    quant::GoldenDetector& golden = goldens.emplace_back(detector, config, protocol);
    if (!request.calibration) continue;
    const std::vector<data::Decision> validation =
        data::filter_subjects(decisions, {float_cv.folds[f].fold.validation_subject});
    const std::vector<double> validation_scores =
        golden.statistic_values(golden.score_decisions(dataset, validation, request.threads));
    golden.set_calibration(quant::quantize_calibration(model::seed_calibration(*request.calibration, validation_scores),
                                                       golden.statistic_format(), golden.smoothing()));
  }
  const model::FoldScorer score = [&](size_t fold, const data::Dataset& shifted,
                                      const std::vector<data::Decision>& shifted_decisions) {
    const quant::GoldenDetector& golden = goldens[fold];
    return golden.statistic_values(golden.score_decisions(shifted, shifted_decisions, request.threads));
  };
  // The chip's integer T_n: the scores are the golden statistic's raws
  // exactly (raw x 2^-frac), so they convert back without loss.
  const FoldThresholdTrack track = [&](size_t fold, const std::vector<data::Decision>& shifted_decisions,
                                       const std::vector<double>& scores) {
    const quant::GoldenDetector& golden = goldens[fold];
    const quant::QFormat& statistic = golden.statistic_format();
    std::vector<int64_t> raw;
    raw.reserve(scores.size());
    for (double s : scores) raw.push_back(std::llround(std::ldexp(s, statistic.frac)));
    std::vector<double> thresholds;
    for (const quant::GoldenDetector::Output& out : golden.decide(shifted_decisions, raw))
      thresholds.push_back(quant::dequantize(out.threshold, statistic));
    return thresholds;
  };
  return run_shift_report(outcome, dataset, request.shifts, label + ", golden model", score,
                          request.calibration ? track : FoldThresholdTrack());
}

void add_row(TextTable& table, const std::string& label, const std::string& bits, const std::string& cost,
             const std::string& validation_loss, const model::CvOutcome& outcome, const model::CvOutcome& float_cv) {
  table.add_row({label, bits, cost, validation_loss, fmt::format("{:.4f}", outcome.pooled.auc),
                 fmt::format("{:+.2f}", 100 * (outcome.pooled.auc - float_cv.pooled.auc)),
                 fmt::format("{:.4f}", outcome.mean_fold_auc), fmt::format("{:.3f}", outcome.pooled.sensitivity),
                 fmt::format("{:.3f}", outcome.pooled.specificity)});
}

}  // namespace

nlohmann::json run_quantized_cv(const QuantizedCvRequest& request, const model::CvOutcome& float_cv,
                                const data::Dataset& dataset, const std::vector<data::Decision>& decisions) {
  const data::ProtocolConfig protocol;
  const quant::SearchScope scope =
      request.search_on == "non-test" ? quant::SearchScope::kNonTest : quant::SearchScope::kValidation;
  const std::vector<quant::SearchModel> models = quant::search_models(float_cv, decisions, scope);
  quant::QatOptions qat;
  qat.threads = request.threads;
  TextTable table({"quantized", "bits", "cost (µm²)", "validation loss (pp)", "pooled AUC", "vs float (pp)",
                   "mean fold AUC", "sens", "spec"});
  add_row(table, "float", "", "", "", float_cv, float_cv);
  TextTable episodes = episode_table("quantized (golden alarms)");
  nlohmann::json out = nlohmann::json::object();
  if (!request.qmodel.empty()) {
    const quant::QuantizedModel file = quant::load_qmodel(request.qmodel);
    quant::FoldQuantizer recipe =
        file.metrics.contains("bits")
            ? quant::bits_recipe(models, dataset, quant::tensor_bits_from_json(file.metrics["bits"]), protocol,
                                 request.qat_epochs, qat)
            : quant::config_recipe(models, dataset, file.config, protocol, request.qat_epochs, qat);
    const model::CvOutcome outcome = quant::quantized_cv(float_cv, dataset, decisions, recipe, protocol, request.threads, request.rule_of, request.calibration);
    add_row(table, request.qmodel, file.metrics.contains("bits") ? "(file's bits)" : "(file's formats)", "", "", outcome,
            float_cv);
    out["qmodel"] = quantized_entry(request.qmodel, outcome, float_cv, dataset, decisions, request, episodes);
    if (request.shifts.active())
      out["qmodel"]["shifts"] = golden_shift_report(request, request.qmodel, outcome, float_cv, dataset, decisions, recipe, protocol);
  }
  if (!request.bits.empty()) {
    const quant::TensorBits bits = read_bits(request.bits);
    const quant::FoldQuantizer recipe = quant::bits_recipe(models, dataset, bits, protocol, request.qat_epochs, qat);
    const model::CvOutcome outcome =
        quant::quantized_cv(float_cv, dataset, decisions, recipe, protocol, request.threads, request.rule_of, request.calibration);
    add_row(table, request.bits, quant::bits_summary(bits), "", "", outcome, float_cv);
    out["bits"] = quantized_entry(request.bits, outcome, float_cv, dataset, decisions, request, episodes);
    if (request.shifts.active())
      out["bits"]["shifts"] = golden_shift_report(request, request.bits, outcome, float_cv, dataset, decisions, recipe, protocol);
    out["bits"]["bits"] = quant::to_json(bits);
  }
  if (request.search) {
    quant::SearchOptions options;
    options.budgets = request.budgets;
    options.cost = read_cost_model(request.cost_model);
    options.qat_epochs = request.qat_epochs;
    options.qat = qat;
    options.protocol = protocol;
    options.threads = request.threads;
    options.fixed = request.search_fixed;
    // With --search-shift the search sees every recording also under the
    // shifts; the survivors are then cross-validated on the recordings as
    // they are (`models`, `dataset`).
    const std::optional<SearchData> shifted =
        shifted_search_data(dataset, request.search_shift, protocol, request.shifts.seed);
    if (shifted) options.segment_level = shifted->segment_level;
    const quant::SearchResult result =
        shifted ? quant::search_bit_widths(shifted->dataset, quant::search_models(float_cv, shifted->decisions, scope),
                                           options, &std::cerr)
                : quant::search_bit_widths(dataset, models, options, &std::cerr);
    std::cout << quant::search_table(result);
    nlohmann::json search = quant::search_to_json(result, options.cost);
    if (!request.search_shift.empty()) search["validation_shifts"] = request.search_shift;
    if (!request.search_fixed.empty()) search["fixed"] = request.search_fixed;
    if (!request.search_json.empty()) write_file_atomic(request.search_json, json_text(search));
    nlohmann::json evaluated = nlohmann::json::array();
    auto evaluate = [&](const std::string& label, int point, const quant::FoldQuantizer& recipe) {
      const quant::SearchPoint& p = result.points[static_cast<size_t>(point)];
      const model::CvOutcome outcome = quant::quantized_cv(float_cv, dataset, decisions, recipe, protocol, request.threads, request.rule_of, request.calibration);
      add_row(table, label, quant::bits_summary(p.bits), fmt::format("{:.0f}", p.cost), fmt::format("{:+.2f}", 100 * p.loss),
              outcome, float_cv);
      nlohmann::json entry = quantized_entry(label, outcome, float_cv, dataset, decisions, request, episodes);
      entry["point"] = point;
      entry["bits"] = quant::to_json(p.bits);
      entry["cost"] = p.cost;
      entry["validation_loss"] = p.loss;
      evaluated.push_back(std::move(entry));
    };
    evaluate("start (8-bit)", 0, quant::bits_recipe(models, dataset, result.points[0].bits, protocol));
    for (const quant::Survivor& s : result.survivors) {
      if (s.point < 0) continue;
      const quant::TensorBits bits = result.points[static_cast<size_t>(s.point)].bits;
      if (!request.survivor_bits.empty()) {
        std::filesystem::create_directories(request.survivor_bits);
        write_file_atomic(fmt::format("{}/bits-within-{:.1f}pp.json", request.survivor_bits, 100 * s.budget),
                          json_text(quant::to_json(bits)));
      }
      evaluate(fmt::format("cheapest within {:.1f} pp", 100 * s.budget), s.point,
               quant::bits_recipe(models, dataset, bits, protocol));
      if (s.qat_point >= 0) {
        const std::vector<model::Detector>& tuned = s.qat_detectors;
        evaluate(fmt::format("cheapest within {:.1f} pp + QAT", 100 * s.budget), s.qat_point,
                 [&](size_t fold, const model::Detector&) {
                   return std::make_pair(tuned.at(fold), quant::configure(models.at(fold), dataset, bits, protocol));
                 });
      }
    }
    search.erase("points");  // in --search-json
    out["search"] = search;
    out["evaluated"] = evaluated;
  }
  std::cout << table.render();
  if (request.rule_of) std::cout << episodes.render();
  return out;
}

}  // namespace gaitlstm::cli
