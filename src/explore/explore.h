// The cross-layer exploration: the whole flow as one resumable sweep.
//
//   data --> float models (trained or loaded)  --> quantized candidates
//        --> for each candidate x architecture: RTL, Verilator verification
//            on real decisions, Yosys synthesis, OpenSTA timing, gate-level
//            power from a recording, real-time figures        (a design point)
//        --> Pareto front over (AUC, area, latency, energy per decision)
//        --> routed layouts (qflow) of the smallest final Pareto designs,
//            with alternatives (densities, aspect ratios)
//        --> report.html, report.md, results.json
//
// Everything is cached in OUT: upstream models as files keyed by the hash of
// what determines them, design points and layouts in the SQLite store
// (store.h).  A rerun with the same config skips all finished work; a run
// killed at any moment loses at most the points in flight.  A point that
// fails (tool error, timeout, verification mismatch) is recorded with its
// error and the sweep goes on; it is not retried unless asked.
//
// Design points, power runs and layouts are tasks an executor runs
// (executor.h): threads in this process ("local"), or Slurm job arrays whose
// tasks run `gaitlstm explore-worker` on the cluster's nodes ("slurm",
// slurm.h).  Either way a task writes its outcome into its own directory of
// OUT and this process (the coordinator, the only one that opens the store)
// records it.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "explore/config.h"
#include "explore/slurm.h"
#include "util/process_runner.h"

namespace gaitlstm::explore {

struct ExploreOptions {
  std::string out_dir;
  int jobs = 1;               // local executor: design points (and layouts) built in parallel
  bool retry_failed = false;  // recompute points recorded as failed
  bool report = true;         // write report.html / .md / results.json at the end
  bool report_only = false;   // build nothing: report what the store holds (e.g. while
                              // another run is still sweeping the same DIR)
  std::ostream* log = nullptr;  // one line per stage and point (nullptr = silent)
  std::string executor = "local";  // "local" (threads) or "slurm"
  SlurmOptions slurm;
  // Test hook: called on the coordinator's thread at fixed points of the
  // sweep with the event's running count, e.g. ("point-recorded", 2) after
  // the second point was recorded.  Events: "point-finished" (its outcome
  // is on disk, not yet in the store), "point-recorded", "power-recorded",
  // "layout-recorded", "submitted" (a Slurm array was submitted and noted).
  // Tests throw or kill the process here to crash it deterministically.
  std::function<void(const std::string& event, int64_t count)> on_event;
};

struct ExploreSummary {
  int64_t points_planned = 0;
  int64_t points_done = 0, points_failed = 0;
  int64_t points_computed = 0;  // in this run (the rest came from the store)
  int64_t points_pending = 0;   // not built (report_only)
  int64_t points_skipped_invalid = 0;  // architecture does not fit the model (e.g. lanes:P)
  int64_t pareto_points = 0;
  int64_t layouts_done = 0, layouts_failed = 0;
  std::string report_html, report_md, results_json;
  double seconds = 0;
};

// Runs the sweep; EDA tools (and, with Slurm, sbatch/squeue/scancel) go
// through `runner`.
ExploreSummary run_exploration(const ExploreConfig& config, const ExploreOptions& options, ToolRunner& runner);
// The same with real processes.
ExploreSummary run_exploration(const ExploreConfig& config, const ExploreOptions& options);

}  // namespace gaitlstm::explore
