// The iCE40 flow without the tools: parsers on captured logs, the flow's
// commands and results against the fake runner, and the netlist
// transformations for post-route simulation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "eda/fpga.h"
#include "eda/fpga_sim.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/fake_runner.h"

namespace gaitlstm::eda {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

std::string captured(const std::string& name) {
  return read_file(std::string(GAITLSTM_SOURCE_DIR) + "/tests/eda/fixtures/captured/" + name);
}

TEST(FpgaParsersTest, NextpnrUtilisationTimingAndErrors) {
  const std::string log = captured("ice40_board.nextpnr.log");
  const auto resources = parse_nextpnr_utilisation(log, "nextpnr.log");
  ASSERT_GE(resources.size(), 7u);
  EXPECT_EQ(resources[0].name, "ICESTORM_LC");
  EXPECT_EQ(resources[0].used, 3075);
  EXPECT_EQ(resources[0].available, 5280);
  const auto dsp = std::find_if(resources.begin(), resources.end(), [](const FpgaResource& r) { return r.name == "ICESTORM_DSP"; });
  ASSERT_NE(dsp, resources.end());
  EXPECT_EQ(dsp->used, 2);
  EXPECT_EQ(dsp->available, 8);
  const auto clocks = parse_nextpnr_timing(log);
  ASSERT_EQ(clocks.size(), 1u);  // one clock; the report after routing replaces the one after placement
  EXPECT_EQ(clocks[0].clock, "clk$SB_IO_IN_$glb_clk");
  EXPECT_DOUBLE_EQ(clocks[0].fmax_mhz, 13.51);
  EXPECT_DOUBLE_EQ(clocks[0].target_mhz, 12.0);
  EXPECT_TRUE(clocks[0].met);
  EXPECT_EQ(parse_nextpnr_error(log), "");
  EXPECT_EQ(parse_nextpnr_error(captured("ice40_nofit.nextpnr.log")),
            "Unable to find a placement location for cell 'in_sample[23]$sb_io'");
  EXPECT_THROW(parse_nextpnr_utilisation("Info: Packing constants..\n", "nextpnr.log"), InputError);
  EXPECT_TRUE(parse_nextpnr_timing("Info: Max frequency for clock 'c': 9.50 MHz (FAIL at 12.00 MHz)\n")[0].met == false);
}

TEST(FpgaParsersTest, Icetime) {
  EXPECT_DOUBLE_EQ(parse_icetime_fmax(captured("ice40_board.icetime.log"), "icetime.log"), 13.38);
  EXPECT_THROW(parse_icetime_fmax("// Reading input .asc file..\n", "icetime.log"), InputError);
}

TEST(FpgaDeviceTest, KnownDevicesAndAClearErrorOtherwise) {
  EXPECT_EQ(ice40_device("up5k").default_package, "sg48");
  EXPECT_EQ(ice40_device("up5k").dsps, 8);
  EXPECT_EQ(ice40_device("hx8k").dsps, 0);
  try {
    ice40_device("xc7a35t");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("up5k"));
  }
}

FpgaOptions board_options(const testing::TempDir& dir) {
  FpgaOptions o;
  o.sources = {"/src/a.v", "/src/b.sv"};
  o.top = "gaitlstm_board";
  o.pcf = dir.file("board.pcf");
  o.seed = 7;
  o.work_dir = dir.file("work");
  return o;
}

// What a successful run replays: synthesis, place and route, pack, timing, netlist.
void expect_successful_tools(FakeRunner& fake) {
  fake.expect("yosys", {0, false, 40.0, "", {{"yosys.log", captured("ice40_board.yosys.log")}}});
  fake.expect("nextpnr-ice40", {0, false, 30.0, "", {{"nextpnr.log", captured("ice40_board.nextpnr.log")},
                                                     {"gaitlstm_board.routed.json", "{}"}}});
  fake.expect("icepack", {0, false, 0.5, "", {{"gaitlstm_board.bin", std::string(1000, 'x')}}});
  fake.expect("icetime", {0, false, 2.0, captured("ice40_board.icetime.log"), {}});
  fake.expect("yosys", {0, false, 1.0, "", {{"gaitlstm_board.routed.v", "module gaitlstm_board(); endmodule\n"}}});
}

