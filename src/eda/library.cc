#include "eda/library.h"

#include <unistd.h>
#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "eda/liberty_text.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {

namespace fs = std::filesystem;

namespace {

using liberty_text::trim;

// "cell (\"NAND2X1\")" -> ("cell", "NAND2X1")
std::pair<std::string, std::string> split_group_header(const std::string& header) {
  auto [keyword, arg] = liberty_text::group_header(header);
  if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') arg = arg.substr(1, arg.size() - 2);
  return {keyword, arg};
}

std::string require_file(const fs::path& path, const std::string& what,
                         const std::string& hint = "install qflow-tech-osu018: scripts/install-deps.sh") {
  if (!fs::is_regular_file(path)) throw InputError(path.string(), 0, fmt::format("{} not found ({})", what, hint));
  return path.string();
}

// The plain text of a gzipped file, written once to `plain` (atomically, so
// parallel runs never read half a file).
void gunzip_once(const fs::path& gz, const fs::path& plain) {
  if (fs::is_regular_file(plain) && fs::last_write_time(plain) >= fs::last_write_time(gz)) return;
  gzFile in = gzopen(gz.c_str(), "rb");
  if (!in) throw InputError(gz.string(), 0, "cannot open the gzipped liberty");
  std::string text;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(in, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  const bool failed = n < 0;
  gzclose(in);
  if (failed || text.empty()) throw InputError(gz.string(), 0, "cannot decompress the liberty");
  fs::create_directories(plain.parent_path());
  write_file_atomic(plain.string(), text);
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

std::string sky130hd_dir() {
  std::vector<fs::path> tried;
  if (const char* env = std::getenv("GAITLSTM_SKY130HD")) tried.emplace_back(env);
  tried.push_back(fs::current_path() / ".." / "shared" / "data" / "pdk" / "sky130hd");
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) tried.push_back(exe.parent_path() / ".." / ".." / "shared" / "data" / "pdk" / "sky130hd");
  std::string names;
  for (const fs::path& dir : tried) {
    if (fs::is_regular_file(dir / "sky130_fd_sc_hd.lef")) return fs::weakly_canonical(dir).string();
    names += (names.empty() ? "" : ", ") + dir.string();
  }
  throw InputError(names, 0, "no sky130hd library here (set GAITLSTM_SKY130HD to the folder with sky130_fd_sc_hd.lef)");
}

constexpr const char* kSkyHint = "the sky130hd folder of ../shared/data/pdk, or $GAITLSTM_SKY130HD";

Technology sky130hd_technology(const std::string& pdk_dir) {
  const fs::path dir = pdk_dir;
  const std::string stem = "sky130_fd_sc_hd__tt_025C_1v80";
  const fs::path gz = require_file(dir / (stem + ".lib.gz"), "sky130hd liberty", kSkyHint);
  const fs::path cache = fs::temp_directory_path() / fmt::format("gaitlstm-libs-{}", ::getuid()) / (stem + ".lib");
  gunzip_once(gz, cache);
  Technology tech;
  tech.name = "sky130hd";
  tech.liberty = cache.string();
  tech.lef = require_file(dir / "sky130_fd_sc_hd.lef", "sky130hd cell LEF", kSkyHint);
  tech.verilog_models = require_file(dir / "sky130_fd_sc_hd.v", "sky130hd Verilog cell models", kSkyHint);
  tech.verilog_model_extras = {require_file(dir / "sky130_fd_sc_hd_primitives.v", "sky130hd UDP primitives", kSkyHint)};
  // Without FUNCTIONAL the models read delayed copies of D and CLK that only
  // a $setuphold drives: every output would stay X in Icarus (FLOW-FACTS).
  tech.simulation_defines = {"FUNCTIONAL"};
  tech.driving_cell = "sky130_fd_sc_hd__inv_1";
  tech.feature_nm = 130;
  tech.supply_v = 1.8;
  return tech;
}

Technology technology_by_name(const std::string& name) {
  if (name == "osu018") return osu018_technology();
  if (name == "sky130hd") return sky130hd_technology(sky130hd_dir());
  throw InputError(name, 0, fmt::format("unknown cell library '{}' (known: {})", name, kLibraryNames));
}

std::vector<std::string> simulation_models(const Technology& tech) {
  std::vector<std::string> files;
  if (!tech.verilog_models.empty()) files.push_back(tech.verilog_models);
  files.insert(files.end(), tech.verilog_model_extras.begin(), tech.verilog_model_extras.end());
  return files;
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
  int depth = 0, cell_depth = -1, state_depth = -1;
  int64_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = liberty_text::skip_comment(text, i, file, line);
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
        state_depth = depth;
      }
      statement.clear();
    } else if (c == '}') {
      if (depth == 0) throw InputError(file, line, "unbalanced '}'");
      if (depth == cell_depth) cell_depth = -1;
      if (depth == state_depth) state_depth = -1;
      --depth;
      statement.clear();
    } else if (c == ';') {
      const std::string s = trim(statement);
      const size_t colon = s.find(':');
      const std::string key = colon == std::string::npos ? "" : trim(s.substr(0, colon));
      if (state_depth >= 0 && depth == state_depth && key == "next_state") {
        std::string value = trim(s.substr(colon + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        cells[current_cell].next_state = value;
      }
      if (cell_depth >= 0 && depth == cell_depth && key == "area") {
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

std::string CellLibrary::flop_data_pin(const std::string& cell) const {
  auto it = liberty_.find(cell);
  if (it == liberty_.end() || !it->second.sequential) return "";
  const std::string& next = it->second.next_state;
  if (next.empty()) return "";
  for (char c : next)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return "";
  return next;
}

bool CellLibrary::is_sequential(const std::string& cell) const {
  auto it = liberty_.find(cell);
  return it != liberty_.end() && it->second.sequential;
}

}  // namespace gaitlstm::eda
