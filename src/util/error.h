// Errors a user can fix.  InputError names the file, the line (0 = whole
// file) and the reason, so every message points at the bad input.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gaitlstm {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int64_t line, const std::string& reason);
  const std::string& file() const { return file_; }
  int64_t line() const { return line_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  int64_t line_;
  std::string reason_;
};

}  // namespace gaitlstm
