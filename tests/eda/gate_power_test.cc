// Gate-level power from a recording (explore/gate_power.h) of a small
// generated detector synthesized onto OSU 0.18 and sky130hd: the activity Verilator
// counts inside the simulation (generated cell models, no VCD) equals, pin
// by pin, the activity read from Icarus' VCD of the same stimulus (the
// library's own models, the reference), and so does the power.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "eda/library.h"
#include "eda/synth.h"
#include "explore/gate_power.h"
#include "quant/golden.h"
#include "rtl/design.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/process_runner.h"
#include "util/rng.h"

namespace gaitlstm::explore {
namespace {

// An untrained one-axis detector with random weights (as in the
// gate-level verification test): small, every path used.
model::Detector small_detector(uint64_t seed) {
  model::Detector d;
  d.frontend.channel_names = {"ankle_vert"};
  d.frontend.axes_per_sensor = 1;
  d.frontend.baseline_shift = 3;
  model::design_filters(d.frontend);
  for (int i = 0; i < d.frontend.features(); ++i) {
    d.frontend.feature_mean.push_back(i % 2 ? 0.0 : 10.0);
    d.frontend.feature_std.push_back(2.0);
  }
  d.history_steps = 4;
  d.lstm = model::LstmParams<float>({d.frontend.features(), 2});
  Rng rng(seed);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1.2, 1.2));
  d.threshold = 0.5;
  return d;
}

void expect_same_activity(const eda::Technology& tech) {
  testing::TempDir dir;
  const data::Dataset dataset = testing::synthetic_dataset(2, 1.0, 0);
  const quant::GoldenDetector golden(small_detector(3), quant::QuantConfig{});
  const rtl::DesignSummary design = rtl::write_design(golden, rtl::parse_architecture("serial"), dir.file("rtl"));
  ProcessRunner runner;
  eda::SynthOptions s;
  s.sources = eda::rtl_sources(dir.file("rtl"));
  s.top = design.top;
  s.tech = tech;
  s.clock_ns = 20;
  s.work_dir = dir.file("synth");
  const eda::SynthResult synth = eda::synthesize(runner, s);

  std::map<std::string, GatePower> by;
  for (const std::string simulator : {"icarus", "verilator"}) {
    GatePowerOptions o;
    o.sta.netlist = synth.netlist;
    o.sta.top = design.top;
    o.sta.tech = s.tech;
    o.sta.clock_ns = 20;
    o.sta.work_dir = dir.file("power-" + simulator);
    o.simulator = simulator;
    o.decisions = 1;
    o.build_cache = dir.file("builds");
    by[simulator] = recording_power(runner, golden, design, dataset, o);
  }
  const GatePower& icarus = by.at("icarus");
  const GatePower& verilator = by.at("verilator");
  EXPECT_FALSE(verilator.reused_build);
  EXPECT_EQ(icarus.activity.cycles, verilator.activity.cycles);
  EXPECT_GT(verilator.activity.cycles, 1000);
  std::map<std::string, eda::PinActivity> reference;
  for (const eda::PinActivity& p : icarus.activity.pins) reference[p.pin] = p;
  ASSERT_EQ(verilator.activity.pins.size(), reference.size());
  EXPECT_EQ(static_cast<int64_t>(reference.size()), verilator.activity.netlist_pins);
  int64_t toggling = 0;
  for (const eda::PinActivity& p : verilator.activity.pins) {
    SCOPED_TRACE(p.pin);
    ASSERT_EQ(reference.count(p.pin), 1u);
    EXPECT_DOUBLE_EQ(p.transitions_per_cycle, reference.at(p.pin).transitions_per_cycle);
    EXPECT_DOUBLE_EQ(p.duty, reference.at(p.pin).duty);
    toggling += p.transitions_per_cycle > 0;
  }
  EXPECT_GT(toggling, static_cast<int64_t>(reference.size()) / 4);
  EXPECT_EQ(icarus.power.annotated_pins, verilator.power.annotated_pins);
  EXPECT_DOUBLE_EQ(icarus.power.total_w, verilator.power.total_w);

  // A second run of the same netlist reuses the Verilator build.
  GatePowerOptions again;
  again.sta.netlist = synth.netlist;
  again.sta.top = design.top;
  again.sta.tech = s.tech;
  again.sta.clock_ns = 20;
  again.sta.work_dir = dir.file("power-again");
  again.decisions = 1;
  again.build_cache = dir.file("builds");
  const GatePower second = recording_power(runner, golden, design, dataset, again);
  EXPECT_TRUE(second.reused_build);
  EXPECT_DOUBLE_EQ(second.power.total_w, verilator.power.total_w);
}

TEST(GatePowerTest, VerilatorCountsTheActivityOfIcarusVcdPinByPin) { expect_same_activity(eda::osu018_technology()); }

TEST(GatePowerTest, VerilatorCountsTheActivityOfIcarusVcdPinByPinOnSky130hd) {
  const std::string pdk = std::string(GAITLSTM_SOURCE_DIR) + "/../shared/data/pdk/sky130hd";
  if (!std::filesystem::is_directory(pdk)) GTEST_SKIP() << "no sky130hd files at " << pdk;
  expect_same_activity(eda::sky130hd_technology(pdk));
}

}  // namespace
}  // namespace gaitlstm::explore