TEST(FpgaFlowTest, RunsTheToolsInOrderAndCollectsTheResults) {
  testing::TempDir dir;
  FakeRunner fake;
  expect_successful_tools(fake);
  const FpgaResult r = run_fpga_flow(fake, board_options(dir));
  ASSERT_EQ(fake.commands().size(), 5u);
  EXPECT_EQ(fake.commands()[0].program, "yosys");
  const std::string script = read_file(dir.file("work/yosys.ys"));
  EXPECT_THAT(script, HasSubstr("read_verilog /src/a.v\n"));
  EXPECT_THAT(script, HasSubstr("read_verilog -sv /src/b.sv\n"));
  EXPECT_THAT(script, HasSubstr("synth_ice40 -top gaitlstm_board -dsp -json gaitlstm_board.json"));
  const auto& pnr = fake.commands()[1].args;
  EXPECT_THAT(pnr, Contains("--up5k"));
  EXPECT_THAT(pnr, Contains("sg48"));
  EXPECT_THAT(pnr, Contains("--timing-allow-fail"));
  EXPECT_THAT(pnr, Contains(dir.file("board.pcf")));
  const auto seed = std::find(pnr.begin(), pnr.end(), "--seed");
  ASSERT_NE(seed, pnr.end());
  EXPECT_EQ(*(seed + 1), "7");
  EXPECT_EQ(fake.commands()[2].program, "icepack");
  EXPECT_THAT(fake.commands()[3].args, Contains("up5k"));
  EXPECT_TRUE(r.fits);
  EXPECT_EQ(r.luts, 1958);
  EXPECT_EQ(r.carries, 489);
  EXPECT_EQ(r.flip_flops, 62 + 705 + 482 + 30 + 46);
  EXPECT_EQ(r.dsps, 2);
  EXPECT_EQ(r.block_rams, 2);
  EXPECT_EQ(r.used("ICESTORM_LC"), 3075);
  EXPECT_DOUBLE_EQ(r.fmax_mhz, 13.51);
  EXPECT_TRUE(r.timing_met);
  EXPECT_DOUBLE_EQ(r.icetime_fmax_mhz, 13.38);
  EXPECT_EQ(r.bitstream_bytes, 1000);
  EXPECT_THAT(r.post_route_netlist, HasSubstr("gaitlstm_board.routed.v"));
  EXPECT_DOUBLE_EQ(r.pnr_seconds, 30.0);
  const FpgaResult back = fpga_result_from_json(to_json(r), "fpga.json");
  EXPECT_EQ(to_json(back), to_json(r));
}

TEST(FpgaFlowTest, HxDevicesAreSynthesizedWithoutDsp) {
  testing::TempDir dir;
  FakeRunner fake;
  expect_successful_tools(fake);
  FpgaOptions o = board_options(dir);
  o.device = "hx8k";
  run_fpga_flow(fake, o);
  EXPECT_THAT(read_file(dir.file("work/yosys.ys")), Not(HasSubstr("-dsp")));
  EXPECT_THAT(fake.commands()[1].args, Contains("ct256"));
}

// A design that does not fit is a result with nextpnr's reason, and the flow stops there.
TEST(FpgaFlowTest, ADesignThatDoesNotFitIsAResult) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {0, false, 20.0, "", {{"yosys.log", captured("ice40_board.yosys.log")}}});
  fake.expect("nextpnr-ice40", {255, false, 1.0, "", {{"nextpnr.log", captured("ice40_nofit.nextpnr.log")}}});
  const FpgaResult r = run_fpga_flow(fake, board_options(dir));
  EXPECT_FALSE(r.fits);
  EXPECT_THAT(r.failure, HasSubstr("Unable to find a placement location"));
  EXPECT_EQ(r.used("SB_IO"), 56);  // packed before placement failed
  EXPECT_EQ(fake.commands().size(), 2u);
  EXPECT_EQ(r.bitstream, "");
}

