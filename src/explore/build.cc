// What one task computes: a design point (RTL, verification, synthesis,
// timing, power, real-time figures), the gate-level power of a built point,
// a layout.  The same code runs in the coordinator's threads and in a Slurm
// worker; tasks.cc wraps it in partial directories and outcome files.
#include "explore/build.h"

#include <filesystem>

#include <fmt/format.h>

#include "eda/cell_models.h"
#include "eda/layout.h"
#include "eda/library.h"
#include "eda/power.h"
#include "eda/sta.h"
#include "eda/synth.h"
#include "explore/gate_power.h"
#include "quant/golden.h"
#include "quant/qmodel_file.h"
#include "rtl/design.h"
#include "rtl/gate_level_sim.h"
#include "rtl/power_testbench.h"
#include "rtl/verify.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// `path` relative to `base` (the directory the result's paths are relative to).
std::string relative(const std::string& path, const fs::path& base) {
  return path.empty() ? "" : fs::path(path).lexically_relative(base).string();
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

VerifyFigures verify_figures(const rtl::VerifyReport& r) {
  VerifyFigures v;
  v.passed = r.passed();
  v.decisions = r.decisions;
  v.random_decisions = r.random_decisions;
  v.samples = r.samples;
  v.mismatches = r.mismatch_count;
  v.latency_mismatches = r.latency_mismatches;
  v.cycles_measured = r.cycles_per_decision_measured;
  v.cycles_model = r.cycles_per_decision_model;
  v.overrun = r.overrun;
  v.simulation_seconds = r.simulation_seconds;
  v.samples_per_second = r.samples_per_second;
  return v;
}

// Gate-level check of a synthesized or routed netlist: the first `decisions`
// of the first segment in verify.simulator (Verilator with cell models from
// the liberty, or Icarus with the library's own), every
// decision and latency against the golden model.  Throws on a mismatch.
// `build_cache`: a Verilator build directory the caller shares with the
// point's power run and removes (rtl::GateLevelOptions::build_cache); "" =
// a build of its own, removed here.
VerifyFigures verify_netlist(const BuildContext& c, const quant::GoldenDetector& golden, const rtl::DesignSummary& design,
                             const std::string& netlist, int64_t decisions, const fs::path& work, const std::string& what,
                             const std::string& build_cache = "") {
  // A check on no decisions would pass or fail for no reason: say why instead.
  if (c.dataset == nullptr || c.dataset->segments.empty())
    throw std::logic_error("the " + what + " netlist's gate-level check was given no recordings to simulate");
  const eda::Technology tech = technology(c.config->technology);
  rtl::GateLevelOptions o;
  o.simulator = rtl::parse_gate_simulator(c.config->verify.simulator);
  o.netlist = netlist;
  o.work_dir = work.string();
  const eda::GateLevelModels models =
      eda::gate_level_models(tech, netlist, o.simulator == rtl::GateSimulator::verilator, o.work_dir);
  o.cell_models = models.files;
  o.defines = models.defines;
  o.zero_start_pins = models.zero_start_pins;
  o.run_timeout = std::chrono::seconds(c.config->budget.verify_timeout_s);
  o.build_cache = build_cache;
  rtl::GateLevelDetector simulator(*c.runner, rtl::detector_ports(golden, design.top), o);
  simulator.set_drain_cycles(design.cycles_per_decision + 4 * rtl::verify_sample_period(golden, design));
  rtl::VerifyOptions v;
  v.max_segments = 1;
  v.max_decisions = decisions;
  v.random_samples = 0;
  const rtl::VerifyReport report = rtl::verify_simulation(golden, design, simulator, *c.dataset, v);
  std::error_code ec;
  if (build_cache.empty()) fs::remove_all(simulator.compiled(), ec);  // bulky; the testbench and logs stay
  fs::remove_all(fs::path(o.work_dir) / "obj", ec);
  if (!report.passed())
    throw std::runtime_error(fmt::format("{} netlist not bit-exact at gate level: {} mismatches, {} latency errors{} in {} "
                                         "decisions (log in {})",
                                         what, report.mismatch_count, report.latency_mismatches,
                                         report.overrun ? ", overrun" : "", report.decisions, o.work_dir));
  return verify_figures(report);
}

SynthesisFigures synthesis_figures(const eda::SynthResult& s, const fs::path& base) {
  SynthesisFigures f;
  f.top = s.top;
  f.technology = s.tech;
  f.area_source = s.area_source;
  f.clock_ns = s.clock_ns;
  f.cells = s.cells;
  f.flip_flops = s.flip_flops;
  f.area_um2 = s.area_um2;
  f.liberty_area_um2 = s.liberty_area_um2;
  for (const eda::CellTypeUse& u : s.by_type) f.cell_types.push_back({u.cell, u.count, u.area_each_um2, u.sequential});
  f.netlist = relative(s.netlist, base);
  f.log = relative(s.log, base);
  f.seconds = s.seconds;
  return f;
}

TimingFigures timing_figures(const eda::TimingResult& t) {
  return {t.clock_ns, t.worst_slack_ns, t.fmax_mhz, t.met, t.critical_path.startpoint, t.critical_path.endpoint,
          t.critical_path.arrival_ns};
}

// Gate-level power of a synthesized point (power.simulator on the netlist
// with the first decisions of the first recording, explore/gate_power.h;
// OpenSTA with that activity) into
// `result`.  A power run that fails or times out leaves the point without
// energy (power_error) rather than failing it: area, timing and latency
// still count.  Log paths relative to `base`, with `prefix`.
void measure_power(const BuildContext& c, const quant::GoldenDetector& golden, const rtl::DesignSummary& design,
                   const eda::StaOptions& sta, const fs::path& power_dir, const std::string& prefix,
                   PointResult& result, const std::string& shared_builds = "") {
  const ExploreConfig& config = *c.config;
  std::optional<MeasuredPower> measured;
  try {
    GatePowerOptions o;
    o.sta = sta;
    o.sta.work_dir = power_dir.string();
    o.sta.timeout = std::chrono::seconds(config.budget.power_timeout_s);
    o.simulator = config.power.simulator;
    o.decisions = config.power.decisions;
    o.build_cache = shared_builds.empty() ? (power_dir / "builds").string() : shared_builds;
    o.timeout = std::chrono::seconds(config.budget.power_timeout_s);
    const GatePower g = recording_power(*c.runner, golden, design, *c.dataset, o);
    const eda::PowerResult& p = g.power;
    const int64_t period = g.sample_period;
    std::error_code ec;
    fs::remove_all(power_dir / "builds", ec);  // Verilator's build: bulky
    PowerFigures f;
    f.activity_source = p.activity_source;
    f.clock_ns = p.clock_ns;
    f.dynamic_w = p.dynamic_w;
    f.leakage_w = p.leakage_w;
    f.total_w = p.total_w;
    f.annotated_pins = p.annotated_pins;
    f.netlist_pins = p.netlist_pins;
    f.simulated_cycles = p.simulated_cycles;
    f.activity_cycles_per_decision = g.cycles_per_decision;
    f.sample_period_cycles = period;
    f.log = prefix + relative(p.log, power_dir);
    f.seconds = p.seconds;
    result.power = f;
    result.power_error.reset();
    measured = MeasuredPower{1000.0 / config.clock_ns, p.dynamic_w, p.leakage_w, g.cycles_per_decision};
  } catch (const std::exception& e) {
    result.power.reset();
    result.power_error = e.what();
    std::error_code ec;
    fs::remove_all(power_dir / "builds", ec);
  }
  result.realtime = evaluate_realtime(c.realtime, result.design.cycles_per_decision, result.timing.fmax_mhz,
                                      measured ? &*measured : nullptr);
}

}  // namespace

