#include "explore/explore.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/load.h"
#include "data/protocol.h"
#include "data/synthetic.h"
#include "eda/layout.h"
#include "eda/library.h"
#include "eda/power.h"
#include "util/process_runner.h"
#include "eda/sta.h"
#include "eda/synth.h"
#include "explore/pareto.h"
#include "explore/quant_stage.h"
#include "explore/realtime.h"
#include "explore/report.h"
#include "explore/store.h"
#include "model/detector.h"
#include "model/cv.h"
#include "model/metrics.h"
#include "model/model_file.h"
#include "model/sequences.h"
#include "quant/qmodel_file.h"
#include "quant/quantized_cv.h"
#include "rtl/design.h"
#include "rtl/power_testbench.h"
#include "rtl/verify.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Bumped when a stage's computation changes, so old cached results are not reused.
constexpr int kFlowVersion = 1;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Serialised logging from worker threads.
class Log {
 public:
  explicit Log(std::ostream* out) : out_(out) {}
  void line(const std::string& text) {
    if (!out_) return;
    std::lock_guard lock(mutex_);
    *out_ << "explore: " << text << "\n" << std::flush;
  }

 private:
  std::ostream* out_;
  std::mutex mutex_;
};

// ---- data -------------------------------------------------------------------

struct DataStage {
  std::string dir;
  std::string fingerprint;
  data::Dataset dataset;
  data::ProtocolConfig protocol;
  std::vector<data::Decision> decisions;
  std::vector<int> train_subjects, test_subjects;
  int validation_subject = 0;
};

std::string directory_fingerprint(const std::string& dir, const std::string& spec) {
  json files = json::array();
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) files.push_back({p.filename().string(), fs::file_size(p)});
  return hash_key(json{{"files", files}, {"spec", spec.empty() ? "" : read_file(spec)}});
}

DataStage prepare_data(const ExploreConfig& config, const std::string& out, Log& log) {
  DataStage d;
  const DataConfig& c = config.data;
  if (c.dir.empty()) {
    const json key = {{"seed", c.synthetic_seed}, {"subjects", c.synthetic_subjects}, {"minutes", c.synthetic_minutes}};
    d.dir = (fs::path(out) / "data" / ("synthetic-" + hash_key(key))).string();
    const fs::path done = fs::path(d.dir) / ".complete";
    if (!fs::exists(done)) {
      data::SyntheticConfig s;
      s.seed = c.synthetic_seed;
      s.subjects = c.synthetic_subjects;
      s.minutes_per_run = c.synthetic_minutes;
      data::write_synthetic_dataset(d.dir, s);
      write_file_atomic(done.string(), "");
    }
    d.fingerprint = hash_key(json{{"synthetic", key}});
    log.line(fmt::format("data: embedded synthetic recordings in {}", d.dir));
  } else {
    d.dir = c.dir;
    d.fingerprint = directory_fingerprint(c.dir, c.spec);
    log.line(fmt::format("data: {}", d.dir));
  }
  d.dataset = data::load_dataset(d.dir, {c.spec, config.realtime.sensor_hz});
  d.protocol.stride = config.realtime.stride;
  d.decisions = data::make_decisions(d.dataset, d.protocol);
  const std::vector<int> subjects = d.dataset.subjects();
  for (int t : c.test_subjects)
    if (std::find(subjects.begin(), subjects.end(), t) == subjects.end())
      throw InputError(config.source, 0, fmt::format("data.test_subjects: subject {} is not in {}", t, d.dir));
  d.test_subjects = c.test_subjects;
  auto is_test = [&](int s) { return std::find(c.test_subjects.begin(), c.test_subjects.end(), s) != c.test_subjects.end(); };
  d.validation_subject = c.validation_subject;
  if (d.validation_subject == 0) {
    for (const data::Decision& dec : d.decisions)
      if (dec.freeze && !is_test(dec.subject)) d.validation_subject = std::max(d.validation_subject, dec.subject);
    if (d.validation_subject == 0)
      throw InputError(config.source, 0, "data: no subject outside test_subjects has a freeze decision (validation)");
  }
  for (int s : subjects)
    if (s != d.validation_subject && !is_test(s)) d.train_subjects.push_back(s);
  if (d.train_subjects.empty()) throw InputError(config.source, 0, "data: no subjects left for training");
  log.line(fmt::format("data: {} segments, {} decisions; train {}, validation {}, test {}", d.dataset.segments.size(),
                       d.decisions.size(), fmt::join(d.train_subjects, ","), d.validation_subject,
                       d.test_subjects.empty() ? "none (AUC on the validation subject)" : fmt::format("{}", fmt::join(d.test_subjects, ","))));
  return d;
}

// Decisions the AUC is reported on: the test subjects', else the validation subject's.
std::vector<data::Decision> evaluation_decisions(const DataStage& d) {
  return d.test_subjects.empty() ? data::filter_subjects(d.decisions, {d.validation_subject})
                                 : data::filter_subjects(d.decisions, d.test_subjects);
}

// How a design's AUC was measured, for the report.
std::string auc_measured_on(const ExploreConfig& config, const DataStage& d) {
  if (config.data.evaluation == "loso")
    return "leave-one-subject-out, pooled over every subject held out once (one float model per fold, quantized with "
           "the design's bits, golden model)";
  return d.test_subjects.empty()
             ? fmt::format("the validation subject S{:02d} (golden model)", d.validation_subject)
             : fmt::format("the held-out test subject(s) {} (golden model)", fmt::join(d.test_subjects, ", "));
}

