// The planning stages: float models (trained, or loaded), quantized
// candidates (listed bits and the bit-width search), and the design points
// (candidate x architecture) the sweep builds.  All run on the coordinator
// and are cached as files named in the store's `stages` table.
#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/augment.h"
#include "explore/episode_stage.h"
#include "explore/exploration.h"
#include "explore/json_reader.h"
#include "model/metrics.h"
#include "model/model_file.h"
#include "model/sequences.h"
#include "quant/golden.h"
#include "quant/quantized_cv.h"
#include "rtl/design.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<model::Band> parse_bands(const std::string& text, const std::string& source) {
  try {
    return model::parse_bands(text);
  } catch (const std::invalid_argument& e) {
    throw InputError(source, 0, std::string("models: bands: ") + e.what());
  }
}

model::FrontEndConfig frontend_for(const ModelConfig& m, const data::Dataset& dataset, const std::string& source) {
  model::FrontEndConfig f;
  f.sample_rate_hz = dataset.sample_rate_hz;
  f.decimation = m.decimation;
  f.bands = parse_bands(m.bands, source);
  f.baseline_shift = m.baseline_shift;
  f.axes_per_sensor = m.axes_per_sensor;
  f.keep_levels = m.keep_levels;
  f.energy_smoothing_shift = m.energy_smoothing_shift;
  f.ratios = m.ratios;
  if (m.ratios && f.bands.size() < 2)
    throw InputError(source, 0, fmt::format("models '{}': ratios need at least two bands", m.label));
  for (int column : data::resolve_channels(dataset, m.channels)) f.channel_names.push_back(dataset.channel_names[column]);
  if (m.channels == "all" || dataset.channel_groups.count(m.channels)) f.channel_group = m.channels;
  if (m.axes_per_sensor < 1 || f.channels() % m.axes_per_sensor != 0)
    throw InputError(source, 0, fmt::format("models '{}': axes_per_sensor must divide the {} channels", m.label, f.channels()));
  return f;
}

model::TrainConfig train_config(const ExploreConfig& config, const ModelConfig& m) {
  model::TrainConfig t;
  t.hidden = m.hidden;
  t.history_steps = m.history;
  t.max_epochs = m.epochs;
  t.patience = m.patience;
  t.output_smoothing = m.smoothing;
  t.gain_augmentation_log2 = m.gain_augmentation;
  t.weight_averaging = m.weight_averaging;
  t.augmentation = data::parse_augmentation(m.augment);
  t.augment_copies = m.augment_copies;
  t.protocol.stride = config.realtime.stride;  // as the data stage's decisions
  t.seed = static_cast<uint64_t>(m.seed);
  t.threads = config.threads;
  return t;
}

}  // namespace

quant::CostModel initial_cost_model(const ExploreConfig& config) {
  if (config.search.cost_model.empty()) return {};
  try {
    return quant::cost_model_from_json(json::parse(read_file(config.search.cost_model)));
  } catch (const std::exception& e) {
    throw InputError(config.search.cost_model, 0, std::string("not a cost model: ") + e.what());
  }
}

// The leave-one-subject-out models of `f`'s settings (every subject of the
// data held out once), trained the first time a candidate needs them.
void Exploration::ensure_loso(FloatModel& f) {
  if (f.loso) return;
  if (!f.config->load.empty())
    throw InputError(config_.source, 0,
                     fmt::format("models '{}': data.evaluation \"loso\" needs a model to train, not load", f.config->label));
  const auto start = Clock::now();
  model::CvOptions options;
  options.keep_models = true;
  f.loso = model::cross_validate_lstm(data_.dataset, data_.decisions, frontend_for(*f.config, data_.dataset, config_.source),
                                      train_config(config_, *f.config), options, nullptr);
  f.loso_models = quant::search_models(
      *f.loso, data_.decisions,
      config_.search.scope == "validation" ? quant::SearchScope::kValidation : quant::SearchScope::kNonTest);
  log_.line(fmt::format("model {}: leave-one-subject-out, {} folds, pooled AUC {:.4f}, {:.0f} s", f.config->label,
                        f.loso->folds.size(), f.loso->pooled.auc, seconds_since(start)));
}

