// The exploration engine on the fake runner (no EDA tools): a sweep builds
// every point once, resumes without recomputing, survives a crash between
// two points and between a point's end and its record, and records a
// failing or timed-out tool as a failed point while the sweep goes on.
// Crashes are a test hook throwing at a fixed event (no kill race, no sleep).
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "explore/engine_fixture.h"

namespace gaitlstm::explore {
namespace {

namespace fs = std::filesystem;
using engine_test::FakeTools;
using engine_test::kPlanned;
using engine_test::options_for;
using engine_test::SimulatedCrash;
using ::testing::HasSubstr;

class Engine : public ::testing::Test {
 protected:
  ExploreConfig config = parse_config(engine_test::tiny_config_json(), "tiny.json");
  testing::TempDir dir;
  std::string out = dir.file("out");
  Store store() const { return Store(out + "/explore.db"); }
};

TEST_F(Engine, BuildsEveryPointOnceAndResumesWithoutRecomputing) {
  FakeTools tools;
  const ExploreSummary first = run_exploration(config, options_for(out), tools.runner);
  EXPECT_EQ(first.points_planned, kPlanned);
  EXPECT_EQ(first.points_done, kPlanned);
  EXPECT_EQ(first.points_computed, kPlanned);
  EXPECT_EQ(tools.yosys_runs, kPlanned);
  const ExploreSummary second = run_exploration(config, options_for(out), tools.runner);
  EXPECT_EQ(second.points_done, kPlanned);
  EXPECT_EQ(second.points_computed, 0);
  EXPECT_EQ(tools.yosys_runs, kPlanned) << "nothing is synthesized again";
  const Store s = store();
  for (const PointOutcome& p : s.points()) {
    EXPECT_EQ(s.attempts(p.key), 1);
    ASSERT_TRUE(p.done());
    EXPECT_EQ(p.result->cells(), 687);
    EXPECT_NEAR(p.result->fmax_mhz(), 192.69, 0.01);
    EXPECT_EQ(p.result->artefacts, "points/" + p.key);
    EXPECT_TRUE(fs::is_regular_file(out + "/points/" + p.key + "/outcome.json"));
  }
  EXPECT_TRUE(fs::exists(first.report_html));
}

TEST_F(Engine, CrashBetweenTwoPointsThenRerunLosesAndRepeatsNothing) {
  FakeTools tools;
  ExploreOptions o = options_for(out);
  o.on_event = engine_test::crash_at("point-recorded", 1);
  EXPECT_THROW(run_exploration(config, o, tools.runner), SimulatedCrash);
  EXPECT_EQ(store().count_points(), 1);
  EXPECT_EQ(tools.yosys_runs, 1);
  const ExploreSummary rerun = run_exploration(config, options_for(out), tools.runner);
  EXPECT_EQ(rerun.points_done, kPlanned);
  EXPECT_EQ(rerun.points_computed, kPlanned - 1);
  EXPECT_EQ(tools.yosys_runs, kPlanned);
  for (const PointOutcome& p : store().points()) EXPECT_EQ(store().attempts(p.key), 1) << p.name();
}

// The coordinator dies after a point's outcome is on disk, before the store
// has it (what a Slurm worker's finished point looks like to a restarted
// coordinator): the rerun records it from its outcome file.
TEST_F(Engine, CrashBeforeRecordingThenRerunRecordsTheOutcomeFile) {
  FakeTools tools;
  ExploreOptions o = options_for(out);
  o.on_event = engine_test::crash_at("point-finished", 2);
  EXPECT_THROW(run_exploration(config, o, tools.runner), SimulatedCrash);
  EXPECT_EQ(store().count_points(), 1);
  EXPECT_EQ(tools.yosys_runs, 2);
  const ExploreSummary rerun = run_exploration(config, options_for(out), tools.runner);
  EXPECT_EQ(rerun.points_done, kPlanned);
  EXPECT_EQ(rerun.points_computed, kPlanned - 2);
  EXPECT_EQ(tools.yosys_runs, kPlanned) << "the finished point is not synthesized again";
  for (const PointOutcome& p : store().points()) EXPECT_EQ(store().attempts(p.key), 1) << p.name();
}

TEST_F(Engine, FailingToolFailsThePointNotTheSweep) {
  FakeTools tools;
  tools.yosys_fail = [](int n) { return n == 2; };
  const ExploreSummary s = run_exploration(config, options_for(out), tools.runner);
  EXPECT_EQ(s.points_done, kPlanned - 1);
  EXPECT_EQ(s.points_failed, 1);
  std::vector<PointOutcome> failed;
  for (const PointOutcome& p : store().points())
    if (!p.done()) failed.push_back(p);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_THAT(failed[0].error, HasSubstr("yosys failed (exit code 1)"));
  EXPECT_THAT(failed[0].error, HasSubstr("replayed failure"));
  // The failed point's logs are kept under its final name.
  EXPECT_TRUE(fs::exists(out + "/points/" + failed[0].key + "/synth/yosys.stdout.log"));
  // Not retried unless asked; then it is.
  run_exploration(config, options_for(out), tools.runner);
  EXPECT_EQ(tools.yosys_runs, kPlanned);
  ExploreOptions retry = options_for(out);
  retry.retry_failed = true;
  EXPECT_EQ(run_exploration(config, retry, tools.runner).points_done, kPlanned);
  EXPECT_EQ(store().attempts(failed[0].key), 2);
}

TEST_F(Engine, ToolTimeoutFailsThePoint) {
  FakeTools tools;
  tools.sta_timeout = [](int n) { return n == 3; };
  const ExploreSummary s = run_exploration(config, options_for(out, 2), tools.runner);
  EXPECT_EQ(s.points_done, kPlanned - 1);
  EXPECT_EQ(s.points_failed, 1);
  for (const PointOutcome& p : store().points())
    if (!p.done()) {
      EXPECT_THAT(p.error, HasSubstr("timed out"));
    }
}

TEST_F(Engine, ReportOnlyBuildsNothingAndCountsWhatIsMissing) {
  FakeTools tools;
  ExploreOptions o = options_for(out);
  o.report_only = true;
  const ExploreSummary s = run_exploration(config, o, tools.runner);
  EXPECT_EQ(s.points_pending, kPlanned);
  EXPECT_EQ(tools.yosys_runs, 0);
}

}  // namespace
}  // namespace gaitlstm::explore