// ---- float models -------------------------------------------------------------

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
  for (int column : data::resolve_channels(dataset, m.channels)) f.channel_names.push_back(dataset.channel_names[column]);
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
  t.seed = static_cast<uint64_t>(m.seed);
  t.threads = config.threads;
  return t;
}

struct FloatModel {
  const ModelConfig* config = nullptr;
  std::string key;
  model::Detector detector;
  // data.evaluation "loso": one model per held-out subject, trained on demand.
  std::optional<model::CvOutcome> loso;
  std::vector<quant::SearchModel> loso_models;
};

// The leave-one-subject-out models of `f`'s settings (every subject of the
// data held out once), trained the first time a candidate needs them.
void ensure_loso(const ExploreConfig& config, FloatModel& f, const DataStage& d, Log& log) {
  if (f.loso) return;
  if (!f.config->load.empty())
    throw InputError(config.source, 0, fmt::format("models '{}': data.evaluation \"loso\" needs a model to train, not load",
                                                   f.config->label));
  const auto start = Clock::now();
  model::CvOptions options;
  options.keep_models = true;
  f.loso = model::cross_validate_lstm(d.dataset, d.decisions, frontend_for(*f.config, d.dataset, config.source),
                                      train_config(config, *f.config), options, nullptr);
  f.loso_models = quant::search_models(
      *f.loso, d.decisions,
      config.search.scope == "validation" ? quant::SearchScope::kValidation : quant::SearchScope::kNonTest);
  log.line(fmt::format("model {}: leave-one-subject-out, {} folds, pooled AUC {:.4f}, {:.0f} s", f.config->label,
                       f.loso->folds.size(), f.loso->pooled.auc, seconds_since(start)));
}

FloatModel float_model(const ExploreConfig& config, const ModelConfig& m, const DataStage& d, const std::string& out,
                       Store& store, Log& log) {
  FloatModel f;
  f.config = &m;
  const json key = {{"flow", kFlowVersion}, {"data", d.fingerprint}, {"model", m.to_json()},
                    {"stride", d.protocol.stride}, {"train", d.train_subjects}, {"validation", d.validation_subject},
                    {"load_file", m.load.empty() ? "" : hash_key(read_file(m.load))}};
  f.key = hash_key(key);
  if (auto cached = store.stage(f.key); cached && fs::exists(cached->file)) {
    f.detector = model::load_detector(cached->file);
    log.line(fmt::format("model {}: cached ({})", m.label, cached->file));
    return f;
  }
  const auto start = Clock::now();
  const std::string file = (fs::path(out) / "models" / fmt::format("float-{}-{}.json", m.label, f.key)).string();
  json metrics;
  if (!m.load.empty()) {
    f.detector = model::load_detector(m.load);
  } else {
    const model::TrainConfig t = train_config(config, m);
    log.line(fmt::format("model {}: training H={} T={} on subjects {}", m.label, m.hidden, m.history,
                         fmt::join(d.train_subjects, ",")));
    model::FitResult fit = model::fit_detector(d.dataset, d.decisions, frontend_for(m, d.dataset, config.source), t,
                                               d.train_subjects, d.validation_subject, nullptr);
    fit.detector.metrics = {{"validation", model::metrics_to_json(fit.validation)},
                            {"validation_subject", d.validation_subject},
                            {"train_subjects", d.train_subjects},
                            {"best_epoch", fit.training.best_epoch}};
    f.detector = fit.detector;
    metrics["validation_auc"] = fit.validation.auc;
  }
  model::save_detector(f.detector, file);
  metrics["parameters"] = f.detector.lstm.shape.parameter_count();
  store.put_stage({f.key, "float", m.label, file, metrics, seconds_since(start)});
  log.line(fmt::format("model {}: {} parameters, {:.0f} s", m.label, f.detector.lstm.shape.parameter_count(),
                       seconds_since(start)));
  return f;
}

// ---- quantized candidates -------------------------------------------------------

struct Candidate {
  const FloatModel* float_model = nullptr;
  std::string key, label;
  quant::TensorBits bits;
  quant::QuantizedModel model;
  double auc = 0, float_auc = 0;
};

// Post-training quantization of `f` for every entry of `bits` (cached by
// float model, bits and test subjects).
void quantize_candidates(const ExploreConfig& config, FloatModel& f, const std::vector<BitsCandidate>& bits,
                         const DataStage& d, const std::string& out, Store& store, Log& log,
                         std::deque<Candidate>& result) {
  const std::vector<data::Decision> eval = evaluation_decisions(d);
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
                          {"test", d.test_subjects}, {"evaluation", config.data.evaluation}});
    if (auto cached = store.stage(c.key); cached && fs::exists(cached->file)) {
      c.model = quant::load_qmodel(cached->file);
      c.auc = cached->metrics.value("auc", 0.0);
      c.float_auc = cached->metrics.value("float_auc", 0.0);
      result.push_back(std::move(c));
      continue;
    }
    const auto start = Clock::now();
    QuantCandidate q = quantize_candidate(f.detector, b, d.dataset, qd, d.protocol, config.threads);
    const std::vector<int64_t> raw = quant::make_golden(q.model).score_decisions(d.dataset, eval, config.threads);
    const double holdout_auc = model::roc_auc({raw.begin(), raw.end()}, labels);
    if (!float_auc) float_auc = model::roc_auc(model::score_dataset(f.detector, d.dataset, eval, config.threads), labels);
    c.auc = holdout_auc;
    c.float_auc = *float_auc;
    if (config.data.evaluation == "loso") {
      ensure_loso(config, f, d, log);
      c.auc = quant::quantized_cv(*f.loso, d.dataset, d.decisions,
                                  quant::bits_recipe(f.loso_models, d.dataset, b.bits, d.protocol), d.protocol,
                                  config.threads)
                  .pooled.auc;
      c.float_auc = f.loso->pooled.auc;
    }
    c.model = std::move(q.model);
    c.model.metrics["explore_auc"] = c.auc;
    const std::string file =
        (fs::path(out) / "models" / fmt::format("q-{}-{}-{}.json", f.config->label, b.label, c.key)).string();
    quant::save_qmodel(c.model, file);
    store.put_stage({c.key, "quant", f.config->label + "/" + b.label, file,
                     {{"auc", c.auc}, {"float_auc", c.float_auc}, {"holdout_auc", holdout_auc},
                      {"holdout_float_auc", *float_auc}, {"evaluation", config.data.evaluation},
                      {"bits", quant::to_json(b.bits)},
                      {"model", f.config->label}, {"quant", b.label}, {"decisions", eval.size()}},
                     seconds_since(start)});
    log.line(fmt::format("quant {}/{}: AUC {:.4f} (float {:.4f}) {}", f.config->label, b.label, c.auc, c.float_auc,
                         config.data.evaluation == "loso" ? "leave-one-subject-out"
                                                          : fmt::format("on {} decisions", eval.size())));
    result.push_back(std::move(c));
  }
}

