// CLI11 checks built from the parsers the engines already have.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

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

}  // namespace gaitlstm::cli
