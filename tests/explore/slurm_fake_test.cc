// The Slurm executor's coordinator logic against a fake cluster: sbatch and
// squeue are answered by the fake runner, and an array element "runs" by
// calling the real worker (run_explore_worker) in this process — so
// submission, polling, resubmission of cancelled, failed and vanished
// elements, permanent failures and adoption after a coordinator crash are
// tested deterministically, without a cluster, a kill race or a sleep.
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "explore/engine_fixture.h"
#include "explore/slurm.h"
#include "util/error.h"

namespace gaitlstm::explore {
namespace {

namespace fs = std::filesystem;
using engine_test::FakeTools;
using engine_test::kPlanned;
using engine_test::options_for;
using engine_test::SimulatedCrash;
using ::testing::HasSubstr;

// What happens to an array element: it runs the worker now ("run"), is
// cancelled before starting ("cancel"), starts and crashes ("fail"), stays
// RUNNING until released ("hold"), or disappears from squeue ("vanish").
using Fate = std::function<std::string(int64_t index, int attempt)>;

struct FakeCluster {
  FakeTools& tools;
  Fate fate = [](int64_t, int) { return "run"; };
  int next_job = 100;
  int sbatch_calls = 0;
  std::map<int64_t, int> attempts;                               // per array index
  std::map<std::string, std::map<int64_t, std::string>> states;  // job -> index -> state
  std::map<std::string, std::string> job_dirs, job_names;
  int squeue_calls = 0;
  int release_at = -1;  // from this squeue call on, held elements run to COMPLETED

  explicit FakeCluster(FakeTools& t) : tools(t) {
    tools.runner.respond("sbatch", [this](const ToolCommand& c) { return sbatch(c); });
    tools.runner.respond("squeue", [this](const ToolCommand& c) { return squeue(c); });
  }

  void run_worker(const std::string& job, int64_t index) {
    ::setenv("SLURM_ARRAY_JOB_ID", job.c_str(), 1);
    run_explore_worker(job_dirs.at(job), index, tools.runner);
    ::unsetenv("SLURM_ARRAY_JOB_ID");
  }

  ReplayedRun sbatch(const ToolCommand& c) {
    ++sbatch_calls;
    const std::string job = std::to_string(next_job++);
    job_dirs[job] = fs::path(c.args.back()).parent_path().string();
    std::string list;
    for (const std::string& a : c.args) {
      if (a.rfind("--array=", 0) == 0) list = a.substr(8);
      if (a.rfind("--job-name=", 0) == 0) job_names[job] = a.substr(11);
    }
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');) {
      const int64_t index = std::stoll(item);
      const std::string f = fate(index, ++attempts[index]);
      if (f == "run") {
        run_worker(job, index);
        states[job][index] = "COMPLETED";
      } else if (f == "fail") {  // the worker started, then its node died
        std::ofstream(job_dirs[job] + "/started/" + std::to_string(index) + "." + job);
        states[job][index] = "FAILED";
      } else if (f == "cancel") {
        states[job][index] = "CANCELLED";
      } else if (f == "hold") {
        states[job][index] = "RUNNING";
      }  // "vanish": no record
    }
    return {0, false, 0.01, job + "\n", {}};
  }

