#include "cli/eda_commands.h"
#include "cli/json_output.h"
#include "cli/validators.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "data/load.h"
#include "eda/layout.h"
#include "eda/library.h"
#include "eda/power.h"
#include "eda/scaling.h"
#include "eda/sta.h"
#include "eda/synth.h"
#include "explore/gate_power.h"
#include "quant/qmodel_file.h"
#include "rtl/design.h"
#include "rtl/power_testbench.h"
#include "util/atomic_file.h"
#include "util/process_runner.h"
#include "util/progress.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Options every command shares: the library, the clock, the target node.
struct TechArgs {
  std::string library = "osu018";
  std::string liberty, lef, cell_models;
  double node_nm = 180, supply_v = 1.8, target_nm = 65;
  double clock_ns = 10;
  std::string clock_port = "clk";

  eda::Technology technology() const {
    if (liberty.empty()) return eda::technology_by_name(library);
    return eda::user_technology(liberty, lef, cell_models, node_nm, supply_v);
  }
};

void add_tech_options(CLI::App* cmd, TechArgs& t) {
  auto* library = cmd->add_option("--library", t.library,
                                  "Cell library: osu018 (OSU 0.18 um from qflow) | sky130hd (SkyWater 130 nm, "
                                  "../shared/data/pdk/sky130hd or $GAITLSTM_SKY130HD)")
                      ->capture_default_str();
  auto* liberty = cmd->add_option("--liberty", t.liberty, "Liberty of your own cell library instead of --library")
                      ->check(CLI::ExistingFile);
  library->excludes(liberty);
  cmd->add_option("--lef", t.lef, "LEF of that library (cell sizes for area; default: none)")->check(CLI::ExistingFile);
  cmd->add_option("--cell-models", t.cell_models, "Verilog cell models of that library (gate-level simulation)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--node-nm", t.node_nm, "Feature size of that library in nm")
      ->capture_default_str()->check(kPositive);
  cmd->add_option("--supply-v", t.supply_v, "Supply voltage of that library's corner")
      ->capture_default_str()->check(kPositive);
  cmd->add_option("--target-nm", t.target_nm, "Node for the scaled estimates")
      ->capture_default_str()->check(kPositive);
  cmd->add_option("--clock-ns", t.clock_ns, "Clock period in ns")->capture_default_str()->check(kPositive);
  cmd->add_option("--clock-port", t.clock_port, "Clock input port")->capture_default_str();
}

// Where a design comes from: RTL to synthesize, or a mapped netlist.
struct DesignArgs {
  std::string rtl, netlist, top, work, json;
  bool no_buffer = false;
};

void add_design_options(CLI::App* cmd, DesignArgs& d, bool allow_netlist) {
  auto* rtl = cmd->add_option("--rtl", d.rtl, "Directory of Verilog sources (*_tb.v are left out)")
                  ->check(CLI::ExistingDirectory);
  if (allow_netlist) {
    auto* net = cmd->add_option("--netlist", d.netlist, "Mapped netlist (from `gaitlstm synth`) instead of --rtl")
                    ->check(CLI::ExistingFile);
    rtl->excludes(net);
    net->excludes(rtl);
  } else {
    rtl->required();
  }
  cmd->add_option("--top", d.top, "Top module (default: the only module)");
  cmd->add_option("--work", d.work, "Work directory for scripts, logs and netlists (default: eda-work/<cmd>-<top>)");
  cmd->add_option("--json", d.json, "Write the results as JSON here");
  cmd->add_flag("--no-buffer", d.no_buffer, "Skip ABC's fan-out buffering (timing becomes meaningless)");
}

std::string work_dir(const DesignArgs& d, const std::string& command, const std::string& top) {
  return fs::absolute(d.work.empty() ? fs::path("eda-work") / (command + "-" + top) : fs::path(d.work)).string();
}

void write_json(const std::string& path, const json& j) {
  if (path.empty()) return;
  write_file_atomic(path, json_text(j));
  std::cout << "wrote " << path << "\n";
}

std::string fmt_num(double v, int digits = 1) { return fmt::format("{:.{}f}", v, digits); }

json tech_json(const eda::Technology& t) {
  return {{"name", t.name}, {"liberty", t.liberty}, {"lef", t.lef}, {"node_nm", t.feature_nm}, {"supply_v", t.supply_v}};
}

