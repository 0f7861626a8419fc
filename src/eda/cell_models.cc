#include "eda/cell_models.h"

#include <cctype>
#include <filesystem>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "eda/liberty_text.h"
#include "eda/power.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {

namespace fs = std::filesystem;

namespace {

using liberty_text::group_header;
using liberty_text::trim;

std::string unquote(std::string s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = trim(s.substr(1, s.size() - 2));
  return s;
}

// Recursive descent over a liberty Boolean expression.
class ExpressionParser {
 public:
  ExpressionParser(std::string_view text, const std::string& file, int64_t line)
      : text_(text), file_(file), line_(line) {}

  std::string parse() {
    std::string e = parse_or();
    skip_space();
    if (at_ < text_.size()) fail(fmt::format("unexpected '{}'", text_[at_]));
    return e;
  }

 private:
  void skip_space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  char peek() {
    skip_space();
    return at_ < text_.size() ? text_[at_] : '\0';
  }
  static bool starts_operand(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '(' || c == '!';
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw InputError(file_, line_, fmt::format("liberty function \"{}\": {}", text_, why));
  }

  std::string parse_or() {
    std::string e = parse_and();
    while (peek() == '|' || peek() == '+') {
      ++at_;
      e = fmt::format("({} | {})", e, parse_and());
    }
    return e;
  }
  // `&`, `*` or two operands side by side.
  std::string parse_and() {
    std::string e = parse_xor();
    while (true) {
      const char c = peek();
      if (c == '&' || c == '*') {
        ++at_;
      } else if (!starts_operand(c)) {
        return e;
      }
      e = fmt::format("({} & {})", e, parse_xor());
    }
  }
  std::string parse_xor() {
    std::string e = parse_unary();
    while (peek() == '^') {
      ++at_;
      e = fmt::format("({} ^ {})", e, parse_unary());
    }
    return e;
  }
  std::string parse_unary() {
    if (peek() == '!') {
      ++at_;
      return fmt::format("(~{})", parse_unary());
    }
    std::string e = parse_primary();
    while (peek() == '\'') {
      ++at_;
      e = fmt::format("(~{})", e);
    }
    return e;
  }
  std::string parse_primary() {
    const char c = peek();
    if (c == '(') {
      ++at_;
      std::string e = parse_or();
      if (peek() != ')') fail("missing ')'");
      ++at_;
      return e;
    }
    if (c == '0' || c == '1') {
      ++at_;
      return c == '0' ? "1'b0" : "1'b1";
    }
    if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '_'))
      fail(c ? fmt::format("expected a pin name at '{}'", c) : "ends early");
    const size_t begin = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_')) ++at_;
    return std::string(text_.substr(begin, at_ - begin));
  }

  std::string_view text_;
  const std::string& file_;
  int64_t line_;
  size_t at_ = 0;
};

// clear_preset_var: the state both asserted leave (N keeps it, T toggles).
std::string both_asserted(const std::string& value, const std::string& var, const std::string& file, int64_t line) {
  const std::string v = unquote(value);
  if (v.empty() || v == "L" || v == "X") return "1'b0";  // two-state: X resolves to 0
  if (v == "H") return "1'b1";
  if (v == "N") return var;
  if (v == "T") return "~" + var;
  throw InputError(file, line, fmt::format("clear_preset_var '{}' is not L, H, N, T or X", v));
}

