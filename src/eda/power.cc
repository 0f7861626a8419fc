#include "eda/power.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "eda/cell_models.h"
#include "eda/report_numbers.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {

namespace fs = std::filesystem;

namespace {

// Yosys writes escaped identifiers as "\name "; VCD writers drop or keep the
// backslash.  Both sides are compared without it.
std::string plain_identifier(std::string name) {
  if (!name.empty() && name.front() == '\\') name.erase(0, 1);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  return name;
}

bool is_declaration(const std::string& first_word) {
  static const char* const kKeywords[] = {"module", "endmodule", "input", "output", "inout", "wire",
                                          "reg",    "assign",    "parameter", "localparam", "supply0", "supply1"};
  for (const char* k : kKeywords)
    if (first_word == k) return true;
  return false;
}

// Seconds per VCD time unit from "$timescale 1ps $end" (possibly over lines).
double timescale_seconds(const std::string& spec, const std::string& file) {
  static const std::regex re(R"((1|10|100)\s*(s|ms|us|ns|ps|fs))");
  std::smatch m;
  if (!std::regex_search(spec, m, re)) throw InputError(file, 0, fmt::format("unknown $timescale '{}'", spec));
  static const std::map<std::string, double> unit = {{"s", 1},     {"ms", 1e-3},  {"us", 1e-6},
                                                     {"ns", 1e-9}, {"ps", 1e-12}, {"fs", 1e-15}};
  return std::stod(m[1]) * unit.at(m[2]);
}

struct VcdPinVar {
  std::string parent_scope, instance, pin, code;
};

struct SignalTrace {
  char value = 'x';
  int64_t since = 0;
  int64_t high_time = 0;
  int64_t toggles = 0;
};

struct VcdHeader {
  std::vector<VcdPinVar> pin_vars;  // vars whose scope is a netlist instance and name one of its pins
  double seconds_per_unit = 1e-12;
  int64_t instance_pins = 0;
};

VcdHeader read_vcd_header(std::istream& in, const std::map<std::string, NetlistInstance>& instances,
                          const std::string& file) {
  VcdHeader header;
  std::vector<std::string> scopes;
  std::string word, timescale;
  bool in_timescale = false;
  while (in >> word) {
    if (word == "$enddefinitions") return header;
    if (in_timescale) {
      if (word == "$end") {
        header.seconds_per_unit = timescale_seconds(timescale, file);
        in_timescale = false;
      } else {
        timescale += word;
      }
    } else if (word == "$timescale") {
      in_timescale = true;
    } else if (word == "$scope") {
      std::string kind, name;
      in >> kind >> name;
      scopes.push_back(name);
    } else if (word == "$upscope") {
      if (!scopes.empty()) scopes.pop_back();
    } else if (word == "$var") {
      std::string type, width, code, name, token;
      in >> type >> width >> code >> name;
      while (in >> token && token != "$end") {}  // "[7:0]" and the like
      if (width != "1" || scopes.size() < 2) continue;
      const std::string instance = plain_identifier(scopes.back());
      auto it = instances.find(instance);
      if (it == instances.end()) continue;
      const auto& pins = it->second.pins;
      if (std::find(pins.begin(), pins.end(), name) == pins.end()) continue;
      std::string parent;
      for (size_t i = 0; i + 1 < scopes.size(); ++i) parent += (i ? "." : "") + scopes[i];
      header.pin_vars.push_back({parent, instance, name, code});
    }
  }
  throw InputError(file, 0, "no $enddefinitions: not a VCD file or truncated");
}

std::string choose_dut_scope(const std::vector<VcdPinVar>& vars, const std::string& requested,
                             const std::string& file) {
  std::map<std::string, int64_t> votes;
  for (const VcdPinVar& v : vars) ++votes[v.parent_scope];
  if (!requested.empty()) {
    if (!votes.count(requested))
      throw InputError(file, 0, fmt::format("scope '{}' holds none of the netlist's cell instances", requested));
    return requested;
  }
  if (votes.empty())
    throw InputError(file, 0,
                     "no scope holds the netlist's cell instances: simulate the mapped netlist and dump the DUT "
                     "with its cells ($dumpvars(0, dut))");
  return std::max_element(votes.begin(), votes.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

// What a pin connects to: the text from `open` (just after ".PIN(") to its
// closing parenthesis, trimmed; an escaped identifier runs to whitespace
// whatever it holds.
std::string connection_text(const std::string& statement, size_t open) {
  size_t at = open;
  int depth = 0;
  while (at < statement.size()) {
    const char c = statement[at];
    if (c == '\\') {
      while (at < statement.size() && !std::isspace(static_cast<unsigned char>(statement[at]))) ++at;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && depth-- == 0) break;
    ++at;
  }
  std::string text = statement.substr(open, at - open);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t begin = 0;
  while (begin < text.size() && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  return text.substr(begin);
}

void apply_change(SignalTrace& t, char value, int64_t now) {
  if (value != '0' && value != '1') value = 'x';
  if (t.value == '1') t.high_time += now - t.since;
  if ((t.value == '0' && value == '1') || (t.value == '1' && value == '0')) ++t.toggles;
  t.value = value;
  t.since = now;
}

}  // namespace

std::map<std::string, NetlistInstance> parse_netlist_instances(std::string_view text, const std::string& file) {
  static const std::regex comments(R"(//[^\n]*|/\*[\s\S]*?\*/)");
  const std::string clean = std::regex_replace(std::string(text), comments, " ");
  static const std::regex pin_re(R"(\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\()");
  std::map<std::string, NetlistInstance> instances;
  std::istringstream statements(clean);
  std::string statement;
  while (std::getline(statements, statement, ';')) {
    std::istringstream words(statement);
    std::string cell, instance;
    if (!(words >> cell)) continue;
    if (cell == "endmodule") {  // "endmodule" has no ';': it prefixes the next statement
      if (!(words >> cell)) continue;
    }
    if (is_declaration(cell) || !(words >> instance)) continue;
    if (statement.find('(') == std::string::npos) continue;
    NetlistInstance inst;
    inst.cell = cell;
    // Pins after the instance name (an escaped one may hold ".x (").
    const size_t from = statement.find(instance, statement.find(cell) + cell.size()) + instance.size();
    for (std::sregex_iterator it(statement.begin() + static_cast<std::ptrdiff_t>(from), statement.end(), pin_re), end;
         it != end; ++it) {
      inst.pins.push_back((*it)[1]);
      inst.nets.push_back(connection_text(statement, from + static_cast<size_t>(it->position() + it->length())));
    }
    if (inst.pins.empty()) continue;
    instances[plain_identifier(instance)] = std::move(inst);
  }
  if (instances.empty()) throw InputError(file, 0, "no cell instances with named pin connections in the netlist");
  return instances;
}

std::vector<std::string> flop_data_pins(const std::string& netlist_path, const CellLibrary& library,
                                        int64_t* uncovered) {
  std::vector<std::string> pins;
  int64_t missing = 0;
  for (const auto& [name, inst] : parse_netlist_instances(read_file(netlist_path), netlist_path)) {
    if (!library.is_sequential(inst.cell)) continue;
    const std::string pin = library.flop_data_pin(inst.cell);
    if (pin.empty()) {
      ++missing;
      continue;
    }
    const bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
                       });
    pins.push_back(plain ? name + "." + pin : "\\" + name + " ." + pin);
  }
  if (uncovered) *uncovered = missing;
  return pins;
}

VcdActivity vcd_pin_activity(const std::string& vcd_path, const std::map<std::string, NetlistInstance>& instances,
                             double clock_ns, const std::string& dut_scope) {
  std::ifstream in(vcd_path);
  if (!in) throw InputError(vcd_path, 0, "cannot open VCD");
  const VcdHeader header = read_vcd_header(in, instances, vcd_path);
  VcdActivity activity;
  activity.dut_scope = choose_dut_scope(header.pin_vars, dut_scope, vcd_path);
  for (const auto& [name, inst] : instances) activity.netlist_pins += static_cast<int64_t>(inst.pins.size());

  std::unordered_map<std::string, size_t> trace_of_code;
  std::vector<SignalTrace> traces;
  std::vector<std::pair<std::string, size_t>> pin_traces;  // "inst/PIN" -> trace
  for (const VcdPinVar& v : header.pin_vars) {
    if (v.parent_scope != activity.dut_scope) continue;
    auto [it, added] = trace_of_code.emplace(v.code, traces.size());
    if (added) traces.emplace_back();
    pin_traces.emplace_back(v.instance + "/" + v.pin, it->second);
  }

  int64_t now = 0, first = -1;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const char c = line[0];
    if (c == '#') {
      std::string_view digits = std::string_view(line).substr(1);
      while (!digits.empty() && std::isspace(static_cast<unsigned char>(digits.back()))) digits.remove_suffix(1);
      const int64_t time = report_count(digits, vcd_path, "VCD time");
      // Times only grow (so the durations summed below stay within int64).
      if (time < now) throw InputError(vcd_path, 0, fmt::format("VCD time #{} goes back from #{}", time, now));
      now = time;
      if (first < 0) first = now;
    } else if (c == '0' || c == '1' || c == 'x' || c == 'X' || c == 'z' || c == 'Z') {
      auto it = trace_of_code.find(line.substr(1));
      if (it != trace_of_code.end()) apply_change(traces[it->second], c, now);
    }  // vectors (b...), reals (r...) and $keywords carry no cell-pin values
  }
  if (first < 0 || now <= first) throw InputError(vcd_path, 0, "VCD covers no simulated time");
  for (SignalTrace& t : traces) apply_change(t, t.value, now);  // close the last interval
  const double span_units = static_cast<double>(now - first);
  activity.simulated_ns = span_units * header.seconds_per_unit * 1e9;
  activity.cycles = activity.simulated_ns / clock_ns;
  for (const auto& [pin, index] : pin_traces) {
    const SignalTrace& t = traces[index];
    activity.pins.push_back({pin, static_cast<double>(t.toggles) / activity.cycles,
                             static_cast<double>(t.high_time) / span_units});
  }
  return activity;
}

