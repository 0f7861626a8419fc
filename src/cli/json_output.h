// JSON files and reports the command line writes.  Text from the user
// (directory, file and spec names, CSV file stems) may hold bytes that are
// not UTF-8; the JSON library refuses to write those, which would fail a
// command after its work is done.  They are written as U+FFFD instead.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gaitlstm::cli {

inline std::string json_text(const nlohmann::json& json, int indent = 2) {
  return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace gaitlstm::cli
