// A ToolRunner for tests: instead of starting a program it replays a
// captured run — writes the recorded log text and output files, returns the
// recorded exit status — and remembers every command it was given, so flow
// logic (script generation, file hand-over, error paths) is testable
// without the tools installed and in milliseconds.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "util/process_runner.h"

namespace gaitlstm {

struct ReplayedRun {
  int exit_code = 0;
  bool timed_out = false;
  double seconds = 0.01;
  std::string log_text;                        // written to the command's log_path
  std::map<std::string, std::string> outputs;  // file name relative to working_dir -> contents
};

class FakeRunner : public ToolRunner {
 public:
  // The next run of `program` (matched by base name: "yosys", "sta", ...)
  // replays `run`.  Several expectations for one program replay in order.
  void expect(const std::string& program, ReplayedRun run);
  // Every run of `program` without an expectation left is answered by
  // `respond` (called without the runner's lock held, so it may run tools
  // through this runner itself).
  void respond(const std::string& program, std::function<ReplayedRun(const ToolCommand&)> respond);
  // Programs with neither fail like a missing tool.  Thread-safe.
  ToolRun run(const ToolCommand& command) override;
  // Every command so far; read it when no run is in progress.
  const std::vector<ToolCommand>& commands() const { return commands_; }
  // Runs of `program` so far.
  size_t count(const std::string& program) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<ReplayedRun>> pending_;
  std::map<std::string, std::function<ReplayedRun(const ToolCommand&)>> responders_;
  std::vector<ToolCommand> commands_;
};

}  // namespace gaitlstm
