#include "eda/layout.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "eda/flat_names.h"
#include "eda/lvs_report.h"
#include "eda/report_numbers.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {

namespace fs = std::filesystem;

namespace {

double number_at(const std::string& token, const std::string& file, int64_t line) {
  try {
    size_t used = 0;
    const double v = std::stod(token, &used);
    if (used == token.size()) return v;
  } catch (const std::exception&) {
  }
  throw InputError(file, line, fmt::format("expected a number, got '{}'", token));
}

// Reads the points of one ROUTED/NEW wire ("( x y ) ( * y2 ) VIA ...") and
// adds the Manhattan length between consecutive points.
double wire_length_of(const std::vector<std::string>& tokens, const std::string& file, int64_t line) {
  double length = 0, x = 0, y = 0;
  bool have_point = false;
  for (size_t i = 0; i + 3 < tokens.size(); ++i) {
    if (tokens[i] != "(" || tokens[i + 3] != ")") continue;
    const double nx = tokens[i + 1] == "*" ? x : number_at(tokens[i + 1], file, line);
    const double ny = tokens[i + 2] == "*" ? y : number_at(tokens[i + 2], file, line);
    if (have_point) length += std::abs(nx - x) + std::abs(ny - y);
    x = nx, y = ny, have_point = true;
    i += 3;
  }
  return length;
}

std::string stage_log(const LayoutOptions& o, const std::string& stage) {
  return (fs::path(o.work_dir) / "log" / ("gaitlstm-" + stage + ".log")).string();
}

}  // namespace

DefSummary parse_def(std::string_view text, const std::string& file) {
  DefSummary def;
  std::istringstream in{std::string(text)};
  std::string line;
  int64_t number = 0;
  enum class Section { kNone, kComponents, kNets } section = Section::kNone;
  bool have_die = false;
  std::vector<std::string> wire;  // tokens of the wire statement being read
  bool net_has_route = false;
  auto flush_wire = [&] {
    if (!wire.empty()) def.wire_length_um += wire_length_of(wire, file, number) / def.units_per_micron;
    wire.clear();
  };
  while (std::getline(in, line)) {
    ++number;
    std::istringstream words(line);
    std::vector<std::string> t;
    for (std::string w; words >> w;) t.push_back(w);
    if (t.empty()) continue;
    if (t[0] == "UNITS" && t.size() >= 4) {
      def.units_per_micron = number_at(t[3], file, number);
    } else if (t[0] == "DIEAREA") {
      if (def.units_per_micron <= 0) throw InputError(file, number, "DIEAREA before UNITS DISTANCE MICRONS");
      if (t.size() < 9) throw InputError(file, number, "expected 'DIEAREA ( x0 y0 ) ( x1 y1 ) ;'");
      def.die_x0_um = number_at(t[2], file, number) / def.units_per_micron;
      def.die_y0_um = number_at(t[3], file, number) / def.units_per_micron;
      def.die_x1_um = number_at(t[6], file, number) / def.units_per_micron;
      def.die_y1_um = number_at(t[7], file, number) / def.units_per_micron;
      have_die = true;
    } else if (t[0] == "COMPONENTS") {
      section = Section::kComponents;
    } else if (t[0] == "NETS") {
      section = Section::kNets;
    } else if (t[0] == "END") {
      flush_wire();
      if (section == Section::kNets && net_has_route) ++def.routed_nets;
      section = Section::kNone;
    } else if (section == Section::kComponents && t[0] == "-") {
      // - NAME MACRO + PLACED ( x y ) N ;
      auto open = std::find(t.begin(), t.end(), "(");
      if (t.size() < 3 || open == t.end() || open + 2 >= t.end())
        throw InputError(file, number, "expected '- name macro + PLACED ( x y ) orient ;'");
      def.components.push_back({t[1], t[2], number_at(*(open + 1), file, number) / def.units_per_micron,
                                number_at(*(open + 2), file, number) / def.units_per_micron});
    } else if (section == Section::kNets) {
      size_t start = 0;
      if (t[0] == "-") {  // a new net
        flush_wire();
        if (net_has_route) ++def.routed_nets;
        net_has_route = false;
        continue;
      }
      if (t[0] == "+" && t.size() > 1 && t[1] == "ROUTED") {
        flush_wire();
        net_has_route = true;
        start = 3;  // + ROUTED layer
      } else if (t[0] == "NEW") {
        flush_wire();
        start = 2;  // NEW layer
      } else if (wire.empty()) {
        continue;  // pin list "( inst PIN )"
      }
      wire.insert(wire.end(), t.begin() + static_cast<long>(std::min(start, t.size())), t.end());
      if (t.back() == ";") flush_wire();
    }
  }
  if (def.units_per_micron <= 0) throw InputError(file, 0, "no 'UNITS DISTANCE MICRONS' line");
  if (!have_die) throw InputError(file, 0, "no DIEAREA");
  return def;
}

