// The real tools on the fixtures: Yosys + OpenSTA + Icarus on mac_fsm (a
// signed MAC with a case ROM and an FSM, ~690 cells) and a full qflow place
// and route of the 6-bit counter (seconds).  The tools come with
// scripts/install-deps.sh, so a missing tool FAILS these tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "eda/layout.h"
#include "eda/power.h"
#include "eda/sta.h"
#include "eda/synth.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/process_runner.h"

namespace gaitlstm::eda {
namespace {

using ::testing::HasSubstr;

std::string fixture(const std::string& name) {
  return std::string(GAITLSTM_SOURCE_DIR) + "/tests/eda/fixtures/" + name;
}

TEST(EdaToolsTest, EveryToolIsInstalled) {
  for (const char* tool : {"yosys", "sta", "iverilog", "vvp", "qflow", "graywolf", "qrouter", "magic", "netgen-lvs",
                           "klayout"})
    EXPECT_NE(find_program(tool), "") << tool << " missing: run scripts/install-deps.sh";
}

class EdaMacFsmTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    SynthOptions o;
    o.sources = rtl_sources(fixture("mac_fsm"));
    o.top = find_top_module(o.sources, "");
    o.tech = osu018_technology();
    o.clock_ns = 10;
    o.work_dir = dir_->path();
    ProcessRunner runner;
    synth_ = new SynthResult(synthesize(runner, o));
    design_ = new StaOptions;
    design_->netlist = synth_->netlist;
    design_->top = o.top;
    design_->tech = o.tech;
    design_->clock_ns = 10;
    design_->work_dir = dir_->path();
  }
  static void TearDownTestSuite() {
    delete design_;
    delete synth_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static SynthResult* synth_;
  static StaOptions* design_;
};
testing::TempDir* EdaMacFsmTest::dir_ = nullptr;
SynthResult* EdaMacFsmTest::synth_ = nullptr;
StaOptions* EdaMacFsmTest::design_ = nullptr;

TEST_F(EdaMacFsmTest, SynthesisMapsOntoOsuCells) {
  EXPECT_EQ(synth_->top, "mac_fsm");
  EXPECT_GT(synth_->cells, 300);
  EXPECT_LT(synth_->cells, 1500);
  // 2 state + 3 index + 20 acc + 1 done + 16 y + buffers' none = 42..43 flops
  EXPECT_GE(synth_->flip_flops, 42);
  EXPECT_LE(synth_->flip_flops, 43);
  EXPECT_GT(synth_->area_um2, synth_->liberty_area_um2);  // LEF sizes exceed some liberty areas
  for (const CellTypeUse& u : synth_->by_type) EXPECT_EQ(u.cell.find('$'), std::string::npos) << u.cell;
  EXPECT_THAT(read_file(synth_->netlist), HasSubstr("DFFPOSX1"));
}

TEST_F(EdaMacFsmTest, TimingIsMeaningfulAfterBuffering) {
  ProcessRunner runner;
  const TimingResult t = analyze_timing(runner, *design_);
  EXPECT_TRUE(t.met);
  EXPECT_GT(t.fmax_mhz, 100);  // an 8x8 multiply + 20-bit add in 0.18 um: ~190 MHz
  EXPECT_LT(t.fmax_mhz, 400);
  EXPECT_GT(t.critical_path.steps.size(), 5u);
}

TEST_F(EdaMacFsmTest, PowerFromGateLevelSimulationAndVectorless) {
  ProcessRunner runner;
  Stimulus stimulus;
  stimulus.testbench_files = {fixture("mac_fsm/mac_fsm_tb.v")};
  stimulus.cycles_per_decision = 10;
  const PowerResult simulated = power_with_stimulus(runner, *design_, stimulus);
  EXPECT_THAT(simulated.activity_source, HasSubstr("activity.vcd"));
  EXPECT_EQ(simulated.annotated_pins, simulated.netlist_pins);  // every cell pin found in the VCD
  EXPECT_NEAR(simulated.simulated_cycles, 400, 2);
  EXPECT_GT(simulated.dynamic_w, 1e-4);  // milliwatts at 100 MHz
  EXPECT_LT(simulated.dynamic_w, 0.1);
  EXPECT_GT(simulated.leakage_w, 0);

  PowerOptions vectorless;
  vectorless.sta = *design_;
  const PowerResult guessed = analyze_power(runner, vectorless);
  EXPECT_EQ(guessed.activity_source, "vectorless");
  EXPECT_NE(guessed.total_w, simulated.total_w);  // the VCD did change the activity
  EXPECT_DOUBLE_EQ(guessed.leakage_w, simulated.leakage_w);
  EXPECT_GT(energy_per_decision(simulated, 10).energy_per_decision_j, 0);
}

// The same testbench in Verilator with cell models generated from the
// liberty: every cell pin found in its VCD (under TOP.), the same cycles, and
// power close to Icarus' (both zero-delay; Icarus may log zero-time glitches
// that Verilator's settled values do not have).
TEST_F(EdaMacFsmTest, PowerFromVerilatorMatchesIcarus) {
  ProcessRunner runner;
  Stimulus stimulus;
  stimulus.testbench_files = {fixture("mac_fsm/mac_fsm_tb.v")};
  StaOptions icarus_design = *design_, verilator_design = *design_;
  icarus_design.work_dir = dir_->file("power-icarus");
  verilator_design.work_dir = dir_->file("power-verilator");
  const PowerResult icarus = power_with_stimulus(runner, icarus_design, stimulus);
  stimulus.simulator = "verilator";
  const PowerResult verilator = power_with_stimulus(runner, verilator_design, stimulus);
  EXPECT_EQ(verilator.annotated_pins, verilator.netlist_pins);
  EXPECT_EQ(verilator.netlist_pins, icarus.netlist_pins);
  EXPECT_NEAR(verilator.simulated_cycles, icarus.simulated_cycles, 2);
  EXPECT_NEAR(verilator.dynamic_w, icarus.dynamic_w, 0.05 * icarus.dynamic_w);
  EXPECT_DOUBLE_EQ(verilator.leakage_w, icarus.leakage_w);
  stimulus.simulator = "modelsim";
  EXPECT_THROW(power_with_stimulus(runner, verilator_design, stimulus), InputError);
}

TEST(EdaLayoutToolsTest, CounterRoutesCleanWithSignoffAndPicture) {
  testing::TempDir dir;
  ProcessRunner runner;
  LayoutOptions o;
  o.sources = rtl_sources(fixture("counter"));
  o.top = "counter";
  o.tech = osu018_technology();
  o.work_dir = dir.file("qflow");
  o.signoff = true;
  o.png = dir.file("counter.png");
  o.png_width = 400;
  const LayoutResult r = place_and_route(runner, o);
  EXPECT_EQ(r.failed_routes, 0);
  EXPECT_GT(r.cells, 20);
  EXPECT_GT(r.die_area_mm2, 0.001);
  EXPECT_LT(r.die_area_mm2, 0.05);
  EXPECT_GT(r.wire_length_um, 100);
  EXPECT_GT(r.post_route_fmax_mhz, 100);
  EXPECT_EQ(r.lvs_match, std::optional<bool>(true));
  EXPECT_TRUE(r.drc_errors.has_value());
  // The no-op replaced qrouter's via cleanup in the real router (it is what
  // standard_route called; a typo would leave the cleanup running silently).
  EXPECT_THAT(read_file(o.work_dir + "/log/route.log"), ::testing::HasSubstr("Via cleanup skipped (gaitlstm)"));
  EXPECT_TRUE(std::filesystem::is_regular_file(r.gds));
  EXPECT_GT(std::filesystem::file_size(o.png), 1000u);
  EXPECT_GT(r.place_and_route_seconds, 0);  // recorded; its speed is bench/eda_layout_bench.sh's concern
}

// Hierarchy and a 2-D register file: qflow gets a flat source with plain
// names, so the routed DEF, the delay file and vesta's netlist agree and the
// route is timed.
TEST(EdaLayoutToolsTest, TwoDimensionalRegistersAreTimedAfterRouting) {
  testing::TempDir dir;
  ProcessRunner runner;
  LayoutOptions o;
  o.sources = rtl_sources(fixture("regfile2d"));
  o.top = "regfile2d";
  o.tech = osu018_technology();
  o.work_dir = dir.file("qflow");
  const LayoutResult r = place_and_route(runner, o);
  EXPECT_EQ(r.failed_routes, 0);
  EXPECT_EQ(r.post_route_timing_error, "");
  EXPECT_GT(r.post_route_fmax_mhz, 50);
  EXPECT_NEAR(r.post_route_slack_ns, o.clock_ns - 1000 / r.post_route_fmax_mhz, 1e-9);
  const std::string def = read_file(r.def);
  EXPECT_THAT(def, ::testing::HasSubstr("bank_mem_1__3_"));  // the register bits, plain
  EXPECT_THAT(def, ::testing::Not(::testing::HasSubstr("bank.mem")));  // no hierarchical 2-D name
  ASSERT_TRUE(std::filesystem::is_regular_file(r.routed_netlist));
  EXPECT_THAT(read_file(r.routed_netlist), ::testing::HasSubstr("module regfile2d"));
}

}  // namespace
}  // namespace gaitlstm::eda
