#include "cli/quant_commands.h"

#include <iostream>
#include <memory>

#include "quant/activation_report.h"
#include "util/atomic_file.h"

namespace gaitlstm::cli {

namespace {
struct ActivationsArgs {
  std::string markdown, json;
};
}  // namespace

void add_quant_commands(CLI::App& app) {
  auto args = std::make_shared<ActivationsArgs>();
  CLI::App* cmd = app.add_subcommand("activations", "Measure the error of every hardware activation unit");
  cmd->add_option("--md", args->markdown, "Write the Markdown report here (docs/ACTIVATIONS.md)");
  cmd->add_option("--json", args->json, "Write the figures as JSON here");
  cmd->callback([args] {
    const quant::ActivationReport report = quant::activation_error_report();
    std::cout << report.markdown;
    if (!args->markdown.empty()) write_file_atomic(args->markdown, report.markdown);
    if (!args->json.empty()) write_file_atomic(args->json, report.json.dump(2) + "\n");
  });
}

}  // namespace gaitlstm::cli
