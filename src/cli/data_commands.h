#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// `gaitlstm data summary | synth | fetch`.
void add_data_commands(CLI::App& app);

}  // namespace gaitlstm::cli
