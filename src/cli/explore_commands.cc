#include "cli/explore_commands.h"

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "explore/config.h"
#include "explore/explore.h"

namespace gaitlstm::cli {

namespace {

struct ExploreArgs {
  std::string config, out, data;
  int jobs = 1;
  bool retry_failed = false, quiet = false, report_only = false, no_layout = false;
};

void run_explore(const ExploreArgs& args) {
  explore::ExploreConfig config = explore::load_config(args.config);
  if (!args.data.empty()) {  // recordings from the command line replace the config's data source
    config.data.dir = args.data;
    config.data.spec.clear();
    config.raw["data"] = {{"dir", args.data}};
  }
  if (args.no_layout) config.layout.enabled = false;  // same keys: layouts can follow in a later run
  explore::ExploreOptions options;
  options.out_dir = args.out;
  options.jobs = args.jobs;
  options.retry_failed = args.retry_failed;
  options.report_only = args.report_only;
  options.log = args.quiet ? nullptr : &std::cerr;
  const explore::ExploreSummary s = explore::run_exploration(config, options);
  std::cout << fmt::format(
      "{} design points: {} done ({} built now, the rest from the store), {} failed, {} skipped (architecture does "
      "not fit){}; {} on the Pareto front; {} layouts done, {} failed; {:.0f} s\n",
      s.points_planned, s.points_done, s.points_computed, s.points_failed, s.points_skipped_invalid,
      s.points_pending ? fmt::format(", {} not built yet (--report-only)", s.points_pending) : "", s.pareto_points,
      s.layouts_done, s.layouts_failed, s.seconds);
  std::cout << "report: " << s.report_html << "\n"
            << "        " << s.report_md << "\n"
            << "        " << s.results_json << "\n";
}

}  // namespace

void add_explore_commands(CLI::App& app) {
  auto args = std::make_shared<ExploreArgs>();
  CLI::App* cmd = app.add_subcommand(
      "explore", "Cross-layer exploration: models x bits x architectures -> RTL, verification, synthesis, timing, "
                 "power, Pareto front, layouts, report (resumable)");
  cmd->add_option("--config", args->config, "Exploration config (JSON, docs/EXPLORE.md)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "Output directory: results store, models, designs, report")->required();
  cmd->add_option("--data", args->data, "Directory of recordings (replaces the config's data source)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("-j,--jobs", args->jobs, "Design points built in parallel")->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_flag("--retry-failed", args->retry_failed, "Recompute points the store records as failed");
  cmd->add_flag("--quiet", args->quiet, "No per-stage log lines");
  cmd->add_flag("--no-layout", args->no_layout, "Skip the layouts this time (a later run without it adds them)");
  cmd->add_flag("--report-only", args->report_only,
                "Build nothing: write the report from what the store holds (safe while another run sweeps DIR)");
  cmd->callback([args] { run_explore(*args); });
}

}  // namespace gaitlstm::cli
