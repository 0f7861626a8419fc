// The iCE40 flow with the real tools on a small fixture (LUTs, carries,
// flip-flops, a block RAM, a DSP): it fits a UP5K in the 48-pin package,
// and its placed-and-routed netlist, simulated with Yosys' cell models in
// Verilator (eda/fpga_sim.h), equals the RTL cycle by cycle.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "eda/fpga.h"
#include "eda/fpga_sim.h"
#include "eda/synth.h"
#include "rtl/verilator_harness.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/process_runner.h"

namespace gaitlstm::eda {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

std::string fixture(const std::string& name) {
  return std::string(GAITLSTM_SOURCE_DIR) + "/tests/eda/fixtures/" + name;
}

TEST(FpgaToolsTest, EveryToolIsInstalled) {
  for (const char* tool : {"yosys", "nextpnr-ice40", "icepack", "icetime", "verilator"})
    EXPECT_NE(find_program(tool), "") << tool << " missing: run scripts/install-deps.sh";
  EXPECT_TRUE(std::filesystem::exists(yosys_share_dir() + "/ice40/cells_sim.v"));
}

// Random inputs for 3000 cycles after a reset; one line of outputs per cycle.
const char* kTestbench = R"TB(
#include <cstdio>
#include "Vice40_mix.h"
#include "verilated.h"
int main(int argc, char** argv) {
  if (argc != 3) return 2;
  VerilatedContext context;
  Vice40_mix top(&context);
  std::FILE* out = std::fopen(argv[2], "w");
  unsigned state = 12345;
  auto next = [&] { state = state * 1103515245u + 12345u; return (state >> 16) & 0xff; };
  for (int cycle = 0; cycle < 3000; ++cycle) {
    top.rst = cycle < 3;
    top.we = next() & 1;
    top.din = next();
    top.x = next();
    top.clk = 0; top.eval(); top.clk = 1; top.eval();
    std::fprintf(out, "%d %d\n", static_cast<int>(top.dout), static_cast<int>(top.mix));
  }
  std::fclose(out);
  top.final();
  return 0;
}
)TB";

TEST(FpgaToolsTest, RoutedNetlistEqualsTheRtl) {
  testing::TempDir dir;
  FpgaOptions o;
  o.sources = rtl_sources(fixture("ice40_mix"));
  o.top = "ice40_mix";
  o.work_dir = dir.file("fpga");
  ProcessRunner runner;
  const FpgaResult r = run_fpga_flow(runner, o);
  ASSERT_TRUE(r.fits) << r.failure;
  EXPECT_EQ(r.used("ICESTORM_RAM"), 1);
  EXPECT_EQ(r.used("ICESTORM_DSP"), 1);
  EXPECT_EQ(r.used("SB_IO"), 35);
  EXPECT_GT(r.fmax_mhz, 12);
  EXPECT_GT(r.icetime_fmax_mhz, 0);
  EXPECT_GT(r.bitstream_bytes, 100000);  // a UP5K image
  ASSERT_TRUE(std::filesystem::exists(r.post_route_netlist));

  const rtl::VerilatedModel reference(tools, {{"ice40_mix", read_file(fixture("ice40_mix/ice40_mix.v"))}}, "ice40_mix",
                                      kTestbench, dir.file("rtl_sim"));
  const PostRouteSimulation sim = prepare_post_route_simulation(r.post_route_netlist, dir.file("netlist"));
  rtl::VerilatorOptions options;
  options.extra_files = sim.files;
  options.extra_args = sim.verilator_args;
  options.lint_fatal = false;
  const rtl::VerilatedModel routed(tools, {}, "ice40_mix", kTestbench, dir.file("routed_sim"), options);
  const std::string expected = reference.run("");
  const std::string got = routed.run("");
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 3000);
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace gaitlstm::eda
