// The subcommands that run external tools (verify, synth, sta, power,
// layout, fpga, explore) at the edges of their numeric options (issue 17,
// item 4; the other subcommands: smallest_values_test.cc).  verify, synth,
// sta and power run with every option at its smallest legal value on a
// two-unit detector.  layout, fpga and explore are checked for their
// refusals only: at their smallest legal values they are a full anneal
// (--speedup 1), a stage killed after 1 s (--stage-timeout 1, a clear
// ToolError by design) or a whole exploration, minutes each.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/option_bounds.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace gaitlstm {
namespace {

using testing::Bound;

// Every refusal here comes from the command line's checks, which name the option.
constexpr bool kNamed = true;

class SmallestToolValues : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    run_ok("data synth --out " + file("data") + " --subjects 2 --minutes 0.5");
    run_ok("train --data " + file("data") + " --out " + file("model.json") +
           " --channels ankle_fwd --hidden 2 --history 4 --epochs 1");
    run_ok("quantize --model " + file("model.json") + " --data " + file("data") + " --out " + file("q.json"));
    run_ok("rtl --model " + file("q.json") + " --out " + file("rtl"));
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static void run_ok(const std::string& args) {
    const auto r = testing::run_gaitlstm(args);
    ASSERT_EQ(r.status, 0) << "gaitlstm " << args << "\n" << r.output;
  }
  static testing::TempDir* dir_;
};
testing::TempDir* SmallestToolValues::dir_ = nullptr;

// synth, sta, power and layout: the cell library's figures.
const std::vector<Bound> kTechBounds = {
    {"--node-nm", "1", "0"}, {"--supply-v", "0.1", "0"}, {"--target-nm", "1", "0"}, {"--clock-ns", "0.1", "0"}};

TEST_F(SmallestToolValues, Verify) {
  // --clock-ns is the gate-level clock; without --netlist it is read, not used.
  testing::expect_smallest_work_and_below_refused(
      "verify --model " + file("q.json") + " --rtl " + file("rtl") + " --data " + file("data"),
      {{"--windows", "0", "-1"},
       {"--segments", "0", "-1"},
       {"--random", "0", "-1"},
       {"--period", "0", "-1"},
       {"--clock-ns", "0.1", "0"}},
      kNamed);
}

TEST_F(SmallestToolValues, SynthAndSta) {
  testing::expect_smallest_work_and_below_refused(
      "synth --rtl " + file("rtl") + " --work " + file("synth") + " --json " + file("synth.json"), kTechBounds, kNamed);
  testing::expect_smallest_work_and_below_refused(
      "sta --rtl " + file("rtl") + " --work " + file("sta") + " --json " + file("sta.json"), kTechBounds, kNamed);
}

TEST_F(SmallestToolValues, Power) {
  std::vector<Bound> bounds = kTechBounds;
  bounds.insert(bounds.end(), {{"--decisions", "1", "0"}, {"--period", "0", "-1"}});
  testing::expect_smallest_work_and_below_refused("power --rtl " + file("rtl") + " --model " + file("q.json") +
                                                      " --data " + file("data") + " --work " + file("power"),
                                                  bounds, kNamed);
  // Without --model the energy per decision needs the cycles given.
  testing::expect_each_below_refused("power --rtl " + file("rtl") + " --work " + file("power-cycles"),
                                     {{"--cycles-per-decision", "1", "0"}}, kNamed);
}

TEST_F(SmallestToolValues, LayoutRefusesBelowItsBounds) {
  std::vector<Bound> bounds = kTechBounds;
  bounds.insert(bounds.end(), {{"--density", "0.05", "0.04"},
                               {"--aspect", "0", "-0.1"},
                               {"--speedup", "1", "0"},
                               {"--route-layers", "0", "-1"},
                               {"--stage-timeout", "1", "0"},
                               {"--png-width", "64", "63"}});
  testing::expect_each_below_refused("layout --rtl " + file("rtl") + " --work " + file("layout"), bounds, kNamed);
}

TEST_F(SmallestToolValues, FpgaRefusesBelowItsBounds) {
  testing::expect_each_below_refused("fpga --rtl " + file("rtl") + " --out " + file("fpga"),
                                     {{"--clock-mhz", "0.1", "0"}, {"--seed", "0", ""}, {"--deadline-s", "0.001", "0"}}, kNamed);
}

TEST_F(SmallestToolValues, ExploreRefusesBelowItsBounds) {
  // An empty config: an option without its check would fail on the config, not name the option.
  const std::string config = dir_->write("empty.json", "{}\n");
  testing::expect_each_below_refused("explore --config " + config + " --out " + file("explore"),
                                     {{"--jobs", "1", "0"},
                                      {"--slurm-point-minutes", "1", "0"},
                                      {"--slurm-power-minutes", "1", "0"},
                                      {"--slurm-layout-minutes", "1", "0"},
                                      {"--slurm-cpus", "1", "0"},
                                      {"--slurm-point-mem-mb", "0", "-1"},
                                      {"--slurm-power-mem-mb", "0", "-1"},
                                      {"--slurm-layout-mem-mb", "0", "-1"},
                                      {"--slurm-attempts", "1", "0"},
                                      {"--slurm-poll-seconds", "0.1", "0.09"}},
                                     kNamed);
}

}  // namespace
}  // namespace gaitlstm
