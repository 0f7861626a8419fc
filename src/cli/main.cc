// gaitlstm: from wearable gait recordings to a verified, laid-out LSTM
// freezing-of-gait detector chip.  One executable, one subcommand per stage.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/data_commands.h"
#include "util/error.h"
#ifdef GAITLSTM_HAVE_MODEL
#include "cli/model_commands.h"
#endif
#ifdef GAITLSTM_HAVE_QUANT
#include "cli/quant_commands.h"
#endif
#ifdef GAITLSTM_HAVE_RTL
#include "cli/rtl_commands.h"
#endif
#ifdef GAITLSTM_HAVE_REPLAY
#include "cli/replay_commands.h"
#endif
#ifdef GAITLSTM_HAVE_EDA
#include "cli/eda_commands.h"
#endif
#ifdef GAITLSTM_HAVE_FPGA
#include "cli/fpga_commands.h"
#endif
#ifdef GAITLSTM_HAVE_EXPLORE
#include "cli/explore_commands.h"
#endif

int main(int argc, char** argv) {
  CLI::App app("gaitlstm - open flow from gait recordings to an LSTM freezing-of-gait detector chip");
  app.set_version_flag("--version", "gaitlstm 0.1.0");
  app.require_subcommand(1);
  gaitlstm::cli::add_data_commands(app);
#ifdef GAITLSTM_HAVE_MODEL
  gaitlstm::cli::add_model_commands(app);
#endif
#ifdef GAITLSTM_HAVE_QUANT
  gaitlstm::cli::add_quant_commands(app);
#endif
#ifdef GAITLSTM_HAVE_RTL
  gaitlstm::cli::add_rtl_commands(app);
#endif
#ifdef GAITLSTM_HAVE_REPLAY
  gaitlstm::cli::add_replay_commands(app);
#endif
#ifdef GAITLSTM_HAVE_EDA
  gaitlstm::cli::add_eda_commands(app);
#endif
#ifdef GAITLSTM_HAVE_FPGA
  gaitlstm::cli::add_fpga_commands(app);
#endif
#ifdef GAITLSTM_HAVE_EXPLORE
  gaitlstm::cli::add_explore_commands(app);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const gaitlstm::InputError& e) {
    std::cerr << "gaitlstm: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gaitlstm: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