RouteSummary parse_route_log(std::string_view log_text, const std::string& file, std::string_view fail_out) {
  const size_t final_at = log_text.rfind("Final:");
  if (final_at == std::string_view::npos)
    throw InputError(file, 0, "no 'Final:' line: qrouter did not finish");
  const std::string final_line(log_text.substr(final_at, log_text.find('\n', final_at) - final_at));
  RouteSummary route;
  if (final_line.find("No failed routes") == std::string::npos) {
    static const std::regex count(R"((\d+))");
    std::smatch m;
    if (!std::regex_search(final_line, m, count))
      throw InputError(file, 0, fmt::format("cannot read the failure count from '{}'", final_line));
    route.failed_routes = report_count(m[1].str(), file, "failed route count");
  }
  std::istringstream in{std::string(fail_out)};
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string net;
    if (line.find("failed to route") != std::string::npos) continue;  // "344 nets failed to route:"
    if ((words >> net) && net.front() != '#') route.failed_nets.push_back(net);
  }
  return route;
}

double parse_vesta_fmax_mhz(std::string_view log_text, const std::string& file) {
  static const std::regex fmax(R"(Computed maximum clock frequency \(zero margin\) = ([0-9.eE+-]+) MHz)");
  const std::string text(log_text);
  std::smatch m;
  if (!std::regex_search(text, m, fmax))
    throw InputError(file, 0, "no 'Computed maximum clock frequency' line: vesta found no clocked path or failed");
  return report_number(m[1].str(), file, "vesta f_max");
}

int64_t parse_magic_drc_count(std::string_view log_text, const std::string& file) {
  static const std::regex count(R"(drc = (\d+))");
  const std::string text(log_text);
  std::smatch m;
  if (!std::regex_search(text, m, count)) throw InputError(file, 0, "no 'drc = N' line: magic DRC did not finish");
  return report_count(m[1].str(), file, "DRC count");
}

bool parse_lvs_match(std::string_view log_text, const std::string& file) {
  if (log_text.find("Circuits match uniquely") != std::string_view::npos ||
      log_text.find("LVS reports no net, device, pin, or property mismatches") != std::string_view::npos)
    return true;
  if (log_text.find("Netlists do not match") != std::string_view::npos ||
      log_text.find("Total errors") != std::string_view::npos)
    return false;
  throw InputError(file, 0, "no netgen verdict in the LVS log");
}

std::map<std::string, int64_t> parse_blif_gates(std::string_view text, const std::string& file) {
  std::map<std::string, int64_t> gates;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string keyword, cell;
    if ((words >> keyword) && keyword == ".gate" && (words >> cell)) ++gates[cell];
  }
  if (gates.empty()) throw InputError(file, 0, "no .gate lines: not a mapped BLIF netlist");
  return gates;
}