FloatModel Exploration::float_model(const ModelConfig& m) {
  const DataStage& d = data_;
  FloatModel f;
  f.config = &m;
  const json key = {{"flow", kFlowVersion}, {"data", d.fingerprint}, {"model", m.to_json()},
                    {"stride", d.protocol.stride}, {"train", d.train_subjects}, {"validation", d.validation_subject},
                    {"load_file", m.load.empty() ? "" : hash_key(read_file(m.load))}};
  f.key = hash_key(key);
  if (auto cached = store_->stage(f.key); cached && fs::exists(cached->file)) {
    f.detector = model::load_detector(cached->file);
    log_.line(fmt::format("model {}: cached ({})", m.label, cached->file));
    return f;
  }
  const auto start = Clock::now();
  const std::string file = (fs::path(out_) / "models" / fmt::format("float-{}-{}.json", m.label, f.key)).string();
  json metrics;
  if (!m.load.empty()) {
    f.detector = model::load_detector(m.load);
  } else {
    const model::TrainConfig t = train_config(config_, m);
    log_.line(fmt::format("model {}: training H={} T={} on subjects {}", m.label, m.hidden, m.history,
                          fmt::join(d.train_subjects, ",")));
    model::FitResult fit = model::fit_detector(d.dataset, d.decisions, frontend_for(m, d.dataset, config_.source), t,
                                               d.train_subjects, d.validation_subject, nullptr);
    fit.detector.metrics = {{"validation", model::metrics_to_json(fit.validation)},
                            {"validation_subject", d.validation_subject},
                            {"train_subjects", d.train_subjects},
                            {"best_epoch", fit.training.best_epoch}};
    f.detector = fit.detector;
    metrics["validation_auc"] = fit.validation.auc;
  }
  if (m.calibration && !f.detector.calibration) {  // seeds: the statistic on the validation subject
    const std::vector<data::Decision> validation = data::filter_subjects(d.decisions, {d.validation_subject});
    f.detector.calibration =
        model::seed_calibration({}, model::score_dataset(f.detector, d.dataset, validation, config_.threads));
  }
  model::save_detector(f.detector, file);
  metrics["parameters"] = f.detector.lstm.shape.parameter_count();
  store_->put_stage({f.key, "float", m.label, file, metrics, seconds_since(start)});
  log_.line(fmt::format("model {}: {} parameters, {:.0f} s", m.label, f.detector.lstm.shape.parameter_count(),
                        seconds_since(start)));
  return f;
}

