// The tool runner's contract: logs kept, exit codes reported, timeouts kill
// the whole process group, and every failure is a ToolError that names the
// tool, the reason, the log and its last lines.  Uses /bin/sh only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/fake_runner.h"
#include "util/process_runner.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// True if `pid` exits (a pidfd becomes readable when the process
// terminates).  SIGKILL to the group is queued, not instantaneous, so this
// waits for the exit instead of sleeping a fixed time and hoping.  The bound
// is a hang guard, not a speed check: an exit after SIGKILL takes
// milliseconds even on a loaded machine, and the process watched sleeps far
// longer than the bound, so only a kill can end it in time.
bool exits_after_kill(int pid) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;  // already gone (and reaped)
  pollfd p{fd, POLLIN, 0};
  const bool exited = ::poll(&p, 1, 120'000) == 1;
  if (!exited) ::kill(pid, SIGKILL);  // leave no stray process behind a failed test
  ::close(fd);
  return exited;
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
  // The shell starts a grandchild that records its pid; both must die.  No
  // wall-clock check: a runner that ignored the timeout would return the
  // shell's success after 300 s, and the expected ToolError would be missing.
  try {
    run_checked(runner, shell(dir, "sleep 300 & echo $! > child.pid; echo started; wait", 2));
    FAIL() << "expected ToolError";
  } catch (const ToolError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("timed out after 2 s"));
    EXPECT_THAT(e.log_tail(), HasSubstr("started"));
  }
  const int child = std::stoi(read_file(dir.file("child.pid")));
  EXPECT_TRUE(exits_after_kill(child)) << "grandchild " << child << " survived the timeout";
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