quant::CostModel initial_cost_model(const ExploreConfig& config) {
  if (config.search.cost_model.empty()) return {};
  try {
    return quant::cost_model_from_json(json::parse(read_file(config.search.cost_model)));
  } catch (const std::exception& e) {
    throw InputError(config.search.cost_model, 0, std::string("not a cost model: ") + e.what());
  }
}

// The bit-width search on `f` with `cost` (cached by float model, search
// settings and cost model); returns its JSON (quant::search_to_json).
json search_stage(const ExploreConfig& config, FloatModel& f, const DataStage& d, const quant::CostModel& cost,
                  const std::string& out, Store& store, Log& log, std::ostream* progress) {
  const std::string key = hash_key(json{{"flow", kFlowVersion}, {"float", f.key}, {"search", config.search.to_json()},
                                        {"cost", quant::to_json(cost)}, {"stride", d.protocol.stride},
                                        {"evaluation", config.data.evaluation}});
  if (auto cached = store.stage(key); cached && fs::exists(cached->file)) return json::parse(read_file(cached->file));
  const auto start = Clock::now();
  std::vector<quant::SearchModel> models;
  if (config.data.evaluation == "loso") {
    ensure_loso(config, f, d, log);
    models = f.loso_models;  // every fold; the loss on its non-test subjects
  } else {
    std::vector<int> scope = {d.validation_subject};
    if (config.search.scope == "non-test") scope.insert(scope.end(), d.train_subjects.begin(), d.train_subjects.end());
    models.push_back({f.detector, data::filter_subjects(d.decisions, d.train_subjects),
                      data::filter_subjects(d.decisions, scope), {}, "model"});
  }
  log.line(fmt::format("search {}: {} budgets over {} model(s), cost model: {}", f.config->label,
                       config.search.budgets.size(), models.size(), cost.source));
  const json result = search_bits(models, d.dataset, config.search, cost, d.protocol, config.threads, progress);
  const std::string file = (fs::path(out) / "models" / fmt::format("search-{}-{}.json", f.config->label, key)).string();
  write_file_atomic(file, result.dump(1) + "\n");
  store.put_stage({key, "search", f.config->label, file,
                   {{"evaluations", result.at("evaluations")}, {"pareto", result.at("pareto").size()},
                    {"cost_model", cost.source}},
                   seconds_since(start)});
  log.line(fmt::format("search {}: {} configurations, {} on the Pareto set, {:.0f} s", f.config->label,
                       result.at("evaluations").get<int>(), result.at("pareto").size(), seconds_since(start)));
  return result;
}

// ---- design points --------------------------------------------------------------

struct PointTask {
  std::string key;
  const Candidate* candidate = nullptr;
  std::string arch;
  std::string name() const { return candidate->float_model->config->label + "/" + candidate->label + "/" + arch; }
};

eda::Technology technology(const TechConfig& t) {
  if (t.liberty.empty()) return eda::osu018_technology();
  return eda::user_technology(t.liberty, t.lef, t.cell_models, t.node_nm, t.supply_v);
}

json point_key_json(const ExploreConfig& config, const Candidate& c, const std::string& arch) {
  return {{"flow", kFlowVersion},
          {"quant", c.key},
          {"arch", arch},
          {"clock_ns", config.clock_ns},
          {"technology", {{"liberty", config.technology.liberty}, {"lef", config.technology.lef}}},
          {"verify", {{"on", config.verify.enabled}, {"decisions", config.verify.decisions},
                      {"segments", config.verify.segments}, {"random", config.verify.random_samples}}},
          {"power", {{"on", config.power.enabled}, {"decisions", config.power.decisions}, {"scope", config.power.scope}}},
          {"realtime", {{"hz", config.realtime.sensor_hz}, {"stride", config.realtime.stride},
                        {"deadline", config.realtime.deadline}, {"deadline_s", config.realtime.deadline_s}}}};
}

// Deletes the bulky intermediate files of a finished point (Verilator build,
// gate-level VCD, the compiled simulation, the per-pin activity script); the
// RTL, the netlist and the logs stay.
void prune_point_dir(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir / "verify", ec);
  std::vector<fs::path> vcds;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().extension() == ".vcd" || it->path().extension() == ".vvp" ||
        it->path().filename() == "activity.tcl")
      vcds.push_back(it->path());
  for (const fs::path& p : vcds) fs::remove(p, ec);
}

