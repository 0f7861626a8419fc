#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// `gaitlstm train | eval | cv`: the float LSTM detector and the freeze-index
// baseline (docs/MODEL.md).
void add_model_commands(CLI::App& app);

}  // namespace gaitlstm::cli
