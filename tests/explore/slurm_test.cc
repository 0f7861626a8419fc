// `gaitlstm explore --executor slurm` against a real (single-node) Slurm
// cluster: `make test` starts one with scripts/slurm-local.sh and exports
// SLURM_CONF; without it these tests are skipped.
//
//  - SameResultsAsLocal: the small example (examples/explore-small.json,
//    capped at 2 design points, no layout) gives the same per-point results
//    (AUC, cells, area, f_max, cycles, power) with both executors.
//  - FaultsLoseAndRepeatNothing: array elements held, the coordinator killed
//    right after submitting, two elements cancelled with scancel, the rest
//    released; a rerun killed after its first recorded point; a third run
//    completes: every point done, each computed exactly once.  The kills are
//    deterministic (GAITLSTM_EXPLORE_TEST_CRASH), not timed.
#include <cstdlib>
#include <filesystem>
#include <map>

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "explore/store.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Skips unless a cluster answers (SLURM_CONF set, sinfo works).
bool cluster_up() {
  const char* conf = std::getenv("SLURM_CONF");
  if (!conf || !*conf) return false;
  return std::system("sinfo -h >/dev/null 2>&1") == 0;
}

#define REQUIRE_CLUSTER()                                                                                  \
  if (!cluster_up())                                                                                       \
  GTEST_SKIP() << "no Slurm cluster (make test starts one with scripts/slurm-local.sh and sets SLURM_CONF)"