// Artefacts of one attempt are built in "<final>.partial-<pid>-<n>" and renamed
// to <final> when complete, so a killed attempt (and any tool it leaves
// running) never touches the directory a finished point is recorded with.
class PartialDir {
 public:
  explicit PartialDir(const fs::path& final_dir) : final_(final_dir) {
    static std::atomic<int> counter{0};
    partial_ = final_dir.string() + fmt::format(".partial-{}-{}", ::getpid(), counter++);
    fs::remove_all(partial_);
    fs::create_directories(partial_);
  }
  ~PartialDir() {  // a failed attempt keeps its logs under the final name
    std::error_code ec;
    if (committed_) return;
    fs::remove_all(final_, ec);
    fs::rename(partial_, final_, ec);
  }
  const fs::path& path() const { return partial_; }
  // Moves the finished artefacts into place; paths inside `record` that
  // point into the partial directory are rewritten to the final one.
  json commit(const json& record) {
    std::error_code ec;
    fs::remove_all(final_, ec);
    fs::rename(partial_, final_);
    committed_ = true;
    std::string text = record.dump();
    const std::string from = partial_.string(), to = final_.string();
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
    return json::parse(text);
  }

 private:
  fs::path final_, partial_;
  bool committed_ = false;
};

// Removes partial directories left by killed runs (their pid is gone).
void remove_stale_partials(const fs::path& parent) {
  std::error_code ec;
  if (!fs::exists(parent, ec)) return;
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    const size_t at = name.find(".partial-");
    if (at == std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + at + 9));
    if (pid != ::getpid() && ::kill(pid, 0) != 0) stale.push_back(e.path());
  }
  for (const fs::path& p : stale) fs::remove_all(p, ec);
}

// Timing of a point's synthesized netlist at the sweep's clock; the callers
// add the work directory and time limit of their step.
eda::StaOptions sta_options(const ExploreConfig& config, const std::string& netlist, const std::string& top) {
  eda::StaOptions sta;
  sta.netlist = netlist;
  sta.top = top;
  sta.tech = technology(config.technology);
  sta.clock_ns = config.clock_ns;
  return sta;
}

// Gate-level power of a synthesized point (Icarus on the netlist with the
// first decisions of the first recording, OpenSTA with that activity) into
// m["power"].  A power run that fails or times out leaves the point without
// energy (m["power_error"]) rather than failing it: area, timing and latency
// still count.
std::optional<MeasuredPower> measure_power(const ExploreConfig& config, const quant::GoldenDetector& golden,
                                           const rtl::DesignSummary& design, const DataStage& d,
                                           const eda::StaOptions& sta, const std::string& power_dir, json& m) {
  try {
    const int64_t period = rtl::power_sample_period(golden, design);
    const rtl::PowerTestbench tb =
        rtl::write_recording_testbench(golden, design, d.dataset, config.power.decisions, period, power_dir);
    eda::Stimulus stimulus;
    stimulus.testbench_files = {tb.testbench_file};
    stimulus.vcd_file = tb.vcd_file;
    stimulus.dut_scope = tb.dut_scope;
    stimulus.cycles_per_decision = tb.cycles_per_decision;
    stimulus.timeout = std::chrono::seconds(config.budget.power_timeout_s);
    eda::StaOptions psta = sta;
    psta.work_dir = power_dir;
    psta.timeout = std::chrono::seconds(config.budget.power_timeout_s);
    ProcessRunner runner;
    const eda::PowerResult power = eda::power_with_stimulus(runner, psta, stimulus);
    json pj = eda::to_json(power);
    pj.erase("groups");
    pj["activity_cycles_per_decision"] = tb.cycles_per_decision;
    pj["sample_period_cycles"] = period;
    m["power"] = pj;
    m.erase("power_error");
    return MeasuredPower{1000.0 / config.clock_ns, power.dynamic_w, power.leakage_w, tb.cycles_per_decision};
  } catch (const std::exception& e) {
    m["power_error"] = e.what();
    return std::nullopt;
  }
}

