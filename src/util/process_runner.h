// One way to run every external program (Verilator, Yosys, OpenSTA, Icarus,
// qflow, KLayout, a simulation the flow built): a command line, a working
// directory, a timeout and a log file that is always kept.  The runner sits behind an interface so that flow
// and parser logic can be tested with a fake that replays captured tool
// outputs (see util/fake_runner.h), the way leveldb tests run against an
// in-memory Env.
//
// Failures never turn into made-up numbers: a tool that is missing, exits
// non-zero or runs past its timeout raises ToolError naming the tool, the
// reason, the log file and the last lines of the log.
#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gaitlstm {

struct ToolCommand {
  std::string program;             // name looked up on PATH, or a path
  std::vector<std::string> args;   // without the program itself
  std::string working_dir = ".";   // created if missing
  std::string log_path;            // stdout + stderr go here (required)
  std::chrono::seconds timeout{600};
  std::map<std::string, std::string> extra_env;  // added to the inherited environment
};

struct ToolRun {
  int exit_code = 0;       // exit status, or 128 + signal if killed by one
  bool timed_out = false;  // the runner killed the process group after the timeout
  double seconds = 0;      // wall time
  std::string log_path;
};

// A tool that could not produce a result.  what() is a complete message:
//   "yosys failed (exit code 1) after 0.4 s; log: DIR/yosys.log; last lines: ..."
class ToolError : public std::runtime_error {
 public:
  ToolError(std::string program, std::string reason, std::string log_path, std::string log_tail);
  const std::string& program() const { return program_; }
  const std::string& reason() const { return reason_; }
  const std::string& log_path() const { return log_path_; }
  const std::string& log_tail() const { return log_tail_; }

 private:
  std::string program_, reason_, log_path_, log_tail_;
};

class ToolRunner {
 public:
  virtual ~ToolRunner() = default;
  // Runs the command to completion (or timeout) and reports what happened;
  // throws ToolError only when the program cannot be started at all
  // (not found on PATH, not executable, log file not writable).
  virtual ToolRun run(const ToolCommand& command) = 0;
};

// Runs the command and throws ToolError unless it exited with status 0 in
// time.  The usual entry point for flow code.
ToolRun run_checked(ToolRunner& runner, const ToolCommand& command);

// The last `max_lines` lines of a log file ("" if unreadable).
std::string log_tail(const std::string& log_path, int max_lines = 15);

// Real processes: fork + exec in a new process group, output to the log
// file, the whole group killed (SIGTERM, then SIGKILL after 2 s) on timeout,
// so no tool child (graywolf under qflow, say) outlives its run.
// Thread-safe: holds no state, several runs may proceed in parallel.
class ProcessRunner : public ToolRunner {
 public:
  ToolRun run(const ToolCommand& command) override;
};

// Full path of `program` on PATH (or the program itself if it contains a
// '/' and is executable); "" if not found.
std::string find_program(const std::string& program);

}  // namespace gaitlstm