// The always block of an ff or latch group, driving both of its variables.
std::string state_logic(const LibertyStateLogic& s, const std::string& file) {
  auto expr = [&](const std::string& e) { return liberty_to_verilog(e, file, s.line); };
  const std::string q = s.var.empty() ? "gaitlstm_iq" : s.var, qn = s.var_negated.empty() ? "gaitlstm_iqn" : s.var_negated;
  std::string v = fmt::format("  reg {} = 1'b0;\n  reg {} = 1'b1;\n", q, qn);
  if (s.next_state.empty() || s.clocked_on.empty())
    throw InputError(file, s.line, s.latch ? "latch without data_in and enable" : "ff without next_state and clocked_on");
  v += fmt::format("  wire gaitlstm_{} = {};\n", s.latch ? "enable" : "clock", expr(s.clocked_on));
  v += fmt::format("  wire gaitlstm_next = {};\n", expr(s.next_state));
  std::string events = s.latch ? "*" : "posedge gaitlstm_clock", body;
  if (!s.clear.empty()) {
    v += fmt::format("  wire gaitlstm_clear = {};\n", expr(s.clear));
    if (!s.latch) events += " or posedge gaitlstm_clear";
  }
  if (!s.preset.empty()) {
    v += fmt::format("  wire gaitlstm_preset = {};\n", expr(s.preset));
    if (!s.latch) events += " or posedge gaitlstm_preset";
  }
  if (!s.clear.empty() && !s.preset.empty())
    body += fmt::format("    if (gaitlstm_clear && gaitlstm_preset) begin {q} <= {}; {qn} <= {}; end\n    else ",
                        both_asserted(s.clear_preset_var1, q, file, s.line),
                        both_asserted(s.clear_preset_var2, qn, file, s.line), fmt::arg("q", q), fmt::arg("qn", qn));
  else
    body += "    ";
  if (!s.clear.empty()) body += fmt::format("if (gaitlstm_clear) begin {} <= 1'b0; {} <= 1'b1; end\n    else ", q, qn);
  if (!s.preset.empty()) body += fmt::format("if (gaitlstm_preset) begin {} <= 1'b1; {} <= 1'b0; end\n    else ", q, qn);
  if (s.latch) body += "if (gaitlstm_enable) ";
  body += fmt::format("begin {} <= gaitlstm_next; {} <= ~gaitlstm_next; end\n", q, qn);
  return v + fmt::format("  always @({})\n{}", events, body);
}

// An integrated clock-gating cell: a latch holding the enable while the
// clock is low (posedge gating) or high (negedge), then an AND (OR).
std::string clock_gate_logic(const LibertyCellLogic& cell, const std::string& file) {
  std::string clock, out, enable;
  for (const LibertyPinLogic& p : cell.pins) {
    if (p.clock_gate == "clock") clock = p.name;
    if (p.clock_gate == "out") out = p.name;
    if (p.clock_gate == "enable" || (p.clock_gate == "test" && cell.clock_gating.ends_with("precontrol")))
      enable += (enable.empty() ? "" : " | ") + p.name;
  }
  const bool posedge = cell.clock_gating == "latch_posedge" || cell.clock_gating == "latch_posedge_precontrol";
  const bool negedge = cell.clock_gating == "latch_negedge" || cell.clock_gating == "latch_negedge_precontrol";
  if ((!posedge && !negedge) || clock.empty() || out.empty() || enable.empty())
    throw InputError(file, cell.line, fmt::format("cell {}: clock gating '{}' is not modelled (latch_posedge, "
                                                  "latch_negedge and their _precontrol forms are)",
                                                  cell.name, cell.clock_gating));
  return fmt::format(
      "  reg gaitlstm_held = 1'b0;\n"
      "  always @* if ({neg}{clk}) gaitlstm_held = {en};\n"
      "  assign {out} = {clk} {op} {neg2}gaitlstm_held;\n",
      fmt::arg("neg", posedge ? "!" : ""), fmt::arg("clk", clock), fmt::arg("en", enable), fmt::arg("out", out),
      fmt::arg("op", posedge ? "&" : "|"), fmt::arg("neg2", posedge ? "" : "~"));
}

}  // namespace

std::string liberty_to_verilog(std::string_view expression, const std::string& file, int64_t line) {
  const std::string text = unquote(std::string(expression));
  if (text.empty()) throw InputError(file, line, "empty liberty function");
  return ExpressionParser(text, file, line).parse();
}

