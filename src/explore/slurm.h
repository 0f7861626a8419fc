// The Slurm executor: the sweep's tasks (tasks.h) as Slurm job arrays, one
// array task per design point, power run or layout, each running
//
//   gaitlstm explore-worker --job DIR/jobs/<batch> --task N
//
// on a node that sees DIR (a shared filesystem).  The worker computes task N
// of the batch into its atomic directory of DIR and exits; only the
// coordinator (the `gaitlstm explore` process) opens the SQLite store.
//
// Job directory DIR/jobs/<batch>/:
//   job.json        the batch: config (as the coordinator read it), its path,
//                   the recordings' directory, DIR, the tasks (array index =
//                   position in "tasks")
//   worker.sh       the array job's script (sbatch options on the command line)
//   logs/%A_%a.out  each task's stdout and stderr
//   started/N.J     written by a worker when task N starts in job J
//
// The coordinator submits with `sbatch --parsable --array=LIST`, polls
// `squeue -h -r -t all -j IDS -o "%F %K %T %j"` (never `sbatch --wait`: it polls
// at 2/10/42 s and reports 0 for a cancelled task), records a task when its
// outcome file appears, and resubmits a task whose array element ended
// without one (FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, ...,
// COMPLETED without an outcome, or gone from squeue) until it has been
// submitted `max_attempts` times; then it is recorded as failed with the
// reason.  Every submission is noted in the store (`submissions`), so a
// coordinator started again after it was killed adopts the array elements
// that are still pending or running instead of submitting them twice, and
// records what the workers finished meanwhile.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "explore/executor.h"
#include "util/process_runner.h"

namespace gaitlstm::explore {

class Store;

struct SlurmOptions {
  std::string partition, account;          // "" = the cluster's default
  // --time per task, minutes, by task kind.
  int point_minutes = 60, power_minutes = 60, layout_minutes = 240;
  int cpus_per_task = 1;
  // --mem per task, MB, by kind (0 = the cluster's default).
  int point_memory_mb = 0, power_memory_mb = 0, layout_memory_mb = 0;
  std::vector<std::string> sbatch_args;    // more sbatch arguments, e.g. --qos=short
  std::string binary;                      // gaitlstm on the nodes ("" = this executable)
  int max_attempts = 3;                    // submissions per task before it is recorded as failed
  double poll_seconds = 2;                 // squeue interval
  std::string job_name = "gaitlstm-explore";
  // Waits between polls (tests: no wait); default sleeps poll_seconds.
  std::function<void(double seconds)> sleep;
};

// What a worker needs besides its task.
struct SlurmJobContext {
  std::string out_dir;        // absolute
  nlohmann::json config;      // ExploreConfig::raw as the coordinator used it
  std::string config_source;  // its file (relative paths in it are relative to it)
  std::string data_dir;       // the recordings (after --data, or the synthetic set)
};

std::unique_ptr<Executor> make_slurm_executor(const SlurmOptions& options, const SlurmJobContext& job, Store& store,
                                              ToolRunner& runner, std::function<void(const std::string&)> on_event,
                                              std::function<void(const std::string&)> log);

// One array element's state from squeue.
struct SlurmTaskState {
  std::string job;
  int64_t task = 0;
  std::string state;  // PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...
  std::string name;   // the job's name (the coordinator names arrays after their batch)
};

// Parses `squeue -h -r -o "%F %K %T %j"` output.  Throws InputError(source)
// on a malformed line.
std::vector<SlurmTaskState> parse_squeue(const std::string& text, const std::string& source);
// True for states after which the element will not run again.
bool slurm_state_final(const std::string& state);
// "123" from `sbatch --parsable` output ("123" or "123;cluster").
std::string parse_sbatch_job_id(const std::string& text, const std::string& source);

// The worker: computes task `task` of the batch in `job_dir` (explore-worker).
// Tool runs go through `runner`.  Throws on an unreadable job; a failure of
// the work itself is the task's outcome.
void run_explore_worker(const std::string& job_dir, int64_t task, ToolRunner& runner);

}  // namespace gaitlstm::explore
