// Runs the gaitlstm executable as a user would; stdout and stderr together.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace gaitlstm::testing {

struct CommandResult {
  int status;          // exit status, -1 if killed
  std::string output;  // stdout and stderr
};

inline CommandResult run_gaitlstm(const std::string& arguments) {
  const std::string command = std::string(GAITLSTM_BINARY) + " " + arguments + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace gaitlstm::testing
