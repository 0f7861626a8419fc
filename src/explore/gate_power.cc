#include "explore/gate_power.h"

#include <filesystem>

#include <fmt/format.h>

#include "eda/cell_models.h"
#include "eda/gate_activity.h"
#include "rtl/gate_level_sim.h"
#include "rtl/power_testbench.h"
#include "rtl/verify.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {

namespace fs = std::filesystem;

GatePower recording_power(ToolRunner& runner, const quant::GoldenDetector& golden, const rtl::DesignSummary& design,
                          const data::Dataset& dataset, const GatePowerOptions& options) {
  GatePower out;
  out.sample_period = options.sample_period > 0 ? options.sample_period : rtl::power_sample_period(golden, design);
  out.cycles_per_decision = golden.protocol().stride * out.sample_period;
  std::vector<int64_t> samples = quant::segment_samples(golden, dataset, 0);
  rtl::keep_first_decisions(golden, options.decisions, samples);

  const eda::StaOptions& sta = options.sta;
  const fs::path dir = fs::absolute(sta.work_dir);
  fs::create_directories(dir);
  rtl::GateLevelOptions o;
  o.simulator = rtl::parse_gate_simulator(options.simulator);
  const bool verilator = o.simulator == rtl::GateSimulator::verilator;
  o.netlist = sta.netlist;
  o.work_dir = (dir / "sim").string();
  const eda::GateLevelModels models = eda::gate_level_models(sta.tech, sta.netlist, verilator, o.work_dir);
  o.cell_models = models.files;
  o.defines = models.defines;
  o.zero_start_pins = models.zero_start_pins;
  o.clock_ns = sta.clock_ns;
  o.build_cache = options.build_cache;
  o.run_timeout = options.timeout;
  rtl::GateLevelDetector simulator(runner, rtl::detector_ports(golden, design.top), o);
  out.reused_build = simulator.reused_build();
  // As the recording testbench drained: the last decision and a margin.
  simulator.set_drain_cycles(design.cycles_per_decision + 16);

  const auto instances = eda::parse_netlist_instances(read_file(sta.netlist), sta.netlist);
  rtl::ActivityFiles files;
  eda::NetWatchList watch;
  if (verilator) {
    watch = eda::net_watch_list(instances);
    files.nets = (dir / "sim" / "nets.txt").string();
    files.counts = (dir / "sim" / "activity_counts.txt").string();
    write_file_atomic(files.nets, eda::nets_file_text(watch));
  } else {
    files.vcd = (dir / "sim" / "activity.vcd").string();
  }
  simulator.set_activity(files);
  const rtl::DetectorRun run = simulator.run(samples, out.sample_period);
  out.simulation_seconds = run.simulated_seconds;

  eda::PowerOptions p;
  p.sta = sta;
  if (verilator) {
    p.activity = eda::counted_pin_activity(watch, read_file(files.counts), files.counts, sta.clock_ns);
    p.activity_source = fmt::format("Verilator (counted in the simulation), {} decision{}", options.decisions,
                                    options.decisions == 1 ? "" : "s");
  } else {
    p.activity = eda::vcd_pin_activity(files.vcd, instances, sta.clock_ns, "gaitlstm_gate_tb.dut");
    p.activity_source = fmt::format("Icarus VCD, {} decision{}", options.decisions, options.decisions == 1 ? "" : "s");
    std::error_code ec;
    fs::remove(files.vcd, ec);  // hundreds of MB for a large netlist; the activity is in activity.tcl
  }
  out.power = eda::analyze_power(runner, p);
  out.activity = std::move(*p.activity);
  return out;
}

}  // namespace gaitlstm::explore
