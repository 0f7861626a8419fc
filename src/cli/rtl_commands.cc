#include "cli/rtl_commands.h"
#include "cli/json_output.h"
#include "cli/validators.h"

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "data/load.h"
#include "quant/qmodel_file.h"
#include "rtl/board.h"
#include "rtl/board_verify.h"
#include "rtl/design.h"
#include "rtl/verify.h"
#include "rtl/gate_level_sim.h"
#include "util/atomic_file.h"
#include "util/process_runner.h"
#include "util/text_table.h"
#ifdef GAITLSTM_HAVE_EDA
#include "eda/cell_models.h"
#include "eda/library.h"
#endif
#ifdef GAITLSTM_HAVE_FPGA
#include <filesystem>

#include "cli/fpga_commands.h"
#include "eda/fpga_sim.h"
#endif

namespace gaitlstm::cli {

namespace {

struct RtlArgs {
  std::string model, arch = "serial", out, top = "gaitlstm_detector";
  std::string board;  // "" = the detector alone
  double board_clock_mhz = 12;
  int sensor_range_g = 0;
  int uart_baud = 115200;
};

void run_rtl(const RtlArgs& args) {
  const quant::QuantizedModel q = quant::load_qmodel(args.model);
  const quant::GoldenDetector golden = quant::make_golden(q);
  const rtl::DesignSummary design = rtl::write_design(golden, rtl::parse_architecture(args.arch), args.out, args.top);
  TextTable table({"architecture", "MAC units", "core cycles", "cycles/decision", "MAC utilisation", "files"});
  table.add_row({design.architecture, std::to_string(design.lanes), std::to_string(design.core_cycles),
                 std::to_string(design.cycles_per_decision),
                 design.lanes ? fmt::format("{:.1f}%", 100 * design.mac_utilization) : "-",
                 std::to_string(design.files.size())});
  std::cout << table.render() << "wrote " << args.out << "/design.json and the Verilog files\n";
  if (args.board.empty()) return;
  rtl::BoardConfig config;
  config.board = args.board;
  config.clock_hz = args.board_clock_mhz * 1e6;
  config.range_g = args.sensor_range_g;
  config.uart_baud = args.uart_baud;
  const rtl::BoardSummary b = rtl::write_board(golden, args.out, config);
  std::cout << fmt::format(
      "board top {} ({}): ADXL362 +-{} g ({} mg/LSB) by external trigger every {} cycles at {:g} MHz, SPI {:g} MHz, "
      "UART {} baud; pins in {}/{}; wrote {}/board.json\n",
      b.top, b.board, b.range_g, 1 << b.lsb_mg_log2, b.sample_period_cycles, b.clock_hz / 1e6,
      b.clock_hz / (2e6 * b.spi_half_period_cycles), args.uart_baud, args.out, b.pcf_file, args.out);
}

struct VerifyArgs {
  std::string model, rtl, data, spec, json;
  bool board = false;
  std::string fpga;  // a `gaitlstm fpga` output directory: simulate its post-route netlist
  std::string netlist, library = "osu018", work;  // gate-level: a synthesized or routed netlist
  std::string simulator = "verilator";             // of the netlist: verilator | icarus
  std::string build_cache;                          // Verilator builds reused across runs
  double clock_ns = 10;
  bool random_given = false;
  rtl::VerifyOptions options;
};

// The netlist of the --rtl design in Verilator (cell models generated from
// the liberty) or Icarus (the library's own cell models).
rtl::VerifyReport verify_netlist(ToolRunner& runner, const quant::GoldenDetector& golden, const data::Dataset& dataset,
                                 VerifyArgs args) {
#ifdef GAITLSTM_HAVE_EDA
  const rtl::DesignSummary design = rtl::read_design(args.rtl);
  const eda::Technology tech = eda::technology_by_name(args.library);
  rtl::GateLevelOptions options;
  options.simulator = rtl::parse_gate_simulator(args.simulator);
  options.netlist = args.netlist;
  options.work_dir = args.work.empty() ? args.netlist + ".verify" : args.work;
  const eda::GateLevelModels models =
      eda::gate_level_models(tech, args.netlist, options.simulator == rtl::GateSimulator::verilator, options.work_dir);
  options.cell_models = models.files;
  options.defines = models.defines;
  options.zero_start_pins = models.zero_start_pins;
  if (models.uncovered_flops > 0)
    std::cout << models.uncovered_flops
              << " sequential cells without a plain data pin start X (latches, enable or scan flops)\n";
  options.clock_ns = args.clock_ns;
  options.build_cache = args.build_cache;
  rtl::GateLevelDetector simulator(runner, rtl::detector_ports(golden, design.top), options);
  // Drain long enough for the last decision; a longer tail only costs time.
  const int64_t period =
      args.options.sample_period > 0 ? args.options.sample_period : rtl::verify_sample_period(golden, design);
  simulator.set_drain_cycles(design.cycles_per_decision + 4 * period);
  // Random streams are the RTL check's job; at gate level they cost minutes.
  if (!args.random_given) args.options.random_samples = 0;
  rtl::VerifyReport report = rtl::verify_simulation(golden, design, simulator, dataset, args.options);
  report.simulated = options.simulator == rtl::GateSimulator::verilator
                         ? fmt::format("netlist {} (Verilator, {} cell models from its liberty)", args.netlist, tech.name)
                         : fmt::format("netlist {} (Icarus, {} cell models)", args.netlist, tech.name);
  return report;
#else
  (void)runner, (void)golden, (void)dataset, (void)args;
  throw std::invalid_argument("verify --netlist needs the physical flow (eda) built in");
#endif
}

void print_board_report(const rtl::BoardVerifyReport& report, const std::string& json) {
  TextTable table({"simulated", "decisions", "mismatches", "samples", "triggers", "period errors", "alarm errors",
                   "UART errors", "sensor model", "cycles", "seconds"});
  table.add_row({report.source, std::to_string(report.decisions), std::to_string(report.mismatch_count),
                 std::to_string(report.samples), std::to_string(report.triggers),
                 std::to_string(report.trigger_period_errors), std::to_string(report.alarm_errors),
                 std::to_string(report.uart_errors), report.model_error_code ? fmt::format("error {}", report.model_error_code) : "ok",
                 std::to_string(report.cycles), fmt::format("{:.1f}", report.simulation_seconds)});
  std::cout << table.render();
  for (const rtl::Mismatch& m : report.mismatches)
    std::cout << fmt::format("mismatch: {} decision {} (sample {}): golden {} ({}, alarm {}), board {} ({}, alarm {})\n",
                             m.source, m.decision, m.sample, m.golden, m.golden_fog ? "FoG" : "no FoG",
                             m.golden_alarm ? "on" : "off", m.rtl, m.rtl_fog ? "FoG" : "no FoG", m.rtl_alarm ? "on" : "off");
  if (!report.ok_led) std::cout << "the board's green LED is off: a sensor fault, lost sample or overrun\n";
  std::cout << (report.passed() ? "PASS: the board's decisions equal the golden model's\n" : "FAIL\n");
  if (!json.empty()) write_file_atomic(json, json_text(rtl::to_json(report)));
  if (!report.passed()) throw std::runtime_error("board verification failed");
}

void run_verify(const VerifyArgs& args) {
  const quant::QuantizedModel q = quant::load_qmodel(args.model);
  const quant::GoldenDetector golden = quant::make_golden(q);
  const data::Dataset dataset = data::load_dataset(args.data, {args.spec, q.detector.frontend.sample_rate_hz});
  ProcessRunner runner;  // Verilator, Icarus: every tool of this command
  if (args.board || !args.fpga.empty()) {
    rtl::BoardVerifyOptions options;
    options.max_segments = args.options.max_segments > 0 ? args.options.max_segments : 1;
    options.max_decisions = args.options.max_decisions;
    std::string board_dir = args.rtl;
#ifdef GAITLSTM_HAVE_FPGA
    if (!args.fpga.empty()) {
      const FpgaRun run = read_fpga_run(args.fpga);
      board_dir = run.rtl_dir;
      options.work_dir = (std::filesystem::path(args.fpga) / "verify").string();
      const eda::PostRouteSimulation sim =
          eda::prepare_post_route_simulation(run.result.post_route_netlist, options.work_dir + "/netlist");
      options.netlist_files = sim.files;
      options.verilator_args = sim.verilator_args;
      options.source_label = fmt::format("post-route netlist ({} {})", run.result.device, run.result.package);
    }
#endif
    if (board_dir.empty()) throw std::invalid_argument("verify --board needs --rtl (a directory written with --board)");
    print_board_report(rtl::verify_board(runner, golden, board_dir, dataset, options), args.json);
    return;
  }
  if (args.rtl.empty()) throw std::invalid_argument("verify needs --rtl (or --fpga)");
  const rtl::VerifyReport report = args.netlist.empty()
                                        ? rtl::verify_design(runner, golden, args.rtl, dataset, args.options)
                                        : verify_netlist(runner, golden, dataset, args);
  std::cout << "simulated: " << report.simulated << "\n";
  TextTable table({"decisions", "random", "mismatches", "latency errors", "cycles/decision", "model", "samples/s"});
  table.add_row({std::to_string(report.decisions), std::to_string(report.random_decisions),
                 std::to_string(report.mismatch_count), std::to_string(report.latency_mismatches),
                 std::to_string(report.cycles_per_decision_measured), std::to_string(report.cycles_per_decision_model),
                 fmt::format("{:.0f}", report.samples_per_second)});
  std::cout << table.render();
  for (const rtl::Mismatch& m : report.mismatches)
    std::cout << fmt::format(
        "mismatch: {} decision {} (sample {}): golden {} ({}, alarm {}, threshold {}), rtl {} ({}, alarm {}, threshold {})\n",
        m.source, m.decision, m.sample, m.golden, m.golden_fog ? "FoG" : "no FoG", m.golden_alarm ? "on" : "off",
        m.golden_threshold, m.rtl, m.rtl_fog ? "FoG" : "no FoG", m.rtl_alarm ? "on" : "off", m.rtl_threshold);
  if (golden.calibration())
    std::cout << fmt::format("self-calibration: T_n moved off the stored threshold at {} of {} decisions\n",
                             report.calibrated_decisions, report.decisions);
  if (report.overrun) std::cout << "overrun: a decision arrived while the core was busy\n";
  std::cout << (report.passed() ? "PASS: bit-exact\n" : "FAIL\n");
  if (!args.json.empty()) write_file_atomic(args.json, json_text(rtl::to_json(report)));
  if (!report.passed()) throw std::runtime_error("verification failed");
}

}  // namespace

void add_rtl_commands(CLI::App& app) {
  auto rtl_args = std::make_shared<RtlArgs>();
  CLI::App* gen = app.add_subcommand("rtl", "Generate the accelerator as Verilog-2005");
  gen->add_option("--model", rtl_args->model, "Quantized model (gaitlstm quantize)")->required()->check(CLI::ExistingFile);
  gen->add_option("--arch", rtl_args->arch, "serial | gates | lanes:P | mcm")->capture_default_str();
  gen->add_option("--out", rtl_args->out, "Directory for the Verilog files and design.json")->required();
  gen->add_option("--top", rtl_args->top, "Top module name")->capture_default_str();
  gen->add_option("--board", rtl_args->board,
                  "Also write a board top for this board (icebreaker: iCE40UP5K + Pmod ACL2 ADXL362; docs/FPGA.md)");
  gen->add_option("--board-clock-mhz", rtl_args->board_clock_mhz, "Board clock (a multiple of the sample rate)")
      ->capture_default_str();
  gen->add_option("--sensor-range", rtl_args->sensor_range_g,
                  "ADXL362 range in g: 2, 4, 8, or 0 = the smallest covering the sample format")
      ->capture_default_str();
  gen->add_option("--uart-baud", rtl_args->uart_baud, "Baud rate of the score stream")->capture_default_str();
  gen->callback([rtl_args] { run_rtl(*rtl_args); });

  auto v = std::make_shared<VerifyArgs>();
  CLI::App* ver = app.add_subcommand("verify", "Simulate generated RTL (Verilator) against the golden model");
  ver->add_option("--model", v->model, "Quantized model the RTL was generated from")->required()->check(CLI::ExistingFile);
  auto* rtl_dir = ver->add_option("--rtl", v->rtl, "Directory written by gaitlstm rtl")->check(CLI::ExistingDirectory);
#ifdef GAITLSTM_HAVE_FPGA
  auto* fpga_dir = ver->add_option("--fpga", v->fpga,
                                   "Directory written by `gaitlstm fpga` for a board top: simulate its placed-and-routed "
                                   "netlist (Yosys' iCE40 cell models, Verilator) with the ADXL362 model")
                       ->check(CLI::ExistingDirectory);
  rtl_dir->excludes(fpga_dir);
  fpga_dir->excludes(rtl_dir);
#else
  rtl_dir->required();
#endif
  ver->add_option("--data", v->data, "Recordings to stream through both")->required()->check(CLI::ExistingDirectory);
  ver->add_option("--spec", v->spec, "JSON dataset description for CSV recordings")->check(CLI::ExistingFile);
  ver->add_option("--windows", v->options.max_decisions, "Stop after this many decisions (0 = all)")
      ->capture_default_str()->check(kNonNegative);
  ver->add_option("--segments", v->options.max_segments, "At most this many segments (0 = all)")
      ->capture_default_str()->check(kNonNegative);
  ver->add_option("--random", v->options.random_samples,
                  "Samples of random input incl. extremes (default 2000; 0 with --netlist)")
      ->capture_default_str()->check(kNonNegative);
  ver->add_option("--netlist", v->netlist,
                  "Gate-level: simulate this synthesized or routed netlist of the --rtl design instead of the RTL; "
                  "every decision and latency must still match")
      ->check(CLI::ExistingFile);
  ver->add_option("--simulator", v->simulator,
                  "Simulator of --netlist: verilator (cell models generated from the liberty; fast) | icarus (the "
                  "library's own cell models; the reference)")
      ->check(CLI::IsMember({"verilator", "icarus"}))
      ->capture_default_str();
  ver->add_option("--library", v->library, "Cell library of --netlist: osu018 | sky130hd")->capture_default_str();
  ver->add_option("--clock-ns", v->clock_ns, "Simulated clock of --netlist (zero-delay models)")
      ->capture_default_str()->check(kPositive);
  ver->add_option("--work", v->work, "Work directory of the gate-level simulation (default: NETLIST.verify)");
  ver->add_option("--build-cache", v->build_cache,
                  "Directory of Verilator builds of --netlist reused across runs (power --build-cache takes the same)");
  ver->add_option("--period", v->options.sample_period, "Clock cycles between samples (0 = just fast enough for every decision)")
      ->capture_default_str()->check(kNonNegative);
  ver->add_flag("--board", v->board,
                "Simulate the board top (--rtl written with --board) with the ADXL362 model replaying the recording; "
                "--windows limits the decisions, --segments the segments (default 1)");
  ver->add_option("--json", v->json, "Also write the report as JSON here");
  ver->callback([v, ver] {
    v->random_given = ver->get_option("--random")->count() > 0;
    run_verify(*v);
  });
}

}  // namespace gaitlstm::cli
