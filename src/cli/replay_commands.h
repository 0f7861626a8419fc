#pragma once

#include <CLI/CLI.hpp>

namespace gaitlstm::cli {

// `gaitlstm replay`: the detector (or the generated chip) on recordings, as a
// self-contained page replay.html (src/replay/README.md).
void add_replay_commands(CLI::App& app);

}  // namespace gaitlstm::cli
