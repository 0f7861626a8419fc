#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// `gaitlstm rtl` (generate an accelerator) and `gaitlstm verify` (bit-exact
// check against the golden model).
void add_rtl_commands(CLI::App& app);

}  // namespace gaitlstm::cli