// Post-training quantization of `f` for every entry of `bits` (cached by
// float model, bits and test subjects).
void Exploration::quantize_candidates(FloatModel& f, const std::vector<BitsCandidate>& bits,
                                      std::deque<Candidate>& result) {
  const DataStage& d = data_;
  const std::vector<data::Decision> eval = evaluation_decisions();
  const std::vector<uint8_t> labels = model::decision_labels(eval);
  const QuantDecisions qd{data::filter_subjects(d.decisions, d.train_subjects),
                          data::filter_subjects(d.decisions, {d.validation_subject})};
  std::optional<double> float_auc;
  for (const BitsCandidate& b : bits) {
    if (std::any_of(result.begin(), result.end(), [&](const Candidate& c) { return c.bits == b.bits; })) continue;
    Candidate c;
    c.float_model = &f;
    c.label = b.label;
    c.bits = b.bits;
    c.key = hash_key(json{{"flow", kFlowVersion}, {"float", f.key}, {"bits", quant::to_json(b.bits)},
                          {"test", d.test_subjects}, {"evaluation", config_.data.evaluation}});
    if (auto cached = store_->stage(c.key); cached && fs::exists(cached->file)) {
      c.file = cached->file;
      c.model = quant::load_qmodel(cached->file);
      ObjectReader metrics(cached->metrics, "stages[" + c.key + "].metrics", store_->path());
      metrics.require("auc", c.auc);
      metrics.require("float_auc", c.float_auc);  // the other keys are for people reading the store
      if (metrics.has("episodes")) {
        c.episodes = episode_figures_from_json(metrics.at("episodes"), store_->path());
      } else {  // cached before episodes were measured: measure them now, on the same decisions
        const double auc = c.auc;
        if (config_.data.evaluation == "loso") {
          measure_loso(f, c);
        } else {
          const std::vector<int64_t> raw = quant::make_golden(c.model).score_decisions(d.dataset, eval, config_.threads);
          c.episodes = holdout_episodes(c.model, d.dataset, eval, raw, d.protocol, f.detector.cue);
        }
        c.auc = auc;
        json updated = cached->metrics;
        updated["episodes"] = to_json(*c.episodes);
        store_->put_stage({c.key, cached->kind, cached->label, cached->file, updated, cached->seconds});
      }
      result.push_back(std::move(c));
      continue;
    }
    const auto start = Clock::now();
    QuantCandidate q = quantize_candidate(f.detector, b, d.dataset, qd, d.protocol, config_.threads);
    const std::vector<int64_t> raw = quant::make_golden(q.model).score_decisions(d.dataset, eval, config_.threads);
    const double holdout_auc = model::roc_auc({raw.begin(), raw.end()}, labels);
    if (!float_auc) float_auc = model::roc_auc(model::score_dataset(f.detector, d.dataset, eval, config_.threads), labels);
    c.auc = holdout_auc;
    c.float_auc = *float_auc;
    c.model = std::move(q.model);
    if (config_.data.evaluation == "loso") {
      measure_loso(f, c);
      c.float_auc = f.loso->pooled.auc;
    } else {
      c.episodes = holdout_episodes(c.model, d.dataset, eval, raw, d.protocol, f.detector.cue);
    }
    c.model.metrics["explore_auc"] = c.auc;
    c.file = (fs::path(out_) / "models" / fmt::format("q-{}-{}-{}.json", f.config->label, b.label, c.key)).string();
    quant::save_qmodel(c.model, c.file);
    store_->put_stage({c.key, "quant", f.config->label + "/" + b.label, c.file,
                       {{"auc", c.auc}, {"float_auc", c.float_auc}, {"holdout_auc", holdout_auc},
                        {"holdout_float_auc", *float_auc}, {"evaluation", config_.data.evaluation},
                        {"episodes", to_json(*c.episodes)},
                        {"bits", quant::to_json(b.bits)},
                        {"model", f.config->label}, {"quant", b.label}, {"decisions", eval.size()}},
                       seconds_since(start)});
    log_.line(fmt::format("quant {}/{}: AUC {:.4f} (float {:.4f}) {}", f.config->label, b.label, c.auc, c.float_auc,
                          config_.data.evaluation == "loso" ? "leave-one-subject-out"
                                                            : fmt::format("on {} decisions", eval.size())));
    result.push_back(std::move(c));
  }
}

// Leave-one-subject-out: every fold's float model quantized with the
// candidate's bits (formats from the fold's own training subjects), its
// golden scores and alarms (threshold chosen on the fold's validation
// subject, the model's cue) on the fold's test subject, pooled.
void Exploration::measure_loso(FloatModel& f, Candidate& c) {
  const DataStage& d = data_;
  ensure_loso(f);
  const model::CvOutcome q =
      quant::quantized_cv(*f.loso, d.dataset, d.decisions, quant::bits_recipe(f.loso_models, d.dataset, c.bits, d.protocol),
                          d.protocol, config_.threads, alarm_rule(f.detector.cue));
  c.auc = q.pooled.auc;
  c.episodes = loso_episodes(q, d.dataset, d.decisions, d.protocol, f.detector.cue);
}

