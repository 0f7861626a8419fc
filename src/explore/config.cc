#include "explore/config.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/augment.h"
#include "eda/fpga.h"
#include "eda/library.h"
#include "explore/json_reader.h"
#include "model/preset.h"
#include "quant/search.h"
#include "rtl/design.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::explore {

namespace {

using nlohmann::json;

// Declares the keys of a section before reading it, so finish() can list them.
void declare(ObjectReader& r, std::initializer_list<const char*> keys) { r.declare(keys); }

// One recording set of data.sets: {"dir", "spec" (optional), "name" (optional)}.
data::DataSource parse_set(const json& j, const std::string& path, const std::string& source) {
  ObjectReader r(j, path, source);
  declare(r, {"dir", "spec", "name"});
  data::DataSource set;
  r.require("dir", set.dir);
  r.get("spec", set.spec_path);
  r.get("name", set.name);
  r.finish();
  return set;
}

DataConfig parse_data(const json& given, const std::string& source) {
  // "data": [{dir, spec}, ...] is short for "data": {"sets": [...]}.
  const json j = given.is_array() ? json{{"sets", given}} : given;
  ObjectReader r(j, "data", source);
  declare(r, {"dir", "spec", "sets", "channels", "synthetic", "validation_subject", "test_subjects", "evaluation"});
  DataConfig d;
  r.get("dir", d.dir);
  r.get("spec", d.spec);
  r.get("channels", d.channels);
  if (r.has("sets")) {
    const json& sets = r.at("sets");
    if (!sets.is_array() || sets.empty()) r.fail("must be a non-empty array of {dir, spec, name}", "sets");
    if (!d.dir.empty() || !d.spec.empty()) r.fail("give either dir/spec or sets, not both", "sets");
    for (size_t k = 0; k < sets.size(); ++k)
      d.sets.push_back(parse_set(sets[k], fmt::format("data.sets[{}]", k), source));
    d.dir = d.sets.front().dir;  // the first set stands for the data where one directory is named
    d.spec = d.sets.front().spec_path;
    if (d.sets.size() == 1) d.sets.clear();
  }
  if (r.has("synthetic")) {
    ObjectReader s(r.at("synthetic"), "data.synthetic", source);
    declare(s, {"seed", "subjects", "minutes"});
    s.get("seed", d.synthetic_seed);
    s.get("subjects", d.synthetic_subjects);
    s.get("minutes", d.synthetic_minutes);
    s.check("subjects", d.synthetic_subjects, 3, 30);
    s.check("minutes", d.synthetic_minutes, 0.5, 120.0);
    s.finish();
    if (!d.dir.empty()) r.fail("give either dir (or sets) or synthetic, not both");
  }
  r.get("validation_subject", d.validation_subject);
  r.get("test_subjects", d.test_subjects);
  r.get("evaluation", d.evaluation);
  if (d.evaluation != "holdout" && d.evaluation != "loso") r.fail("must be \"holdout\" or \"loso\"", "evaluation");
  r.finish();
  return d;
}

SearchConfig parse_search(const json& j, const std::string& source) {
  ObjectReader r(j, "quant.search", source);
  declare(r, {"enabled", "budgets", "pareto_points", "start", "fixed", "scope", "cost_model", "calibrate", "calibrate_arch"});
  SearchConfig s;
  s.enabled = true;
  r.get("enabled", s.enabled);
  r.get("budgets", s.budgets);
  r.get("pareto_points", s.pareto_points);
  r.get("scope", s.scope);
  r.get("cost_model", s.cost_model);
  r.get("calibrate", s.calibrate);
  r.get("calibrate_arch", s.calibrate_arch);
  r.get("fixed", s.fixed);
  try {
    quant::check_fixed_knobs(s.fixed);
  } catch (const std::exception& e) {
    r.fail(e.what(), "fixed");
  }
  if (r.has("start")) {
    try {
      s.start = quant::tensor_bits_from_json(r.at("start"));
    } catch (const std::exception& e) {
      r.fail(e.what(), "start");
    }
  }
  if (s.budgets.empty()) r.fail("needs at least one budget", "budgets");
  for (double b : s.budgets) r.check("budgets", b, 0.0, 0.5);
  r.check("pareto_points", s.pareto_points, 0, 50);
  if (s.scope != "non-test" && s.scope != "validation") r.fail("must be \"non-test\" or \"validation\"", "scope");
  try {
    rtl::parse_architecture(s.calibrate_arch);
  } catch (const std::exception& e) {
    r.fail(e.what(), "calibrate_arch");
  }
  r.finish();
  return s;
}

// The preset's detector settings as this model's defaults.
void apply_preset(const model::DetectorPreset& p, ModelConfig& m) {
  m.channels = p.channels;
  m.axes_per_sensor = p.axes_per_sensor;
  m.bands = p.bands;
  m.baseline_shift = p.baseline_shift;
  m.keep_levels = p.keep_levels;
  m.ratios = p.ratios;
  m.energy_smoothing_shift = p.energy_smoothing_shift;
  m.hidden = p.hidden;
  m.history = p.history;
  m.smoothing = p.output_smoothing;
}

ModelConfig parse_model(const json& j, const std::string& path, const std::string& source) {
  ObjectReader r(j, path, source);
  declare(r, {"label", "load", "hidden", "history", "decimation", "baseline_shift", "axes_per_sensor", "keep_levels",
              "energy_smoothing_shift", "ratios", "channels", "bands", "smoothing", "epochs", "patience", "seed",
              "gain_augmentation", "weight_averaging", "augment", "augment_copies", "calibration", "architectures"});
  ModelConfig m;
  // A preset (model/preset.h) sets the defaults; the keys below override them.
  declare(r, {"preset"});
  if (r.has("preset")) {
    std::string name;
    r.get("preset", name);
    try {
      apply_preset(model::find_preset(name), m);
    } catch (const std::invalid_argument& e) {
      r.fail(e.what(), "preset");
    }
  }
  r.get("label", m.label);
  if (m.label.empty()) r.fail("needs a non-empty label", "label");
  r.get("load", m.load);
  r.get("hidden", m.hidden);
  r.get("history", m.history);
  r.get("decimation", m.decimation);
  r.get("baseline_shift", m.baseline_shift);
  r.get("axes_per_sensor", m.axes_per_sensor);
  r.get("keep_levels", m.keep_levels);
  r.get("energy_smoothing_shift", m.energy_smoothing_shift);
  r.get("ratios", m.ratios);
  r.get("channels", m.channels);
  r.get("bands", m.bands);
  r.get("smoothing", m.smoothing);
  r.get("epochs", m.epochs);
  r.get("patience", m.patience);
  r.get("seed", m.seed);
  r.get("gain_augmentation", m.gain_augmentation);
  r.get("weight_averaging", m.weight_averaging);
  r.get("augment", m.augment);
  try {
    data::parse_augmentation(m.augment);
  } catch (const std::invalid_argument& e) {
    r.fail(e.what(), "augment");
  }
  m.augment_copies = data::parse_augmentation(m.augment).any() ? 1 : 0;
  r.get("augment_copies", m.augment_copies);
  r.check("augment_copies", m.augment_copies, 0, 16);
  r.get("calibration", m.calibration);
  r.get("architectures", m.architectures);
  r.check("hidden", m.hidden, 1, 256);
  r.check("history", m.history, 1, 256);
  r.check("epochs", m.epochs, 1, 1000);
  r.check("smoothing", m.smoothing, 1, 64);
  r.check("energy_smoothing_shift", m.energy_smoothing_shift, 0, 16);
  if (m.decimation < 1 || (m.decimation & (m.decimation - 1)) != 0) r.fail("must be a power of two", "decimation");
  if (m.calibration && m.smoothing < 2) r.fail("self-calibration needs smoothing > 1", "calibration");
  r.finish();
  return m;
}

BitsCandidate parse_bits(const json& j, const std::string& path, const std::string& source) {
  ObjectReader r(j, path, source);
  declare(r, {"label", "bits"});
  BitsCandidate c;
  r.get("label", c.label);
  if (c.label.empty()) r.fail("needs a non-empty label", "label");
  if (r.has("bits")) {
    try {
      c.bits = quant::tensor_bits_from_json(r.at("bits"));
    } catch (const std::exception& e) {
      r.fail(e.what(), "bits");
    }
  }
  r.finish();
  return c;
}

}  // namespace

