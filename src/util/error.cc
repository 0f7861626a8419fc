#include "util/error.h"

#include <fmt/format.h>

namespace gaitlstm {

namespace {
std::string where(const std::string& file, int64_t line) {
  return line > 0 ? fmt::format("{}:{}", file, line) : file;
}
}  // namespace

InputError::InputError(std::string file, int64_t line, const std::string& reason)
    : std::runtime_error(fmt::format("{}: {}", where(file, line), reason)),
      file_(std::move(file)),
      line_(line),
      reason_(reason) {}

}  // namespace gaitlstm
