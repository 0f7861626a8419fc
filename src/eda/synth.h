// Synthesis with Yosys onto a standard-cell library.
//
// Steps (the generated script, yosys.ys in the work directory):
//   read_verilog <every .v of the RTL directory except *_tb.v>
//   hierarchy -check -top T; synth -top T -flatten
//   dfflibmap -liberty L                      flip-flops onto library flops
//   abc -liberty L -D <clock ps> -constr F    timing-driven mapping; with the
//        constraints file ABC also buffers high fan-out nets and sizes gates
//        (its `buffer; upsize; dnsize` script).  Without buffering a single
//        flop output drives pF loads and STA is meaningless (FLOW-FACTS).
//   opt_clean -purge; setundef -zero; splitnets; opt_clean -purge
//   stat -liberty L                           parsed by parse_yosys_stat
//   write_verilog -noattr -noexpr             the mapped netlist
// Areas: Yosys' `stat` uses the liberty areas; SynthResult recomputes them
// from the LEF sizes (see library.h) and keeps both.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "eda/library.h"
#include "util/process_runner.h"

namespace gaitlstm::eda {

// The synthesizable sources of an RTL directory: every *.v and *.sv file,
// sorted, except testbenches (*_tb.v, *_tb.sv).  Throws InputError if none.
std::vector<std::string> rtl_sources(const std::string& rtl_dir);

// The top module: `requested` if given (must be defined), else the only
// module defined in the sources.  Throws InputError naming the candidates.
std::string find_top_module(const std::vector<std::string>& sources, const std::string& requested);

struct SynthOptions {
  std::vector<std::string> sources;  // from rtl_sources()
  std::string top;
  Technology tech;
  double clock_ns = 10;              // abc -D target
  bool buffer_fanout = true;         // ABC buffering + sizing (see above)
  std::string driving_cell;  // ABC's assumed driver of inputs; "" = the library's weak inverter
  double output_load_pf = 0.02;        // ABC's assumed load on outputs
  std::string work_dir;              // yosys.ys, yosys.log, <top>.netlist.v
  std::chrono::seconds timeout{900};
};

// Yosys' `stat` block for one module, as printed.
struct YosysStat {
  std::string module;
  int64_t cells = 0;
  std::vector<std::pair<std::string, int64_t>> cell_counts;  // in Yosys' order
  double chip_area = 0;  // "Chip area for module" (liberty areas); 0 if absent
};

// The last `stat` block of a Yosys log.  Throws InputError(file) if the log
// has none (synthesis did not get that far).
YosysStat parse_yosys_stat(std::string_view log_text, const std::string& file);

struct CellTypeUse {
  std::string cell;
  int64_t count = 0;
  double area_each_um2 = 0;  // LEF size if known, else liberty
  bool sequential = false;
};

struct SynthResult {
  std::string top;
  std::string tech;
  double clock_ns = 0;
  int64_t cells = 0;
  int64_t flip_flops = 0;  // sequential cells (ff or latch in the liberty)
  double area_um2 = 0;     // sum of cell areas, LEF sizes where known
  double liberty_area_um2 = 0;  // Yosys' own figure, liberty areas
  std::string area_source;      // "LEF SIZE" or "liberty"
  std::vector<CellTypeUse> by_type;
  std::string netlist;  // mapped Verilog
  std::string log;
  double seconds = 0;
};

// Typed result from a parsed stat block + the library's areas.
SynthResult summarize_synthesis(const YosysStat& stat, const CellLibrary& library);

// The Yosys script for `options`, writing the netlist to `netlist_path`.
std::string yosys_script(const SynthOptions& options, const std::string& netlist_path,
                         const std::string& constraints_path);

// Where synthesize() writes the mapped netlist of `top` in `work_dir`.
std::string synth_netlist_path(const std::string& work_dir, const std::string& top);

// Runs Yosys; throws ToolError if it fails, InputError if its log has no stat.
SynthResult synthesize(ToolRunner& runner, const SynthOptions& options);

nlohmann::json to_json(const SynthResult& result);

}  // namespace gaitlstm::eda