// A synthesized design ready for timing and power.
struct Synthesized {
  eda::SynthResult synth;
  eda::StaOptions sta;
};

Synthesized synthesize_rtl(ToolRunner& runner, const DesignArgs& d, const TechArgs& t, const std::string& cmd) {
  eda::SynthOptions options;
  options.sources = eda::rtl_sources(d.rtl);
  options.top = eda::find_top_module(options.sources, d.top);
  options.tech = t.technology();
  options.clock_ns = t.clock_ns;
  options.buffer_fanout = !d.no_buffer;
  options.work_dir = work_dir(d, cmd, options.top);
  Synthesized s{eda::synthesize(runner, options), {}};
  s.sta.netlist = s.synth.netlist;
  s.sta.top = options.top;
  s.sta.tech = options.tech;
  s.sta.clock_ns = t.clock_ns;
  s.sta.clock_port = t.clock_port;
  s.sta.work_dir = options.work_dir;
  return s;
}

eda::StaOptions netlist_design(const DesignArgs& d, const TechArgs& t, const std::string& cmd) {
  if (d.top.empty()) throw CLI::ValidationError("--top", "is required with --netlist");
  eda::StaOptions sta;
  sta.netlist = fs::absolute(d.netlist).string();
  sta.top = d.top;
  sta.tech = t.technology();
  sta.clock_ns = t.clock_ns;
  sta.clock_port = t.clock_port;
  sta.work_dir = work_dir(d, cmd, d.top);
  return sta;
}

void print_synthesis(const eda::SynthResult& s, const eda::ScalingRule& rule) {
  TextTable table({"synthesis " + s.top, "value"});
  table.add_row({"cells", std::to_string(s.cells)});
  table.add_row({"flip-flops", std::to_string(s.flip_flops)});
  table.add_row({fmt::format("area um^2 ({}, {})", s.tech, s.area_source), fmt_num(s.area_um2)});
  table.add_row({"area um^2 (liberty, Yosys stat)", fmt_num(s.liberty_area_um2)});
  table.add_row({fmt::format("area um^2 at {} nm (estimate)", rule.to_nm), fmt_num(s.area_um2 * rule.area_factor())});
  std::cout << table.render();
}

void print_timing(const eda::TimingResult& t) {
  TextTable table({"timing (OpenSTA)", "value"});
  table.add_row({"clock ns", fmt_num(t.clock_ns, 3)});
  table.add_row({"worst slack ns", fmt_num(t.worst_slack_ns, 3) + (t.met ? " (met)" : " (VIOLATED)")});
  table.add_row({"f_max MHz", fmt_num(t.fmax_mhz)});
  table.add_row({"critical path from", t.critical_path.startpoint});
  table.add_row({"critical path to", t.critical_path.endpoint});
  table.add_row({"critical path ns", fmt_num(t.critical_path.arrival_ns, 3)});
  std::cout << table.render();
}

json scaled_synthesis_json(const eda::SynthResult& s, const eda::ScalingRule& rule) {
  json j = to_json(rule);
  j["area_um2"] = s.area_um2 * rule.area_factor();
  return j;
}

// ---- synth ----------------------------------------------------------------

struct SynthArgs {
  DesignArgs design;
  TechArgs tech;
  bool no_sta = false;
};

void run_synth(const SynthArgs& args) {
  ProcessRunner runner;
  ProgressBar bar("synth", args.no_sta ? 1 : 2);
  const Synthesized s = synthesize_rtl(runner, args.design, args.tech, "synth");
  bar.advance(1, "yosys done");
  const eda::ScalingRule rule = eda::scaling_rule(s.sta.tech.feature_nm, s.sta.tech.supply_v, args.tech.target_nm);
  json out = {{"command", "synth"},
              {"technology", tech_json(s.sta.tech)},
              {"synthesis", to_json(s.synth)},
              {"scaled", scaled_synthesis_json(s.synth, rule)}};
  std::optional<eda::TimingResult> timing;
  if (!args.no_sta) {
    timing = eda::analyze_timing(runner, s.sta);
    bar.advance(1, "sta done");
    out["timing"] = to_json(*timing);
  }
  print_synthesis(s.synth, rule);
  if (timing) print_timing(*timing);
  std::cout << "netlist " << s.synth.netlist << "\n";
  write_json(args.design.json, out);
}

// ---- sta --------------------------------------------------------------------