json compute_point(const ExploreConfig& config, const PointTask& task, const DataStage& d, const std::string& out,
                   const RealTimeSpec& rt) {
  const Candidate& c = *task.candidate;
  PartialDir partial(fs::path(out) / "points" / task.key);
  const fs::path dir = partial.path();
  json m = {{"model", c.float_model->config->label}, {"quant", c.label}, {"arch", task.arch},
            {"quant_key", c.key}, {"float_key", c.float_model->key}, {"auc", c.auc}, {"float_auc", c.float_auc},
            {"tensor_bits", quant::to_json(c.bits)}, {"hidden", c.model.detector.lstm.shape.hidden},
            {"features", c.model.detector.lstm.shape.inputs}, {"history", c.model.detector.history_steps},
            {"parameters", c.model.detector.lstm.shape.parameter_count()}, {"clock_ns", config.clock_ns}};
  json seconds = json::object();
  auto start = Clock::now();

  const quant::GoldenDetector golden = quant::make_golden(c.model);
  const std::string rtl_dir = (dir / "rtl").string();
  const rtl::DesignSummary design = rtl::write_design(golden, rtl::parse_architecture(task.arch), rtl_dir);
  m["design"] = rtl::to_json(design);
  m["cycles_per_decision"] = design.cycles_per_decision;
  seconds["rtl"] = seconds_since(start);

  if (config.verify.enabled) {
    start = Clock::now();
    rtl::VerifyOptions v;
    v.max_segments = config.verify.segments;
    v.max_decisions = config.verify.decisions;
    v.random_samples = config.verify.random_samples;
    v.work_dir = (dir / "verify").string();
    const rtl::VerifyReport report = rtl::verify_design(golden, rtl_dir, d.dataset, v);
    m["verify"] = rtl::to_json(report);
    m["verify"].erase("first_mismatches");
    seconds["verify"] = seconds_since(start);
    if (!report.passed())
      throw std::runtime_error(fmt::format("verification failed: {} mismatches, {} latency errors{} in {} decisions",
                                           report.mismatch_count, report.latency_mismatches,
                                           report.overrun ? ", overrun" : "", report.decisions));
  }

  ProcessRunner runner;
  start = Clock::now();
  eda::SynthOptions so;
  so.sources = eda::rtl_sources(rtl_dir);
  so.top = design.top;
  so.tech = technology(config.technology);
  so.clock_ns = config.clock_ns;
  so.work_dir = (dir / "synth").string();
  so.timeout = std::chrono::seconds(config.budget.synth_timeout_s);
  const eda::SynthResult synth = eda::synthesize(runner, so);
  json sj = eda::to_json(synth);
  sj.erase("by_type");
  m["synthesis"] = sj;
  m["cells"] = synth.cells;
  m["flip_flops"] = synth.flip_flops;
  m["area_um2"] = synth.area_um2;
  m["area_mm2"] = synth.area_um2 * 1e-6;
  seconds["synth"] = seconds_since(start);

  start = Clock::now();
  eda::StaOptions sta = sta_options(config, synth.netlist, design.top);
  sta.work_dir = so.work_dir;
  sta.timeout = std::chrono::seconds(config.budget.sta_timeout_s);
  const eda::TimingResult timing = eda::analyze_timing(runner, sta);
  m["timing"] = {{"clock_ns", timing.clock_ns}, {"worst_slack_ns", timing.worst_slack_ns},
                 {"fmax_mhz", timing.fmax_mhz}, {"met", timing.met},
                 {"critical_path", {{"from", timing.critical_path.startpoint}, {"to", timing.critical_path.endpoint},
                                    {"arrival_ns", timing.critical_path.arrival_ns}}}};
  m["fmax_mhz"] = timing.fmax_mhz;
  seconds["sta"] = seconds_since(start);

  std::optional<MeasuredPower> measured;
  if (config.power.enabled && config.power.scope == "all") {
    start = Clock::now();
    measured = measure_power(config, golden, design, d, sta, (dir / "power").string(), m);
    seconds["power"] = seconds_since(start);
  }
  const RealTimeFigures figures =
      evaluate_realtime(rt, design.cycles_per_decision, timing.fmax_mhz, measured ? &*measured : nullptr);
  m["realtime"] = to_json(figures);
  m["seconds"] = seconds;
  m["artefacts"] = dir.string();  // RTL, netlist, tool logs (renamed to the final directory on commit)
  prune_point_dir(dir);
  write_file_atomic((dir / "result.json").string(), m.dump(2) + "\n");
  return partial.commit(m);
}

// Runs `count` jobs on `threads` workers (util/parallel.h); job(i) must not throw.
void run_parallel(size_t count, int threads, const std::function<void(size_t)>& job) {
  parallel_for(threads, count, job);
}

// ---- machine load (reported with the timings) ---------------------------------

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a.empty() ? "" : a + " " + b + " " + c;
}

// Adds the points of every (candidate, architecture) not planned yet.
void plan_points(const ExploreConfig& config, const std::vector<FloatModel>& floats,
                 const std::vector<std::deque<Candidate>>& candidates, std::vector<PointTask>& planned,
                 ExploreSummary& summary, Log& log) {
  std::set<std::string> known;
  for (const PointTask& t : planned) known.insert(t.key);
  for (size_t i = 0; i < floats.size(); ++i) {
    for (const Candidate& c : candidates[i]) {
      for (const std::string& arch : config.architectures_for(*floats[i].config)) {
        const std::string key = hash_key(point_key_json(config, c, arch));
        if (known.count(key)) continue;
        const rtl::CoreConfig core = rtl::parse_architecture(arch);
        if (!core.multiplierless) {
          try {
            rtl::validate_lanes(c.model.detector.lstm.shape, core.lanes);
          } catch (const std::exception& e) {
            ++summary.points_skipped_invalid;
            log.line(fmt::format("skip {}/{}/{}: {}", floats[i].config->label, c.label, arch, e.what()));
            continue;
          }
        }
        if (config.budget.max_points > 0 && static_cast<int>(planned.size()) >= config.budget.max_points) return;
        known.insert(key);
        planned.push_back({key, &c, arch});
      }
    }
  }
  summary.points_planned = static_cast<int64_t>(planned.size());
}

