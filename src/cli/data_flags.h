// The recording-set flags shared by train, cv, eval, quantize and data
// summary: `--data DIR` (repeatable: several sets at once), each optionally
// followed by the `--spec FILE` that describes it.  A spec belongs to the
// --data given just before it on the command line; with one --data and one
// --spec their order does not matter.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "data/load.h"

namespace gaitlstm::cli {

struct DataFlags {
  std::vector<std::string> dirs, specs;
  const CLI::App* app = nullptr;  // the subcommand, for the order the flags were given in

  // The recording sets, in --data order, each with its --spec (or none).
  // Throws CLI::ValidationError for a --spec that follows no --data, or two
  // --spec after one --data.
  std::vector<data::DataSource> sources() const;
};

void add_data_flags(CLI::App* cmd, DataFlags& flags);

// The sets as a report names them: the directory for one set without a spec
// (as before), else [{"name", "dir", "spec"}, ...].
nlohmann::json sources_json(const std::vector<data::DataSource>& sources);

}  // namespace gaitlstm::cli