eda::Technology technology(const TechConfig& t) {
  if (t.liberty.empty()) return eda::technology_by_name(t.library);
  return eda::user_technology(t.liberty, t.lef, t.cell_models, t.node_nm, t.supply_v);
}

void prune_point_dir(const std::string& point_dir) {
  const fs::path dir = point_dir;
  std::error_code ec;
  fs::remove_all(dir / "verify", ec);
  fs::remove_all(dir / "gate-builds", ec);  // left by a point whose netlist check failed
  std::vector<fs::path> bulky;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().extension() == ".vcd" || it->path().extension() == ".vvp" ||
        it->path().filename() == "activity.tcl")
      bulky.push_back(it->path());
  for (const fs::path& p : bulky) fs::remove(p, ec);
}

PointResult build_point(const BuildContext& c, const PointSpec& spec, const std::string& work_dir) {
  const ExploreConfig& config = *c.config;
  const fs::path dir = work_dir;
  const quant::QuantizedModel model = quant::load_qmodel(spec.quant_file);
  PointResult r;
  r.model = spec.model;
  r.quant = spec.quant;
  r.arch = spec.arch;
  r.float_key = spec.float_key;
  r.quant_key = spec.quant_key;
  r.auc = spec.auc;
  r.float_auc = spec.float_auc;
  r.bits = spec.bits;
  r.episodes = spec.episodes;
  r.hidden = model.detector.lstm.shape.hidden;
  r.features = model.detector.lstm.shape.inputs;
  r.history = model.detector.history_steps;
  r.parameters = model.detector.lstm.shape.parameter_count();
  r.clock_ns = config.clock_ns;
  r.artefacts = "points/" + spec.key;
  auto start = Clock::now();

  const quant::GoldenDetector golden = quant::make_golden(model);
  const std::string rtl_dir = (dir / "rtl").string();
  r.design = rtl::write_design(golden, rtl::parse_architecture(spec.arch), rtl_dir);
  r.seconds["rtl"] = seconds_since(start);

  if (config.verify.enabled) {
    start = Clock::now();
    rtl::VerifyOptions v;
    v.max_segments = config.verify.segments;
    v.max_decisions = config.verify.decisions;
    v.random_samples = config.verify.random_samples;
    v.work_dir = (dir / "verify").string();
    const rtl::VerifyReport report = rtl::verify_design(*c.runner, golden, rtl_dir, *c.dataset, v);
    r.verify = verify_figures(report);
    r.seconds["verify"] = seconds_since(start);
    if (!report.passed())
      throw std::runtime_error(fmt::format("verification failed: {} mismatches, {} latency errors{} in {} decisions",
                                           report.mismatch_count, report.latency_mismatches,
                                           report.overrun ? ", overrun" : "", report.decisions));
  }

  start = Clock::now();
  eda::SynthOptions so;
  so.sources = eda::rtl_sources(rtl_dir);
  so.top = r.design.top;
  so.tech = technology(config.technology);
  so.clock_ns = config.clock_ns;
  so.work_dir = (dir / "synth").string();
  so.timeout = std::chrono::seconds(config.budget.synth_timeout_s);
  const eda::SynthResult synth = eda::synthesize(*c.runner, so);
  r.synthesis = synthesis_figures(synth, dir);
  r.seconds["synth"] = seconds_since(start);

  start = Clock::now();
  eda::StaOptions sta = sta_options(config, synth.netlist, r.design.top);
  sta.work_dir = so.work_dir;
  sta.timeout = std::chrono::seconds(config.budget.sta_timeout_s);
  r.timing = timing_figures(eda::analyze_timing(*c.runner, sta));
  r.seconds["sta"] = seconds_since(start);

  // The netlist check and the power run here simulate the same netlist:
  // one Verilator build serves both (removed after them: bulky).
  const bool power_here = config.power.enabled && config.power.scope == "all";
  const std::string gate_builds = power_here ? (dir / "gate-builds").string() : "";
  if (config.verify.enabled && config.verify.netlist_decisions > 0) {
    start = Clock::now();
    r.netlist_verify = verify_netlist(c, golden, r.design, synth.netlist, config.verify.netlist_decisions,
                                      dir / "verify-netlist", "synthesized", gate_builds);
    r.seconds["netlist_verify"] = seconds_since(start);
  }
  // The layout task checks its routed netlist against this model.
  write_file_atomic((dir / "qmodel.json").string(), read_file(spec.quant_file));

  r.realtime = evaluate_realtime(c.realtime, r.design.cycles_per_decision, r.timing.fmax_mhz, nullptr);
  if (power_here) {
    start = Clock::now();
    measure_power(c, golden, r.design, sta, dir / "power", "power/", r, gate_builds);
    r.seconds["power"] = seconds_since(start);
    std::error_code ec;
    fs::remove_all(gate_builds, ec);
  }
  return r;
}