json ModelConfig::to_json() const {
  json j = {{"label", label}, {"load", load}, {"hidden", hidden}, {"history", history}, {"decimation", decimation},
          {"baseline_shift", baseline_shift}, {"axes_per_sensor", axes_per_sensor}, {"keep_levels", keep_levels},
          {"channels", channels}, {"bands", bands}, {"smoothing", smoothing}, {"epochs", epochs},
          {"patience", patience}, {"seed", seed}, {"gain_augmentation", gain_augmentation},
          {"weight_averaging", weight_averaging}};
  if (augment_copies > 0 && data::parse_augmentation(augment).any()) {  // absent when off: stores stay valid
    j["augment"] = augment;
    j["augment_copies"] = augment_copies;
  }
  // Only when on: the JSON keys the store's cached models, which stay valid.
  if (energy_smoothing_shift > 0) j["energy_smoothing_shift"] = energy_smoothing_shift;
  if (ratios) j["ratios"] = true;
  if (calibration) j["calibration"] = true;  // absent when off: stores stay valid
  return j;
}

const std::vector<std::string>& ExploreConfig::architectures_for(const ModelConfig& model) const {
  return model.architectures.empty() ? architectures : model.architectures;
}

namespace {

// `path` relative to the config file's directory (absolute paths stay).
void resolve(std::string& path, const std::string& source) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return;
  const std::filesystem::path base = std::filesystem::absolute(source).parent_path();
  path = (base / path).lexically_normal().string();
}

