// Private to the eda layer: numbers read from tool reports.  The parsers'
// patterns let through text std::stod / std::stoll cannot read ("." or
// "1e999", twenty digits), whose std::invalid_argument / std::out_of_range
// would reach the user without the report's name.  These read the number
// with std::from_chars and throw InputError(file) instead.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "util/error.h"

namespace gaitlstm::eda {

inline double report_number(std::string_view text, const std::string& file, std::string_view what) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value))
    throw InputError(file, 0, fmt::format("{} '{}' is not a number", what, text));
  return value;
}

inline int64_t report_count(std::string_view text, const std::string& file, std::string_view what) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw InputError(file, 0, fmt::format("{} '{}' is not a count", what, text));
  return value;
}

}  // namespace gaitlstm::eda