void add_power(const BuildContext& c, const PointSpec& spec, const std::string& point_dir, const std::string& work_dir,
               PointResult& result) {
  const auto start = Clock::now();
  try {
    const quant::GoldenDetector golden = quant::make_golden(quant::load_qmodel(spec.quant_file));
    const fs::path dir = point_dir;
    const rtl::DesignSummary design = rtl::read_design((dir / "rtl").string());
    const eda::StaOptions sta =
        sta_options(*c.config, eda::synth_netlist_path((dir / "synth").string(), design.top), design.top);
    measure_power(c, golden, design, sta, work_dir, "power/", result);
  } catch (const std::exception& e) {  // e.g. the point's files are gone: no energy, the point stands
    result.power.reset();
    result.power_error = e.what();
  }
  result.seconds["power"] = seconds_since(start);
}

LayoutFigures build_layout(const BuildContext& c, const LayoutSpec& spec, const std::string& work_dir,
                           const std::string& prefix) {
  const ExploreConfig& config = *c.config;
  const fs::path work = work_dir;
  eda::LayoutOptions o;
  o.sources = eda::rtl_sources((fs::path(point_dir(c.out_dir, spec.point)) / "rtl").string());
  o.top = eda::find_top_module(o.sources, "gaitlstm_detector");
  o.tech = technology(config.technology);
  o.clock_ns = config.clock_ns;
  o.density = spec.density;
  o.aspect = spec.aspect;
  o.placement_speedup = config.layout.speedup;
  o.png = (work / "layout.png").string();
  o.work_dir = (work / "qflow").string();
  o.stage_timeout = std::chrono::seconds(config.layout.stage_timeout_s);
  const eda::LayoutResult r = eda::place_and_route(*c.runner, o);
  LayoutFigures f;
  f.top = r.top;
  f.placement_speedup = r.placement_speedup;
  f.cells = r.cells;
  f.fill_cells = r.fill_cells;
  f.cell_area_um2 = r.cell_area_um2;
  f.die_width_um = r.die_width_um;
  f.die_height_um = r.die_height_um;
  f.die_area_mm2 = r.die_area_mm2;
  f.core_area_um2 = r.core_area_um2;
  f.core_utilisation = r.core_utilisation;
  f.wire_length_um = r.wire_length_um;
  f.failed_routes = r.failed_routes;
  f.failed_nets = r.failed_nets;
  f.clock_ns = r.clock_ns;
  f.pre_route_fmax_mhz = r.pre_route_fmax_mhz;
  if (r.failed_routes == 0 && r.post_route_timing_error.empty()) {  // as eda::to_json: timed routes only
    f.post_route_fmax_mhz = r.post_route_fmax_mhz;
    f.post_route_slack_ns = r.post_route_slack_ns;
  }
  if (!r.post_route_timing_error.empty()) f.post_route_timing_error = r.post_route_timing_error;
  f.drc_errors = r.drc_errors;
  f.lvs_match = r.lvs_match;
  for (const eda::StageTime& s : r.stages) f.stage_seconds[s.stage] = s.seconds;
  f.place_and_route_seconds = r.place_and_route_seconds;
  const fs::path qmodel = fs::path(point_dir(c.out_dir, spec.point)) / "qmodel.json";
  if (config.verify.checks_routed_netlists() && !r.routed_netlist.empty() &&
      fs::is_regular_file(qmodel)) {
    const auto start = Clock::now();
    const quant::GoldenDetector golden = quant::make_golden(quant::load_qmodel(qmodel.string()));
    const rtl::DesignSummary design = rtl::read_design((fs::path(point_dir(c.out_dir, spec.point)) / "rtl").string());
    f.routed_verify = verify_netlist(c, golden, design, r.routed_netlist, config.verify.routed_decisions,
                                     work / "verify-routed", "routed");
    f.stage_seconds["routed_verify"] = std::chrono::duration<double>(Clock::now() - start).count();
  }
  auto rel = [&](const std::string& p) { return p.empty() ? std::string() : prefix + relative(p, work); };
  f.def = rel(r.def);
  f.gds = rel(r.gds);
  f.png = rel(r.png);
  return f;
}

}  // namespace gaitlstm::explore