FpgaConfig parse_fpga(const json& j, const std::string& source) {
  FpgaConfig f;
  ObjectReader t(j, "fpga", source);
  declare(t, {"device", "package", "board", "clock_mhz", "seed", "scope", "timeout_s"});
  t.get("device", f.device);
  t.get("package", f.package);
  t.get("board", f.board);
  t.get("clock_mhz", f.clock_mhz);
  t.get("seed", f.seed);
  t.get("scope", f.scope);
  t.get("timeout_s", f.timeout_s);
  std::vector<std::string> devices;
  for (const eda::Ice40Device& d : eda::ice40_devices()) devices.push_back(d.name);
  if (std::find(devices.begin(), devices.end(), f.device) == devices.end())
    t.fail(fmt::format("unknown iCE40 device '{}' (known: {})", f.device, fmt::join(devices, ", ")), "device");
  if (f.board != "icebreaker" && f.board != "none") t.fail("must be \"icebreaker\" or \"none\"", "board");
  if (f.board == "icebreaker" && f.device != "up5k") t.fail("the icebreaker board carries an up5k", "device");
  if (f.scope != "all" && f.scope != "front" && f.scope != "headline")
    t.fail("must be \"all\", \"front\" or \"headline\"", "scope");
  t.check("clock_mhz", f.clock_mhz, 0.1, 1000.0);
  t.check("timeout_s", f.timeout_s, 1, 86400);
  t.finish();
  return f;
}

}  // namespace

std::vector<data::DataSource> DataConfig::sources(const std::string& directory) const {
  if (sets.size() > 1) return sets;
  return {{directory, spec, ""}};
}

std::string FpgaConfig::package_or_default() const {
  if (!package.empty()) return package;
  return board == "none" ? eda::ice40_device(device).default_package : "sg48";
}

json FpgaConfig::to_json() const {
  return {{"device", device}, {"package", package_or_default()}, {"board", board}, {"clock_mhz", clock_mhz},
          {"seed", seed}};
}

bool ExploreConfig::has_target(const std::string& target) const {
  return std::find(targets.begin(), targets.end(), target) != targets.end();
}

void use_data_dir(ExploreConfig& config, const std::string& dir) {
  config.data.dir = std::filesystem::absolute(dir).lexically_normal().string();
  config.data.spec.clear();
  config.data.sets.clear();
  json& data = config.raw["data"];
  if (!data.is_object()) data = json::object();
  data.erase("synthetic");
  data.erase("spec");
  data.erase("sets");
  data["dir"] = config.data.dir;
}