void run_sta(const SynthArgs& args) {
  ProcessRunner runner;
  json out = {{"command", "sta"}};
  eda::StaOptions sta;
  if (!args.design.netlist.empty()) {
    sta = netlist_design(args.design, args.tech, "sta");
  } else {
    const Synthesized s = synthesize_rtl(runner, args.design, args.tech, "sta");
    out["synthesis"] = to_json(s.synth);
    sta = s.sta;
  }
  out["technology"] = tech_json(sta.tech);
  const eda::TimingResult timing = eda::analyze_timing(runner, sta);
  out["timing"] = to_json(timing);
  print_timing(timing);
  write_json(args.design.json, out);
}

// ---- power ------------------------------------------------------------------

struct PowerArgs {
  DesignArgs design;
  TechArgs tech;
  std::vector<std::string> testbenches;
  std::string vcd, vcd_scope, vcd_name = "activity.vcd";
  int64_t cycles_per_decision = 0;
  // Activity from a real recording through a generated design (gaitlstm rtl).
  std::string model, data, spec;
  int decisions = 4;
  int64_t sample_period = 0;
  // Of the gate-level activity: verilator | icarus; "" = verilator with
  // --model (activity counted in the simulation), icarus with --testbench.
  std::string simulator;
  std::string build_cache;           // Verilator builds shared across runs (--model only)
};

// The recording a --model power run streams through the netlist.
struct Recording {
  quant::GoldenDetector golden;
  rtl::DesignSummary design;
  data::Dataset dataset;
};

Recording load_recording(const PowerArgs& args, DesignArgs& design) {
  const quant::QuantizedModel q = quant::load_qmodel(args.model);
  Recording r{quant::make_golden(q), rtl::read_design(args.design.rtl),
              data::load_dataset(args.data, {args.spec, q.detector.frontend.sample_rate_hz})};
  if (design.top.empty()) design.top = r.design.top;
  return r;
}

void print_power(const eda::PowerResult& p, const std::optional<eda::EnergyEstimate>& energy,
                 const eda::ScalingRule& rule) {
  const double f = rule.dynamic_power_factor();
  TextTable table({fmt::format("power at {} ns, activity: {}", p.clock_ns, p.activity_source), "measured",
                   fmt::format("{} nm (estimate)", rule.to_nm)});
  table.add_row({"dynamic mW", fmt_num(p.dynamic_w * 1e3, 4), fmt_num(p.dynamic_w * f * 1e3, 4)});
  table.add_row({"leakage mW", fmt_num(p.leakage_w * 1e3, 6), "not scaled"});
  table.add_row({"total mW", fmt_num(p.total_w * 1e3, 4), fmt_num(p.dynamic_w * f * 1e3, 4) + " (dynamic)"});
  if (p.netlist_pins > 0)
    table.add_row({"pins annotated with activity", fmt::format("{} of {}", p.annotated_pins, p.netlist_pins), ""});
  if (energy)
    table.add_row({fmt::format("energy per decision nJ ({} cycles)", energy->cycles_per_decision),
                   fmt_num(energy->energy_per_decision_j * 1e9, 4),
                   fmt_num(energy->energy_per_decision_j * f * 1e9, 4) + " (dynamic)"});
  std::cout << table.render();
}

