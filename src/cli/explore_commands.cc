#include "cli/explore_commands.h"
#include "cli/validators.h"

#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "explore/config.h"
#include "explore/explore.h"
#include "explore/slurm.h"
#include "util/error.h"

namespace gaitlstm::cli {

namespace {

struct ExploreArgs {
  std::string config, out, data;
  int jobs = 1;
  bool retry_failed = false, quiet = false, report_only = false, no_layout = false;
  std::string executor = "local";
  explore::SlurmOptions slurm;
};

// GAITLSTM_EXPLORE_TEST_CRASH=<event>:<n> kills the coordinator with SIGKILL
// at the n-th such event (explore.h lists them): the tests' deterministic
// crash, e.g. "point-recorded:2".
std::function<void(const std::string&, int64_t)> crash_hook() {
  const char* spec = std::getenv("GAITLSTM_EXPLORE_TEST_CRASH");
  if (!spec || !*spec) return nullptr;
  const std::string text = spec;
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw InputError("GAITLSTM_EXPLORE_TEST_CRASH", 0, "expected <event>:<count>");
  const std::string name = text.substr(0, colon);
  const int64_t at = std::atoll(text.c_str() + colon + 1);
  return [name, at](const std::string& event, int64_t count) {
    if (event == name && count == at) ::raise(SIGKILL);
  };
}

void run_explore(const ExploreArgs& args) {
  explore::ExploreConfig config = explore::load_config(args.config);
  if (!args.data.empty()) explore::use_data_dir(config, args.data);  // replaces the config's data source
  if (args.no_layout) config.layout.enabled = false;  // same keys: layouts can follow in a later run
  explore::ExploreOptions options;
  options.out_dir = args.out;
  options.jobs = args.jobs;
  options.retry_failed = args.retry_failed;
  options.report_only = args.report_only;
  options.log = args.quiet ? nullptr : &std::cerr;
  options.executor = args.executor;
  options.slurm = args.slurm;
  options.on_event = crash_hook();
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

void add_slurm_options(CLI::App* cmd, explore::SlurmOptions& s) {
  const std::string g = "Slurm (--executor slurm)";
  cmd->add_option("--slurm-partition", s.partition, "Partition (default: the cluster's)")->group(g);
  cmd->add_option("--slurm-account", s.account, "Account to charge")->group(g);
  cmd->add_option("--slurm-point-minutes", s.point_minutes, "Time limit of a design point task")
      ->capture_default_str()->check(CLI::Range(1, 100000))->group(g);
  cmd->add_option("--slurm-power-minutes", s.power_minutes, "Time limit of a gate-level power task")
      ->capture_default_str()->check(CLI::Range(1, 100000))->group(g);
  cmd->add_option("--slurm-layout-minutes", s.layout_minutes, "Time limit of a layout task")
      ->capture_default_str()->check(CLI::Range(1, 100000))->group(g);
  cmd->add_option("--slurm-cpus", s.cpus_per_task, "CPUs per task")->capture_default_str()->check(CLI::Range(1, 1024))->group(g);
  cmd->add_option("--slurm-point-mem-mb", s.point_memory_mb, "Memory of a point task, MB (0: cluster default)")
      ->capture_default_str()->check(kNonNegative)->group(g);
  cmd->add_option("--slurm-power-mem-mb", s.power_memory_mb, "Memory of a power task, MB (0: cluster default)")
      ->capture_default_str()->check(kNonNegative)->group(g);
  cmd->add_option("--slurm-layout-mem-mb", s.layout_memory_mb, "Memory of a layout task, MB (0: cluster default)")
      ->capture_default_str()->check(kNonNegative)->group(g);
  cmd->add_option("--slurm-arg", s.sbatch_args, "Extra sbatch argument (repeatable), e.g. --slurm-arg=--qos=short")
      ->allow_extra_args(false)->group(g);
  cmd->add_option("--slurm-binary", s.binary, "gaitlstm as the nodes see it (default: this executable)")->group(g);
  cmd->add_option("--slurm-attempts", s.max_attempts, "Submissions per task before it is recorded as failed")
      ->capture_default_str()->check(CLI::Range(1, 100))->group(g);
  cmd->add_option("--slurm-poll-seconds", s.poll_seconds, "squeue interval")
      ->capture_default_str()->check(CLI::Range(0.1, 3600.0))->group(g);
}

}  // namespace

void add_explore_commands(CLI::App& app) {
  auto args = std::make_shared<ExploreArgs>();
  CLI::App* cmd = app.add_subcommand(
      "explore", "Cross-layer exploration: models x bits x architectures -> RTL, verification, synthesis, timing, "
                 "power, Pareto front, layouts, report (resumable; local threads or Slurm job arrays)");
  cmd->add_option("--config", args->config, "Exploration config (JSON, docs/EXPLORE.md)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "Output directory: results store, models, designs, report")->required();
  cmd->add_option("--data", args->data,
                  "Directory of recordings (replaces the config's data source; default: $GAITLSTM_DATA if set)")
      ->envname("GAITLSTM_DATA")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("-j,--jobs", args->jobs, "Design points built in parallel (local executor)")
      ->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_option("--executor", args->executor, "Where points and layouts run: local (threads) or slurm (job arrays)")
      ->capture_default_str()->check(CLI::IsMember({"local", "slurm"}));
  cmd->add_flag("--retry-failed", args->retry_failed, "Recompute points the store records as failed");
  cmd->add_flag("--quiet", args->quiet, "No per-stage log lines");
  cmd->add_flag("--no-layout", args->no_layout, "Skip the layouts this time (a later run without it adds them)");
  cmd->add_flag("--report-only", args->report_only,
                "Build nothing: write the report from what the store holds (safe while another run sweeps DIR)");
  add_slurm_options(cmd, args->slurm);
  cmd->callback([args] { run_explore(*args); });

  auto worker = std::make_shared<std::pair<std::string, int64_t>>("", -1);
  CLI::App* w = app.add_subcommand(
      "explore-worker", "One task of an exploration's Slurm job array (started by `explore --executor slurm`)");
  w->add_option("--job", worker->first, "The batch's job directory (OUT/jobs/<batch>)")
      ->required()
      ->check(CLI::ExistingDirectory);
  w->add_option("--task", worker->second, "Task index in the batch (default: $SLURM_ARRAY_TASK_ID)")
      ->envname("SLURM_ARRAY_TASK_ID");
  w->callback([worker] {
    if (worker->second < 0) throw InputError(worker->first, 0, "explore-worker: no --task and no SLURM_ARRAY_TASK_ID");
    ProcessRunner runner;
    explore::run_explore_worker(worker->first, worker->second, runner);
  });
}

}  // namespace gaitlstm::cli
