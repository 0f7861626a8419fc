// `gaitlstm synth | sta | power | layout` as a user runs them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;

using testing::CommandResult;

CommandResult run(const std::string& arguments) { return testing::run_gaitlstm(arguments); }

const std::string kFixtures = std::string(GAITLSTM_SOURCE_DIR) + "/tests/eda/fixtures/";

TEST(EdaCliTest, HelpForEveryCommand) {
  for (const char* command : {"synth --help", "sta --help", "power --help", "layout --help"}) {
    const CommandResult r = run(command);
    EXPECT_EQ(r.status, 0) << command << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr("--json")) << command;
  }
}

TEST(EdaCliTest, SynthThenStaAndPowerOnTheNetlist) {
  testing::TempDir dir;
  const CommandResult s = run("synth --rtl " + kFixtures + "mac_fsm --clock-ns 8 --work " + dir.file("w") +
                              " --json " + dir.file("synth.json"));
  ASSERT_EQ(s.status, 0) << s.output;
  EXPECT_THAT(s.output, HasSubstr("f_max MHz"));
  EXPECT_THAT(s.output, HasSubstr("at 65 nm (estimate)"));
  const auto synth = nlohmann::json::parse(read_file(dir.file("synth.json")));
  EXPECT_EQ(synth["synthesis"]["top"], "mac_fsm");
  EXPECT_EQ(synth["timing"]["clock_ns"], 8.0);
  EXPECT_TRUE(synth["scaled"]["estimate"].get<bool>());
  const std::string netlist = synth["synthesis"]["netlist"];

  const CommandResult t = run("sta --netlist " + netlist + " --top mac_fsm --clock-ns 4 --work " + dir.file("t"));
  ASSERT_EQ(t.status, 0) << t.output;
  EXPECT_THAT(t.output, HasSubstr("VIOLATED"));  // 4 ns is faster than the ~5 ns critical path

  const CommandResult p = run("power --netlist " + netlist + " --top mac_fsm --work " + dir.file("p") +
                              " --json " + dir.file("p.json"));
  ASSERT_EQ(p.status, 0) << p.output;
  EXPECT_THAT(p.output, HasSubstr("activity: vectorless"));
  const auto power = nlohmann::json::parse(read_file(dir.file("p.json")));
  EXPECT_EQ(power["power"]["activity_source"], "vectorless");
}

TEST(EdaCliTest, PowerWithTestbenchGivesEnergyPerDecision) {
  testing::TempDir dir;
  const CommandResult p = run("power --rtl " + kFixtures + "mac_fsm --testbench " + kFixtures +
                              "mac_fsm/mac_fsm_tb.v --cycles-per-decision 10 --work " + dir.file("w") + " --json " +
                              dir.file("p.json"));
  ASSERT_EQ(p.status, 0) << p.output;
  const auto power = nlohmann::json::parse(read_file(dir.file("p.json")));
  EXPECT_THAT(power["power"]["activity_source"].get<std::string>(), HasSubstr("VCD"));
  EXPECT_GT(power["energy"]["energy_per_decision_j"].get<double>(), 0);
  EXPECT_LT(power["scaled"]["dynamic_w"].get<double>(), power["power"]["dynamic_w"].get<double>());
}

TEST(EdaCliTest, ErrorsNameTheProblem) {
  testing::TempDir dir;
  dir.write("rtl/a.v", "module a(input x, output y); assign y = x; endmodule\n");
  dir.write("rtl/b.v", "module b(input x, output y); assign y = ~x; endmodule\n");
  CommandResult r = run("synth --rtl " + dir.file("rtl") + " --work " + dir.file("w"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("several modules (a, b): choose one with --top"));
  dir.write("bad/c.v", "module c(input x, output y); assign y = x +; endmodule\n");
  r = run("synth --rtl " + dir.file("bad") + " --work " + dir.file("w2"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("yosys failed (exit code 1)"));
  EXPECT_THAT(r.output, HasSubstr("syntax error"));
  r = run("power --netlist " + dir.file("rtl/a.v") + " --vcd " + dir.file("rtl/b.v"));
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("--top"));
  // --rtl and --netlist together only name a netlist's design for --model.
  r = run("power --rtl " + dir.file("rtl") + " --netlist " + dir.file("rtl/a.v") + " --top a");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("both only with --model"));
  r = run("power --netlist " + dir.file("rtl/a.v") + " --top a --simulator modelsim");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("--simulator"));
}

TEST(EdaCliTest, LayoutOfTheCounterWithTwoDensities) {
  testing::TempDir dir;
  const CommandResult r = run("layout --rtl " + kFixtures + "counter --density 0.4 --density 0.7 --png " +
                              dir.file("c.png") + " --work " + dir.file("w") + " --json " + dir.file("l.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto layout = nlohmann::json::parse(read_file(dir.file("l.json")));
  ASSERT_EQ(layout["layouts"].size(), 2u);
  EXPECT_EQ(layout["layouts"][0]["failed_routes"], 0);
  EXPECT_EQ(layout["layouts"][1]["failed_routes"], 0);
  EXPECT_GT(layout["layouts"][0]["die_area_mm2"].get<double>(), layout["layouts"][1]["die_area_mm2"].get<double>());
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.file("c-d0.4-a1.png")));
  EXPECT_TRUE(std::filesystem::is_regular_file(dir.file("c-d0.7-a1.png")));
}

}  // namespace
}  // namespace gaitlstm
