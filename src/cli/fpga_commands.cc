#include "cli/fpga_commands.h"
#include "cli/json_output.h"
#include "cli/validators.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "eda/fpga.h"
#include "eda/fpga_sim.h"
#include "eda/synth.h"
#include "rtl/board.h"
#include "rtl/design.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/process_runner.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct FpgaArgs {
  std::string rtl, top, device = "up5k", package, pcf, out, json_path;
  double clock_mhz = 0;  // 0 = the board's clock, else 12
  uint64_t seed = 1;
  double deadline_s = 0.5;
  bool no_icetime = false;
};

std::string percent(int64_t used, int64_t available) {
  return available > 0 ? fmt::format("{} / {} ({:.0f} %)", used, available, 100.0 * used / available) : std::to_string(used);
}

void run_fpga(const FpgaArgs& args) {
  eda::FpgaOptions options;
  options.sources = eda::rtl_sources(args.rtl);
  options.device = args.device;
  options.package = args.package;
  options.seed = args.seed;
  options.icetime = !args.no_icetime;
  options.work_dir = args.out;
  const bool has_board = fs::exists(fs::path(args.rtl) / "board.json");
  std::optional<rtl::BoardSummary> board;
  if (has_board) board = rtl::read_board(args.rtl);
  options.top = eda::find_top_module(options.sources, args.top.empty() && board ? board->top : args.top);
  options.pcf = !args.pcf.empty() ? args.pcf : (board ? (fs::path(args.rtl) / board->pcf_file).string() : "");
  options.clock_mhz = args.clock_mhz > 0 ? args.clock_mhz : (board ? board->clock_hz / 1e6 : 12.0);
  const bool has_design = fs::exists(fs::path(args.rtl) / "design.json");
  const int64_t cycles = has_design ? rtl::read_design(args.rtl).cycles_per_decision : 0;

  ProcessRunner runner;
  const eda::FpgaResult r = eda::run_fpga_flow(runner, options);
  const eda::FpgaRealTime rt = eda::fpga_realtime(r, cycles, args.deadline_s);

  TextTable table({"quantity", "value"});
  table.add_row({"device / package", fmt::format("iCE40 {} / {}", r.device, r.package)});
  table.add_row({"top", r.top + (options.pcf.empty() ? " (IO placed freely)" : " (pins: " + options.pcf + ")")});
  table.add_row({"synthesis", fmt::format("{} LUT4, {} carries, {} flip-flops, {} DSP, {} block RAM", r.luts, r.carries,
                                          r.flip_flops, r.dsps, r.block_rams)});
  for (const char* name : {"ICESTORM_LC", "ICESTORM_RAM", "ICESTORM_DSP", "SB_IO", "SB_GB"})
    if (const eda::FpgaResource* x = r.resource(name)) table.add_row({name, percent(x->used, x->available)});
  if (r.fits) {
    table.add_row({"f_max (nextpnr)", fmt::format("{:.2f} MHz ({} at {:g} MHz)", r.fmax_mhz, r.timing_met ? "met" : "NOT met",
                                                  r.clock_mhz)});
    if (r.icetime_fmax_mhz > 0) table.add_row({"f_max (icetime)", fmt::format("{:.2f} MHz", r.icetime_fmax_mhz)});
    table.add_row({"bitstream", fmt::format("{} ({} bytes)", r.bitstream, r.bitstream_bytes)});
    if (cycles > 0) {
      table.add_row({"cycles / decision", std::to_string(cycles)});
      table.add_row({"lowest clock for the deadline", fmt::format("{:.4f} MHz ({:g} s per decision)", rt.min_clock_mhz, rt.deadline_s)});
      table.add_row({"margin at the board clock", fmt::format("{:.0f}x at {:g} MHz{}", rt.margin, r.clock_mhz,
                                                              rt.clock_met ? "" : " (but the design does not reach that clock)")});
    }
  } else {
    table.add_row({"result", "DOES NOT FIT: " + r.failure});
  }
  table.add_row({"seconds", fmt::format("synthesis {:.1f}, place and route {:.1f}", r.synth_seconds, r.pnr_seconds)});
  std::cout << table.render();
  json out = {{"rtl", fs::absolute(args.rtl).lexically_normal().string()}, {"fpga", eda::to_json(r)},
              {"realtime", eda::to_json(rt)}};
  if (board) out["board"] = rtl::to_json(*board);
  const std::string text = json_text(out);
  write_file_atomic((fs::path(args.out) / "fpga.json").string(), text);
  if (!args.json_path.empty()) write_file_atomic(args.json_path, text);
  std::cout << fmt::format("wrote {}/fpga.json\n", args.out);
}

}  // namespace

FpgaRun read_fpga_run(const std::string& dir) {
  const std::string file = (fs::path(dir) / "fpga.json").string();
  if (!fs::exists(file)) throw InputError(file, 0, "no FPGA run here (write one with `gaitlstm fpga --out DIR`)");
  json j;
  try {
    j = json::parse(read_file(file));
  } catch (const json::exception& e) {
    throw InputError(file, 0, fmt::format("invalid JSON: {}", e.what()));
  }
  if (!j.contains("fpga") || !j.contains("rtl")) throw InputError(file, 0, "not written by `gaitlstm fpga`");
  FpgaRun run{j.at("rtl").get<std::string>(), eda::fpga_result_from_json(j.at("fpga"), file)};
  if (!run.result.fits) throw InputError(file, 0, "the design did not fit: there is no routed netlist to simulate");
  if (run.result.post_route_netlist.empty()) throw InputError(file, 0, "the run wrote no post-route netlist");
  return run;
}

void add_fpga_commands(CLI::App& app) {
  auto a = std::make_shared<FpgaArgs>();
  CLI::App* cmd = app.add_subcommand(
      "fpga", "iCE40 FPGA flow: Yosys synth_ice40, nextpnr-ice40, icepack, icetime; resources, f_max, bitstream");
  cmd->add_option("--rtl", a->rtl, "Directory of Verilog sources (a board top from `gaitlstm rtl --board` is used with its pins)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--top", a->top, "Top module (default: the board top, else the only root module)");
  cmd->add_option("--device", a->device, "up5k, up3k, u4k, u2k, hx8k, lp8k, hx4k, lp4k, hx1k, lp1k, lp384")
      ->capture_default_str();
  cmd->add_option("--package", a->package, "Package (default: sg48 for up5k, ct256 for hx8k, ...)");
  cmd->add_option("--pcf", a->pcf, "Pin constraints (default: the board top's)")->check(CLI::ExistingFile);
  cmd->add_option("--clock-mhz", a->clock_mhz,
                  "Board clock: the timing target and the clock of the margin (default: the board's, else 12)")
      ->check(kPositive);
  cmd->add_option("--seed", a->seed, "Placement seed")->capture_default_str();
  cmd->add_option("--deadline-s", a->deadline_s, "Deadline of one decision (the decision period: stride / sample rate)")
      ->capture_default_str()->check(kPositive);
  cmd->add_flag("--no-icetime", a->no_icetime, "Skip icetime's timing estimate");
  cmd->add_option("--out", a->out, "Work directory: scripts, logs, netlists, bitstream, fpga.json")->required();
  cmd->add_option("--json", a->json_path, "Also write the results as JSON here");
  cmd->callback([a] { run_fpga(*a); });
}

}  // namespace gaitlstm::cli