std::string activity_tcl(const VcdActivity& activity) {
  std::string tcl =
      "# switching activity from a gate-level VCD (transitions per clock, duty), generated by gaitlstm\n"
      "set gaitlstm_annotated 0\n"
      "proc gaitlstm_activity {pin activity duty} {\n"
      "  set found [get_pins -quiet $pin]\n"
      "  if {[llength $found]} {\n"
      "    sta::set_power_pin_activity [lindex $found 0] $activity $duty\n"
      "    incr ::gaitlstm_annotated\n"
      "  }\n"
      "}\n";
  for (const PinActivity& p : activity.pins) {
    std::string escaped;
    for (char c : p.pin) {
      if (c == '[' || c == ']' || c == '\\' || c == '{' || c == '}') escaped.push_back('\\');
      escaped.push_back(c);
    }
    tcl += fmt::format("gaitlstm_activity {{{}}} {:.6g} {:.6g}\n", escaped, p.transitions_per_cycle, p.duty);
  }
  tcl += "puts \"gaitlstm_annotated $gaitlstm_annotated\"\n";
  return tcl;
}

std::vector<PowerGroup> parse_power_report(std::string_view text, const std::string& file) {
  static const std::regex row(
      R"(^(Sequential|Combinational|Macro|Pad|Total)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(\s+\S+%)?\s*$)");
  std::vector<PowerGroup> groups;
  std::istringstream in{std::string(text)};
  std::string line;
  std::smatch m;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.starts_with("Group") && line.find("Internal") != std::string::npos) in_table = true;
    if (!in_table || !std::regex_match(line, m, row)) continue;
    try {
      groups.push_back({m[1], std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), std::stod(m[5])});
    } catch (const std::exception&) {
      throw InputError(file, 0, fmt::format("power row is not numeric: '{}'", line));
    }
    if (groups.back().name == "Total") return groups;
  }
  throw InputError(file, 0, "no report_power table with a Total row in the OpenSTA output");
}

