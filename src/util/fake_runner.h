// A ToolRunner for tests: instead of starting a program it replays a
// captured run — writes the recorded log text and output files, returns the
// recorded exit status — and remembers every command it was given, so flow
// logic (script generation, file hand-over, error paths) is testable
// without the tools installed and in milliseconds.
#pragma once

#include <map>
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
  // Programs with no expectation left fail like a missing tool.
  ToolRun run(const ToolCommand& command) override;
  const std::vector<ToolCommand>& commands() const { return commands_; }

 private:
  std::map<std::string, std::vector<ReplayedRun>> pending_;
  std::vector<ToolCommand> commands_;
};

}  // namespace gaitlstm
