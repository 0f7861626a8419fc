// Static timing analysis of a mapped netlist with OpenSTA (Debian's 2019
// `sta` binary).
//
// The generated script (sta.tcl): read_liberty, read_verilog, link_design,
// create_clock on the clock port, input delays (default 0) on the other
// inputs and output delays on all outputs relative to that clock, a load on
// the outputs, then `report_checks -path_delay max` (the critical path) and
// `worst_slack -max`.  With an ideal clock (no clock tree before layout):
//   f_max = 1000 / (period_ns - worst_slack_ns)  MHz
// A design without the clock port (pure logic) is timed input to output
// with a virtual clock of the same period.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "eda/library.h"
#include "util/process_runner.h"

namespace gaitlstm::eda {

struct StaOptions {
  std::string netlist;  // mapped Verilog (synthesize() writes one)
  std::string top;
  Technology tech;
  std::string clock_port = "clk";
  double clock_ns = 10;
  double input_delay_ns = 0;
  double output_delay_ns = 0;
  double output_load_pf = 0.01;
  std::string work_dir;
  std::chrono::seconds timeout{600};
};

struct PathStep {
  double delay_ns = 0;  // incremental
  double time_ns = 0;   // arrival
  std::string edge;     // "^" rise, "v" fall
  std::string pin;      // instance/pin or port
  std::string cell;     // cell type, "" for ports
};

struct CriticalPath {
  std::string startpoint, endpoint;  // as OpenSTA names them, with their description
  double arrival_ns = 0, required_ns = 0, slack_ns = 0;
  std::vector<PathStep> steps;  // data path from launch to capture
};

struct TimingResult {
  double clock_ns = 0;
  double worst_slack_ns = 0;
  double fmax_mhz = 0;  // 1000 / (clock_ns - worst_slack_ns)
  bool met = false;
  CriticalPath critical_path;
  std::string log;
  double seconds = 0;
};

// Parses the first `report_checks` path and the "worst_slack <value>" line
// the generated script prints.  Throws InputError(file) if either is missing.
TimingResult parse_sta_report(std::string_view text, double clock_ns, const std::string& file);

std::string sta_timing_script(const StaOptions& options);

// The common head of every OpenSTA script: load, link, clock, I/O delays.
std::string sta_setup_commands(const StaOptions& options);

TimingResult analyze_timing(ToolRunner& runner, const StaOptions& options);

nlohmann::json to_json(const TimingResult& result);

}  // namespace gaitlstm::eda
