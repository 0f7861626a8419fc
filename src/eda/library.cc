#include "eda/library.h"

#include <cctype>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// "cell (\"NAND2X1\")" -> ("cell", "NAND2X1")
std::pair<std::string, std::string> split_group_header(const std::string& header) {
  const size_t open = header.find('(');
  const size_t close = header.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return {trim(header), ""};
  std::string arg = trim(std::string_view(header).substr(open + 1, close - open - 1));
  if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') arg = arg.substr(1, arg.size() - 2);
  return {trim(std::string_view(header).substr(0, open)), arg};
}

std::string require_file(const fs::path& path, const std::string& what) {
  if (!fs::is_regular_file(path))
    throw InputError(path.string(), 0,
                     fmt::format("{} not found (install qflow-tech-osu018: scripts/install-deps.sh)", what));
  return path.string();
}

}  // namespace

Technology osu018_technology(const std::string& tech_root) {
  const fs::path dir = fs::path(tech_root) / "osu018";
  Technology tech;
  tech.name = "osu018";
  tech.liberty = require_file(dir / "osu018_stdcells.lib", "OSU 0.18 liberty");
  tech.lef = require_file(dir / "osu018_stdcells.lef", "OSU 0.18 LEF");
  tech.verilog_models = require_file(dir / "osu018_stdcells.v", "OSU 0.18 Verilog cell models");
  tech.qflow_tech_dir = dir.string();
  tech.feature_nm = 180;
  tech.supply_v = 1.8;
  return tech;
}

Technology user_technology(const std::string& liberty, const std::string& lef, const std::string& verilog_models,
                           double feature_nm, double supply_v) {
  Technology tech;
  tech.name = fs::path(liberty).stem().string();
  tech.liberty = liberty;
  tech.lef = lef;
  tech.verilog_models = verilog_models;
  tech.feature_nm = feature_nm;
  tech.supply_v = supply_v;
  return tech;
}

// A statement scanner: liberty is groups `name (args) { ... }` and
// attributes `name : value ;`.  Comments and strings never change depth.
std::map<std::string, LibertyCell> parse_liberty_cells(std::string_view text, const std::string& file) {
  std::map<std::string, LibertyCell> cells;
  std::string statement, current_cell;
  int depth = 0, cell_depth = -1;
  int64_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const size_t end = text.find("*/", i + 2);
      if (end == std::string_view::npos) throw InputError(file, line, "unterminated comment");
      for (size_t k = i; k < end; ++k) line += text[k] == '\n';
      i = end + 1;
      continue;
    }
    if (c == '"') {
      const size_t end = text.find('"', i + 1);
      if (end == std::string_view::npos) throw InputError(file, line, "unterminated string");
      statement.append(text.substr(i, end - i + 1));
      i = end;
      continue;
    }
    if (c == '{') {
      const auto [group, arg] = split_group_header(trim(statement));
      ++depth;
      if (group == "cell" && cell_depth < 0) {
        current_cell = arg;
        cell_depth = depth;
        cells[current_cell] = LibertyCell{};
      } else if (cell_depth >= 0 && depth == cell_depth + 1 && (group == "ff" || group == "latch")) {
        cells[current_cell].sequential = true;
      }
      statement.clear();
    } else if (c == '}') {
      if (depth == 0) throw InputError(file, line, "unbalanced '}'");
      if (depth == cell_depth) cell_depth = -1;
      --depth;
      statement.clear();
    } else if (c == ';') {
      const std::string s = trim(statement);
      const size_t colon = s.find(':');
      if (cell_depth >= 0 && depth == cell_depth && colon != std::string::npos && trim(s.substr(0, colon)) == "area") {
        try {
          cells[current_cell].area = std::stod(trim(s.substr(colon + 1)));
        } catch (const std::exception&) {
          throw InputError(file, line, fmt::format("cell {}: area is not a number: '{}'", current_cell, s));
        }
      }
      statement.clear();
    } else {
      statement.push_back(c);
    }
  }
  if (depth != 0) throw InputError(file, line, "unbalanced '{' at end of file");
  return cells;
}

std::map<std::string, LefMacro> parse_lef_macros(std::string_view text, const std::string& file) {
  std::map<std::string, LefMacro> macros;
  std::istringstream in{std::string(text)};
  std::string line, current;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::istringstream words(line);
    std::string keyword;
    if (!(words >> keyword)) continue;
    if (keyword == "MACRO") {
      words >> current;
      macros[current] = LefMacro{};
    } else if (keyword == "END" && !current.empty()) {
      std::string name;
      if ((words >> name) && name == current) current.clear();
    } else if (!current.empty() && keyword == "CLASS") {
      std::string rest, word;
      while (words >> word && word != ";") rest += (rest.empty() ? "" : " ") + word;
      macros[current].macro_class = rest;
    } else if (!current.empty() && keyword == "SIZE") {
      std::string by;
      LefMacro& macro = macros[current];
      if (!(words >> macro.width_um >> by >> macro.height_um) || by != "BY")
        throw InputError(file, number, fmt::format("MACRO {}: expected 'SIZE w BY h'", current));
    }
  }
  return macros;
}

std::optional<double> parse_lef_site_height(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  bool in_site = false;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string keyword;
    if (!(words >> keyword)) continue;
    if (keyword == "SITE") in_site = true;
    else if (keyword == "END") in_site = false;
    else if (in_site && keyword == "SIZE") {
      double w = 0, h = 0;
      std::string by;
      if (words >> w >> by >> h && by == "BY") return h;
    }
  }
  return std::nullopt;
}

CellLibrary::CellLibrary(const Technology& tech) : liberty_path_(tech.liberty) {
  liberty_ = parse_liberty_cells(read_file(tech.liberty), tech.liberty);
  if (!tech.lef.empty()) lef_ = parse_lef_macros(read_file(tech.lef), tech.lef);
}

double CellLibrary::area_um2(const std::string& cell) const {
  if (auto it = lef_.find(cell); it != lef_.end() && it->second.area_um2() > 0) return it->second.area_um2();
  if (auto it = liberty_.find(cell); it != liberty_.end()) return it->second.area;
  throw InputError(liberty_path_, 0, fmt::format("cell '{}' is in neither the liberty nor the LEF", cell));
}

bool CellLibrary::is_sequential(const std::string& cell) const {
  auto it = liberty_.find(cell);
  return it != liberty_.end() && it->second.sequential;
}

}  // namespace gaitlstm::eda