  ReplayedRun squeue(const ToolCommand& c) {
    const std::string job = c.args.at(5);  // -h -r -t all -j ID -o FORMAT
    const bool release = release_at >= 0 && ++squeue_calls >= release_at;
    if (!states.count(job)) return {1, false, 0.01, "slurm_load_jobs error: Invalid job id specified\n", {}};
    std::string text;
    for (auto& [index, state] : states[job]) {
      if (release && state == "RUNNING") {
        run_worker(job, index);
        state = "COMPLETED";
      }
      text += job + " " + std::to_string(index) + " " + state + " " + job_names[job] + "\n";
    }
    return {0, false, 0.01, text, {}};
  }
};

class SlurmFake : public ::testing::Test {
 protected:
  testing::TempDir dir;
  ExploreConfig config = parse_config(engine_test::tiny_config_json(), dir.file("tiny.json"));
  std::string out = dir.file("out");
  Store store() const { return Store(out + "/explore.db"); }
  ExploreOptions slurm_options(int attempts = 3) const {
    ExploreOptions o = options_for(out);
    o.executor = "slurm";
    o.slurm.max_attempts = attempts;
    o.slurm.sleep = [](double) {};
    return o;
  }
};

TEST_F(SlurmFake, SameResultsAsLocalThreads) {
  FakeTools local_tools;
  ExploreOptions local = options_for(dir.file("local"), 2);
  run_exploration(config, local, local_tools.runner);
  FakeTools tools;
  FakeCluster cluster(tools);
  const ExploreSummary s = run_exploration(config, slurm_options(), tools.runner);
  EXPECT_EQ(s.points_done, kPlanned);
  EXPECT_EQ(cluster.sbatch_calls, 1) << "one array for the sweep";
  Store local_store(dir.file("local") + "/explore.db");
  const Store slurm_store = store();
  for (const PointOutcome& l : local_store.points()) {
    const std::optional<PointOutcome> r = slurm_store.point(l.key);
    ASSERT_TRUE(r && r->done()) << l.name();
    EXPECT_EQ(r->result->auc, l.result->auc);
    EXPECT_EQ(r->result->cells(), l.result->cells());
    EXPECT_EQ(r->result->area_mm2(), l.result->area_mm2());
    EXPECT_EQ(r->result->fmax_mhz(), l.result->fmax_mhz());
    EXPECT_EQ(r->result->cycles_per_decision(), l.result->cycles_per_decision());
    EXPECT_EQ(to_json(r->result->realtime), to_json(l.result->realtime));
    EXPECT_EQ(slurm_store.attempts(l.key), 1);
  }
}

TEST_F(SlurmFake, CancelledAndFailedElementsAreSubmittedAgain) {
  FakeTools tools;
  FakeCluster cluster(tools);
  cluster.fate = [](int64_t index, int attempt) -> std::string {
    if (attempt > 1) return "run";
    return index == 1 ? "cancel" : index == 2 ? "fail" : index == 3 ? "vanish" : "run";
  };
  const ExploreSummary s = run_exploration(config, slurm_options(), tools.runner);
  EXPECT_EQ(s.points_done, kPlanned);
  // The cancelled and the failed element go out again after the first poll,
  // the vanished one after kMissingPolls polls without a record.
  EXPECT_EQ(cluster.sbatch_calls, 3);
  EXPECT_EQ(tools.yosys_runs, kPlanned);
  const Store st = store();
  int64_t starts = 0;
  for (const PointOutcome& p : st.points()) starts += st.attempts(p.key);
  EXPECT_EQ(starts, kPlanned + 1) << "the failed element had started once before";
}

TEST_F(SlurmFake, ElementThatNeverSucceedsIsRecordedAsFailed) {
  FakeTools tools;
  FakeCluster cluster(tools);
  cluster.fate = [](int64_t index, int) -> std::string { return index == 0 ? "fail" : "run"; };
  const ExploreSummary s = run_exploration(config, slurm_options(2), tools.runner);
  EXPECT_EQ(s.points_done, kPlanned - 1);
  EXPECT_EQ(s.points_failed, 1);
  EXPECT_EQ(cluster.sbatch_calls, 2);
  for (const PointOutcome& p : store().points())
    if (!p.done()) {
      EXPECT_THAT(p.error, HasSubstr("FAILED in 2 attempt(s)"));
    }
  // A rerun does not submit it again (a failure is a result), unless asked.
  run_exploration(config, slurm_options(2), tools.runner);
  EXPECT_EQ(cluster.sbatch_calls, 2);
}

// A point whose work failed inside the worker (the worker wrote a failed
// outcome) is computed again with --retry-failed: the old outcome must not
// be taken for the new attempt's result.
TEST_F(SlurmFake, RetryFailedComputesAPointWhoseWorkFailedAgain) {
  FakeTools tools;
  FakeCluster cluster(tools);
  tools.yosys_fail = [](int run) { return run == 1; };
  const ExploreSummary first = run_exploration(config, slurm_options(), tools.runner);
  EXPECT_EQ(first.points_failed, 1);
  ExploreOptions retry = slurm_options();
  retry.retry_failed = true;
  const ExploreSummary second = run_exploration(config, retry, tools.runner);
  EXPECT_EQ(second.points_done, kPlanned);
  EXPECT_EQ(second.points_failed, 0);
  EXPECT_EQ(tools.yosys_runs, kPlanned + 1);
}

// The coordinator dies right after submitting; two held elements are
// cancelled while it is down, the others keep running.  The rerun adopts
// the running ones (no second submission of them), submits the cancelled
// two again, and every point is computed exactly once.
TEST_F(SlurmFake, RerunAfterCoordinatorCrashAdoptsRunningElements) {
  FakeTools tools;
  FakeCluster cluster(tools);
  cluster.fate = [](int64_t, int attempt) -> std::string { return attempt == 1 ? "hold" : "run"; };
  ExploreOptions o = slurm_options();
  o.on_event = engine_test::crash_at("submitted", 1);
  EXPECT_THROW(run_exploration(config, o, tools.runner), SimulatedCrash);
  ASSERT_EQ(cluster.sbatch_calls, 1);
  EXPECT_EQ(store().count_points(), 0);
  const std::string job = cluster.states.begin()->first;
  cluster.states[job][1] = "CANCELLED";  // scancel 100_1 100_3
  cluster.states[job][3] = "CANCELLED";
  cluster.release_at = 2;  // the rerun's first query sees them running: adopted
  const ExploreSummary s = run_exploration(config, slurm_options(), tools.runner);
  EXPECT_EQ(s.points_done, kPlanned);
  EXPECT_EQ(cluster.sbatch_calls, 2);
  EXPECT_EQ(tools.yosys_runs, kPlanned) << "nothing computed twice";
  const Store st = store();
  for (const PointOutcome& p : st.points()) EXPECT_EQ(st.attempts(p.key), 1) << p.name();
}

TEST(SlurmParsing, SqueueAndSbatchOutput) {
  const std::vector<SlurmTaskState> s =
      parse_squeue("123 0 COMPLETED a.b\n123 1 RUNNING a.b\n\n124 7 PENDING gaitlstm-explore.point-1\n", "sq");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].job, "124");
  EXPECT_EQ(s[2].name, "gaitlstm-explore.point-1");
  EXPECT_EQ(s[2].task, 7);
  EXPECT_EQ(s[1].state, "RUNNING");
  EXPECT_THROW(parse_squeue("123_[2-5] PENDING\n", "sq"), InputError);
  EXPECT_THROW(parse_squeue("123 [2-5] PENDING x\n", "sq"), InputError);
  EXPECT_TRUE(slurm_state_final("TIMEOUT"));
  EXPECT_TRUE(slurm_state_final("NODE_FAIL"));
  EXPECT_FALSE(slurm_state_final("PENDING"));
  EXPECT_FALSE(slurm_state_final("COMPLETING"));
  EXPECT_EQ(parse_sbatch_job_id("4711\n", "sb"), "4711");
  EXPECT_EQ(parse_sbatch_job_id("4711;cluster\n", "sb"), "4711");
  EXPECT_THROW(parse_sbatch_job_id("sbatch: error: invalid partition\n", "sb"), InputError);
}

// A Slurm worker loads the recordings only for tasks that simulate them.
// Layouts check their routed netlist on real decisions too: a worker that
// skipped the recordings for them failed every layout of the full example
// under Slurm ("0 mismatches ... in 0 decisions").
TEST(WorkerData, EveryTaskThatSimulatesGetsTheRecordings) {
  ExploreConfig config;
  config.verify.enabled = true;
  config.verify.routed_decisions = 4;
  config.power.enabled = true;
  config.power.scope = "front";
  Task task;
  for (const char* kind : {"point", "power", "layout"}) {
    task.kind = kind;
    EXPECT_TRUE(task_needs_recordings(task, config)) << kind;
  }
  task.kind = "fpga";
  EXPECT_FALSE(task_needs_recordings(task, config));
  config.verify.routed_decisions = 0;
  task.kind = "layout";
  EXPECT_FALSE(task_needs_recordings(task, config));
  config.verify.enabled = false;
  task.kind = "point";
  EXPECT_FALSE(task_needs_recordings(task, config));
  config.power.scope = "all";
  EXPECT_TRUE(task_needs_recordings(task, config));
}

}  // namespace
}  // namespace gaitlstm::explore