LayoutResult summarize_layout(const DefSummary& def, const RouteSummary& route, const CellLibrary& library,
                              const std::string& fill_cell) {
  LayoutResult r;
  double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = -x0, y1 = -x0;
  for (const PlacedComponent& c : def.components) {
    const auto macro = library.lef_macros().find(c.macro);
    if (macro == library.lef_macros().end())
      throw InputError(c.macro, 0, fmt::format("placed component {} uses macro {} unknown to the LEF", c.name, c.macro));
    x0 = std::min(x0, c.x_um), y0 = std::min(y0, c.y_um);
    x1 = std::max(x1, c.x_um + macro->second.width_um), y1 = std::max(y1, c.y_um + macro->second.height_um);
    if (c.macro == fill_cell) {
      ++r.fill_cells;
    } else {
      ++r.cells;
      r.cell_area_um2 += macro->second.area_um2();
    }
  }
  r.die_width_um = def.die_width_um();
  r.die_height_um = def.die_height_um();
  r.die_area_mm2 = r.die_width_um * r.die_height_um * 1e-6;
  if (!def.components.empty()) r.core_area_um2 = (x1 - x0) * (y1 - y0);
  r.core_utilisation = r.core_area_um2 > 0 ? r.cell_area_um2 / r.core_area_um2 : 0;
  r.wire_length_um = def.wire_length_um;
  r.failed_routes = route.failed_routes;
  r.failed_nets = route.failed_nets;
  return r;
}

void render_layout_png(ToolRunner& runner, const std::string& def, const std::string& lef, const std::string& png,
                       int width, const std::string& work_dir) {
  const std::string script = (fs::path(work_dir) / "render_png.rb").string();
  write_file_atomic(script, klayout_render_script());
  ToolCommand command;
  command.program = "klayout";
  command.args = {"-b", "-r", script, "-rd", "def=" + fs::absolute(def).string(), "-rd", "lef=" + lef,
                  "-rd", "out=" + fs::absolute(png).string(), "-rd", fmt::format("width={}", width)};
  command.working_dir = work_dir;
  command.log_path = (fs::path(work_dir) / "log" / "gaitlstm-klayout.log").string();
  command.timeout = std::chrono::seconds(300);
  run_checked(runner, command);
  if (!fs::is_regular_file(png)) throw ToolError("klayout", "wrote no picture", command.log_path, log_tail(command.log_path));
}

namespace {

// A vesta log's ERROR lines, summarized (count, first, last — the last is
// usually the one that stopped it), or `fallback` if there are none; for a
// result that keeps its route but has no post-route timing.
std::string vesta_errors(const std::string& log_text, const std::string& fallback) {
  std::istringstream in(log_text);
  std::string line, first, last;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.rfind("ERROR:", 0) != 0) continue;
    if (count++ == 0) first = line;
    last = line;
  }
  if (count == 0) return fallback;
  if (count == 1) return "vesta: " + first;
  return fmt::format("vesta: {} ERROR lines, first: {}; last: {}", count, first, last);
}

ToolCommand qflow_stage(const LayoutOptions& o, const std::string& stage) {
  ToolCommand command;
  command.program = "qflow";
  command.args = {"-T", o.tech.name, stage, o.top};
  command.working_dir = o.work_dir;
  command.log_path = stage_log(o, stage);
  command.timeout = o.stage_timeout;
  return command;
}

void prepare_project(const LayoutOptions& o) {
  if (o.tech.name == "sky130hd")
    throw InputError(o.tech.lef, 0,
                     "no sky130hd layout: qflow has no sky130 tech folder, and with one made by hand qrouter 1.4.71 "
                     "leaves 270-550 nets unrouted (it has no off-track pin access to the cells' li1 pins; "
                     "docs/EDA.md, 'sky130hd layout'); use --library osu018 for layout");
  if (o.tech.qflow_tech_dir.empty() || o.tech.lef.empty())
    throw InputError(o.tech.liberty, 0, "layout needs a qflow technology (the default OSU 0.18) with a LEF");
  const fs::path dir = o.work_dir;
  for (const char* sub : {"source", "synthesis", "layout", "log"}) fs::create_directories(dir / sub);
  write_file_atomic((dir / "project_vars.sh").string(), qflow_project_vars(o));
  // Stale results of an earlier run in the same project must not be read.
  for (const char* stale : {"fail.out", "failed.out", "comp.json"}) fs::remove(dir / "layout" / stale);
  fs::remove(dir / "layout" / (o.top + ".def"));
}

