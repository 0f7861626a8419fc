// The worker's side of the Slurm executor (slurm.h): one task of a batch.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "data/load.h"
#include "explore/json_reader.h"
#include "explore/slurm.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::explore {

namespace fs = std::filesystem;
using nlohmann::json;

void run_explore_worker(const std::string& job_dir, int64_t task_index, ToolRunner& runner) {
  const std::string file = (fs::path(job_dir) / "job.json").string();
  json j;
  try {
    j = json::parse(read_file(file));
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw InputError(file, 0, std::string("malformed JSON: ") + e.what());
  }
  ObjectReader r(j, "", file);
  std::string format, out_dir, config_source, data_dir;
  int version = 0;
  r.require("format", format);
  r.require("version", version);
  if (format != "gaitlstm-explore-job" || version != 1) r.fail("not a gaitlstm explore job (format/version)");
  r.require("out_dir", out_dir);
  r.require("config_source", config_source);
  r.require("data_dir", data_dir);
  const json& list = r.at("tasks");
  if (!list.is_array()) r.fail("must be an array", "tasks");
  if (task_index < 0 || task_index >= static_cast<int64_t>(list.size()))
    r.fail(fmt::format("no task {} (the batch has {})", task_index, list.size()), "tasks");
  const Task task = task_from_json(list[static_cast<size_t>(task_index)], fmt::format("{}: tasks[{}]", file, task_index));
  const ExploreConfig config = parse_config(r.at("config"), config_source);
  r.finish();

  // The coordinator counts this marker as the task's start (attempts table).
  const char* slurm_job = std::getenv("SLURM_ARRAY_JOB_ID");
  write_file_atomic((fs::path(job_dir) / "started" /
                     fmt::format("{}.{}", task_index, slurm_job ? slurm_job : std::to_string(::getpid())))
                        .string(),
                    "");
  if (task_finished(out_dir, task)) return;  // an earlier attempt finished after all
  remove_partials(out_dir, task);            // earlier attempts of this task have ended (Slurm said so)

  // Recordings only for what simulates them: verification (a point's RTL and
  // netlist, a layout's routed netlist) and power.
  data::Dataset dataset;
  if (task_needs_recordings(task, config))
    dataset = data::load_datasets(config.data.sources(data_dir), config.realtime.sensor_hz, config.data.channels);
  BuildContext context;
  context.config = &config;
  context.dataset = &dataset;
  context.out_dir = out_dir;
  context.realtime = realtime_spec(config.realtime.sensor_hz, config.realtime.stride, config.realtime.deadline,
                                   config.realtime.deadline_s);
  context.runner = &runner;
  run_task(context, task);
}

}  // namespace gaitlstm::explore