void run_power(PowerArgs args) {
  if (!args.design.rtl.empty() && !args.design.netlist.empty() && args.model.empty())
    throw CLI::ValidationError("--rtl/--netlist", "give one of them (both only with --model: the netlist of the --rtl design)");
  std::optional<Recording> recording;
  if (!args.model.empty()) {
    if (args.data.empty() || args.design.rtl.empty())
      throw CLI::ValidationError("--model", "needs --data and --rtl (a directory written by gaitlstm rtl)");
    recording = load_recording(args, args.design);
  }
  if (!args.vcd.empty() && !args.testbenches.empty())
    throw CLI::ValidationError("--vcd", "give either --testbench (simulated here) or --vcd (already simulated)");
  if (!args.vcd.empty() && args.design.netlist.empty())
    throw CLI::ValidationError("--vcd", "needs --netlist: the VCD must come from simulating that very netlist");
  ProcessRunner runner;
  json out = {{"command", "power"}};
  eda::StaOptions sta;
  if (!args.design.netlist.empty()) {
    sta = netlist_design(args.design, args.tech, "power");
  } else {
    const Synthesized s = synthesize_rtl(runner, args.design, args.tech, "power");
    out["synthesis"] = to_json(s.synth);
    sta = s.sta;
  }
  out["technology"] = tech_json(sta.tech);
  eda::PowerResult power;
  if (recording) {
    explore::GatePowerOptions o;
    o.sta = sta;
    o.simulator = args.simulator.empty() ? "verilator" : args.simulator;
    o.decisions = args.decisions;
    o.sample_period = args.sample_period;
    o.build_cache = args.build_cache;
    const explore::GatePower g = explore::recording_power(runner, recording->golden, recording->design,
                                                          recording->dataset, o);
    power = g.power;
    args.cycles_per_decision = g.cycles_per_decision;
    out["gate_level"] = {{"simulator", o.simulator},
                         {"sample_period", g.sample_period},
                         {"reused_build", g.reused_build},
                         {"simulation_seconds", g.simulation_seconds}};
  } else if (!args.testbenches.empty()) {
    eda::Stimulus stimulus;
    stimulus.testbench_files = args.testbenches;
    stimulus.vcd_file = args.vcd_name;
    stimulus.dut_scope = args.vcd_scope;
    stimulus.cycles_per_decision = args.cycles_per_decision;
    stimulus.simulator = args.simulator.empty() ? "icarus" : args.simulator;
    power = eda::power_with_stimulus(runner, sta, stimulus);
  } else {
    eda::PowerOptions options;
    options.sta = sta;
    if (!args.vcd.empty()) options.vcd = fs::absolute(args.vcd).string();
    options.vcd_scope = args.vcd_scope;
    power = eda::analyze_power(runner, options);
  }
  const eda::ScalingRule rule = eda::scaling_rule(sta.tech.feature_nm, sta.tech.supply_v, args.tech.target_nm);
  std::optional<eda::EnergyEstimate> energy;
  if (args.cycles_per_decision > 0) energy = eda::energy_per_decision(power, args.cycles_per_decision);
  out["power"] = to_json(power);
  json scaled = to_json(rule);
  scaled["dynamic_w"] = power.dynamic_w * rule.dynamic_power_factor();
  if (energy) {
    out["energy"] = {{"cycles_per_decision", energy->cycles_per_decision},
                     {"energy_per_decision_j", energy->energy_per_decision_j}};
    const double dynamic_energy = power.dynamic_w * static_cast<double>(energy->cycles_per_decision) * power.clock_ns * 1e-9;
    scaled["dynamic_energy_per_decision_j"] = dynamic_energy * rule.dynamic_power_factor();
  }
  out["scaled"] = scaled;
  print_power(power, energy, rule);
  write_json(args.design.json, out);
}

// ---- layout -----------------------------------------------------------------

struct LayoutArgs {
  DesignArgs design;
  TechArgs tech;
  std::vector<double> densities{0.45};
  std::vector<double> aspects{1.0};
  int speedup = 4, route_layers = 0, timeout_s = 1800;
  bool signoff = false, route_cleanup = false;
  std::string png;
  int png_width = 1200;
};

std::string alternative_png(const std::string& png, double density, double aspect, bool several) {
  if (png.empty() || !several) return png;
  const fs::path p(png);
  return (p.parent_path() / fmt::format("{}-d{}-a{}{}", p.stem().string(), density, aspect, p.extension().string()))
      .string();
}

void print_layouts(const std::vector<eda::LayoutResult>& layouts, const eda::ScalingRule& rule) {
  TextTable table({"layout", "cells", "die um", "die mm^2", fmt::format("{} nm mm^2 (est.)", rule.to_nm), "util",
                   "wire mm", "failed", "fmax pre/post MHz", "place s", "route s"});
  for (const eda::LayoutResult& r : layouts) {
    double place = 0, route = 0;
    for (const eda::StageTime& s : r.stages) {
      if (s.stage == "place") place = s.seconds;
      if (s.stage == "route") route = s.seconds;
    }
    table.add_row({fmt::format("density {} aspect {}", r.density, r.aspect), std::to_string(r.cells),
                   fmt::format("{:.0f} x {:.0f}", r.die_width_um, r.die_height_um), fmt_num(r.die_area_mm2, 4),
                   fmt_num(r.die_area_mm2 * rule.area_factor(), 4), fmt_num(r.core_utilisation, 2),
                   fmt_num(r.wire_length_um / 1000, 1), std::to_string(r.failed_routes),
                   fmt::format("{:.0f} / {}", r.pre_route_fmax_mhz,
                               r.failed_routes || !r.post_route_timing_error.empty()
                                   ? "-"
                                   : fmt::format("{:.0f}", r.post_route_fmax_mhz)),
                   fmt_num(place), fmt_num(route)});
  }
  std::cout << table.render();
  for (const eda::LayoutResult& r : layouts) {
    if (r.lvs_match) std::cout << fmt::format("density {}: LVS {}, DRC errors {}, GDS {}\n", r.density,
                                              *r.lvs_match ? "match" : "MISMATCH", r.drc_errors.value_or(-1), r.gds);
    for (const std::string& m : r.lvs_mismatches) std::cout << fmt::format("density {}: LVS: {}\n", r.density, m);
    if (!r.post_route_timing_error.empty())
      std::cout << fmt::format("density {}: no post-route timing: {}\n", r.density, r.post_route_timing_error);
    if (!r.png.empty()) std::cout << "picture " << r.png << "\n";
    if (!r.routed_netlist.empty()) std::cout << "routed netlist " << r.routed_netlist << "\n";
  }
}

