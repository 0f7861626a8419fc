#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// `gaitlstm activations` (and, with the golden model, `quantize`).
void add_quant_commands(CLI::App& app);

}  // namespace gaitlstm::cli
