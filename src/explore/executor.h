// Where tasks (tasks.h) run.  The coordinator hands an executor a list of
// tasks and hears back, on its own thread or under its own locking, when
// each started and when each left its outcome file — or that it never will.
//
//   local  threads in this process (`-j N`), the tasks computed in place
//   slurm  job arrays on a Slurm cluster (slurm.h), one array task per task
//
// The coordinator records what the events report; executors never open
// the store for outcomes (the Slurm one keeps its submissions there, through
// the coordinator's store object, to adopt running tasks after a restart).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "explore/tasks.h"

namespace gaitlstm::explore {

struct TaskEvents {
  // Task `index` started on `worker` ("" = this process).  May be called
  // more than once per attempt with the same worker: record it once.
  std::function<void(size_t index, const std::string& worker)> started;
  // Its outcome file is on disk (task_finished() is true).
  std::function<void(size_t index)> finished;
  // It will not produce an outcome (every attempt crashed, was cancelled,
  // timed out or was lost): `reason` says what happened.
  std::function<void(size_t index, const std::string& reason)> lost;
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs every task of `tasks` (all of one kind) to an outcome or a loss.
  // Exceptions thrown by an event handler stop the run and propagate.
  virtual void run(const std::vector<Task>& tasks, const TaskEvents& events) = 0;
  virtual std::string describe() const = 0;  // for the log: "2 threads", "Slurm partition ..."
};

// Threads in this process: `jobs` tasks at a time, each computed by
// run_task() with `context` (its runner must be thread-safe).  With one job
// everything runs on the calling thread, in order.
std::unique_ptr<Executor> make_local_executor(const BuildContext& context, int jobs);

}  // namespace gaitlstm::explore
