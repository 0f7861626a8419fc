#include "eda/fpga_sim.h"

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/process_runner.h"

namespace gaitlstm::eda {

namespace fs = std::filesystem;

namespace {

// Input pins of nextpnr's packed cells and the value the silicon gives an
// unconnected one (cells_sim.v's pull-ups: LC CEN, RAM RCLKE/WCLKE, DSP CE).
std::vector<std::pair<std::string, char>> input_pins(const std::string& cell) {
  std::vector<std::pair<std::string, char>> pins;
  auto bus = [&](const std::string& name, int width) {
    for (int i = 0; i < width; ++i) pins.emplace_back(fmt::format("{}_{}", name, i), '0');
  };
  if (cell == "ICESTORM_LC") {
    for (const char* p : {"I0", "I1", "I2", "I3", "CIN", "CLK", "SR"}) pins.emplace_back(p, '0');
    pins.emplace_back("CEN", '1');
  } else if (cell == "ICESTORM_RAM") {
    for (const char* p : {"RCLK", "RE", "WCLK", "WE"}) pins.emplace_back(p, '0');
    pins.emplace_back("RCLKE", '1');
    pins.emplace_back("WCLKE", '1');
    bus("RADDR", 11);
    bus("WADDR", 11);
    bus("MASK", 16);
    bus("WDATA", 16);
  } else if (cell == "ICESTORM_DSP") {
    pins.emplace_back("CE", '1');
    for (const char* p : {"CLK", "AHOLD", "BHOLD", "CHOLD", "DHOLD", "IRSTTOP", "IRSTBOT", "ORSTTOP", "ORSTBOT",
                          "OLOADTOP", "OLOADBOT", "ADDSUBTOP", "ADDSUBBOT", "OHOLDTOP", "OHOLDBOT", "CI", "ACCUMCI",
                          "SIGNEXTIN"})
      pins.emplace_back(p, '0');
    for (const char* b : {"A", "B", "C", "D"}) bus(b, 16);
  }
  return pins;
}

// A Verilog number as Yosys writes parameters: 32'd25, 6'h19, 6'b011001, 25.
int64_t verilog_number(const std::string& text) {
  const size_t tick = text.find('\'');
  if (tick == std::string::npos) return std::stoll(text);
  const char base = static_cast<char>(std::tolower(text.at(tick + 1)));
  const std::string digits = text.substr(tick + 2);
  return std::stoll(digits, nullptr, base == 'b' ? 2 : base == 'h' ? 16 : base == 'o' ? 8 : 10);
}

const std::regex kInstanceStart(R"(^  ([A-Za-z_][A-Za-z0-9_$]*) (#\(|\S+\s+\()$)");
const std::regex kConnection(R"(^    \.([A-Za-z_][A-Za-z0-9_]*)\()");
const std::regex kPinType(R"(\.PIN_TYPE\(([0-9]+'[bdhoBDHO][0-9a-fA-F_]+|[0-9]+)\))");

// A carry chain's input is wired in the silicon, not routed: nextpnr's
// feed-out cell (LUT O = I3, I3 on the carry) leaves CIN unconnected and
// relies on its placement right after the carry's source, whose COUT is also
// what reaches I3.  Where the cell passes the carry on (I1 = 1, COUT used), a
// CIN tied to 0 would cut the chain (a wrong sum further up, found on the
// headline board top: docs/RESULTS.md issue 15).  Returns the I3 net of an
// ICESTORM_LC with the carry enabled, a non-constant carry input and CIN
// unconnected; "" otherwise.
std::string chained_carry_input(const std::vector<std::string>& lines, size_t first, size_t ports, size_t end) {
  std::string params;
  for (size_t k = first; k <= ports; ++k) params += lines[k];
  if (params.find(".CARRY_ENABLE(1'h1)") == std::string::npos || params.find(".CIN_CONST(1'h1)") != std::string::npos)
    return "";
  std::smatch c;
  std::string i3;
  for (size_t k = ports + 1; k < end; ++k) {
    if (!std::regex_search(lines[k], c, kConnection)) continue;
    if (c[1] == "CIN") return "";
    if (c[1] == "I3") {
      const size_t open = lines[k].find('('), close = lines[k].rfind(')');
      i3 = lines[k].substr(open + 1, close - open - 1);
    }
  }
  return i3;
}

}  // namespace

std::string complete_post_route_netlist(std::string_view netlist, const std::string& file) {
  std::istringstream in{std::string(netlist)};
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::string out;
  out.reserve(netlist.size() + netlist.size() / 4);
  std::smatch m;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (!std::regex_match(line, m, kInstanceStart) || m[1] == "module") {
      out += line + "\n";
      continue;
    }
    // One instance: its lines up to "  );".
    const std::string cell = m[1];
    const size_t first = i;
    size_t end = i;
    while (end < lines.size() && lines[end] != "  );") ++end;
    if (end == lines.size()) throw InputError(file, static_cast<int64_t>(first + 1), "instance without its closing '  );'");
    // Connections come after the line that opens the port list ("<name> (").
    size_t ports = first;
    if (m[2] == "#(")
      while (ports < end && !(lines[ports].starts_with("  ) ") && lines[ports].ends_with(" ("))) ++ports;
    std::vector<std::string> block(lines.begin() + static_cast<std::ptrdiff_t>(first),
                                   lines.begin() + static_cast<std::ptrdiff_t>(end));
    std::set<std::string> connected;
    std::smatch c;
    for (size_t k = ports + 1; k < end; ++k)
      if (std::regex_search(lines[k], c, kConnection)) connected.insert(c[1]);
    const int64_t at = static_cast<int64_t>(first + 1);
    if (cell == "SB_IO") {
      std::string params;
      for (size_t k = first; k <= ports; ++k) params += lines[k];
      std::smatch p;
      if (!std::regex_search(params, p, kPinType)) throw InputError(file, at, "SB_IO without PIN_TYPE");
      const int64_t type = verilog_number(p[1]);
      const bool input = (type >> 4) == 0 && (type & 3) == 1;
      const bool output = (type >> 2) == 0b0110;
      const std::set<std::string> allowed = input ? std::set<std::string>{"PACKAGE_PIN", "D_IN_0"}
                                                  : std::set<std::string>{"PACKAGE_PIN", "D_OUT_0"};
      bool plain = input || output;
      for (const std::string& pin : connected) plain = plain && allowed.count(pin);
      if (!plain)
        throw InputError(file, at, fmt::format("SB_IO with PIN_TYPE {:06b} (registered, DDR or tristate IO) has no "
                                               "simulation model here", type));
      block.front().replace(2, 5, input ? "GAITLSTM_SIM_IO_IN" : "GAITLSTM_SIM_IO_OUT");
    } else if (cell.starts_with("ICESTORM_LC") || cell == "ICESTORM_RAM" || cell == "ICESTORM_DSP") {
      std::vector<std::string> added;
      const std::string chain_input = cell.starts_with("ICESTORM_LC") ? chained_carry_input(lines, first, ports, end) : "";
      if (!chain_input.empty()) added.push_back("    .CIN(" + chain_input + ")");
      for (const auto& [pin, value] : input_pins(cell))
        if (!connected.count(pin) && !(pin == "CIN" && !chain_input.empty()))
          added.push_back(fmt::format("    .{}(1'b{})", pin, value));
      if (!added.empty()) {
        if (!connected.empty()) block.back() += ",";
        for (size_t k = 0; k < added.size(); ++k) block.push_back(added[k] + (k + 1 < added.size() ? "," : ""));
      }
    } else if (cell != "SB_GB") {
      throw InputError(file, at, fmt::format("cell {} has no simulation model here", cell));
    }
    for (const std::string& b : block) out += b + "\n";
    out += "  );\n";
    i = end;
  }
  return out;
}

