// `gaitlstm fpga`: the iCE40 flow (eda/fpga.h); and what `verify --fpga`
// reads back from its output directory.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "eda/fpga.h"

namespace gaitlstm::cli {

void add_fpga_commands(CLI::App& app);

struct FpgaRun {
  std::string rtl_dir;
  eda::FpgaResult result;
};
// <dir>/fpga.json of a run that fitted.  Throws InputError otherwise.
FpgaRun read_fpga_run(const std::string& dir);

}  // namespace gaitlstm::cli
