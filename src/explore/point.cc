#include "explore/point.h"

#include "explore/json_reader.h"

namespace gaitlstm::explore {

namespace {

using nlohmann::json;

quant::TensorBits read_bits(ObjectReader& r, const char* key) {
  const json& j = r.at(key);
  try {
    return quant::tensor_bits_from_json(j);
  } catch (const std::exception& e) {
    r.fail(e.what(), key);
  }
}

json design_json(const rtl::DesignSummary& d) {
  return {{"architecture", d.architecture},
          {"top", d.top},
          {"files", d.files},
          {"cycles_per_decision", d.cycles_per_decision},
          {"core_cycles", d.core_cycles},
          {"frontend_cycles_per_sample", d.frontend_cycles_per_sample},
          {"mac_utilization", d.mac_utilization},
          {"lanes", d.lanes}};
}

rtl::DesignSummary read_design(ObjectReader r) {
  rtl::DesignSummary d;
  r.require("architecture", d.architecture);
  r.require("top", d.top);
  r.require("files", d.files);
  r.require("cycles_per_decision", d.cycles_per_decision);
  r.require("core_cycles", d.core_cycles);
  r.require("frontend_cycles_per_sample", d.frontend_cycles_per_sample);
  r.require("mac_utilization", d.mac_utilization);
  r.require("lanes", d.lanes);
  r.finish();
  return d;
}

json verify_json(const VerifyFigures& v) {
  return {{"passed", v.passed},
          {"decisions", v.decisions},
          {"random_decisions", v.random_decisions},
          {"samples", v.samples},
          {"mismatches", v.mismatches},
          {"latency_mismatches", v.latency_mismatches},
          {"cycles_per_decision", {{"measured", v.cycles_measured}, {"model", v.cycles_model}}},
          {"overrun", v.overrun},
          {"simulation_seconds", v.simulation_seconds},
          {"samples_per_second", v.samples_per_second}};
}

VerifyFigures read_verify(ObjectReader r) {
  VerifyFigures v;
  r.require("passed", v.passed);
  r.require("decisions", v.decisions);
  r.require("random_decisions", v.random_decisions);
  r.require("samples", v.samples);
  r.require("mismatches", v.mismatches);
  r.require("latency_mismatches", v.latency_mismatches);
  ObjectReader cycles = r.object("cycles_per_decision");
  cycles.require("measured", v.cycles_measured);
  cycles.require("model", v.cycles_model);
  cycles.finish();
  r.require("overrun", v.overrun);
  r.require("simulation_seconds", v.simulation_seconds);
  r.require("samples_per_second", v.samples_per_second);
  r.finish();
  return v;
}

json synthesis_json(const SynthesisFigures& s) {
  json types = json::array();
  for (const CellUse& u : s.cell_types)
    types.push_back({{"cell", u.cell}, {"count", u.count}, {"area_each_um2", u.area_each_um2},
                     {"sequential", u.sequential}});
  return {{"top", s.top},           {"technology", s.technology},
          {"clock_ns", s.clock_ns}, {"cells", s.cells},
          {"flip_flops", s.flip_flops}, {"area_um2", s.area_um2},
          {"area_source", s.area_source}, {"liberty_area_um2", s.liberty_area_um2},
          {"cell_types", types},    {"netlist", s.netlist},
          {"log", s.log},           {"seconds", s.seconds}};
}

SynthesisFigures read_synthesis(ObjectReader r) {
  SynthesisFigures s;
  r.require("top", s.top);
  r.require("technology", s.technology);
  r.require("clock_ns", s.clock_ns);
  r.require("cells", s.cells);
  r.require("flip_flops", s.flip_flops);
  r.require("area_um2", s.area_um2);
  r.require("area_source", s.area_source);
  r.require("liberty_area_um2", s.liberty_area_um2);
  const json& types = r.at("cell_types");
  if (!types.is_array()) r.fail("must be an array", "cell_types");
  for (size_t i = 0; i < types.size(); ++i) {
    ObjectReader u(types[i], r.child_path(fmt::format("cell_types[{}]", i)), r.source());
    CellUse c;
    u.require("cell", c.cell);
    u.require("count", c.count);
    u.require("area_each_um2", c.area_each_um2);
    u.require("sequential", c.sequential);
    u.finish();
    s.cell_types.push_back(c);
  }
  r.require("netlist", s.netlist);
  r.require("log", s.log);
  r.require("seconds", s.seconds);
  r.finish();
  return s;
}

json timing_json(const TimingFigures& t) {
  return {{"clock_ns", t.clock_ns},
          {"worst_slack_ns", t.worst_slack_ns},
          {"fmax_mhz", t.fmax_mhz},
          {"met", t.met},
          {"critical_path", {{"from", t.path_from}, {"to", t.path_to}, {"arrival_ns", t.path_arrival_ns}}}};
}

TimingFigures read_timing(ObjectReader r) {
  TimingFigures t;
  r.require("clock_ns", t.clock_ns);
  r.require("worst_slack_ns", t.worst_slack_ns);
  r.require("fmax_mhz", t.fmax_mhz);
  r.require("met", t.met);
  ObjectReader path = r.object("critical_path");
  path.require("from", t.path_from);
  path.require("to", t.path_to);
  path.require("arrival_ns", t.path_arrival_ns);
  path.finish();
  r.finish();
  return t;
}

json power_json(const PowerFigures& p) {
  return {{"activity_source", p.activity_source},
          {"clock_ns", p.clock_ns},
          {"dynamic_w", p.dynamic_w},
          {"leakage_w", p.leakage_w},
          {"total_w", p.total_w},
          {"annotated_pins", p.annotated_pins},
          {"netlist_pins", p.netlist_pins},
          {"simulated_cycles", p.simulated_cycles},
          {"activity_cycles_per_decision", p.activity_cycles_per_decision},
          {"sample_period_cycles", p.sample_period_cycles},
          {"log", p.log},
          {"seconds", p.seconds}};
}

PowerFigures read_power(ObjectReader r) {
  PowerFigures p;
  r.require("activity_source", p.activity_source);
  r.require("clock_ns", p.clock_ns);
  r.require("dynamic_w", p.dynamic_w);
  r.require("leakage_w", p.leakage_w);
  r.require("total_w", p.total_w);
  r.require("annotated_pins", p.annotated_pins);
  r.require("netlist_pins", p.netlist_pins);
  r.require("simulated_cycles", p.simulated_cycles);
  r.require("activity_cycles_per_decision", p.activity_cycles_per_decision);
  r.require("sample_period_cycles", p.sample_period_cycles);
  r.require("log", p.log);
  r.require("seconds", p.seconds);
  r.finish();
  return p;
}

RealTimeFigures read_realtime(ObjectReader r) {
  RealTimeFigures f;
  r.require("cycles_per_decision", f.cycles_per_decision);
  r.require("clock_mhz", f.clock_mhz);
  r.require("latency_s", f.latency_s);
  r.require("deadline_s", f.deadline_s);
  r.require("margin", f.margin);
  r.require("streaming_margin", f.streaming_margin);
  r.require("meets_deadline", f.meets_deadline);
  r.require("min_clock_mhz", f.min_clock_mhz);
  r.require("has_power", f.has_power);
  if (f.has_power) {
    r.require("power_at_clock_w", f.power_at_clock_w);
    r.require("power_at_min_clock_w", f.power_at_min_clock_w);
    r.require("dynamic_energy_per_decision_j", f.dynamic_energy_per_decision_j);
    r.require("energy_per_decision_j", f.energy_per_decision_j);
  }
  r.finish();
  return f;
}

json seconds_json(const std::map<std::string, double>& seconds) {
  json j = json::object();
  for (const auto& [stage, s] : seconds) j[stage] = s;
  return j;
}

std::map<std::string, double> read_seconds(ObjectReader& r, const char* key) {
  const json& j = r.at(key);
  if (!j.is_object()) r.fail("must be an object of seconds per stage", key);
  std::map<std::string, double> seconds;
  for (const auto& [stage, s] : j.items()) {
    if (!s.is_number()) r.fail("must be a number", std::string(key) + "." + stage);
    seconds[stage] = s.get<double>();
  }
  return seconds;
}

}  // namespace

json to_json(const PointSpec& s) {
  json j = {{"key", s.key},           {"model", s.model},         {"quant", s.quant},
            {"arch", s.arch},         {"float_key", s.float_key}, {"quant_key", s.quant_key},
            {"quant_file", s.quant_file}, {"auc", s.auc},         {"float_auc", s.float_auc},
            {"tensor_bits", quant::to_json(s.bits)}};
  if (s.episodes) j["episodes"] = to_json(*s.episodes);
  return j;
}

PointSpec point_spec_from_json(const json& j, const std::string& source) {
  ObjectReader r(j, "", source);
  PointSpec s;
  r.require("key", s.key);
  r.require("model", s.model);
  r.require("quant", s.quant);
  r.require("arch", s.arch);
  r.require("float_key", s.float_key);
  r.require("quant_key", s.quant_key);
  r.require("quant_file", s.quant_file);
  r.require("auc", s.auc);
  r.require("float_auc", s.float_auc);
  s.bits = read_bits(r, "tensor_bits");
  if (r.has("episodes")) s.episodes = episode_figures_from_json(r.at("episodes"), source, "episodes");
  r.finish();
  return s;
}

json to_json(const PointResult& p) {
  json j = {{"model", p.model},
            {"quant", p.quant},
            {"arch", p.arch},
            {"float_key", p.float_key},
            {"quant_key", p.quant_key},
            {"auc", p.auc},
            {"float_auc", p.float_auc},
            {"tensor_bits", quant::to_json(p.bits)},
            {"hidden", p.hidden},
            {"features", p.features},
            {"history", p.history},
            {"parameters", p.parameters},
            {"clock_ns", p.clock_ns},
            {"design", design_json(p.design)},
            {"synthesis", synthesis_json(p.synthesis)},
            {"timing", timing_json(p.timing)},
            {"realtime", to_json(p.realtime)},
            {"seconds", seconds_json(p.seconds)},
            {"artefacts", p.artefacts}};
  if (p.episodes) j["episodes"] = to_json(*p.episodes);
  if (p.verify) j["verify"] = verify_json(*p.verify);
  if (p.netlist_verify) j["netlist_verify"] = verify_json(*p.netlist_verify);
  if (p.power) j["power"] = power_json(*p.power);
  put_optional(j, "power_error", p.power_error);
  if (p.fpga) j["fpga"] = to_json(*p.fpga);
  return j;
}

PointResult point_result_from_json(const json& j, const std::string& source) {
  ObjectReader r(j, "", source);
  PointResult p;
  r.require("model", p.model);
  r.require("quant", p.quant);
  r.require("arch", p.arch);
  r.require("float_key", p.float_key);
  r.require("quant_key", p.quant_key);
  r.require("auc", p.auc);
  r.require("float_auc", p.float_auc);
  p.bits = read_bits(r, "tensor_bits");
  r.require("hidden", p.hidden);
  r.require("features", p.features);
  r.require("history", p.history);
  r.require("parameters", p.parameters);
  r.require("clock_ns", p.clock_ns);
  if (r.has("episodes")) p.episodes = episode_figures_from_json(r.at("episodes"), source, "episodes");
  p.design = read_design(r.object("design"));
  if (r.has("verify")) p.verify = read_verify(r.object("verify"));
  p.synthesis = read_synthesis(r.object("synthesis"));
  if (r.has("netlist_verify")) p.netlist_verify = read_verify(r.object("netlist_verify"));
  p.timing = read_timing(r.object("timing"));
  if (r.has("power")) p.power = read_power(r.object("power"));
  r.get("power_error", p.power_error);
  if (r.has("fpga")) p.fpga = fpga_figures_from_json(r.at("fpga"), source, "fpga");
  p.realtime = read_realtime(r.object("realtime"));
  p.seconds = read_seconds(r, "seconds");
  r.require("artefacts", p.artefacts);
  r.finish();
  return p;
}

json to_json(const PointOutcome& o) {
  json j = {{"key", o.key}, {"model", o.model}, {"quant", o.quant},      {"arch", o.arch},
            {"status", o.status}, {"error", o.error}, {"seconds", o.seconds}};
  if (o.result) j["result"] = to_json(*o.result);
  return j;
}

PointOutcome point_outcome_from_json(const json& j, const std::string& source) {
  ObjectReader r(j, "", source);
  PointOutcome o;
  r.require("key", o.key);
  r.require("model", o.model);
  r.require("quant", o.quant);
  r.require("arch", o.arch);
  r.require("status", o.status);
  r.require("error", o.error);
  r.require("seconds", o.seconds);
  if (o.status != "done" && o.status != "failed") r.fail("must be \"done\" or \"failed\"", "status");
  if (o.done()) o.result = point_result_from_json(r.at("result"), source);
  r.finish();
  return o;
}

json to_json(const LayoutFigures& f) {
  json j = {{"top", f.top},
            {"placement_speedup", f.placement_speedup},
            {"cells", f.cells},
            {"fill_cells", f.fill_cells},
            {"cell_area_um2", f.cell_area_um2},
            {"die_width_um", f.die_width_um},
            {"die_height_um", f.die_height_um},
            {"die_area_mm2", f.die_area_mm2},
            {"core_area_um2", f.core_area_um2},
            {"core_utilisation", f.core_utilisation},
            {"wire_length_um", f.wire_length_um},
            {"failed_routes", f.failed_routes},
            {"failed_nets", f.failed_nets},
            {"clock_ns", f.clock_ns},
            {"pre_route_fmax_mhz", f.pre_route_fmax_mhz},
            {"stage_seconds", seconds_json(f.stage_seconds)},
            {"place_and_route_seconds", f.place_and_route_seconds},
            {"def", f.def},
            {"gds", f.gds},
            {"png", f.png}};
  put_optional(j, "post_route_fmax_mhz", f.post_route_fmax_mhz);
  put_optional(j, "post_route_slack_ns", f.post_route_slack_ns);
  put_optional(j, "post_route_timing_error", f.post_route_timing_error);
  put_optional(j, "drc_errors", f.drc_errors);
  put_optional(j, "lvs_match", f.lvs_match);
  if (f.routed_verify) j["routed_verify"] = verify_json(*f.routed_verify);
  return j;
}

LayoutFigures layout_figures_from_json(const json& j, const std::string& source) {
  ObjectReader r(j, "", source);
  LayoutFigures f;
  r.require("top", f.top);
  r.require("placement_speedup", f.placement_speedup);
  r.require("cells", f.cells);
  r.require("fill_cells", f.fill_cells);
  r.require("cell_area_um2", f.cell_area_um2);
  r.require("die_width_um", f.die_width_um);
  r.require("die_height_um", f.die_height_um);
  r.require("die_area_mm2", f.die_area_mm2);
  r.require("core_area_um2", f.core_area_um2);
  r.require("core_utilisation", f.core_utilisation);
  r.require("wire_length_um", f.wire_length_um);
  r.require("failed_routes", f.failed_routes);
  r.require("failed_nets", f.failed_nets);
  r.require("clock_ns", f.clock_ns);
  r.require("pre_route_fmax_mhz", f.pre_route_fmax_mhz);
  f.stage_seconds = read_seconds(r, "stage_seconds");
  r.require("place_and_route_seconds", f.place_and_route_seconds);
  r.require("def", f.def);
  r.require("gds", f.gds);
  r.require("png", f.png);
  r.get("post_route_fmax_mhz", f.post_route_fmax_mhz);
  r.get("post_route_slack_ns", f.post_route_slack_ns);
  r.get("post_route_timing_error", f.post_route_timing_error);
  r.get("drc_errors", f.drc_errors);
  r.get("lvs_match", f.lvs_match);
  if (r.has("routed_verify")) f.routed_verify = read_verify(r.object("routed_verify"));
  r.finish();
  return f;
}

json to_json(const LayoutOutcome& o) {
  json j = {{"key", o.key},         {"point", o.point},   {"design", o.design}, {"density", o.density},
            {"aspect", o.aspect},   {"status", o.status}, {"error", o.error},   {"seconds", o.seconds}};
  if (o.figures) j["figures"] = to_json(*o.figures);
  return j;
}

LayoutOutcome layout_outcome_from_json(const json& j, const std::string& source) {
  ObjectReader r(j, "", source);
  LayoutOutcome o;
  r.require("key", o.key);
  r.require("point", o.point);
  r.require("design", o.design);
  r.require("density", o.density);
  r.require("aspect", o.aspect);
  r.require("status", o.status);
  r.require("error", o.error);
  r.require("seconds", o.seconds);
  if (o.status != "done" && o.status != "failed") r.fail("must be \"done\" or \"failed\"", "status");
  if (o.done()) o.figures = layout_figures_from_json(r.at("figures"), source);
  r.finish();
  return o;
}

}  // namespace gaitlstm::explore
