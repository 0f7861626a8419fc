// Text pieces of the liberty format shared by the two liberty readers of this
// stage (library.cc: cell areas and pins; cell_models.cc: cell logic).
// Internal to eda/.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "util/error.h"

namespace gaitlstm::eda::liberty_text {

inline std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// "pin (\"A\")" -> ("pin", "\"A\""); "ff (IQ,IQN)" -> ("ff", "IQ,IQN"); no
// parentheses -> (the header, "").
inline std::pair<std::string, std::string> group_header(const std::string& header) {
  const size_t open = header.find('('), close = header.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return {trim(header), ""};
  return {trim(std::string_view(header).substr(0, open)), trim(std::string_view(header).substr(open + 1, close - open - 1))};
}

// With text[i] at the '/' of "/*": the index of the comment's closing '/',
// `line` advanced past the newlines inside it.  Throws InputError(file, line)
// for a comment that never closes.
inline size_t skip_comment(std::string_view text, size_t i, const std::string& file, int64_t& line) {
  const size_t end = text.find("*/", i + 2);
  if (end == std::string_view::npos) throw InputError(file, line, "unterminated comment");
  for (size_t k = i; k < end; ++k) line += text[k] == '\n';
  return end + 1;
}

}  // namespace gaitlstm::eda::liberty_text