void run_layout(const LayoutArgs& args) {
  ProcessRunner runner;
  eda::LayoutOptions base;
  base.sources = eda::rtl_sources(args.design.rtl);
  base.top = eda::find_top_module(base.sources, args.design.top);
  base.tech = args.tech.technology();
  base.clock_ns = args.tech.clock_ns;
  base.placement_speedup = args.speedup;
  base.route_layers = args.route_layers;
  base.signoff = args.signoff;
  base.route_cleanup = args.route_cleanup;
  base.stage_timeout = std::chrono::seconds(args.timeout_s);
  base.png_width = args.png_width;
  const bool several = args.densities.size() * args.aspects.size() > 1;
  const int stages_each = 6 + (args.signoff ? 4 : 0) + (args.png.empty() ? 0 : 1);  // see place_and_route
  ProgressBar bar("layout", static_cast<int64_t>(args.densities.size() * args.aspects.size()) * stages_each);
  std::vector<eda::LayoutResult> layouts;
  json alternatives = json::array();
  for (double density : args.densities) {
    for (double aspect : args.aspects) {
      eda::LayoutOptions o = base;
      o.density = density;
      o.aspect = aspect;
      o.png = alternative_png(args.png.empty() ? "" : fs::absolute(args.png).string(), density, aspect, several);
      const std::string dir = work_dir(args.design, "layout", base.top);
      o.work_dir = several ? (fs::path(dir) / fmt::format("d{}-a{}", density, aspect)).string() : dir;
      o.on_stage = [&bar, density](const std::string& stage) { bar.advance(1, fmt::format("d={} {}", density, stage)); };
      layouts.push_back(eda::place_and_route(runner, o));
      alternatives.push_back(to_json(layouts.back()));
    }
  }
  const eda::ScalingRule rule = eda::scaling_rule(base.tech.feature_nm, base.tech.supply_v, args.tech.target_nm);
  json scaled = to_json(rule);
  scaled["die_area_mm2"] = json::array();
  for (const auto& r : layouts) scaled["die_area_mm2"].push_back(r.die_area_mm2 * rule.area_factor());
  print_layouts(layouts, rule);
  write_json(args.design.json, {{"command", "layout"},
                                {"technology", tech_json(base.tech)},
                                {"layouts", alternatives},
                                {"scaled", scaled}});
}

}  // namespace