PowerResult analyze_power(ToolRunner& runner, const PowerOptions& options) {
  const StaOptions& sta = options.sta;
  const fs::path dir = sta.work_dir;
  PowerResult result;
  result.clock_ns = sta.clock_ns;
  std::string script = sta_setup_commands(sta);
  const bool annotated = options.vcd || options.activity;
  if (annotated) {
    VcdActivity activity;
    if (options.activity) {
      activity = *options.activity;
      result.activity_source = options.activity_source;
    } else {
      const auto instances = parse_netlist_instances(read_file(sta.netlist), sta.netlist);
      activity = vcd_pin_activity(*options.vcd, instances, sta.clock_ns, options.vcd_scope);
      result.activity_source = "VCD " + *options.vcd;
    }
    write_file_atomic((dir / "activity.tcl").string(), activity_tcl(activity));
    script += "source activity.tcl\n";
    result.netlist_pins = activity.netlist_pins;
    result.simulated_cycles = activity.cycles;
  } else {
    result.activity_source = "vectorless";
  }
  script += "report_power -digits 6\nexit\n";
  write_file_atomic((dir / "power.tcl").string(), script);
  ToolCommand command;
  command.program = "sta";
  command.args = {"-no_splash", "-exit", "power.tcl"};
  command.working_dir = dir.string();
  command.log_path = (dir / "power.log").string();
  command.timeout = sta.timeout;
  const ToolRun run = run_checked(runner, command);
  const std::string log = read_file(command.log_path);
  result.groups = parse_power_report(log, command.log_path);
  const PowerGroup& total = result.groups.back();
  result.dynamic_w = total.internal_w + total.switching_w;
  result.leakage_w = total.leakage_w;
  result.total_w = total.total_w;
  if (annotated) {
    static const std::regex annotated_re(R"(gaitlstm_annotated (\d+))");
    std::smatch m;
    if (!std::regex_search(log, m, annotated_re))
      throw InputError(command.log_path, 0, "activity annotation did not report how many pins it set");
    result.annotated_pins = report_count(m[1].str(), command.log_path, "annotated pin count");
  }
  result.log = command.log_path;
  result.seconds = run.seconds;
  return result;
}

