#include "util/fake_runner.h"

#include <filesystem>

#include "util/atomic_file.h"

namespace gaitlstm {

namespace fs = std::filesystem;

void FakeRunner::expect(const std::string& program, ReplayedRun run) {
  pending_[program].push_back(std::move(run));
}

ToolRun FakeRunner::run(const ToolCommand& command) {
  commands_.push_back(command);
  const std::string name = fs::path(command.program).filename().string();
  auto it = pending_.find(name);
  if (it == pending_.end() || it->second.empty())
    throw ToolError(command.program, "not found on PATH (fake runner: no replay recorded)", "", "");
  const ReplayedRun replay = it->second.front();
  it->second.erase(it->second.begin());
  write_file_atomic(command.log_path, replay.log_text);
  for (const auto& [file, contents] : replay.outputs)
    write_file_atomic((fs::path(command.working_dir) / file).string(), contents);
  ToolRun result;
  result.exit_code = replay.exit_code;
  result.timed_out = replay.timed_out;
  result.seconds = replay.seconds;
  result.log_path = command.log_path;
  return result;
}

}  // namespace gaitlstm
