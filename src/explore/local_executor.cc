#include <fmt/format.h>

#include "explore/executor.h"
#include "util/parallel.h"

namespace gaitlstm::explore {

namespace {

class LocalExecutor : public Executor {
 public:
  LocalExecutor(const BuildContext& context, int jobs) : context_(context), jobs_(std::max(1, jobs)) {}

  void run(const std::vector<Task>& tasks, const TaskEvents& events) override {
    parallel_for(jobs_, tasks.size(), [&](size_t i) {
      remove_partials(context_.out_dir, tasks[i]);
      events.started(i, "");
      try {
        run_task(context_, tasks[i]);
      } catch (const std::exception& e) {  // it could not even record a failure
        events.lost(i, e.what());
        return;
      }
      events.finished(i);
    });
  }

  std::string describe() const override { return fmt::format("{} local job(s)", jobs_); }

 private:
  BuildContext context_;
  int jobs_;
};

}  // namespace

std::unique_ptr<Executor> make_local_executor(const BuildContext& context, int jobs) {
  return std::make_unique<LocalExecutor>(context, jobs);
}

}  // namespace gaitlstm::explore