ExploreConfig parse_config(const json& j, const std::string& source) {
  ExploreConfig c;
  c.source = source;
  c.raw = j;
  ObjectReader r(j, "", source);
  declare(r, {"data", "models", "quant", "architectures", "clock_ns", "threads", "realtime", "technology", "verify",
              "power", "layout", "budget", "report", "comment", "targets", "fpga"});
  if (r.has("data")) c.data = parse_data(r.at("data"), source);
  if (!r.has("models") || !r.at("models").is_array() || r.at("models").empty())
    r.fail("needs a non-empty array of models", "models");
  std::set<std::string> labels;
  for (size_t i = 0; i < r.at("models").size(); ++i) {
    c.models.push_back(parse_model(r.at("models")[i], fmt::format("models[{}]", i), source));
    if (!labels.insert(c.models.back().label).second)
      r.fail(fmt::format("label '{}' used twice", c.models.back().label), fmt::format("models[{}]", i));
  }
  if (r.has("quant")) {
    ObjectReader q(r.at("quant"), "quant", source);
    declare(q, {"bits", "search"});
    if (q.has("bits")) {
      const json& bits = q.at("bits");
      if (!bits.is_array() || bits.empty()) q.fail("must be a non-empty array", "bits");
      std::set<std::string> seen;
      for (size_t i = 0; i < bits.size(); ++i) {
        c.quant_bits.push_back(parse_bits(bits[i], fmt::format("quant.bits[{}]", i), source));
        if (!seen.insert(c.quant_bits.back().label).second)
          q.fail(fmt::format("label '{}' used twice", c.quant_bits.back().label), fmt::format("bits[{}]", i));
      }
    }
    if (q.has("search")) c.search = parse_search(q.at("search"), source);
    q.finish();
  }
  if (c.quant_bits.empty() && !c.search.enabled) c.quant_bits.push_back({"default", quant::TensorBits{}});
  r.get("architectures", c.architectures);
  r.get("clock_ns", c.clock_ns);
  r.check("clock_ns", c.clock_ns, 0.1, 1e6);
  r.get("threads", c.threads);
  r.check("threads", c.threads, 1, 64);
  // Every architecture name must parse (lanes:P against the shape is checked per point).
  auto check_archs = [&](const std::vector<std::string>& archs, const std::string& where) {
    if (archs.empty()) r.fail("needs at least one architecture", where);
    for (const std::string& a : archs) {
      try {
        rtl::parse_architecture(a);
      } catch (const std::exception& e) {
        r.fail(e.what(), where);
      }
    }
  };
  check_archs(c.architectures, "architectures");
  for (size_t i = 0; i < c.models.size(); ++i)
    if (!c.models[i].architectures.empty()) check_archs(c.models[i].architectures, fmt::format("models[{}].architectures", i));

  if (r.has("realtime")) {
    ObjectReader t(r.at("realtime"), "realtime", source);
    declare(t, {"sensor_hz", "stride", "deadline", "deadline_s"});
    t.get("sensor_hz", c.realtime.sensor_hz);
    t.get("stride", c.realtime.stride);
    t.get("deadline", c.realtime.deadline);
    t.get("deadline_s", c.realtime.deadline_s);
    t.check("sensor_hz", c.realtime.sensor_hz, 1.0, 100000.0);
    t.check("stride", c.realtime.stride, 1, 100000);
    if (c.realtime.deadline != "decision" && c.realtime.deadline != "sample" && c.realtime.deadline != "seconds")
      t.fail("must be \"decision\", \"sample\" or \"seconds\"", "deadline");
    if (c.realtime.deadline == "seconds" && !(c.realtime.deadline_s > 0))
      t.fail("must be > 0 with deadline \"seconds\"", "deadline_s");
    t.finish();
  }
  if (r.has("technology")) {
    ObjectReader t(r.at("technology"), "technology", source);
    declare(t, {"library", "liberty", "lef", "cell_models", "node_nm", "supply_v", "target_nm"});
    t.get("library", c.technology.library);
    if (c.technology.library != "osu018" && c.technology.library != "sky130hd")
      t.fail(fmt::format("must be one of {}", eda::kLibraryNames), "library");
    if (t.has("library") && t.has("liberty")) t.fail("give either library or liberty, not both", "liberty");
    t.get("liberty", c.technology.liberty);
    t.get("lef", c.technology.lef);
    t.get("cell_models", c.technology.cell_models);
    t.get("node_nm", c.technology.node_nm);
    t.get("supply_v", c.technology.supply_v);
    t.get("target_nm", c.technology.target_nm);
    t.finish();
  }
  if (r.has("verify")) {
    ObjectReader t(r.at("verify"), "verify", source);
    declare(t, {"enabled", "decisions", "segments", "random", "netlist_decisions", "routed_decisions", "simulator"});
    t.get("enabled", c.verify.enabled);
    t.get("decisions", c.verify.decisions);
    t.get("segments", c.verify.segments);
    t.get("random", c.verify.random_samples);
    t.get("netlist_decisions", c.verify.netlist_decisions);
    t.get("routed_decisions", c.verify.routed_decisions);
    t.get("simulator", c.verify.simulator);
    if (c.verify.simulator != "verilator" && c.verify.simulator != "icarus")
      t.fail("must be \"verilator\" or \"icarus\"", "simulator");
    t.check<int64_t>("decisions", c.verify.decisions, 0, 1000000);
    t.check<int64_t>("netlist_decisions", c.verify.netlist_decisions, 0, 1000000);
    t.check<int64_t>("routed_decisions", c.verify.routed_decisions, 0, 1000000);
    t.finish();
  }
  if (r.has("power")) {
    ObjectReader t(r.at("power"), "power", source);
    declare(t, {"enabled", "decisions", "scope", "simulator"});
    t.get("enabled", c.power.enabled);
    t.get("decisions", c.power.decisions);
    t.get("scope", c.power.scope);
    t.get("simulator", c.power.simulator);
    if (c.power.scope != "all" && c.power.scope != "front") t.fail("must be \"all\" or \"front\"", "scope");
    if (c.power.simulator != "verilator" && c.power.simulator != "icarus")
      t.fail("must be \"verilator\" or \"icarus\"", "simulator");
    t.check("decisions", c.power.decisions, 1, 1000);
    t.finish();
  }
  if (r.has("layout")) {
    ObjectReader t(r.at("layout"), "layout", source);
    declare(t, {"enabled", "designs", "max_cells", "densities", "aspects", "speedup", "stage_timeout_s"});
    t.get("enabled", c.layout.enabled);
    t.get("designs", c.layout.designs);
    t.get("max_cells", c.layout.max_cells);
    t.get("densities", c.layout.densities);
    t.get("aspects", c.layout.aspects);
    t.get("speedup", c.layout.speedup);
    t.get("stage_timeout_s", c.layout.stage_timeout_s);
    t.check("designs", c.layout.designs, 0, 100);
    for (double d : c.layout.densities) t.check("densities", d, 0.05, 0.95);
    for (double a : c.layout.aspects) t.check("aspects", a, 0.0, 10.0);
    if (c.layout.densities.empty() || c.layout.aspects.empty()) t.fail("densities and aspects must not be empty");
    t.finish();
  }
  r.get("targets", c.targets);
  for (const std::string& t : c.targets)
    if (t != "asic" && t != "fpga") r.fail(fmt::format("unknown target '{}' (known: asic, fpga)", t), "targets");
  if (!c.has_target("asic")) r.fail("must include \"asic\" (FPGA figures are added to the ASIC design points)", "targets");
  if (r.has("fpga")) c.fpga = parse_fpga(r.at("fpga"), source);
  if (r.has("budget")) {
    ObjectReader t(r.at("budget"), "budget", source);
    declare(t, {"synth_timeout_s", "sta_timeout_s", "power_timeout_s", "verify_timeout_s", "max_points"});
    t.get("synth_timeout_s", c.budget.synth_timeout_s);
    t.get("sta_timeout_s", c.budget.sta_timeout_s);
    t.get("power_timeout_s", c.budget.power_timeout_s);
    t.get("verify_timeout_s", c.budget.verify_timeout_s);
    t.get("max_points", c.budget.max_points);
    t.check("synth_timeout_s", c.budget.synth_timeout_s, 1, 86400);
    t.finish();
  }
  if (r.has("report")) {
    ObjectReader t(r.at("report"), "report", source);
    declare(t, {"delta_auc_pp", "min_area_saving", "title"});
    t.get("delta_auc_pp", c.report.delta_auc_pp);
    t.get("min_area_saving", c.report.min_area_saving);
    t.get("title", c.report.title);
    t.check("min_area_saving", c.report.min_area_saving, 0.0, 1.0);
    t.finish();
  }
  r.finish();
  resolve(c.data.dir, source);
  resolve(c.data.spec, source);
  for (data::DataSource& set : c.data.sets) {
    resolve(set.dir, source);
    resolve(set.spec_path, source);
  }
  for (ModelConfig& m : c.models) resolve(m.load, source);
  resolve(c.technology.liberty, source);
  resolve(c.technology.lef, source);
  resolve(c.technology.cell_models, source);
  resolve(c.search.cost_model, source);
  return c;
}

nlohmann::json SearchConfig::to_json() const {
  nlohmann::json j = {{"budgets", budgets}, {"pareto_points", pareto_points}, {"start", quant::to_json(start)},
          {"scope", scope}, {"cost_model", cost_model.empty() ? "" : read_file(cost_model)},
          {"calibrate", calibrate}, {"calibrate_arch", calibrate_arch}};
  // Only when set: the keys of sweeps stored before the option stay valid.
  if (!fixed.empty()) j["fixed"] = fixed;
  return j;
}

ExploreConfig load_config(const std::string& path) {
  json j;
  try {
    j = json::parse(read_file(path));
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw InputError(path, 0, std::string("malformed JSON: ") + e.what());
  }
  return parse_config(j, path);
}

}  // namespace gaitlstm::explore
