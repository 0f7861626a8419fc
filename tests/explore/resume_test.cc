// Resumability of `gaitlstm explore`: a run SIGKILLed in the middle of the
// sweep, then rerun, ends with every point done, the points finished before
// the kill untouched (computed exactly once), and a third run computes
// nothing.  Tiny config: synthetic data, H = 2, one channel, no verification,
// power or layout, so each point is one Yosys + OpenSTA run of a small design.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

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

pid_t start_explore(const std::string& config, const std::string& out, const std::string& log) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(GAITLSTM_BINARY, GAITLSTM_BINARY, "explore", "--config", config.c_str(), "--out", out.c_str(), "-j", "2",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

TEST(ExploreResume, SigkillMidSweepThenRerun) {
  testing::TempDir dir;
  const std::string config = dir.write("tiny.json", tiny_config().dump(2));
  const std::string out = dir.file("out");
  const std::string db = out + "/explore.db";
  constexpr int kPlanned = 4;  // 1 model x 2 bit widths x 2 architectures
  constexpr int64_t kKillAfter = 2;

  const pid_t pid = start_explore(config, out, dir.file("first.log"));
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  bool exited = false;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    if (fs::exists(db) && Store(db).count_points("done") >= kKillAfter) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(exited) << "explore ended before it could be killed: " << read_file(dir.file("first.log"));
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);

  std::map<std::string, json> before;
  int64_t attempts_before = 0;
  {
    Store store(db);
    for (const PointRecord& p : store.points()) before[p.key] = p.metrics;
    attempts_before = store.total_attempts("point");
  }
  ASSERT_GE(static_cast<int64_t>(before.size()), kKillAfter);
  ASSERT_LT(static_cast<int>(before.size()), kPlanned) << "killed too late to test anything";

  const testing::CommandResult second = testing::run_gaitlstm("explore --config " + config + " --out " + out + " -j 2");
  ASSERT_EQ(second.status, 0) << second.output;
  {
    Store store(db);
    EXPECT_EQ(store.count_points("done"), kPlanned) << second.output;
    for (const auto& [key, metrics] : before) {
      EXPECT_EQ(store.attempts(key), 1) << key << " was computed again";
      EXPECT_EQ(store.point(key)->metrics, metrics) << key << " changed";
    }
    // Only the points in flight at the kill (at most -j of them) were redone.
    EXPECT_LE(store.total_attempts("point"), kPlanned + 2);
    EXPECT_EQ(store.total_attempts("point") - attempts_before,
              kPlanned - static_cast<int64_t>(before.size()));
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
