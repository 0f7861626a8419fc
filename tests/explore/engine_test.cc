// The exploration engine on the fake runner (no EDA tools): a sweep builds
// every point once, resumes without recomputing, survives a crash between
// two points and between a point's end and its record, and records a
// failing or timed-out tool as a failed point while the sweep goes on.
// Crashes are a test hook throwing at a fixed event (no kill race, no sleep).
#include <filesystem>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/load.h"
#include "data/protocol.h"
#include "explore/engine_fixture.h"
#include "model/episodes.h"

namespace gaitlstm::explore {
namespace {

namespace fs = std::filesystem;
using engine_test::FakeTools;
using engine_test::kPlanned;
using engine_test::options_for;
using engine_test::SimulatedCrash;
using ::testing::HasSubstr;
using nlohmann::json;

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

// Every point carries its candidate's episode figures (golden alarms on the
// decisions the AUC is measured on: here the validation subject's), the same
// for every architecture of the candidate; a candidate cached before episodes
// were measured gets them on the next run, equal to a fresh measurement.
TEST_F(Engine, PointsCarryTheirCandidatesEpisodeFigures) {
  FakeTools tools;
  run_exploration(config, options_for(out), tools.runner);
  const json results = json::parse(read_file(out + "/results.json"));
  const data::Dataset dataset = data::load_dataset(results["run"]["data"].get<std::string>());
  const std::vector<data::Decision> decisions = data::make_decisions(dataset, {});
  int validation = 0;
  for (const data::Decision& d : decisions)
    if (d.freeze) validation = std::max(validation, d.subject);
  const std::vector<data::Decision> eval = data::filter_subjects(decisions, {validation});
  const model::EpisodeMetrics annotated =
      model::episode_metrics(model::episode_streams(dataset, eval, std::vector<uint8_t>(eval.size(), 0)));
  ASSERT_GT(annotated.count, 0) << "the synthetic validation subject has freezes";
  std::map<std::string, json> by_candidate;
  for (const PointOutcome& p : store().points()) {
    ASSERT_TRUE(p.done() && p.result->episodes) << p.name();
    const EpisodeFigures& e = *p.result->episodes;
    EXPECT_EQ(e.episodes, annotated.count) << "the validation subject's episodes";
    EXPECT_NEAR(e.observed_hours, annotated.observed_s / 3600, 1e-12);
    EXPECT_GE(e.sensitivity, e.sensitivity_within);
    EXPECT_EQ(e.cue, model::CueConfig{}) << "the model has no cue";
    const auto [it, fresh] = by_candidate.emplace(p.result->quant_key, to_json(e));
    if (!fresh) EXPECT_EQ(it->second, to_json(e)) << "same golden alarms for every architecture";
  }
  EXPECT_EQ(by_candidate.size(), 2u);
  EXPECT_NE(read_file(out + "/report.md").find("false alarms/h"), std::string::npos);

  // A store from before episodes: the candidates' stage records lose them.
  for (const auto& [key, figures] : by_candidate) {
    StageRecord r = *store().stage(key);
    ASSERT_EQ(r.metrics.at("episodes"), figures);
    r.metrics.erase("episodes");
    store().put_stage(r);
  }
  run_exploration(config, options_for(out), tools.runner);
  for (const auto& [key, figures] : by_candidate) EXPECT_EQ(store().stage(key)->metrics.at("episodes"), figures);
  EXPECT_EQ(tools.yosys_runs, kPlanned) << "no point is built again";
}

// The FPGA target added to a finished sweep runs only the iCE40 flow (point
// keys do not depend on it), records fitting and non-fitting designs, keeps
// its figures on a rerun and makes them again when its settings change.
TEST_F(Engine, FpgaTargetAddsFiguresWithoutRebuildingThePoints) {
  FakeTools tools;
  run_exploration(config, options_for(out), tools.runner);
  EXPECT_EQ(tools.nextpnr_runs, 0) << "no FPGA without the target";
  json j = engine_test::tiny_config_json();
  j["targets"] = {"asic", "fpga"};
  j["fpga"] = {{"scope", "all"}};
  tools.fpga_nofit = [](int n) { return n == 2; };
  const ExploreSummary s = run_exploration(parse_config(j, "tiny.json"), options_for(out), tools.runner);
  EXPECT_EQ(s.points_computed, 0);
  EXPECT_EQ(tools.yosys_runs, kPlanned) << "no point is built again";
  EXPECT_EQ(tools.nextpnr_runs, kPlanned);
  int fitting = 0;
  for (const PointOutcome& p : store().points()) {
    ASSERT_TRUE(p.done() && p.result->fpga) << p.name();
    const FpgaFigures& f = *p.result->fpga;
    EXPECT_TRUE(f.ran()) << f.error;
    EXPECT_EQ(f.device, "up5k");
    EXPECT_EQ(f.package, "sg48");
    EXPECT_EQ(f.board, "icebreaker");
    EXPECT_EQ(f.top, "gaitlstm_board");
    EXPECT_EQ(f.cycles_per_decision, p.result->design.cycles_per_decision);
    if (!f.fits) {
      EXPECT_THAT(f.failure, HasSubstr("Unable to find a placement location"));
      continue;
    }
    ++fitting;
    EXPECT_EQ(f.used("ICESTORM_LC"), 3075);
    EXPECT_EQ(f.available("ICESTORM_LC"), 5280);
    EXPECT_DOUBLE_EQ(f.fmax_mhz, 13.51);
    EXPECT_NEAR(f.margin, 0.5 * 12e6 / static_cast<double>(f.cycles_per_decision), 1e-6);
    EXPECT_EQ(f.bitstream, "fpga/flow/gaitlstm_board.bin");
    EXPECT_TRUE(fs::is_regular_file(out + "/points/" + p.key + "/" + f.bitstream));
    EXPECT_TRUE(fs::exists(out + "/points/" + p.key + "/fpga/rtl/icebreaker.pcf"));
  }
  EXPECT_EQ(fitting, kPlanned - 1);
  const std::string md = read_file(out + "/report.md");
  EXPECT_THAT(md, HasSubstr("## FPGA")) << md;
  EXPECT_THAT(md, HasSubstr("| 3075 / 5280 (58 %) |"));
  EXPECT_THAT(md, HasSubstr("| NO: "));
  EXPECT_TRUE(json::parse(read_file(out + "/results.json"))["points"][0].contains("fpga"));

  run_exploration(parse_config(j, "tiny.json"), options_for(out), tools.runner);
  EXPECT_EQ(tools.nextpnr_runs, kPlanned) << "kept on a rerun";
  j["fpga"]["seed"] = 2;
  run_exploration(parse_config(j, "tiny.json"), options_for(out), tools.runner);
  EXPECT_EQ(tools.nextpnr_runs, 2 * kPlanned) << "new settings: made again";
  for (const PointOutcome& p : store().points()) EXPECT_EQ(p.result->fpga->seed, 2u);
}

// Figures stored by an earlier revision of the iCE40 flow (a record without
// "flow" is revision 1) are made again: a flow fix must reach old sweeps.
TEST_F(Engine, FpgaFiguresOfAnEarlierFlowRevisionAreMadeAgain) {
  FakeTools tools;
  json j = engine_test::tiny_config_json();
  j["targets"] = {"asic", "fpga"};
  j["fpga"] = {{"scope", "all"}};
  run_exploration(parse_config(j, "tiny.json"), options_for(out), tools.runner);
  ASSERT_EQ(tools.nextpnr_runs, kPlanned);
  for (PointOutcome p : store().points()) {
    ASSERT_TRUE(p.result->fpga);
    EXPECT_EQ(p.result->fpga->flow, eda::kFpgaFlowRevision);
    json record = to_json(p);
    record["result"]["fpga"]["settings"].erase("flow");
    store().put_point(point_outcome_from_json(record, "test"));
  }
  run_exploration(parse_config(j, "tiny.json"), options_for(out), tools.runner);
  EXPECT_EQ(tools.nextpnr_runs, 2 * kPlanned);
  for (const PointOutcome& p : store().points()) EXPECT_EQ(p.result->fpga->flow, eda::kFpgaFlowRevision);
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
