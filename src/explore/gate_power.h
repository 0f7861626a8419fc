// Gate-level power of a detector netlist from a real recording: the first
// decisions of the first segment streamed through the netlist by the
// gate-level testbench (rtl/gate_level_sim.h, the same stimulus and timing
// in both simulators), the switching activity taken from it and annotated
// pin by pin in OpenSTA (eda/power.h).
//  - verilator: models from the liberty, activity counted inside the
//    simulation (rtl/net_activity_harness.h, eda/gate_activity.h): no VCD.
//  - icarus: the library's own models, activity from a VCD of the DUT with
//    its cells (the reference).
// Used by `gaitlstm power --model` and the exploration.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "data/dataset.h"
#include "eda/power.h"
#include "quant/golden.h"
#include "rtl/design.h"
#include "util/process_runner.h"

namespace gaitlstm::explore {

struct GatePowerOptions {
  eda::StaOptions sta;                 // netlist, technology, clock, work_dir (simulation files too)
  std::string simulator = "verilator"; // verilator | icarus
  int64_t decisions = 4;
  int64_t sample_period = 0;           // 0 = rtl::power_sample_period
  std::string build_cache;             // Verilator builds shared across runs ("" = none)
  std::chrono::seconds timeout{1800};  // of the simulation
};

struct GatePower {
  eda::PowerResult power;
  eda::VcdActivity activity;        // what was annotated, pin by pin
  int64_t sample_period = 0;
  int64_t cycles_per_decision = 0;  // stride x sample period: one decision at this pace
  bool reused_build = false;        // the Verilator build came from the cache
  double simulation_seconds = 0;
};

GatePower recording_power(ToolRunner& runner, const quant::GoldenDetector& golden, const rtl::DesignSummary& design,
                          const data::Dataset& dataset, const GatePowerOptions& options);

}  // namespace gaitlstm::explore
