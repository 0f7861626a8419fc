#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// `gaitlstm train | eval | cv`: the float LSTM detector and the freeze-index
// baseline (docs/MODEL.md).
void add_model_commands(CLI::App& app);

// `gaitlstm eval` (eval_command.cc), registered by add_model_commands.
void add_eval_command(CLI::App& app);

}  // namespace gaitlstm::cli