// Builds planned[first..] that the store does not hold yet (failed ones
// again with --retry-failed), `options.jobs` at a time.
void build_points(const ExploreConfig& config, const std::vector<PointTask>& planned, size_t first,
                  const ExploreOptions& options, const DataStage& d, const std::string& out, const RealTimeSpec& rt,
                  Store& store, Log& log, ExploreSummary& summary) {
  std::vector<size_t> pending;
  for (size_t i = first; i < planned.size(); ++i) {
    const auto rec = store.point(planned[i].key);
    if (!rec || (rec->status == "failed" && options.retry_failed)) pending.push_back(i);
  }
  log.line(fmt::format("{} design points: {} in the store, {} to build{}; load average {}", planned.size() - first,
                       planned.size() - first - pending.size(), pending.size(),
                       options.report_only ? " (not now: --report-only)" : fmt::format(" with {} job(s)", options.jobs),
                       load_average()));
  if (options.report_only) {
    summary.points_pending += static_cast<int64_t>(pending.size());
    return;
  }
  std::mutex progress_mutex;
  ProgressBar bar("design points", static_cast<int64_t>(pending.size()));
  run_parallel(pending.size(), options.jobs, [&](size_t n) {
    const PointTask& task = planned[pending[n]];
    store.record_attempt(task.key, "point");
    const auto start = Clock::now();
    PointRecord rec{task.key, task.candidate->float_model->config->label, task.candidate->label, task.arch,
                    "done", json::object(), "", 0};
    try {
      rec.metrics = compute_point(config, task, d, out, rt);
    } catch (const std::exception& e) {
      rec.status = "failed";
      rec.error = e.what();
    }
    rec.seconds = seconds_since(start);
    store.put_point(rec);
    std::lock_guard lock(progress_mutex);
    bar.advance(1, task.name());
    if (rec.status == "done")
      log.line(fmt::format("point {} done in {:.0f} s: {} cells, {:.3f} mm2, {:.1f} MHz", task.name(), rec.seconds,
                           rec.metrics.value("cells", 0), rec.metrics.value("area_mm2", 0.0),
                           rec.metrics.value("fmax_mhz", 0.0)));
    else
      log.line(fmt::format("point {} FAILED after {:.0f} s: {}", task.name(), rec.seconds, rec.error.substr(0, 300)));
  });
  summary.points_computed += static_cast<int64_t>(pending.size());
}

// Fits the cost model to the synthesized `calibrate_arch` designs of the
// sweep and writes it to DIR/cost-model.json.  `report` gets the figures and
// each design's synthesized and predicted area, or why there was no fit
// (too few designs).
std::optional<Calibration> calibrate_on_sweep(const ExploreConfig& config, const std::vector<PointTask>& planned,
                                              Store& store, const quant::CostModel& prior, const std::string& out,
                                              Log& log, json& report) {
  std::vector<quant::CostSample> samples;
  json designs = json::array();
  for (const PointTask& task : planned) {
    const auto rec = store.point(task.key);
    if (task.arch != config.search.calibrate_arch || !rec || rec->status != "done") continue;
    samples.push_back({quant::cost_features(quant::make_golden(task.candidate->model)),
                       rec->metrics.value("area_um2", 0.0)});
    designs.push_back({{"design", task.name()}, {"area_um2", samples.back().area},
                       {"features", quant::to_json(samples.back().features)}});
  }
  std::optional<Calibration> cal;
  try {
    cal = calibrate_cost_model(samples, prior);
  } catch (const std::invalid_argument& e) {
    report = {{"error", e.what()}};
    log.line(std::string("cost model not calibrated: ") + e.what());
    return std::nullopt;
  }
  for (size_t k = 0; k < samples.size(); ++k) {
    designs[k]["prior_um2"] = cal->prior.cost(samples[k].features);
    designs[k]["fitted_um2"] = cal->fitted.cost(samples[k].features);
  }
  report = cal->to_json();
  report["designs"] = designs;
  report["architecture"] = config.search.calibrate_arch;
  write_file_atomic((fs::path(out) / "cost-model.json").string(), quant::to_json(cal->fitted).dump(2) + "\n");
  log.line(fmt::format("cost model fitted to {} {} designs: mean error {:.1f} % (prior {:.1f} %, leave-one-out {:.1f} %)",
                       cal->samples, config.search.calibrate_arch, 100 * cal->fitted_error, 100 * cal->prior_error,
                       100 * cal->leave_one_out_error));
  return cal;
}

// Power scope "front": gate-level power only for the candidates that have a
// design on the (AUC, area, latency) front or in the headline pair, every
// architecture of them, after the sweep.  Points measured before (or failed
// at it) are left alone, so a rerun continues where a killed one stopped.
void add_power_to_front(const ExploreConfig& config, const std::vector<PointTask>& planned, const ExploreOptions& options,
                        const DataStage& d, const std::string& out, const RealTimeSpec& rt, Store& store, Log& log) {
  std::vector<DesignPoint> points;
  std::vector<const PointTask*> tasks;
  for (const PointTask& t : planned)
    if (const auto rec = store.point(t.key); rec && rec->status == "done") {
      points.push_back(DesignPoint::from_metrics(t.key, rec->metrics));
      tasks.push_back(&t);
    }
  std::vector<std::vector<double>> costs;
  for (const DesignPoint& p : points) costs.push_back({-p.auc, p.area_mm2, p.latency_s});
  std::vector<size_t> chosen = pareto_front(costs);
  const Headline h = find_headline(points, config.report.delta_auc_pp, config.report.min_area_saving);
  for (const std::optional<size_t>& i : {h.best, h.alternative})
    if (i) chosen.push_back(*i);
  std::set<std::string> candidates;
  for (size_t i : chosen) candidates.insert(tasks[i]->candidate->key);
  std::vector<size_t> pending;
  for (size_t i = 0; i < points.size(); ++i)
    if (candidates.count(tasks[i]->candidate->key) && !points[i].metrics.contains("power") &&
        !points[i].metrics.contains("power_error"))
      pending.push_back(i);
  log.line(fmt::format("power: {} candidates on the AUC x area x latency front or in the headline, {} designs to simulate",
                       candidates.size(), pending.size()));
  std::mutex progress_mutex;
  ProgressBar bar("gate-level power", static_cast<int64_t>(pending.size()));
  run_parallel(pending.size(), options.jobs, [&](size_t n) {
    const PointTask& task = *tasks[pending[n]];
    json m = points[pending[n]].metrics;
    const fs::path dir = fs::path(out) / "points" / task.key;
    const auto start = Clock::now();
    try {
      const quant::GoldenDetector golden = quant::make_golden(task.candidate->model);
      const rtl::DesignSummary design = rtl::read_design((dir / "rtl").string());
      const eda::StaOptions sta =
          sta_options(config, eda::synth_netlist_path((dir / "synth").string(), design.top), design.top);
      PartialDir partial(dir / "power");
      const std::optional<MeasuredPower> measured = measure_power(config, golden, design, d, sta, partial.path().string(), m);
      m["seconds"]["power"] = seconds_since(start);
      m["realtime"] = to_json(evaluate_realtime(rt, design.cycles_per_decision, m.value("fmax_mhz", 0.0),
                                                measured ? &*measured : nullptr));
      m = partial.commit(m);
      prune_point_dir(dir);
      write_file_atomic((dir / "result.json").string(), m.dump(2) + "\n");
      store.put_point({task.key, task.candidate->float_model->config->label, task.candidate->label, task.arch, "done", m,
                       "", store.point(task.key)->seconds + seconds_since(start)});
    } catch (const std::exception& e) {
      log.line(fmt::format("power {}: {}", task.name(), e.what()));
    }
    std::lock_guard lock(progress_mutex);
    bar.advance(1, task.name());
    log.line(fmt::format("power {}: {} in {:.0f} s", task.name(),
                         m.contains("power") ? fmt::format("{:.2f} mW", 1e3 * m["power"].value("total_w", 0.0)) : "failed",
                         seconds_since(start)));
  });
}