// qflow's source: the design flattened by Yosys with plain names
// (eda/flat_names.h), so the routed DEF, the delay files and the netlist vesta
// reads all name every net alike.  Returns the renamed identifiers.
int64_t write_flat_source(ToolRunner& runner, const LayoutOptions& o, std::vector<StageTime>& stages) {
  // Not in source/: qflow reads every Verilog file there.
  const fs::path dir = fs::path(o.work_dir) / "flatten";
  fs::create_directories(dir);
  const std::string generic = (dir / "flat_generic.v").string();
  write_file_atomic((dir / "flat.ys").string(), flat_source_script(o.sources, o.top, generic));
  ToolCommand command;
  command.program = "yosys";
  command.args = {"-q", "-l", "flat.log", "-s", "flat.ys"};
  command.working_dir = dir.string();
  command.log_path = stage_log(o, "flatten");
  command.timeout = o.stage_timeout;
  if (o.on_stage) o.on_stage("flatten");
  const ToolRun run = run_checked(runner, command);
  stages.push_back({"flatten", run.seconds});
  int64_t renamed = 0;
  write_file_atomic((fs::path(o.work_dir) / "source" / (o.top + ".v")).string(),
                    plain_identifiers(read_file(generic), &renamed));
  return renamed;
}

void write_par(const LayoutOptions& o, const CellLibrary& library) {
  const fs::path dir = o.work_dir;
  const std::string blif = (dir / "synthesis" / (o.top + ".blif")).string();
  double cell_area = 0;
  for (const auto& [cell, count] : parse_blif_gates(read_file(blif), blif))
    cell_area += library.area_um2(cell) * static_cast<double>(count);
  const double row_height = parse_lef_site_height(read_file(o.tech.lef)).value_or(0);
  const std::string base = read_file((fs::path(o.tech.qflow_tech_dir) / (o.tech.name + ".par")).string());
  write_file_atomic((dir / "layout" / (o.top + ".par")).string(),
                    base + graywolf_par_additions(o, cell_area, row_height));
}

// A qflow signoff stage whose exit code also says "errors found": runs it,
// fails only on a timeout or a missing log, and returns the log's path and the
// exit code; the caller parses the log (which throws when it holds no verdict)
// and refuses a failing exit whose log found nothing.
struct JudgedStage {
  std::string log;
  int exit_code = 0;
};

JudgedStage run_judged_by_log(ToolRunner& runner, const LayoutOptions& o, const std::string& stage,
                              LayoutResult& result) {
  if (o.on_stage) o.on_stage(stage);
  const ToolCommand cmd = qflow_stage(o, stage);
  const ToolRun run = runner.run(cmd);
  result.stages.push_back({stage, run.seconds});
  if (run.timed_out)
    throw ToolError("qflow", fmt::format("{} stage timed out after {} s", stage, o.stage_timeout.count()), cmd.log_path,
                    log_tail(cmd.log_path));
  const std::string log = (fs::path(o.work_dir) / "log" / (stage + ".log")).string();
  if (!fs::is_regular_file(log))
    throw ToolError("qflow", fmt::format("{} stage wrote no {} (exit code {})", stage, log, run.exit_code), cmd.log_path,
                    log_tail(cmd.log_path));
  return {log, run.exit_code};
}

