// `gaitlstm explore`: the whole flow as one resumable design-space sweep.
#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

void add_explore_commands(CLI::App& app);

}  // namespace gaitlstm::cli