void add_eda_commands(CLI::App& app) {
  auto synth = std::make_shared<SynthArgs>();
  CLI::App* syn = app.add_subcommand("synth", "Synthesize RTL with Yosys: area, cells, flip-flops, then STA f_max");
  add_design_options(syn, synth->design, false);
  add_tech_options(syn, synth->tech);
  syn->add_flag("--no-sta", synth->no_sta, "Synthesis only");
  syn->callback([synth] { run_synth(*synth); });

  auto sta = std::make_shared<SynthArgs>();
  CLI::App* st = app.add_subcommand("sta", "Static timing with OpenSTA: worst slack, critical path, f_max");
  add_design_options(st, sta->design, true);
  add_tech_options(st, sta->tech);
  st->callback([sta] {
    if (sta->design.rtl.empty() && sta->design.netlist.empty())
      throw CLI::ValidationError("--rtl/--netlist", "give one of them");
    run_sta(*sta);
  });

  auto power = std::make_shared<PowerArgs>();
  CLI::App* pw = app.add_subcommand(
      "power", "Power with OpenSTA: from a gate-level simulation of --testbench (or a --vcd), else vectorless");
  add_design_options(pw, power->design, true);
  // With --model, --rtl names the design a given --netlist was synthesized
  // from (its design.json paces the recording), so both may be given.
  pw->get_option("--rtl")->remove_excludes(pw->get_option("--netlist"));
  pw->get_option("--netlist")->remove_excludes(pw->get_option("--rtl"));
  add_tech_options(pw, power->tech);
  pw->add_option("--testbench", power->testbenches,
                 "Testbench(es) to simulate the mapped netlist with; must dump the DUT with its cells")
      ->check(CLI::ExistingFile);
  pw->add_option("--simulator", power->simulator,
                 "Gate-level simulator of the activity: verilator (cell models generated from the liberty; with "
                 "--model the activity is counted in the simulation, with --testbench traced; default with --model) "
                 "| icarus (the library's cell models, a VCD; the reference; default with --testbench)")
      ->check(CLI::IsMember({"icarus", "verilator"}));
  pw->add_option("--vcd-file", power->vcd_name, "Name the testbench $dumpfile()s to")->capture_default_str();
  pw->add_option("--vcd", power->vcd, "Gate-level VCD of --netlist, already simulated")->check(CLI::ExistingFile);
  pw->add_option("--vcd-scope", power->vcd_scope, "Dotted VCD scope of the DUT (default: found)");
  pw->add_option("--model", power->model, "Quantized model the --rtl design was generated from: activity from --data")
      ->check(CLI::ExistingFile);
  pw->add_option("--data", power->data, "Recordings streamed into the design (first segment)")->check(CLI::ExistingDirectory);
  pw->add_option("--spec", power->spec, "JSON dataset description for CSV recordings")->check(CLI::ExistingFile);
  pw->add_option("--decisions", power->decisions, "Decisions of the recording to simulate")
      ->capture_default_str()->check(kPositive);
  pw->add_option("--period", power->sample_period, "Clock cycles between samples (0 = just fast enough)")
      ->capture_default_str()->check(kNonNegative);
  pw->add_option("--cycles-per-decision", power->cycles_per_decision, "Clock cycles per detector decision")
      ->check(kPositive);
  pw->add_option("--build-cache", power->build_cache,
                 "Directory of Verilator builds reused across runs of the same netlist (with --model; verify "
                 "--netlist takes the same)");
  pw->callback([power] {
    if (power->design.rtl.empty() && power->design.netlist.empty())
      throw CLI::ValidationError("--rtl/--netlist", "give one of them");
    run_power(*power);
  });

  auto layout = std::make_shared<LayoutArgs>();
  CLI::App* lay = app.add_subcommand("layout", "Place and route with qflow (graywolf, qrouter), timing, picture");
  add_design_options(lay, layout->design, false);
  add_tech_options(lay, layout->tech);
  lay->add_option("--density", layout->densities, "Placement density(ies); several = alternative layouts")
      ->capture_default_str()->check(CLI::Range(0.05, 0.95));
  lay->add_option("--aspect", layout->aspects, "Core height/width ratio(s); 0 = graywolf's rows")
      ->capture_default_str()->check(CLI::Range(0.0, 10.0));
  lay->add_option("--speedup", layout->speedup, "graywolf TWSC*fast (1 = full annealing)")
      ->capture_default_str()->check(kPositive);
  lay->add_option("--route-layers", layout->route_layers, "Metal layers for qrouter (0 = all)")
      ->capture_default_str()->check(kNonNegative);
  lay->add_option("--stage-timeout", layout->timeout_s, "Seconds before a stage is killed")
      ->capture_default_str()->check(kPositive);
  lay->add_flag("--route-cleanup", layout->route_cleanup,
                "Run qrouter's stage 3 (rip up and reroute every net twice): better wires, ~2x route time");
  lay->add_flag("--signoff", layout->signoff, "Also magic DRC, netgen LVS and a GDS (LEF abstracts)");
  lay->add_option("--png", layout->png, "Write a picture of the layout (KLayout)");
  lay->add_option("--png-width", layout->png_width, "Width of the picture in pixels")
      ->capture_default_str()
      ->check(CLI::Range(64, 8000));
  lay->callback([layout] { run_layout(*layout); });
}

}  // namespace gaitlstm::cli