// The bit-width search on `f` with `cost` (cached by float model, search
// settings and cost model); returns its JSON (quant::search_to_json).
json Exploration::search_stage(FloatModel& f, const quant::CostModel& cost) {
  const DataStage& d = data_;
  const std::string key = hash_key(json{{"flow", kFlowVersion}, {"float", f.key}, {"search", config_.search.to_json()},
                                        {"cost", quant::to_json(cost)}, {"stride", d.protocol.stride},
                                        {"evaluation", config_.data.evaluation}});
  if (auto cached = store_->stage(key); cached && fs::exists(cached->file)) return json::parse(read_file(cached->file));
  const auto start = Clock::now();
  std::vector<quant::SearchModel> models;
  if (config_.data.evaluation == "loso") {
    ensure_loso(f);
    models = f.loso_models;  // every fold; the loss on its non-test subjects
  } else {
    std::vector<int> scope = {d.validation_subject};
    if (config_.search.scope == "non-test") scope.insert(scope.end(), d.train_subjects.begin(), d.train_subjects.end());
    models.push_back({f.detector, data::filter_subjects(d.decisions, d.train_subjects),
                      data::filter_subjects(d.decisions, scope), {}, "model"});
  }
  log_.line(fmt::format("search {}: {} budgets over {} model(s), cost model: {}", f.config->label,
                        config_.search.budgets.size(), models.size(), cost.source));
  const json result = search_bits(models, d.dataset, config_.search, cost, d.protocol, config_.threads, options_.log);
  const std::string file = (fs::path(out_) / "models" / fmt::format("search-{}-{}.json", f.config->label, key)).string();
  write_file_atomic(file, result.dump(1) + "\n");
  store_->put_stage({key, "search", f.config->label, file,
                     {{"evaluations", result.at("evaluations")}, {"pareto", result.at("pareto").size()},
                      {"cost_model", cost.source}},
                     seconds_since(start)});
  log_.line(fmt::format("search {}: {} configurations, {} on the Pareto set, {:.0f} s", f.config->label,
                        result.at("evaluations").get<int>(), result.at("pareto").size(), seconds_since(start)));
  return result;
}

namespace {

json point_key_json(const ExploreConfig& config, const Candidate& c, const std::string& arch) {
  json key = {{"flow", kFlowVersion},
          {"quant", c.key},
          {"arch", arch},
          {"clock_ns", config.clock_ns},
          {"technology", {{"liberty", config.technology.liberty}, {"lef", config.technology.lef}}},
          {"verify", {{"on", config.verify.enabled}, {"decisions", config.verify.decisions},
                      {"segments", config.verify.segments}, {"random", config.verify.random_samples}}},
          {"power", {{"on", config.power.enabled}, {"decisions", config.power.decisions}, {"scope", config.power.scope}}},
          {"realtime", {{"hz", config.realtime.sensor_hz}, {"stride", config.realtime.stride},
                        {"deadline", config.realtime.deadline}, {"deadline_s", config.realtime.deadline_s}}}};
  if (config.verify.enabled && config.verify.netlist_decisions > 0) key["verify"]["netlist"] = config.verify.netlist_decisions;
  // Only when not the default library, so the keys of OSU 0.18 points stay.
  if (config.technology.liberty.empty() && config.technology.library != "osu018")
    key["technology"]["library"] = config.technology.library;
  // Verilator's zero-delay activity has no zero-time glitches: other figures.
  if (config.power.simulator != "icarus") key["power"]["simulator"] = config.power.simulator;
  return key;
}

}  // namespace

void Exploration::plan_points() {
  std::set<std::string> known;
  for (const PlannedPoint& p : planned_) known.insert(p.spec.key);
  for (size_t i = 0; i < floats_.size(); ++i) {
    for (const Candidate& c : candidates_[i]) {
      for (const std::string& arch : config_.architectures_for(*floats_[i].config)) {
        const std::string key = hash_key(point_key_json(config_, c, arch));
        if (known.count(key)) continue;
        const rtl::CoreConfig core = rtl::parse_architecture(arch);
        if (!core.multiplierless) {
          try {
            rtl::validate_lanes(c.model.detector.lstm.shape, core.lanes);
          } catch (const std::exception& e) {
            ++summary_.points_skipped_invalid;
            log_.line(fmt::format("skip {}/{}/{}: {}", floats_[i].config->label, c.label, arch, e.what()));
            continue;
          }
        }
        if (config_.budget.max_points > 0 && static_cast<int>(planned_.size()) >= config_.budget.max_points) {
          summary_.points_planned = static_cast<int64_t>(planned_.size());
          return;
        }
        known.insert(key);
        PointSpec spec{key, floats_[i].config->label, c.label, arch, floats_[i].key, c.key, c.file, c.auc,
                       c.float_auc, c.bits, c.episodes};
        planned_.push_back({spec, &c});
      }
    }
  }
  summary_.points_planned = static_cast<int64_t>(planned_.size());
}

}  // namespace gaitlstm::explore