// nextpnr failing without an ERROR line is the tool's failure, not a verdict.
TEST(FpgaFlowTest, ACrashWithoutAReasonIsAToolError) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {0, false, 20.0, "", {{"yosys.log", captured("ice40_board.yosys.log")}}});
  fake.expect("nextpnr-ice40", {139, false, 1.0, "", {{"nextpnr.log", "Info: Packing constants..\n"}}});
  EXPECT_THROW(run_fpga_flow(fake, board_options(dir)), ToolError);
}

TEST(FpgaFlowTest, SynthesisFailureIsAToolError) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {1, false, 1.0, "ERROR: syntax error\n", {}});
  EXPECT_THROW(run_fpga_flow(fake, board_options(dir)), ToolError);
}

TEST(FpgaRealTimeTest, MarginAndLowestClock) {
  FpgaResult r;
  r.fits = true;
  r.timing_met = true;
  r.clock_mhz = 12;
  r.fmax_mhz = 13.5;
  const FpgaRealTime rt = fpga_realtime(r, 3000, 0.5);
  EXPECT_DOUBLE_EQ(rt.margin, 2000.0);          // 0.5 s / (3000 / 12 MHz)
  EXPECT_DOUBLE_EQ(rt.min_clock_mhz, 0.006);    // 3000 cycles in 0.5 s
  EXPECT_TRUE(rt.clock_met);
  r.fmax_mhz = 11;
  EXPECT_FALSE(fpga_realtime(r, 3000, 0.5).clock_met);
}

