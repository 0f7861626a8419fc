#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// `gaitlstm synth | sta | power | layout`: the physical flow (src/eda).
void add_eda_commands(CLI::App& app);

}  // namespace gaitlstm::cli
