#include "util/fake_runner.h"

#include <filesystem>

#include "util/atomic_file.h"

namespace gaitlstm {

namespace fs = std::filesystem;

void FakeRunner::expect(const std::string& program, ReplayedRun run) {
  std::lock_guard lock(mutex_);
  pending_[program].push_back(std::move(run));
}

void FakeRunner::respond(const std::string& program, std::function<ReplayedRun(const ToolCommand&)> respond) {
  std::lock_guard lock(mutex_);
  responders_[program] = std::move(respond);
}

size_t FakeRunner::count(const std::string& program) const {
  std::lock_guard lock(mutex_);
  size_t n = 0;
  for (const ToolCommand& c : commands_) n += fs::path(c.program).filename().string() == program;
  return n;
}

ToolRun FakeRunner::run(const ToolCommand& command) {
  const std::string name = fs::path(command.program).filename().string();
  ReplayedRun replay;
  std::function<ReplayedRun(const ToolCommand&)> responder;
  {
    std::lock_guard lock(mutex_);
    commands_.push_back(command);
    auto it = pending_.find(name);
    if (it != pending_.end() && !it->second.empty()) {
      replay = it->second.front();
      it->second.erase(it->second.begin());
    } else if (auto r = responders_.find(name); r != responders_.end()) {
      responder = r->second;
    } else {
      throw ToolError(command.program, "not found on PATH (fake runner: no replay recorded)", "", "");
    }
  }
  if (responder) replay = responder(command);
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