// migrate (DEF -> magic), DRC and LVS through qflow, then a GDS written by
// magic from the LEF abstracts (the OSU package ships no cell GDS, so
// qflow's own gdsii stage cannot work).
template <typename RunStage>
void run_signoff(ToolRunner& runner, const LayoutOptions& o, RunStage& run_stage, LayoutResult& result) {
  const fs::path dir = o.work_dir;
  run_stage("migrate");
  // qflow's drc and lvs stages exit non-zero when magic counts any error
  // ("Premature exit") or netgen finds a mismatch; those are the results to
  // report (and LVS must still run after DRC errors), so both stages are
  // judged by their logs, as the route stage is.
  const JudgedStage drc = run_judged_by_log(runner, o, "drc", result);
  result.drc_errors = parse_magic_drc_count(read_file(drc.log), drc.log);
  if (drc.exit_code != 0 && *result.drc_errors == 0)
    throw ToolError("qflow", fmt::format("drc stage failed (exit code {}) with no DRC error counted", drc.exit_code),
                    stage_log(o, "drc"), log_tail(stage_log(o, "drc")));
  const JudgedStage lvs = run_judged_by_log(runner, o, "lvs", result);
  result.lvs_match = parse_lvs_match(read_file(lvs.log), lvs.log);
  // The log says only "do not match"; which nets, from netgen's JSON.
  if (const fs::path comparison = dir / "layout" / "comp.json"; !*result.lvs_match && fs::is_regular_file(comparison))
    result.lvs_mismatches =
        describe_lvs_mismatches(parse_netgen_comparison(read_file(comparison.string()), comparison.string()));
  if (lvs.exit_code != 0 && *result.lvs_match)
    throw ToolError("qflow", fmt::format("lvs stage failed (exit code {}) though netgen reports a match", lvs.exit_code),
                    stage_log(o, "lvs"), log_tail(stage_log(o, "lvs")));
  const fs::path layout = dir / "layout";
  write_file_atomic((layout / "gaitlstm_gds.tcl").string(),
                    fmt::format("lef read {}\nload {}\ngds write {}.gds\nquit -noprompt\n", o.tech.lef, o.top, o.top));
  ToolCommand gds;
  gds.program = "magic";
  gds.args = {"-dnull", "-noconsole", "gaitlstm_gds.tcl"};
  gds.working_dir = layout.string();
  gds.log_path = stage_log(o, "gds");
  gds.timeout = o.stage_timeout;
  if (o.on_stage) o.on_stage("gds");
  const ToolRun run = run_checked(runner, gds);
  result.stages.push_back({"gds", run.seconds});
  result.gds = (layout / (o.top + ".gds")).string();
  if (!fs::is_regular_file(result.gds)) throw ToolError("magic", "wrote no GDS", gds.log_path, log_tail(gds.log_path));
}

}  // namespace

LayoutResult place_and_route(ToolRunner& runner, const LayoutOptions& o) {
  prepare_project(o);
  const CellLibrary library(o.tech);
  std::vector<StageTime> stages;
  auto run_stage = [&](const std::string& stage) {
    if (o.on_stage) o.on_stage(stage);
    const ToolRun run = run_checked(runner, qflow_stage(o, stage));
    stages.push_back({stage, run.seconds});
  };
  const fs::path dir = o.work_dir;
  write_flat_source(runner, o, stages);
  run_stage("synthesize");
  write_par(o, library);
  run_stage("place");
  {
    const std::string cfg = (dir / "layout" / (o.top + ".cfg")).string();
    std::string script = qrouter_script_without_via_cleanup(read_file(cfg), cfg);
    if (!o.route_cleanup) script = qrouter_script_without_cleanup(script, cfg);
    write_file_atomic(cfg, script);
  }
  run_stage("sta");
  // A route with failed nets makes qflow exit non-zero; that is a result to
  // report, so the route stage is judged by its log, not its exit code.
  if (o.on_stage) o.on_stage("route");
  const ToolCommand route_cmd = qflow_stage(o, "route");
  const ToolRun route_run = runner.run(route_cmd);
  stages.push_back({"route", route_run.seconds});
  if (route_run.timed_out)
    throw ToolError("qflow", fmt::format("route stage timed out after {} s (killed; lower --density or raise "
                                         "the timeout)", o.stage_timeout.count()),
                    route_cmd.log_path, log_tail(route_cmd.log_path));
  const std::string route_log = (dir / "log" / "route.log").string();
  if (!fs::is_regular_file(route_log))
    throw ToolError("qflow", fmt::format("route stage wrote no {} (exit code {})", route_log, route_run.exit_code),
                    route_cmd.log_path, log_tail(route_cmd.log_path));
  const fs::path fail_out = dir / "layout" / "fail.out";
  const RouteSummary route = parse_route_log(read_file(route_log), route_log,
                                             fs::is_regular_file(fail_out) ? read_file(fail_out.string()) : "");
  const std::string def_path = (dir / "layout" / (o.top + ".def")).string();
  LayoutResult result = summarize_layout(parse_def(read_file(def_path), def_path), route, library, "FILL");
  const std::string sta_log = (dir / "log" / "sta.log").string();
  result.pre_route_fmax_mhz = parse_vesta_fmax_mhz(read_file(sta_log), sta_log);
  if (route.failed_routes == 0) {
    run_stage("backanno");
    const std::string post_log = (dir / "log" / "post_sta.log").string();
    const std::string post_text = read_file(post_log);
    try {
      result.post_route_fmax_mhz = parse_vesta_fmax_mhz(post_text, post_log);
      result.post_route_slack_ns = o.clock_ns - 1000.0 / result.post_route_fmax_mhz;
    } catch (const InputError& e) {
      result.post_route_timing_error = vesta_errors(post_text, e.what());
    }
    if (o.signoff) run_signoff(runner, o, run_stage, result);
  }
  if (!o.png.empty()) {
    if (o.on_stage) o.on_stage("png");
    render_layout_png(runner, def_path, o.tech.lef, o.png, o.png_width, o.work_dir);
    result.png = o.png;
  }
  result.top = o.top;
  result.density = o.density;
  result.aspect = o.aspect;
  result.placement_speedup = o.placement_speedup;
  result.route_cleanup = o.route_cleanup;
  result.clock_ns = o.clock_ns;
  result.stages.insert(result.stages.begin(), stages.begin(), stages.end());
  for (const StageTime& s : stages)
    if (s.stage == "place" || s.stage == "route") result.place_and_route_seconds += s.seconds;
  result.def = def_path;
  result.work_dir = o.work_dir;
  if (const fs::path netlist = dir / "synthesis" / (o.top + ".rtlnopwr.v"); fs::is_regular_file(netlist))
    result.routed_netlist = netlist.string();
  return result;
}