std::string simulate_gate_level(ToolRunner& runner, const StaOptions& design, const Stimulus& stimulus) {
  if (stimulus.testbench_files.empty()) throw InputError(design.netlist, 0, "no testbench given");
  if (stimulus.simulator != "icarus" && stimulus.simulator != "verilator")
    throw InputError(design.netlist, 0, fmt::format("unknown gate-level simulator '{}' (verilator | icarus)", stimulus.simulator));
  const bool verilator = stimulus.simulator == "verilator";
  const fs::path dir = design.work_dir;
  GateLevelModels models;  // the testbench starts the registers (no zero-start forcing here)
  if (verilator) {
    models = gate_level_models(design.tech, design.netlist, true, dir.string());
  } else {
    if (design.tech.verilog_models.empty())
      throw InputError(design.tech.liberty, 0, "no Verilog cell models known for this library (--cell-models)");
    models.files = simulation_models(design.tech);
    models.defines = design.tech.simulation_defines;
  }
  ToolCommand compile;
  ToolCommand simulate;
  if (verilator) {
    // Names that start with '_' (Yosys' cells and nets) are traced only on
    // request; the bit-op-tree optimization of Verilator 5.006 miscomputes
    // netlists (rtl/gate_level_sim.cc).  C++ at -O1: unoptimized trace code
    // ran the headline's 4 decisions in 57 s CPU instead of 8 s.
    compile.program = "verilator";
    compile.args = {"--binary", "--trace", "--trace-underscore", "-fno-const-bit-op-tree", "-j", "2", "-Wno-fatal",
                    "-Wno-lint", "-Wno-style",
                    "-Mdir", "obj", "-o", "sim", "-MAKEFLAGS", "OPT_FAST=-O1 OPT_SLOW=-O1 OPT_GLOBAL=-O1"};
    compile.log_path = (dir / "verilator.log").string();
    simulate.program = (fs::absolute(dir) / "obj" / "sim").string();
    simulate.log_path = (dir / "sim.log").string();
  } else {
    compile.program = "iverilog";
    compile.args = {"-g2005", "-o", "gatesim.vvp"};
    compile.log_path = (dir / "iverilog.log").string();
    simulate.program = "vvp";
    simulate.args = {"-n", "gatesim.vvp"};
    simulate.log_path = (dir / "vvp.log").string();
  }
  compile.args.push_back(fmt::format("-DPERIOD_NS={}", design.clock_ns));
  for (const std::string& d : models.defines) compile.args.push_back("-D" + d);
  for (const std::string& tb : stimulus.testbench_files) compile.args.push_back(fs::absolute(tb).string());
  compile.args.push_back(fs::absolute(design.netlist).string());
  for (const std::string& model : models.files) compile.args.push_back(fs::absolute(model).string());
  compile.working_dir = dir.string();
  run_checked(runner, compile);
  simulate.working_dir = dir.string();
  simulate.timeout = stimulus.timeout;
  run_checked(runner, simulate);
  const std::string vcd = (dir / stimulus.vcd_file).string();
  if (!fs::is_regular_file(vcd))
    throw InputError(vcd, 0, "the testbench wrote no VCD here (it must $dumpfile(\"" + stimulus.vcd_file + "\"))");
  return vcd;
}

