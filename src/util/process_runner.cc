#include "util/process_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

namespace gaitlstm {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string full_message(const std::string& program, const std::string& reason, const std::string& log_path,
                         const std::string& tail) {
  std::string message = fmt::format("{} {}", program, reason);
  if (!log_path.empty()) message += fmt::format("; log: {}", log_path);
  if (!tail.empty()) message += fmt::format("; last lines of the log:\n{}", tail);
  return message;
}

bool is_executable_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// Everything the child needs is prepared before fork(), so the child only
// calls async-signal-safe functions.
struct ExecImage {
  std::vector<std::string> storage;
  std::vector<char*> argv;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
};

ExecImage make_exec_image(const std::string& path, const ToolCommand& command) {
  ExecImage image;
  image.storage.push_back(path);
  for (const std::string& a : command.args) image.storage.push_back(a);
  for (std::string& s : image.storage) image.argv.push_back(s.data());
  image.argv.push_back(nullptr);
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [key, value] : command.extra_env) env[key] = value;
  for (const auto& [key, value] : env) image.env_storage.push_back(key + "=" + value);
  for (std::string& s : image.env_storage) image.envp.push_back(s.data());
  image.envp.push_back(nullptr);
  return image;
}

// Waits for the child; on timeout kills its whole process group.
ToolRun wait_with_timeout(pid_t pid, const ToolCommand& command, Clock::time_point start) {
  ToolRun result;
  result.log_path = command.log_path;
  const Clock::time_point deadline = start + command.timeout;
  int status = 0;
  auto pause = std::chrono::milliseconds(2);
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) throw std::runtime_error(fmt::format("waitpid failed: {}", std::strerror(errno)));
    if (Clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGTERM);
      const Clock::time_point grace = Clock::now() + std::chrono::seconds(2);
      while (::waitpid(pid, &status, WNOHANG) == 0 && Clock::now() < grace)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ::kill(-pid, SIGKILL);  // the group may still hold grandchildren
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(100));  // short tools return fast
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace

ToolError::ToolError(std::string program, std::string reason, std::string log_path, std::string log_tail)
    : std::runtime_error(full_message(program, reason, log_path, log_tail)),
      program_(std::move(program)),
      reason_(std::move(reason)),
      log_path_(std::move(log_path)),
      log_tail_(std::move(log_tail)) {}

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return is_executable_file(program) ? program : "";
  const char* path_env = std::getenv("PATH");
  const std::string path_list = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  size_t begin = 0;
  while (begin <= path_list.size()) {
    size_t end = path_list.find(':', begin);
    if (end == std::string::npos) end = path_list.size();
    const std::string dir = path_list.substr(begin, end - begin);
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    if (is_executable_file(candidate)) return candidate.string();
    begin = end + 1;
  }
  return "";
}

std::string log_tail(const std::string& log_path, int max_lines) {
  std::ifstream in(log_path);
  if (!in) return "";
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (static_cast<int>(lines.size()) > max_lines) lines.pop_front();
  }
  std::string tail;
  for (const std::string& l : lines) tail += "  " + l + "\n";
  return tail;
}

ToolRun ProcessRunner::run(const ToolCommand& command) {
  if (command.log_path.empty()) throw ToolError(command.program, "has no log file set", "", "");
  const std::string path = find_program(command.program);
  if (path.empty())
    throw ToolError(command.program, "not found on PATH (install the tools: scripts/install-deps.sh)", "",
                    "");
  std::error_code ec;
  fs::create_directories(command.working_dir, ec);
  if (fs::path(command.log_path).has_parent_path()) fs::create_directories(fs::path(command.log_path).parent_path(), ec);
  const int log_fd = ::open(command.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0)
    throw ToolError(command.program, fmt::format("cannot write its log: {}", std::strerror(errno)), command.log_path,
                    "");
  ExecImage image = make_exec_image(path, command);
  const Clock::time_point start = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    throw ToolError(command.program, fmt::format("cannot start: fork failed: {}", std::strerror(errno)),
                    command.log_path, "");
  }
  if (pid == 0) {
    ::setpgid(0, 0);  // own group: a timeout kills the tool and all its children
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    if (::chdir(command.working_dir.c_str()) != 0) ::_exit(126);
    ::execve(image.argv[0], image.argv.data(), image.envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so kill(-pid) works even before the child ran
  ::close(log_fd);
  return wait_with_timeout(pid, command, start);
}

ToolRun run_checked(ToolRunner& runner, const ToolCommand& command) {
  const ToolRun result = runner.run(command);
  if (result.timed_out)
    throw ToolError(command.program,
                    fmt::format("timed out after {} s (killed; raise the timeout or shrink the design)",
                                command.timeout.count()),
                    result.log_path, log_tail(result.log_path));
  if (result.exit_code != 0)
    throw ToolError(command.program,
                    fmt::format("failed (exit code {}) after {:.1f} s in {}", result.exit_code, result.seconds,
                                command.working_dir),
                    result.log_path, log_tail(result.log_path));
  return result;
}

}  // namespace gaitlstm
