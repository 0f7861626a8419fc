// The iCE40 FPGA flow (docs/FPGA.md): Yosys synth_ice40, nextpnr-ice40
// (seeded, timing-driven place and route), icepack (bitstream), icetime
// (an independent timing estimate of the routed design) and the
// post-place-and-route netlist for simulation (fpga_sim.h).
//
// Steps, each its own tool run with a log in the work directory:
//   yosys     read_verilog <sources>; synth_ice40 -top T [-dsp] -json T.json; stat
//             (-dsp on devices with DSP blocks: SB_MAC16 multipliers)
//   nextpnr   --<device> --package P --json T.json [--pcf F] --freq <clock MHz>
//             --seed S --timing-allow-fail --asc T.asc --write T.routed.json
//   icepack   T.asc T.bin
//   icetime   -d <device> -P P -t T.asc
//   yosys     read_json T.routed.json; rename -top T; write_verilog T.routed.v
// A design that does not fit (too many cells, or more IO than the package
// has) is a result - fits = false with nextpnr's reason - not an error.
// Results come from the logs: Yosys' `stat` (cells by type), nextpnr's
// "Device utilisation" block and its last "Max frequency for clock" lines
// (after routing), icetime's "Total path delay".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/process_runner.h"

namespace gaitlstm::eda {

struct Ice40Device {
  std::string name;             // as gaitlstm and icetime spell it: up5k, hx8k, ...
  std::string default_package;  // a package nextpnr knows for it
  int64_t logic_cells = 0, block_rams = 0, dsps = 0;
};
// The devices nextpnr-ice40 0.4 supports.
const std::vector<Ice40Device>& ice40_devices();
// Throws InputError (file "--device") naming the known devices.
const Ice40Device& ice40_device(const std::string& name);

// The revision of the flow's scripts: raised whenever a change alters what
// the flow makes of the same design, so stored figures made before it (the
// exploration keeps them per point) are made again.  2: signed comparisons
// lowered before synth_ice40 (docs/FPGA.md).
inline constexpr int kFpgaFlowRevision = 2;

struct FpgaOptions {
  std::vector<std::string> sources;  // synth.h rtl_sources()
  std::string top;
  std::string device = "up5k";
  std::string package;               // "" = the device's default
  std::string pcf;                   // pin constraints; "" = nextpnr places the IO
  double clock_mhz = 12;             // the board clock: nextpnr's target
  uint64_t seed = 1;
  bool icetime = true;
  bool post_route_netlist = true;
  std::string work_dir;
  std::chrono::seconds synth_timeout{1800}, pnr_timeout{3600}, tool_timeout{600};
};

struct FpgaResource {
  std::string name;  // nextpnr's: ICESTORM_LC, ICESTORM_RAM, ICESTORM_DSP, SB_IO, SB_GB, ...
  int64_t used = 0, available = 0;
};

struct FpgaTiming {
  std::string clock;     // nextpnr's clock net
  double fmax_mhz = 0;
  double target_mhz = 0;
  bool met = false;      // nextpnr: PASS
};

struct FpgaResult {
  std::string device, package, top;
  bool fits = false;
  std::string failure;   // nextpnr's ERROR line when it does not fit or route
  // Yosys (synth_ice40): cells by type and their sums
  std::vector<std::pair<std::string, int64_t>> cell_counts;
  int64_t luts = 0, carries = 0, flip_flops = 0, dsps = 0, block_rams = 0;
  // nextpnr
  std::vector<FpgaResource> resources;
  std::vector<FpgaTiming> clocks;  // after routing
  double clock_mhz = 0;            // the target
  double fmax_mhz = 0;             // the slowest clock's f_max (0 if not routed)
  bool timing_met = false;
  double icetime_fmax_mhz = 0;     // 0 = not run
  std::string bitstream;           // T.bin ("" if it did not fit)
  int64_t bitstream_bytes = 0;
  std::string routed_json, post_route_netlist;
  double synth_seconds = 0, pnr_seconds = 0, pack_seconds = 0, icetime_seconds = 0;
  std::string work_dir;

  const FpgaResource* resource(const std::string& name) const;
  int64_t used(const std::string& name) const;
};

// Parsers (tested on captured logs).
// nextpnr's last "Device utilisation:" block.  Throws InputError if none.
std::vector<FpgaResource> parse_nextpnr_utilisation(std::string_view log, const std::string& file);
// The last "Max frequency for clock" line of each clock (empty if none).
std::vector<FpgaTiming> parse_nextpnr_timing(std::string_view log);
// The first "ERROR: ..." line without the prefix ("" if none).
std::string parse_nextpnr_error(std::string_view log);
// icetime's "Total path delay: X ns (Y MHz)" -> Y.  Throws InputError if absent.
double parse_icetime_fmax(std::string_view text, const std::string& file);

// The Yosys script of the synthesis step.
std::string ice40_synth_script(const FpgaOptions& options, const std::string& json_path);

FpgaResult run_fpga_flow(ToolRunner& runner, const FpgaOptions& options);

nlohmann::json to_json(const FpgaResult& result);
FpgaResult fpga_result_from_json(const nlohmann::json& json, const std::string& file);  // throws InputError

// Real time on the board: a decision every `deadline_s` needs
// cycles_per_decision cycles.
struct FpgaRealTime {
  int64_t cycles_per_decision = 0;
  double deadline_s = 0;
  double board_clock_mhz = 0;
  double min_clock_mhz = 0;  // cycles / deadline
  double margin = 0;         // deadline / (cycles / board clock): "margin x faster than required"
  bool clock_met = false;    // the routed design's f_max >= the board clock
};
FpgaRealTime fpga_realtime(const FpgaResult& result, int64_t cycles_per_decision, double deadline_s);
nlohmann::json to_json(const FpgaRealTime& realtime);

}  // namespace gaitlstm::eda