std::map<std::string, LibertyCellLogic> parse_liberty_logic(std::string_view text, const std::string& file) {
  std::map<std::string, LibertyCellLogic> cells;
  std::vector<std::string> groups;  // open groups, outermost first
  LibertyCellLogic* cell = nullptr;
  size_t cell_depth = 0;
  std::string statement;
  int64_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) continue;  // continuation
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = liberty_text::skip_comment(text, i, file, line);
      continue;
    }
    if (c == '"') {
      const size_t end = text.find('"', i + 1);
      if (end == std::string_view::npos) throw InputError(file, line, "unterminated string");
      for (size_t k = i; k < end; ++k) line += text[k] == '\n';
      statement.append(text.substr(i, end - i + 1));
      i = end;
      continue;
    }
    if (c == '{') {
      const auto [group, arg] = group_header(trim(statement));
      statement.clear();
      groups.push_back(group);
      if (group == "cell" && !cell) {
        cell = &cells[unquote(arg)];
        *cell = LibertyCellLogic{};
        cell->name = unquote(arg);
        cell->line = line;
        cell_depth = groups.size();
      } else if (cell && groups.size() == cell_depth + 1) {
        if (group == "pin") {
          cell->pins.push_back({});
          cell->pins.back().name = unquote(arg);
        } else if (group == "ff" || group == "latch") {
          LibertyStateLogic s;
          s.latch = group == "latch";
          s.line = line;
          const size_t comma = arg.find(',');
          s.var = unquote(arg.substr(0, comma));
          if (comma != std::string::npos) s.var_negated = unquote(arg.substr(comma + 1));
          cell->state = s;
        } else if (group == "statetable") {
          cell->statetable = true;
        }
      }
    } else if (c == '}') {
      if (groups.empty()) throw InputError(file, line, "unbalanced '}'");
      if (cell && groups.size() == cell_depth) cell = nullptr;
      groups.pop_back();
      statement.clear();
    } else if (c == ';') {
      const std::string s = trim(statement);
      statement.clear();
      const size_t colon = s.find(':');
      if (!cell || colon == std::string::npos) continue;
      const std::string key = trim(s.substr(0, colon)), value = unquote(s.substr(colon + 1));
      if (groups.size() == cell_depth && key == "clock_gating_integrated_cell") cell->clock_gating = value;
      if (groups.size() != cell_depth + 1) continue;
      if (groups.back() == "pin" && !cell->pins.empty()) {
        LibertyPinLogic& pin = cell->pins.back();
        if (key == "direction") pin.direction = value;
        else if (key == "function") pin.function = value;
        else if (key == "three_state") pin.three_state = value;
        else if (key.starts_with("clock_gate_") && key.ends_with("_pin") && value == "true")
          pin.clock_gate = key.substr(11, key.size() - 15);
      } else if ((groups.back() == "ff" || groups.back() == "latch") && cell->state) {
        LibertyStateLogic& st = *cell->state;
        if (key == "next_state" || key == "data_in") st.next_state = value;
        else if (key == "clocked_on" || key == "enable") st.clocked_on = value;
        else if (key == "clear") st.clear = value;
        else if (key == "preset") st.preset = value;
        else if (key == "clear_preset_var1") st.clear_preset_var1 = value;
        else if (key == "clear_preset_var2") st.clear_preset_var2 = value;
      }
    } else {
      statement.push_back(c);
    }
  }
  if (!groups.empty()) throw InputError(file, line, "unbalanced '{' at end of file");
  return cells;
}

