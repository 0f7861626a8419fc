#include "eda/synth.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "eda/report_numbers.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {

namespace fs = std::filesystem;

namespace {

bool is_testbench(const std::string& stem) { return stem.size() > 3 && stem.ends_with("_tb"); }

std::string strip_comments(const std::string& text) {
  static const std::regex comments(R"(//[^\n]*|/\*[\s\S]*?\*/)");
  return std::regex_replace(text, comments, " ");
}

std::string module_list(const std::set<std::string>& modules) {
  std::string list;
  for (const std::string& m : modules) list += (list.empty() ? "" : ", ") + m;
  return list;
}

}  // namespace

std::vector<std::string> rtl_sources(const std::string& rtl_dir) {
  if (!fs::is_directory(rtl_dir)) throw InputError(rtl_dir, 0, "RTL directory does not exist");
  std::vector<std::string> sources;
  for (const auto& entry : fs::directory_iterator(rtl_dir)) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file() || (p.extension() != ".v" && p.extension() != ".sv")) continue;
    if (!is_testbench(p.stem().string())) sources.push_back(fs::absolute(p).lexically_normal().string());
  }
  std::sort(sources.begin(), sources.end());
  if (sources.empty()) throw InputError(rtl_dir, 0, "no Verilog sources (*.v, *.sv; *_tb.v are testbenches)");
  return sources;
}

std::string find_top_module(const std::vector<std::string>& sources, const std::string& requested) {
  static const std::regex module_decl(R"(\bmodule\s+([A-Za-z_][A-Za-z0-9_$]*))");
  std::set<std::string> modules;
  std::string all_text;
  for (const std::string& file : sources) {
    const std::string text = strip_comments(read_file(file));
    for (std::sregex_iterator it(text.begin(), text.end(), module_decl), end; it != end; ++it)
      modules.insert((*it)[1]);
    all_text += text + "\n";
  }
  if (!requested.empty()) {
    if (!modules.count(requested))
      throw InputError(sources.front(), 0,
                       fmt::format("top module '{}' is not defined in the RTL (modules: {})", requested,
                                   module_list(modules)));
    return requested;
  }
  if (modules.size() == 1) return *modules.begin();
  // The top is the one module no other module instantiates ("name inst (").
  std::vector<std::string> roots;
  for (const std::string& m : modules) {
    const std::regex instance("\\b" + m + "\\s+[A-Za-z_][A-Za-z0-9_$]*\\s*\\(");
    if (!std::regex_search(all_text, instance)) roots.push_back(m);
  }
  if (roots.size() == 1) return roots.front();
  throw InputError(fs::path(sources.front()).parent_path().string(), 0,
                   modules.empty() ? "no module defined"
                                   : fmt::format("several modules ({}): choose one with --top", module_list(modules)));
}

YosysStat parse_yosys_stat(std::string_view log_text, const std::string& file) {
  const size_t block = log_text.rfind("Printing statistics.");
  if (block == std::string_view::npos)
    throw InputError(file, 0, "no 'Printing statistics' block: Yosys did not reach `stat`");
  std::istringstream in{std::string(log_text.substr(block))};
  YosysStat stat;
  std::string line;
  bool in_cells = false;
  static const std::regex header(R"(^=== (\S+) ===$)");
  static const std::regex cells_line(R"(^\s*Number of cells:\s+(\d+)\s*$)");
  static const std::regex cell_count(R"(^\s+(\S+)\s+(\d+)\s*$)");
  static const std::regex area_line(R"(^\s*Chip area for module '\\?([^']+)':\s+([0-9.eE+-]+)\s*$)");
  std::smatch m;
  // A count beyond any netlist (or a number stod cannot read) is a broken
  // log; the limit also keeps the sum of the counts from overflowing.
  constexpr int64_t kMaxCells = int64_t{1} << 40;
  auto count_of = [&](const std::string& digits) {
    const int64_t count = report_count(digits, file, "cell count");
    if (count > kMaxCells) throw InputError(file, 0, fmt::format("cell count {} out of range in '{}'", digits, line));
    return count;
  };
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, header)) {
      if (!stat.module.empty()) break;  // a second module's block: keep the first (flattened top)
      stat.module = m[1];
    } else if (std::regex_match(line, m, cells_line)) {
      stat.cells = count_of(m[1]);
      in_cells = true;
    } else if (in_cells && std::regex_match(line, m, cell_count)) {
      stat.cell_counts.emplace_back(m[1], count_of(m[2]));
    } else if (std::regex_match(line, m, area_line)) {
      stat.chip_area = report_number(m[2].str(), file, "chip area");
      break;
    } else {
      in_cells = false;
    }
  }
  if (stat.module.empty()) throw InputError(file, 0, "statistics block has no '=== module ===' header");
  int64_t listed = 0;
  for (const auto& [cell, count] : stat.cell_counts) {
    listed += count;
    if (listed > kMaxCells) throw InputError(file, 0, "statistics list more cells than any netlist has");
  }
  if (listed != stat.cells)
    throw InputError(file, 0, fmt::format("statistics list {} cells by type but report {} in total", listed,
                                          stat.cells));
  return stat;
}