std::string two_state_cell_models(std::string_view cells_sim, const std::string& file) {
  static const std::regex pull(R"(\((\w+) === 1'bz\) \? 1'b[01] : \1)");
  static const std::regex clock_enable(R"((\w+) \|\| \1 === 1'bz)");
  std::string text = std::regex_replace(std::string(cells_sim), pull, "$1");
  text = std::regex_replace(text, clock_enable, "$1");
  if (text.find("=== 1'bz") != std::string::npos)
    throw InputError(file, 0, "a high-impedance test this simulation set-up does not know (cells_sim.v changed?)");
  return "// Generated by gaitlstm (src/eda/fpga_sim.cc) from Yosys' cells_sim.v: every\n"
         "// `(pin === 1'bz) ? 1'bV : pin` reduced to `pin` (the netlist connects every input).\n" +
         text;
}

std::string post_route_shims() {
  std::string v = R"V(// Generated by gaitlstm (src/eda/fpga_sim.cc) - simulation only.
// SB_IO as a plain input (PIN_TYPE 0000x1): D_IN_0 follows the pin.
module GAITLSTM_SIM_IO_IN (input wire PACKAGE_PIN, output wire D_IN_0);
  parameter [5:0] PIN_TYPE = 6'b000001;
  parameter [0:0] PULLUP = 1'b0;
  parameter [0:0] NEG_TRIGGER = 1'b0;
  parameter IO_STANDARD = "SB_LVCMOS";
  assign D_IN_0 = PACKAGE_PIN;
endmodule
// SB_IO as a plain output (PIN_TYPE 01100x): the pin follows D_OUT_0.
module GAITLSTM_SIM_IO_OUT (output wire PACKAGE_PIN, input wire D_OUT_0);
  parameter [5:0] PIN_TYPE = 6'b011000;
  parameter [0:0] PULLUP = 1'b0;
  parameter [0:0] NEG_TRIGGER = 1'b0;
  parameter IO_STANDARD = "SB_LVCMOS";
  assign PACKAGE_PIN = D_OUT_0;
endmodule
// nextpnr's ICESTORM_DSP: SB_MAC16 with single-bit ports.
module ICESTORM_DSP (
)V";
  std::vector<std::string> ports;
  auto bits = [](const std::string& name, int width) {
    std::string s;
    for (int i = width - 1; i >= 0; --i) s += fmt::format("{}{}_{}", s.empty() ? "" : ", ", name, i);
    return s;
  };
  for (const char* p : {"CLK", "CE", "AHOLD", "BHOLD", "CHOLD", "DHOLD", "IRSTTOP", "IRSTBOT", "ORSTTOP", "ORSTBOT",
                        "OLOADTOP", "OLOADBOT", "ADDSUBTOP", "ADDSUBBOT", "OHOLDTOP", "OHOLDBOT", "CI", "ACCUMCI", "SIGNEXTIN"})
    ports.push_back(fmt::format("  input wire {}", p));
  for (const char* b : {"A", "B", "C", "D"}) ports.push_back("  input wire " + bits(b, 16));
  ports.push_back("  output wire " + bits("O", 32));
  for (const char* p : {"CO", "ACCUMCO", "SIGNEXTOUT"}) ports.push_back(fmt::format("  output wire {}", p));
  for (size_t i = 0; i < ports.size(); ++i) v += ports[i] + (i + 1 < ports.size() ? ",\n" : "\n");
  v += ");\n";
  const std::vector<std::pair<std::string, int>> params = {
      {"NEG_TRIGGER", 1}, {"C_REG", 1}, {"A_REG", 1}, {"B_REG", 1}, {"D_REG", 1}, {"TOP_8x8_MULT_REG", 1},
      {"BOT_8x8_MULT_REG", 1}, {"PIPELINE_16x16_MULT_REG1", 1}, {"PIPELINE_16x16_MULT_REG2", 1},
      {"TOPOUTPUT_SELECT", 2}, {"TOPADDSUB_LOWERINPUT", 2}, {"TOPADDSUB_UPPERINPUT", 1}, {"TOPADDSUB_CARRYSELECT", 2},
      {"BOTOUTPUT_SELECT", 2}, {"BOTADDSUB_LOWERINPUT", 2}, {"BOTADDSUB_UPPERINPUT", 1}, {"BOTADDSUB_CARRYSELECT", 2},
      {"MODE_8x8", 1}, {"A_SIGNED", 1}, {"B_SIGNED", 1}};
  for (const auto& [name, width] : params) v += fmt::format("  parameter [{}:0] {} = 0;\n", width - 1, name);
  v += "  SB_MAC16 #(";
  for (size_t i = 0; i < params.size(); ++i)
    v += fmt::format("{}.{}({})", i ? ", " : "", params[i].first, params[i].first);
  v += ") mac (\n";
  for (const char* p : {"CLK", "CE", "AHOLD", "BHOLD", "CHOLD", "DHOLD", "IRSTTOP", "IRSTBOT", "ORSTTOP", "ORSTBOT",
                        "OLOADTOP", "OLOADBOT", "ADDSUBTOP", "ADDSUBBOT", "OHOLDTOP", "OHOLDBOT", "CI", "ACCUMCI", "SIGNEXTIN",
                        "CO", "ACCUMCO", "SIGNEXTOUT"})
    v += fmt::format("    .{}({}),\n", p, p);
  for (const char* b : {"A", "B", "C", "D"}) v += fmt::format("    .{}({{{}}}),\n", b, bits(b, 16));
  v += fmt::format("    .O({{{}}})\n  );\nendmodule\n", bits("O", 32));
  return v;
}