// A routed netlist as Yosys writes it: cells with and without parameters.
const char* kRouted = R"(module top(a, q, clk);
  input a;
  output q;
  input clk;
  ICESTORM_LC #(
    .DFF_ENABLE(1'h1),
    .LUT_INIT(16'haaaa)
  ) \q_lc  (
    .CLK(\clk$glb ),
    .I0(\a$in ),
    .O(\q$out )
  );
  SB_GB _1_ (
    .GLOBAL_BUFFER_OUTPUT(\clk$glb ),
    .USER_SIGNAL_TO_GLOBAL_BUFFER(\clk$in )
  );
  SB_IO #(
    .PIN_TYPE(32'd1)
  ) \a$sb_io  (
    .D_IN_0(\a$in ),
    .PACKAGE_PIN(a)
  );
  SB_IO #(
    .PIN_TYPE(6'b011001)
  ) \q$sb_io  (
    .D_OUT_0(\q$out ),
    .PACKAGE_PIN(q)
  );
  ICESTORM_LC _2_ (
  );
  ICESTORM_LC #(
    .CARRY_ENABLE(1'h1),
    .CIN_CONST(1'h0),
    .LUT_INIT(16'hff00)
  ) _3_ (
    .COUT(_carry_on_),
    .I1(_vcc_),
    .I3(_carry_in_),
    .O(\feed_out )
  );
  ICESTORM_LC #(
    .CARRY_ENABLE(1'h1),
    .CIN_CONST(1'h1),
    .CIN_SET(1'h1),
    .LUT_INIT(16'hff00)
  ) _4_ (
    .I3(_x_),
    .O(_y_)
  );
endmodule
)";

TEST(PostRouteNetlistTest, ConnectsWhatTheSiliconTiesAndSplitsTheIoCells) {
  const std::string out = complete_post_route_netlist(kRouted, "top.routed.v");
  EXPECT_THAT(out, HasSubstr("    .O(\\q$out ),\n    .I1(1'b0),"));
  EXPECT_THAT(out, HasSubstr(".CEN(1'b1)"));
  EXPECT_THAT(out, HasSubstr(".SR(1'b0)"));
  EXPECT_THAT(out, HasSubstr("  GAITLSTM_SIM_IO_IN #(\n    .PIN_TYPE(32'd1)"));
  EXPECT_THAT(out, HasSubstr("  GAITLSTM_SIM_IO_OUT #("));
  EXPECT_THAT(out, HasSubstr("  ICESTORM_LC _2_ (\n    .I0(1'b0),"));  // an empty port list gets no leading comma
  EXPECT_THAT(out, HasSubstr("SB_GB _1_ (\n    .GLOBAL_BUFFER_OUTPUT(\\clk$glb ),\n    .USER_SIGNAL_TO_GLOBAL_BUFFER(\\clk$in )\n  );"));
  // exactly one CLK on the first cell: it was connected
  const size_t first = out.find("\\q_lc");
  const size_t end = out.find("  );", first);
  const std::string cell = out.substr(first, end - first);
  EXPECT_EQ(cell.find(".CLK("), cell.rfind(".CLK("));
  // A feed-out cell that passes the carry on reads the chain: its CIN is the
  // carry its I3 taps, not 0; a constant carry input stays as configured.
  const std::string feed_out = out.substr(out.find(") _3_ ("), out.find("  );", out.find(") _3_ (")) - out.find(") _3_ ("));
  EXPECT_THAT(feed_out, HasSubstr(".CIN(_carry_in_)"));
  EXPECT_THAT(feed_out, Not(HasSubstr(".CIN(1'b0)")));
  const std::string constant = out.substr(out.find(") _4_ ("), out.find("  );", out.find(") _4_ (")) - out.find(") _4_ ("));
  EXPECT_THAT(constant, HasSubstr(".CIN(1'b0)"));
}

TEST(PostRouteNetlistTest, CellsWithoutAModelAreErrors) {
  const std::string spram = "module top();\n  SB_SPRAM256KA _1_ (\n    .CLOCK(c)\n  );\nendmodule\n";
  try {
    complete_post_route_netlist(spram, "top.routed.v");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("SB_SPRAM256KA"));
    EXPECT_THAT(e.what(), HasSubstr("top.routed.v:2"));
  }
  const std::string tristate = "module top();\n  SB_IO #(\n    .PIN_TYPE(6'b101001)\n  ) _1_ (\n    .PACKAGE_PIN(p)\n  );\nendmodule\n";
  EXPECT_THROW(complete_post_route_netlist(tristate, "top.routed.v"), InputError);
}

TEST(PostRouteNetlistTest, TwoStateModelsAndShims) {
  const std::string models =
      "wire I0_pd = (I0 === 1'bz) ? 1'b0 : I0;\nwire CEN_pu = (CEN === 1'bz) ? 1'b1 : CEN;\n"
      "pd = (x === 1'bz) ? 1'b0 : x;\nwire clken_pulled = CLOCK_ENABLE || CLOCK_ENABLE === 1'bz;\n";
  const std::string out = two_state_cell_models(models, "cells_sim.v");
  EXPECT_THAT(out, HasSubstr("wire I0_pd = I0;"));
  EXPECT_THAT(out, HasSubstr("wire CEN_pu = CEN;"));
  EXPECT_THAT(out, HasSubstr("pd = x;"));
  EXPECT_THAT(out, HasSubstr("wire clken_pulled = CLOCK_ENABLE;"));
  EXPECT_THROW(two_state_cell_models("wire y = (a === 1'bz) ? b : a;\n", "cells_sim.v"), InputError);
  const std::string shims = post_route_shims();
  EXPECT_THAT(shims, HasSubstr("module ICESTORM_DSP ("));
  EXPECT_THAT(shims, HasSubstr(".O({O_31, O_30,"));
  EXPECT_THAT(shims, HasSubstr(".B_SIGNED(B_SIGNED)"));
}

}  // namespace
}  // namespace gaitlstm::eda