SynthResult summarize_synthesis(const YosysStat& stat, const CellLibrary& library) {
  SynthResult result;
  result.top = stat.module;
  result.cells = stat.cells;
  result.liberty_area_um2 = stat.chip_area;
  bool all_from_lef = library.has_lef();
  for (const auto& [cell, count] : stat.cell_counts) {
    if (cell.starts_with("$"))
      throw InputError(cell, 0, fmt::format("netlist still has {} generic Yosys cells of type {}: the library "
                                            "cannot implement them",
                                            count, cell));
    CellTypeUse use{cell, count, library.area_um2(cell), library.is_sequential(cell)};
    all_from_lef = all_from_lef && library.area_from_lef(cell);
    result.area_um2 += use.area_each_um2 * static_cast<double>(count);
    if (use.sequential) result.flip_flops += count;
    result.by_type.push_back(use);
  }
  result.area_source = all_from_lef ? "LEF SIZE" : (library.has_lef() ? "LEF SIZE where known, else liberty" : "liberty");
  return result;
}

std::string yosys_script(const SynthOptions& options, const std::string& netlist_path,
                         const std::string& constraints_path) {
  const std::string& lib = options.tech.liberty;
  std::string script = "# generated by gaitlstm (src/eda/synth.cc)\n";
  for (const std::string& source : options.sources)
    script += fmt::format("read_verilog {}{}\n", source.ends_with(".sv") ? "-sv " : "", source);
  script += fmt::format("hierarchy -check -top {}\n", options.top);
  script += fmt::format("synth -top {} -flatten\n", options.top);
  script += fmt::format("dfflibmap -liberty {}\n", lib);
  const int clock_ps = static_cast<int>(options.clock_ns * 1000 + 0.5);
  script += fmt::format("abc -liberty {} -D {}{}\n", lib, clock_ps,
                        options.buffer_fanout ? " -constr " + constraints_path : "");
  script += "opt_clean -purge\nsetundef -zero\nsplitnets\nopt_clean -purge\n";
  script += fmt::format("stat -liberty {}\n", lib);
  script += fmt::format("write_verilog -noattr -noexpr {}\n", netlist_path);
  return script;
}

std::string synth_netlist_path(const std::string& work_dir, const std::string& top) {
  return (fs::path(work_dir) / (top + ".netlist.v")).string();
}

SynthResult synthesize(ToolRunner& runner, const SynthOptions& options) {
  const fs::path dir = options.work_dir;
  const std::string netlist = synth_netlist_path(options.work_dir, options.top);
  const std::string constraints = (dir / "abc.constr").string();
  write_file_atomic(constraints,
                    fmt::format("set_driving_cell {}\nset_load {}\n", options.driving_cell.empty() ? options.tech.driving_cell : options.driving_cell,
                                options.output_load_pf));
  write_file_atomic((dir / "yosys.ys").string(), yosys_script(options, netlist, constraints));
  ToolCommand command;
  command.program = "yosys";
  command.args = {"-q", "-l", "yosys.log", "-s", "yosys.ys"};
  command.working_dir = dir.string();
  command.log_path = (dir / "yosys.stdout.log").string();
  command.timeout = options.timeout;
  const ToolRun run = run_checked(runner, command);
  const std::string log = (dir / "yosys.log").string();
  SynthResult result = summarize_synthesis(parse_yosys_stat(read_file(log), log), CellLibrary(options.tech));
  result.tech = options.tech.name;
  result.clock_ns = options.clock_ns;
  result.netlist = netlist;
  result.log = log;
  result.seconds = run.seconds;
  return result;
}

nlohmann::json to_json(const SynthResult& r) {
  nlohmann::json types = nlohmann::json::array();
  for (const CellTypeUse& u : r.by_type)
    types.push_back({{"cell", u.cell},
                     {"count", u.count},
                     {"area_each_um2", u.area_each_um2},
                     {"area_um2", u.area_each_um2 * static_cast<double>(u.count)},
                     {"sequential", u.sequential}});
  return {{"top", r.top},
          {"technology", r.tech},
          {"clock_ns", r.clock_ns},
          {"cells", r.cells},
          {"flip_flops", r.flip_flops},
          {"area_um2", r.area_um2},
          {"area_source", r.area_source},
          {"liberty_area_um2", r.liberty_area_um2},
          {"cell_types", types},
          {"netlist", r.netlist},
          {"log", r.log},
          {"seconds", r.seconds}};
}

}  // namespace gaitlstm::eda
