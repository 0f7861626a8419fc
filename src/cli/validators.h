// CLI11 checks built from the parsers the engines already have.
#pragma once

#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// A check that runs `parse` on the option's text: a parser that throws
// std::invalid_argument refuses the value with the parser's own reason, so
// the command line and the config files reject a value for the same words.
template <typename Parse>
std::function<std::string(const std::string&)> parsed_by(Parse parse) {
  return [parse](const std::string& text) {
    try {
      parse(text);
      return std::string();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
  };
}

// Sign checks of a number option.  CLI11's PositiveNumber and
// NonNegativeNumber refuse with "not in range 0.000000 to 1797693134862...";
// these say what is wrong: "--period: must be 0 or more, got -1".
inline CLI::Validator sign_check(bool zero_allowed) {
  return CLI::Validator(
      [zero_allowed](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0') return "must be a number, got " + text;
        if (zero_allowed ? value >= 0 : value > 0) return "";
        return (zero_allowed ? "must be 0 or more, got " : "must be greater than 0, got ") + text;
      },
      zero_allowed ? "NONNEGATIVE" : "POSITIVE");
}
inline const CLI::Validator kPositive = sign_check(false);
inline const CLI::Validator kNonNegative = sign_check(true);

}  // namespace gaitlstm::cli
