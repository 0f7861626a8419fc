// The Verilator harness's own logic (files it writes, the commands it gives,
// how it reports a failing tool) against a FakeRunner: no Verilator needed.
// The real builds and simulations are the `tools` tests beside this one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "rtl/verilator_harness.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/fake_runner.h"

namespace gaitlstm::rtl {
namespace {

namespace fs = std::filesystem;

ReplayedRun exited(int code, const std::string& log) {
  ReplayedRun run;
  run.exit_code = code;
  run.log_text = log;
  return run;
}

bool has_arg(const ToolCommand& c, const std::string& arg) {
  return std::find(c.args.begin(), c.args.end(), arg) != c.args.end();
}

TEST(VerilatedModelTest, BuildsAndRunsThroughTheInjectedRunner) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("verilator", {});
  fake.respond("sim", [](const ToolCommand& c) {
    ReplayedRun run;
    run.outputs["response.txt"] = "seen: " + read_file(c.args.at(0));
    return run;
  });
  const VerilatedModel model(fake, {{"adder", "module adder; endmodule\n"}}, "adder", "int main() {}\n", dir.path());
  EXPECT_EQ(read_file(dir.file("adder.v")), "module adder; endmodule\n");
  EXPECT_EQ(read_file(dir.file("testbench.cpp")), "int main() {}\n");
  ASSERT_EQ(fake.commands().size(), 1u);
  const ToolCommand& build = fake.commands()[0];
  EXPECT_TRUE(has_arg(build, "-Wall"));  // generated RTL: lint warnings fail the build
  EXPECT_TRUE(has_arg(build, "adder"));
  EXPECT_TRUE(has_arg(build, (fs::absolute(dir.path()) / "adder.v").string()));
  EXPECT_EQ(fs::path(build.log_path).filename(), "verilator.log");

  EXPECT_EQ(model.run("1 2 3\n"), "seen: 1 2 3\n");
  EXPECT_EQ(fake.count("sim"), 1u);
  EXPECT_EQ(fake.commands().back().program, model.executable());
}

TEST(VerilatedModelTest, NetlistsBuildWithoutFatalLint) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("verilator", {});
  VerilatorOptions options;
  options.lint_fatal = false;
  options.extra_args = {"-DNETLIST"};
  const VerilatedModel model(fake, {}, "top", "int main() {}\n", dir.path(), options);
  const ToolCommand& build = fake.commands().at(0);
  EXPECT_FALSE(has_arg(build, "-Wall"));
  EXPECT_TRUE(has_arg(build, "-Wno-fatal"));
  EXPECT_TRUE(has_arg(build, "-DNETLIST"));
}

TEST(VerilatedModelTest, AFailingBuildNamesVerilatorAndItsLog) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("verilator", exited(1, "%Error: adder.v:1:8: syntax error, unexpected ';'\n"));
  try {
    const VerilatedModel model(fake, {{"adder", "module adder;\n"}}, "adder", "int main() {}\n", dir.path());
    FAIL() << "a failed Verilator build must throw";
  } catch (const ToolError& e) {
    EXPECT_EQ(e.program(), "verilator");
    EXPECT_EQ(fs::path(e.log_path()).filename(), "verilator.log");
    EXPECT_NE(e.log_tail().find("syntax error"), std::string::npos) << e.what();
  }
}

TEST(VerilatedModelTest, AFailingSimulationIsAToolError) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("verilator", {});
  fake.expect("sim", exited(4, "window 0: no done\n"));
  const VerilatedModel model(fake, {{"core", "module core; endmodule\n"}}, "core", "int main() {}\n", dir.path());
  EXPECT_THROW(model.run("1\n"), ToolError);
}

TEST(LintVerilogTest, ReturnsVerilatorsWarningsAndNothingWhenClean) {
  testing::TempDir dir;
  const std::string file = dir.write("m.v", "module m; endmodule\n");
  FakeRunner fake;
  fake.expect("verilator", {});
  EXPECT_EQ(lint_verilog(fake, {file}, "m", dir.path()), "");
  const std::string warning = "%Warning-UNUSED: m.v:2:7: Signal is not used: 'x'\n";
  fake.expect("verilator", exited(1, warning));
  EXPECT_EQ(lint_verilog(fake, {file}, "m", dir.path()), warning);
  ReplayedRun hung;
  hung.timed_out = true;
  fake.expect("verilator", hung);
  EXPECT_NE(lint_verilog(fake, {file}, "m", dir.path()).find("timed out"), std::string::npos);
  const ToolCommand& lint = fake.commands().at(0);
  EXPECT_TRUE(has_arg(lint, "--lint-only"));
  EXPECT_TRUE(has_arg(lint, fs::absolute(file).string()));
}

}  // namespace
}  // namespace gaitlstm::rtl
