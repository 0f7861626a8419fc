// The tool runner's contract: logs kept, exit codes reported, timeouts kill
// the whole process group, and every failure is a ToolError that names the
// tool, the reason, the log and its last lines.  Uses /bin/sh only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/fake_runner.h"
#include "util/process_runner.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A zombie waiting for its reaper counts as dead.
bool process_alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  if (!(stat >> pid_field >> name >> state)) return false;
  return state != "Z";
}

ToolCommand shell(const testing::TempDir& dir, const std::string& script, int timeout_s = 30) {
  ToolCommand c;
  c.program = "sh";
  c.args = {"-c", script};
  c.working_dir = dir.path();
  c.log_path = dir.file("tool.log");
  c.timeout = std::chrono::seconds(timeout_s);
  return c;
}

TEST(ProcessRunnerTest, SuccessKeepsOutputInLog) {
  testing::TempDir dir;
  ProcessRunner runner;
  const ToolRun run = run_checked(runner, shell(dir, "echo hello; echo oops >&2; pwd"));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_FALSE(run.timed_out);
  const std::string log = read_file(run.log_path);
  EXPECT_THAT(log, HasSubstr("hello"));
  EXPECT_THAT(log, HasSubstr("oops"));
  EXPECT_THAT(log, HasSubstr(std::filesystem::path(dir.path()).filename().string()));  // ran in working_dir
}

TEST(ProcessRunnerTest, ExtraEnvironmentReachesTheTool) {
  testing::TempDir dir;
  ProcessRunner runner;
  ToolCommand c = shell(dir, "echo value=$GAITLSTM_PROBE");
  c.extra_env["GAITLSTM_PROBE"] = "42";
  run_checked(runner, c);
  EXPECT_THAT(read_file(c.log_path), HasSubstr("value=42"));
}

TEST(ProcessRunnerTest, MissingToolNamesToolAndInstallScript) {
  testing::TempDir dir;
  ProcessRunner runner;
  ToolCommand c = shell(dir, "");
  c.program = "gaitlstm-no-such-tool";
  try {
    run_checked(runner, c);
    FAIL() << "expected ToolError";
  } catch (const ToolError& e) {
    EXPECT_EQ(e.program(), "gaitlstm-no-such-tool");
    EXPECT_THAT(e.what(), HasSubstr("not found on PATH"));
    EXPECT_THAT(e.what(), HasSubstr("install-deps.sh"));
  }
}

TEST(ProcessRunnerTest, FailingToolReportsExitCodeLogAndTail) {
  testing::TempDir dir;
  ProcessRunner runner;
  try {
    run_checked(runner, shell(dir, "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo line$i; done; "
                                   "echo 'ERROR: bad netlist'; exit 3"));
    FAIL() << "expected ToolError";
  } catch (const ToolError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("exit code 3"));
    EXPECT_EQ(e.log_path(), dir.file("tool.log"));
    EXPECT_THAT(e.log_tail(), HasSubstr("ERROR: bad netlist"));
    EXPECT_THAT(e.log_tail(), Not(HasSubstr("line1\n")));  // only the tail
    EXPECT_THAT(e.what(), HasSubstr(dir.file("tool.log")));
  }
}

TEST(ProcessRunnerTest, RunWithoutCheckReturnsNonZeroStatus) {
  testing::TempDir dir;
  ProcessRunner runner;
  const ToolRun run = runner.run(shell(dir, "exit 7"));
  EXPECT_EQ(run.exit_code, 7);
}

TEST(ProcessRunnerTest, TimeoutKillsTheWholeProcessGroup) {
  testing::TempDir dir;
  ProcessRunner runner;
  // The shell starts a grandchild that records its pid; both must die.
  const auto start = std::chrono::steady_clock::now();
  try {
    run_checked(runner, shell(dir, "sleep 30 & echo $! > child.pid; echo started; wait", 1));
    FAIL() << "expected ToolError";
  } catch (const ToolError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("timed out after 1 s"));
    EXPECT_THAT(e.log_tail(), HasSubstr("started"));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);
  const int child = std::stoi(read_file(dir.file("child.pid")));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(process_alive(child)) << "grandchild " << child << " survived the timeout";
}

TEST(ProcessRunnerTest, UnwritableLogIsAnError) {
  testing::TempDir dir;
  ProcessRunner runner;
  ToolCommand c = shell(dir, "true");
  c.log_path = "/proc/gaitlstm-cannot-write/tool.log";
  EXPECT_THROW(runner.run(c), ToolError);
}

TEST(FakeRunnerTest, ReplaysLogsAndOutputsInOrder) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {0, false, 0.5, "first", {{"out.v", "module m; endmodule\n"}}});
  fake.expect("yosys", {2, false, 0.1, "second", {}});
  ToolCommand c;
  c.program = "/usr/bin/yosys";
  c.working_dir = dir.path();
  c.log_path = dir.file("y.log");
  EXPECT_EQ(fake.run(c).exit_code, 0);
  EXPECT_EQ(read_file(dir.file("y.log")), "first");
  EXPECT_EQ(read_file(dir.file("out.v")), "module m; endmodule\n");
  EXPECT_THROW(run_checked(fake, c), ToolError);
  EXPECT_EQ(read_file(dir.file("y.log")), "second");
  EXPECT_THROW(fake.run(c), ToolError);  // nothing left: like a missing tool
  EXPECT_EQ(fake.commands().size(), 3u);
}

}  // namespace
}  // namespace gaitlstm