// ---- layouts ------------------------------------------------------------------

struct LayoutTask {
  std::string key;
  const DesignPoint* point = nullptr;
  double density = 0, aspect = 0;
};

// The designs to lay out: the headline pair first (the designs the report's
// claim is about), then the smallest final Pareto designs; all within the
// cell limit, at most `designs`.
std::vector<const DesignPoint*> layout_designs(const ReportData& report, const std::vector<size_t>& front,
                                               const LayoutConfig& layout) {
  std::vector<const DesignPoint*> by_cells;
  for (size_t i : front) by_cells.push_back(&report.points[i]);
  std::sort(by_cells.begin(), by_cells.end(), [](const DesignPoint* a, const DesignPoint* b) { return a->cells < b->cells; });
  std::vector<const DesignPoint*> wanted;
  for (const std::optional<size_t>& i : {report.headline.alternative, report.headline.best})
    if (i) wanted.push_back(&report.points[*i]);
  wanted.insert(wanted.end(), by_cells.begin(), by_cells.end());
  std::vector<const DesignPoint*> chosen;
  for (const DesignPoint* p : wanted) {
    if (static_cast<int>(chosen.size()) >= layout.designs) break;
    if (p->cells <= layout.max_cells && std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
  }
  return chosen;
}

json compute_layout(const ExploreConfig& config, const LayoutTask& task, const std::string& out, std::string& png) {
  PartialDir partial(fs::path(out) / "layouts" / task.key);
  const fs::path work = partial.path();
  ProcessRunner runner;
  eda::LayoutOptions o;
  o.sources = eda::rtl_sources((fs::path(out) / "points" / task.point->key / "rtl").string());
  o.top = eda::find_top_module(o.sources, "gaitlstm_detector");
  o.tech = technology(config.technology);
  o.clock_ns = config.clock_ns;
  o.density = task.density;
  o.aspect = task.aspect;
  o.placement_speedup = config.layout.speedup;
  o.png = (work / "layout.png").string();
  o.work_dir = (work / "qflow").string();
  o.stage_timeout = std::chrono::seconds(config.layout.stage_timeout_s);
  const eda::LayoutResult r = eda::place_and_route(runner, o);
  json j = eda::to_json(r);
  j["design"] = task.point->name();
  j["png_file"] = r.png;
  j = partial.commit(j);
  png = j["png_file"].get<std::string>();
  return j;
}

}  // namespace

