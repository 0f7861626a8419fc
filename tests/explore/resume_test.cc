// Resumability of `gaitlstm explore` end to end with the real tools: a run
// killed with SIGKILL in the middle of the sweep, then rerun, ends with
// every point done, the points finished before the kill untouched (computed
// exactly once), and a third run computes nothing.  The kill is
// deterministic: GAITLSTM_EXPLORE_TEST_CRASH makes the coordinator SIGKILL
// itself right after it recorded the second point (one job: nothing else is
// in flight).  Tiny config: synthetic data, H = 2, one channel, no
// verification, power or layout, so each point is one Yosys + OpenSTA run
// of a small design.  (The same logic on the fake runner, in seconds:
// engine_test.cc.)
#include <cstdlib>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "explore/store.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Narrow front-end formats keep the design at ~9k cells (~10 s of Yosys).
const json kSmallFrontEnd = {{"sample", 12}, {"coefficient", 12}, {"state", 16}, {"energy", 20}};

json tiny_config() {
  return {{"data", {{"synthetic", {{"seed", 3}, {"subjects", 3}, {"minutes", 2.0}}}}},
          {"models", {{{"label", "h2"}, {"hidden", 2}, {"history", 4}, {"epochs", 1}, {"channels", "ankle_vert"},
                       {"axes_per_sensor", 1}, {"bands", "0.5-3"}, {"baseline_shift", 0}}}},
          {"quant", {{"bits", {{{"label", "8bit"}, {"bits", kSmallFrontEnd}},
                               {{"label", "w4"}, {"bits", {{"input_weight", 4}, {"recurrent_weight", 4}, {"sample", 12},
                                                           {"coefficient", 12}, {"state", 16}, {"energy", 20}}}}}}}},
          {"architectures", {"serial", "lanes:2"}},
          {"clock_ns", 20},
          {"verify", {{"enabled", false}}},
          {"power", {{"enabled", false}}},
          {"layout", {{"enabled", false}}}};
}

TEST(ExploreResume, SigkillMidSweepThenRerun) {
  testing::TempDir dir;
  const std::string config = dir.write("tiny.json", tiny_config().dump(2));
  const std::string out = dir.file("out");
  const std::string db = out + "/explore.db";
  constexpr int kPlanned = 4;  // 1 model x 2 bit widths x 2 architectures
  constexpr int64_t kKillAfter = 2;

  ::unsetenv("GAITLSTM_DATA");  // the config's synthetic recordings, whatever the shell says
  ::setenv("GAITLSTM_EXPLORE_TEST_CRASH", "point-recorded:2", 1);
  const testing::CommandResult first = testing::run_gaitlstm("explore --config " + config + " --out " + out + " -j 1");
  ::unsetenv("GAITLSTM_EXPLORE_TEST_CRASH");
  // Killed by SIGKILL: popen reports -1 (or 137 if the shell did not exec).
  ASSERT_TRUE(first.status == -1 || first.status == 137) << "explore was not killed: " << first.output;

  std::map<std::string, json> before;
  int64_t attempts_before = 0;
  {
    Store store(db);
    for (const PointOutcome& p : store.points()) before[p.key] = to_json(p);
    attempts_before = store.total_attempts("point");
  }
  ASSERT_EQ(static_cast<int64_t>(before.size()), kKillAfter);
  EXPECT_EQ(attempts_before, kKillAfter);

  const testing::CommandResult second = testing::run_gaitlstm("explore --config " + config + " --out " + out + " -j 2");
  ASSERT_EQ(second.status, 0) << second.output;
  {
    Store store(db);
    EXPECT_EQ(store.count_points("done"), kPlanned) << second.output;
    for (const auto& [key, metrics] : before) {
      EXPECT_EQ(store.attempts(key), 1) << key << " was computed again";
      EXPECT_EQ(to_json(*store.point(key)), metrics) << key << " changed";
    }
    EXPECT_EQ(store.total_attempts("point"), kPlanned) << "nothing computed twice";
  }
  for (const auto& e : fs::directory_iterator(out + "/points"))
    EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << "stale " << e.path();

  const json results = json::parse(read_file(out + "/results.json"));
  EXPECT_EQ(results["points"].size(), static_cast<size_t>(kPlanned));

  // A third run finds everything in the store.
  const testing::CommandResult third = testing::run_gaitlstm("explore --config " + config + " --out " + out);
  ASSERT_EQ(third.status, 0) << third.output;
  EXPECT_NE(third.output.find("0 built now"), std::string::npos) << third.output;
  EXPECT_EQ(json::parse(read_file(out + "/results.json"))["points"], results["points"]);
}

}  // namespace
}  // namespace gaitlstm::explore