std::string yosys_share_dir() {
  // Where Yosys looks itself: <prefix>/share/yosys beside <prefix>/bin/yosys.
  const std::string yosys = find_program("yosys");
  if (yosys.empty()) throw ToolError("yosys", "not found on PATH (install the tools: scripts/install-deps.sh)", "", "");
  return (fs::canonical(yosys).parent_path().parent_path() / "share" / "yosys").string();
}

PostRouteSimulation prepare_post_route_simulation(const std::string& netlist, const std::string& work_dir) {
  fs::create_directories(work_dir);
  const std::string datdir = yosys_share_dir();
  const std::string cells = (fs::path(datdir) / "ice40" / "cells_sim.v").string();
  if (!fs::exists(cells)) throw InputError(cells, 0, "Yosys' iCE40 cell models are not there");
  PostRouteSimulation sim;
  sim.files = {(fs::path(work_dir) / "post_route.sim.v").string(), (fs::path(work_dir) / "post_route_shims.v").string(),
               (fs::path(work_dir) / "ice40_cells_2state.v").string()};
  write_file_atomic(sim.files[0], complete_post_route_netlist(read_file(netlist), netlist));
  write_file_atomic(sim.files[1], post_route_shims());
  write_file_atomic(sim.files[2], two_state_cell_models(read_file(cells), cells));
  // -fno-const-bit-op-tree: Verilator 5.006's bit-op-tree optimisation
  // computes gate-level netlists wrongly (rtl/gate_level_sim.cc); a routed
  // iCE40 netlist is one too.
  sim.verilator_args = {"-DNO_ICE40_DEFAULT_ASSIGNMENTS", "-fno-const-bit-op-tree"};
  return sim;
}

}  // namespace gaitlstm::eda
