// The unit of work an executor runs: a design point, the gate-level power of
// a built point, the FPGA target of a built point, or a layout.  A task is computed by run_task() — in the
// coordinator's threads (executor "local") or in `gaitlstm explore-worker`
// on a cluster node (executor "slurm") — and leaves its outcome as a file in
// its own directory of the output directory:
//
//   point   DIR/points/<key>/outcome.json    PointOutcome
//   power   DIR/points/<key>/outcome.json    the same, now with power or power_error
//   fpga    DIR/points/<key>/outcome.json    the same, now with fpga (target "fpga")
//   layout  DIR/layouts/<key>/outcome.json   LayoutOutcome
//
// Work happens in "<dir>.partial-<host>-<pid>-<n>" and is renamed into place
// when complete (outcome file inside), so a killed attempt — and any tool it
// leaves running — never touches a finished directory.  The coordinator
// records outcome files in the store; it is the only process that opens it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "explore/config.h"
#include "explore/point.h"
#include "explore/realtime.h"
#include "util/process_runner.h"

namespace gaitlstm::explore {

// What computing a task needs.
struct BuildContext {
  const ExploreConfig* config = nullptr;
  const data::Dataset* dataset = nullptr;  // verification (points, routed layouts) and power
  std::string out_dir;                     // absolute
  RealTimeSpec realtime;
  ToolRunner* runner = nullptr;
};

struct LayoutSpec {
  std::string key, point, design;  // point key, its PointResult::name()
  double density = 0, aspect = 0;
};

struct Task {
  std::string kind;   // "point", "power", "fpga" or "layout"
  PointSpec point;    // point, power and fpga
  LayoutSpec layout;  // layout
  const std::string& key() const { return kind == "layout" ? layout.key : point.key; }
  std::string name() const { return kind == "layout" ? layout.design : point.name(); }
};

nlohmann::json to_json(const Task& task);
Task task_from_json(const nlohmann::json& json, const std::string& source);

std::string point_dir(const std::string& out, const std::string& key);   // DIR/points/<key>
std::string layout_dir(const std::string& out, const std::string& key);  // DIR/layouts/<key>
std::string task_dir(const std::string& out, const Task& task);
std::string outcome_file(const std::string& out, const Task& task);

// Whether computing `task` simulates recordings: a point's RTL and netlist
// checks (or its power with power.scope "all"), a power run, a layout's
// routed-netlist check.  A Slurm worker loads the recordings only then.
bool task_needs_recordings(const Task& task, const ExploreConfig& config);

// A failed point or layout given again (--retry-failed): its failed outcome
// file goes first (a finished one stays), so that no executor or worker
// takes the old failure for the result of the new attempt (a Slurm worker
// returns at once when the outcome exists).
void forget_failed_outcome(const std::string& out, const Task& task);

// Computes `task` into the output directory and writes its outcome file.
// A failure of the work itself (tool error, timeout, verification mismatch)
// is a "failed" outcome (a failed power run: a point with power_error), not
// an exception; exceptions mean the task could not record anything.
void run_task(const BuildContext& context, const Task& task);

// The outcome a finished task left (nullopt: not finished, or unreadable).
std::optional<PointOutcome> finished_point(const std::string& out, const std::string& key);
std::optional<PointOutcome> finished_power(const std::string& out, const std::string& key);
std::optional<PointOutcome> finished_fpga(const std::string& out, const std::string& key);
std::optional<LayoutOutcome> finished_layout(const std::string& out, const std::string& key);
bool task_finished(const std::string& out, const Task& task);

// Removes what killed attempts of `task` left (its partial directories).
// Only call it when no attempt of the task can still be running.
void remove_partials(const std::string& out, const Task& task);
// Removes partial directories under `parent` whose process (on this host)
// is gone.
void remove_stale_partials(const std::string& parent);

}  // namespace gaitlstm::explore