nlohmann::json to_json(const LayoutResult& r) {
  nlohmann::json stages = nlohmann::json::array();
  for (const StageTime& s : r.stages) stages.push_back({{"stage", s.stage}, {"seconds", s.seconds}});
  nlohmann::json j = {{"top", r.top},
                      {"density", r.density},
                      {"aspect", r.aspect},
                      {"placement_speedup", r.placement_speedup},
                      {"route_cleanup", r.route_cleanup},
                      {"cells", r.cells},
                      {"fill_cells", r.fill_cells},
                      {"cell_area_um2", r.cell_area_um2},
                      {"die_width_um", r.die_width_um},
                      {"die_height_um", r.die_height_um},
                      {"die_area_mm2", r.die_area_mm2},
                      {"core_area_um2", r.core_area_um2},
                      {"core_utilisation", r.core_utilisation},
                      {"wire_length_um", r.wire_length_um},
                      {"failed_routes", r.failed_routes},
                      {"failed_nets", r.failed_nets},
                      {"pre_route_fmax_mhz", r.pre_route_fmax_mhz},
                      {"clock_ns", r.clock_ns},
                      {"stages", stages},
                      {"place_and_route_seconds", r.place_and_route_seconds},
                      {"def", r.def},
                      {"work_dir", r.work_dir}};
  if (!r.routed_netlist.empty()) j["routed_netlist"] = r.routed_netlist;
  if (r.failed_routes == 0 && r.post_route_timing_error.empty()) {
    j["post_route_fmax_mhz"] = r.post_route_fmax_mhz;
    j["post_route_slack_ns"] = r.post_route_slack_ns;
  }
  if (!r.post_route_timing_error.empty()) j["post_route_timing_error"] = r.post_route_timing_error;
  if (r.drc_errors) j["drc_errors"] = *r.drc_errors;
  if (r.lvs_match) j["lvs_match"] = *r.lvs_match;
  if (!r.lvs_mismatches.empty()) j["lvs_mismatches"] = r.lvs_mismatches;
  if (!r.gds.empty()) j["gds"] = r.gds;
  if (!r.png.empty()) j["png"] = r.png;
  return j;
}

}  // namespace gaitlstm::eda