std::string shell(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

testing::CommandResult explore(const std::string& args, const std::string& crash = "") {
  ::unsetenv("GAITLSTM_DATA");
  if (!crash.empty()) ::setenv("GAITLSTM_EXPLORE_TEST_CRASH", crash.c_str(), 1);
  const testing::CommandResult r = testing::run_gaitlstm("explore " + args);
  ::unsetenv("GAITLSTM_EXPLORE_TEST_CRASH");
  return r;
}

bool killed(const testing::CommandResult& r) { return r.status == -1 || r.status == 137; }

const char* kSlurm = " --executor slurm --slurm-poll-seconds 0.5 --slurm-point-minutes 30 --slurm-power-minutes 30";

TEST(ExploreSlurm, SameResultsAsLocal) {
  REQUIRE_CLUSTER();
  testing::TempDir dir;
  json config = json::parse(read_file(std::string(GAITLSTM_SOURCE_DIR) + "/examples/explore-small.json"));
  config["budget"]["max_points"] = 2;  // its first candidate in both architectures
  config["power"]["decisions"] = 1;     // the gate-level simulation dominates a point's time
  config["verify"]["netlist_decisions"] = 1;  // the netlist check runs in the workers too
  const std::string path = dir.write("small.json", config.dump(1));
  const testing::CommandResult local = explore("--config " + path + " --out " + dir.file("local") + " -j 2 --no-layout");
  ASSERT_EQ(local.status, 0) << local.output;
  // Training and the search are the same work for both: keep the cached
  // models (the store's stages), build the points again.
  fs::create_directories(dir.file("slurm"));
  fs::copy_file(dir.file("local/explore.db"), dir.file("slurm/explore.db"));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("slurm/explore.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM points; DELETE FROM attempts;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const testing::CommandResult slurm =
      explore("--config " + path + " --out " + dir.file("slurm") + " --no-layout" + kSlurm);
  ASSERT_EQ(slurm.status, 0) << slurm.output;
  Store a(dir.file("local/explore.db")), b(dir.file("slurm/explore.db"));
  ASSERT_EQ(a.count_points("done"), 2);
  for (const PointOutcome& l : a.points()) {
    const std::optional<PointOutcome> s = b.point(l.key);
    ASSERT_TRUE(s && s->done()) << l.name();
    const PointResult &x = *l.result, &y = *s->result;
    EXPECT_EQ(y.auc, x.auc) << l.name();
    EXPECT_EQ(y.cells(), x.cells()) << l.name();
    EXPECT_EQ(y.area_mm2(), x.area_mm2()) << l.name();
    EXPECT_EQ(y.fmax_mhz(), x.fmax_mhz()) << l.name();
    EXPECT_EQ(y.cycles_per_decision(), x.cycles_per_decision()) << l.name();
    ASSERT_EQ(y.power.has_value(), x.power.has_value()) << l.name();
    if (x.power) {
      EXPECT_EQ(y.power->total_w, x.power->total_w) << l.name();
    }
    EXPECT_EQ(y.realtime.energy_per_decision_j, x.realtime.energy_per_decision_j) << l.name();
    ASSERT_TRUE(x.netlist_verify && y.netlist_verify) << l.name();
    EXPECT_TRUE(x.netlist_verify->passed && y.netlist_verify->passed) << l.name();
  }
}

json tiny_config() {
  const json front_end = {{"sample", 12}, {"coefficient", 12}, {"state", 16}, {"energy", 20}};
  json w4 = front_end, w6 = front_end;
  w4["input_weight"] = w4["recurrent_weight"] = 4;
  w6["input_weight"] = w6["recurrent_weight"] = 6;
  return {{"data", {{"synthetic", {{"seed", 3}, {"subjects", 3}, {"minutes", 2.0}}}}},
          {"models", {{{"label", "h2"}, {"hidden", 2}, {"history", 4}, {"epochs", 1}, {"channels", "ankle_vert"},
                       {"axes_per_sensor", 1}, {"bands", "0.5-3"}, {"baseline_shift", 0}}}},
          {"quant", {{"bits", {{{"label", "8bit"}, {"bits", front_end}}, {{"label", "w6"}, {"bits", w6}},
                               {{"label", "w4"}, {"bits", w4}}}}}},
          {"architectures", {"serial", "lanes:2"}},
          {"verify", {{"enabled", false}}},
          {"power", {{"enabled", false}}},
          {"layout", {{"enabled", false}}}};
}

TEST(ExploreSlurm, FaultsLoseAndRepeatNothing) {
  REQUIRE_CLUSTER();
  testing::TempDir dir;
  const std::string config = dir.write("tiny.json", tiny_config().dump(1));
  const std::string out = dir.file("out");
  const std::string args = "--config " + config + " --out " + out + kSlurm;
  constexpr int kPlanned = 6;

  // 1. Submitted held, then the coordinator is killed.
  const testing::CommandResult first = explore(args + " --slurm-arg=--hold", "submitted:1");
  ASSERT_TRUE(killed(first)) << first.output;
  EXPECT_EQ(Store(out + "/explore.db").count_points(), 0);
  std::string job;
  // The array job's id, from the batch's sbatch log.
  for (const auto& e : fs::directory_iterator(out + "/jobs"))
    if (fs::is_directory(e.path())) job = read_file((e.path() / "sbatch.log").string());
  job = job.substr(0, job.find_first_of(";\n"));
  ASSERT_FALSE(job.empty());

  // 2. Two elements cancelled while nobody watches, the rest released.
  shell("scancel " + job + "_1 " + job + "_4");
  shell("scontrol release " + job);

  // 3. A rerun adopts the elements in the queue and is killed after its first record.
  const testing::CommandResult second = explore(args, "point-recorded:1");
  ASSERT_TRUE(killed(second)) << second.output;

  // 4. The last run completes.
  const testing::CommandResult third = explore(args);
  ASSERT_EQ(third.status, 0) << third.output;
  Store store(out + "/explore.db");
  EXPECT_EQ(store.count_points("done"), kPlanned) << third.output;
  for (const PointOutcome& p : store.points()) {
    EXPECT_EQ(store.attempts(p.key), 1) << p.name() << " computed twice";
    // The cancelled elements went out once more; the others were adopted, never resubmitted.
    const std::vector<Submission> subs = store.submissions(p.key, "point");
    ASSERT_FALSE(subs.empty());
    const bool cancelled = subs.front().task == 1 || subs.front().task == 4;
    EXPECT_EQ(subs.size(), cancelled ? 2u : 1u) << p.name();
  }
  const json results = json::parse(read_file(out + "/results.json"));
  EXPECT_EQ(results["points"].size(), static_cast<size_t>(kPlanned));
  EXPECT_EQ(shell("squeue -h -t pending,running -j " + job), "") << "nothing left in the queue";
}

}  // namespace
}  // namespace gaitlstm::explore