EnergyEstimate energy_per_decision(const PowerResult& power, int64_t cycles_per_decision) {
  return {cycles_per_decision,
          power.total_w * static_cast<double>(cycles_per_decision) * power.clock_ns * 1e-9};
}

PowerResult power_with_stimulus(ToolRunner& runner, const StaOptions& design, const Stimulus& stimulus) {
  PowerOptions options;
  options.sta = design;
  options.vcd = simulate_gate_level(runner, design, stimulus);
  options.vcd_scope = stimulus.dut_scope;
  if (stimulus.simulator == "verilator" && !stimulus.dut_scope.empty()) options.vcd_scope = "TOP." + stimulus.dut_scope;
  return analyze_power(runner, options);
}

nlohmann::json to_json(const PowerResult& r) {
  nlohmann::json groups = nlohmann::json::array();
  for (const PowerGroup& g : r.groups)
    groups.push_back({{"group", g.name},
                      {"internal_w", g.internal_w},
                      {"switching_w", g.switching_w},
                      {"leakage_w", g.leakage_w},
                      {"total_w", g.total_w}});
  nlohmann::json j = {{"activity_source", r.activity_source},
                      {"clock_ns", r.clock_ns},
                      {"dynamic_w", r.dynamic_w},
                      {"leakage_w", r.leakage_w},
                      {"total_w", r.total_w},
                      {"groups", groups},
                      {"log", r.log},
                      {"seconds", r.seconds}};
  if (r.activity_source != "vectorless") {
    j["annotated_pins"] = r.annotated_pins;
    j["netlist_pins"] = r.netlist_pins;
    j["simulated_cycles"] = r.simulated_cycles;
  }
  return j;
}

}  // namespace gaitlstm::eda