std::string verilog_cell_model(const LibertyCellLogic& cell, const std::string& file) {
  std::vector<std::string> ports;
  std::string declarations, logic;
  for (const LibertyPinLogic& p : cell.pins) {
    if (p.direction != "input" && p.direction != "output") continue;  // internal nodes, inout pads
    ports.push_back(p.name);
    declarations += fmt::format("  {} {};\n", p.direction, p.name);
  }
  if (!cell.clock_gating.empty()) {
    logic = clock_gate_logic(cell, file);
  } else {
    if (cell.statetable)
      throw InputError(file, cell.line, fmt::format("cell {}: state tables are not modelled", cell.name));
    if (cell.state) logic = state_logic(*cell.state, file);
    for (const LibertyPinLogic& p : cell.pins) {
      if (p.direction != "output") continue;
      if (!p.three_state.empty())
        throw InputError(file, cell.line, fmt::format("cell {}: three-state output {} is not modelled", cell.name, p.name));
      if (p.function.empty())
        throw InputError(file, cell.line, fmt::format("cell {}: output {} has no function", cell.name, p.name));
      logic += fmt::format("  assign {} = {};\n", p.name, liberty_to_verilog(p.function, file, cell.line));
    }
  }
  std::string port_list;
  for (const std::string& p : ports) port_list += (port_list.empty() ? "" : ", ") + p;
  return fmt::format("// {} ({}:{})\nmodule {}({});\n{}{}endmodule\n", cell.name, fs::path(file).filename().string(),
                     cell.line, cell.name, port_list, declarations, logic);
}

std::string verilog_cell_models(const std::map<std::string, LibertyCellLogic>& library,
                                const std::set<std::string>& used, const std::string& file) {
  std::string text = fmt::format(
      "// Generated by gaitlstm (src/eda/cell_models.cc) from {}: zero-delay, two-state\n"
      "// models of the cells' liberty functions for Verilator; storage starts at 0.\n",
      file);
  if (used.empty()) {
    for (const auto& [name, cell] : library) text += verilog_cell_model(cell, file);
    return text;
  }
  for (const std::string& name : used) {
    auto it = library.find(name);
    if (it == library.end()) throw InputError(file, 0, fmt::format("the netlist uses cell '{}', which is not in the liberty", name));
    text += verilog_cell_model(it->second, file);
  }
  return text;
}

std::set<std::string> netlist_cell_types(const std::string& netlist_path) {
  std::set<std::string> types;
  for (const auto& [name, inst] : parse_netlist_instances(read_file(netlist_path), netlist_path)) types.insert(inst.cell);
  return types;
}

std::set<std::string> physical_only_cell_types(std::string_view netlist) {
  static const std::regex empty_ports(R"(^\s*([A-Za-z_][A-Za-z0-9_$]*)\s+\S+\s*\(\s*\)\s*;)");
  std::set<std::string> types;
  std::istringstream in{std::string(netlist)};
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, empty_ports)) types.insert(m[1]);
  return types;
}

GateLevelModels gate_level_models(const Technology& tech, const std::string& netlist, bool verilator,
                                  const std::string& work_dir) {
  GateLevelModels m;
  if (verilator) {
    const std::string path = (fs::absolute(work_dir) / "cell_models.v").string();
    fs::create_directories(fs::path(path).parent_path());
    const std::map<std::string, LibertyCellLogic> library = parse_liberty_logic(read_file(tech.liberty), tech.liberty);
    std::set<std::string> used = netlist_cell_types(netlist);
    std::string physical;
    for (const std::string& type : physical_only_cell_types(read_file(netlist))) {
      if (library.count(type)) {
        used.insert(type);
      } else if (!used.count(type)) {
        physical += fmt::format("// {}: physical only (no ports in the netlist, not in the liberty)\nmodule {}();\nendmodule\n",
                                type, type);
      }
    }
    write_file_atomic(path, verilog_cell_models(library, used, tech.liberty) + physical);
    m.files = {path};
    return m;
  }
  if (tech.verilog_models.empty())
    throw InputError(tech.liberty, 0, "no Verilog cell models known for this library (--cell-models)");
  m.files = simulation_models(tech);
  m.defines = tech.simulation_defines;
  m.zero_start_pins = flop_data_pins(netlist, CellLibrary(tech), &m.uncovered_flops);
  return m;
}

}  // namespace gaitlstm::eda