ExploreSummary run_exploration(const ExploreConfig& config, const ExploreOptions& options) {
  const auto run_start = Clock::now();
  Log log(options.log);
  const std::string out = fs::absolute(options.out_dir).string();
  fs::create_directories(out);
  Store store((fs::path(out) / "explore.db").string());
  store.set_meta("config", config.raw.dump());
  const std::string load_at_start = load_average();
  remove_stale_partials(fs::path(out) / "points");
  remove_stale_partials(fs::path(out) / "layouts");

  const DataStage d = prepare_data(config, out, log);
  const RealTimeSpec rt = realtime_spec(config.realtime.sensor_hz, config.realtime.stride, config.realtime.deadline,
                                        config.realtime.deadline_s);

  std::vector<FloatModel> floats;
  floats.reserve(config.models.size());
  for (const ModelConfig& m : config.models) floats.push_back(float_model(config, m, d, out, store, log));
  std::vector<std::deque<Candidate>> candidates(floats.size());
  const quant::CostModel prior_cost = initial_cost_model(config);
  for (size_t i = 0; i < floats.size(); ++i) {
    quantize_candidates(config, floats[i], config.quant_bits, d, out, store, log, candidates[i]);
    if (config.search.enabled) {
      const json search = search_stage(config, floats[i], d, prior_cost, out, store, log, options.log);
      quantize_candidates(config, floats[i], candidates_from_search(search, config.search, ""), d, out, store, log,
                          candidates[i]);
    }
  }

  ExploreSummary summary;
  std::vector<PointTask> planned;
  plan_points(config, floats, candidates, planned, summary, log);
  build_points(config, planned, 0, options, d, out, rt, store, log, summary);

  // Calibration: fit the cost model to the synthesized areas, search again
  // with it, and build what the calibrated search adds.
  json calibration;
  if (config.search.enabled && config.search.calibrate) {
    if (const std::optional<Calibration> cal = calibrate_on_sweep(config, planned, store, prior_cost, out, log, calibration)) {
      const size_t before = planned.size();
      for (size_t i = 0; i < floats.size(); ++i) {
        const json search = search_stage(config, floats[i], d, cal->fitted, out, store, log, options.log);
        quantize_candidates(config, floats[i], candidates_from_search(search, config.search, "cal-"), d, out, store,
                            log, candidates[i]);
      }
      plan_points(config, floats, candidates, planned, summary, log);
      log.line(fmt::format("calibrated search: {} new design points", planned.size() - before));
      build_points(config, planned, before, options, d, out, rt, store, log, summary);
    }
  }

  if (config.power.enabled && config.power.scope == "front" && !options.report_only)
    add_power_to_front(config, planned, options, d, out, rt, store, log);

  // Collect this config's points.
  ReportData report;
  report.title = config.report.title;
  report.realtime = rt;
  report.delta_auc_pp = config.report.delta_auc_pp;
  report.min_area_saving = config.report.min_area_saving;
  report.config = config.raw;
  for (const PointTask& task : planned) {
    const auto rec = store.point(task.key);
    if (!rec) continue;
    if (rec->status == "done") {
      report.points.push_back(DesignPoint::from_metrics(rec->key, rec->metrics));
      ++summary.points_done;
    } else {
      report.failed.push_back({{"name", task.name()}, {"error", rec->error}});
      ++summary.points_failed;
    }
  }
  report.calibration = calibration;
  for (size_t i = 0; i < floats.size(); ++i)
    for (const Candidate& c : candidates[i])
      report.quant.push_back({floats[i].config->label, c.label, c.auc, c.float_auc, quant::to_json(c.bits)});
  const std::vector<size_t> front = mark_pareto_front(report.points);
  summary.pareto_points = static_cast<int64_t>(front.size());
  report.headline = find_headline(report.points, config.report.delta_auc_pp, config.report.min_area_saving);

  // Layouts: the smallest final Pareto designs that fit the cell limit.
  std::vector<const DesignPoint*> chosen;
  if (config.layout.enabled) chosen = layout_designs(report, front, config.layout);
  std::vector<LayoutTask> layouts;
  for (const DesignPoint* p : chosen)
    for (double density : config.layout.densities)
      for (double aspect : config.layout.aspects)
        layouts.push_back({hash_key(json{{"point", p->key}, {"density", density}, {"aspect", aspect},
                                         {"speedup", config.layout.speedup}}),
                           p, density, aspect});
  std::vector<size_t> layout_pending;
  for (size_t i = 0; i < layouts.size(); ++i) {
    const auto rec = store.layout(layouts[i].key);
    if (!rec || (rec->status == "failed" && options.retry_failed)) layout_pending.push_back(i);
  }
  if (options.report_only) layout_pending.clear();
  if (!layouts.empty())
    log.line(fmt::format("{} layouts of {} Pareto designs (<= {} cells): {} to route", layouts.size(), chosen.size(),
                         config.layout.max_cells, layout_pending.size()));
  {
    std::mutex progress_mutex;
    ProgressBar bar("layouts", static_cast<int64_t>(layout_pending.size()));
    run_parallel(layout_pending.size(), options.jobs, [&](size_t n) {
      const LayoutTask& task = layouts[layout_pending[n]];
      store.record_attempt(task.key, "layout");
      const auto start = Clock::now();
      LayoutRecord rec{task.key, task.point->key, task.density, task.aspect, "done", json::object(), "", "", 0};
      try {
        rec.metrics = compute_layout(config, task, out, rec.png);
      } catch (const std::exception& e) {
        rec.status = "failed";
        rec.error = e.what();
      }
      rec.seconds = seconds_since(start);
      store.put_layout(rec);
      std::lock_guard lock(progress_mutex);
      bar.advance(1, task.point->name());
      log.line(fmt::format("layout {} density {} aspect {}: {} in {:.0f} s{}", task.point->name(), task.density,
                           task.aspect, rec.status, rec.seconds, rec.error.empty() ? "" : ": " + rec.error.substr(0, 300)));
    });
  }
  for (const LayoutTask& t : layouts) {
    const auto rec = store.layout(t.key);
    if (!rec) continue;
    report.layouts.push_back({t.point->key, t.point->name(), t.density, t.aspect, rec->status, rec->error, rec->metrics,
                              rec->png});
    (rec->status == "done" ? summary.layouts_done : summary.layouts_failed)++;
  }

  summary.seconds = seconds_since(run_start);
  report.run = {{"seconds", summary.seconds},
                {"jobs", options.jobs},
                {"report_only", options.report_only},
                {"points_planned", summary.points_planned},
                {"points_done", summary.points_done},
                {"points_failed", summary.points_failed},
                {"points_computed_this_run", summary.points_computed},
                {"points_not_built", summary.points_pending},
                {"points_skipped_invalid", summary.points_skipped_invalid},
                {"layouts_done", summary.layouts_done},
                {"layouts_failed", summary.layouts_failed},
                {"load_average_start", load_at_start},
                {"load_average_end", load_average()},
                {"data", d.dir},
                {"auc_measured_on", auc_measured_on(config, d)},
                {"store", store.path()}};
  if (options.report) {
    summary.report_html = write_report(report, out);
    summary.report_md = (fs::path(out) / "report.md").string();
    summary.results_json = (fs::path(out) / "results.json").string();
  }
  return summary;
}

}  // namespace gaitlstm::explore
