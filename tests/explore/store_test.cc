#include "explore/store.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace gaitlstm::explore {
namespace {

using nlohmann::json;

PointRecord point(const std::string& key, double area) {
  return {key, "h8", "8bit", "serial", "done", json{{"area_mm2", area}}, "", 1.5};
}

TEST(Store, PointsRoundTripAndPersist) {
  testing::TempDir dir;
  const std::string path = dir.file("explore.db");
  {
    Store store(path);
    EXPECT_FALSE(store.point("a").has_value());
    store.put_point(point("a", 0.25));
    PointRecord failed = point("b", 0);
    failed.status = "failed";
    failed.error = "yosys failed";
    store.put_point(failed);
  }
  Store store(path);
  const auto a = store.point("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->arch, "serial");
  EXPECT_DOUBLE_EQ(a->metrics["area_mm2"].get<double>(), 0.25);
  EXPECT_EQ(store.count_points(), 2);
  EXPECT_EQ(store.count_points("done"), 1);
  EXPECT_EQ(store.point("b")->error, "yosys failed");
  EXPECT_EQ(store.points().size(), 2u);
}

TEST(Store, StagesLayoutsMetaAndAttempts) {
  testing::TempDir dir;
  Store store(dir.file("explore.db"));
  store.put_stage({"k1", "float", "h8", "/x/model.json", json{{"auc", 0.9}}, 3});
  EXPECT_EQ(store.stage("k1")->file, "/x/model.json");
  store.put_layout({"l1", "a", 0.45, 1, "done", json{{"cells", 10}}, "", "/x/l1.png", 60});
  EXPECT_EQ(store.layouts().size(), 1u);
  EXPECT_DOUBLE_EQ(store.layout("l1")->density, 0.45);
  store.set_meta("config", "{}");
  EXPECT_EQ(*store.meta("config"), "{}");
  store.record_attempt("a", "point");
  store.record_attempt("a", "point");
  store.record_attempt("l1", "layout");
  EXPECT_EQ(store.attempts("a"), 2);
  EXPECT_EQ(store.total_attempts("point"), 2);
}

TEST(Store, ParallelWriters) {
  testing::TempDir dir;
  Store store(dir.file("explore.db"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) store.put_point(point(std::to_string(t * 100 + i), i));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(store.count_points(), 100);
}

// A writer killed with SIGKILL in the middle of its writes leaves a store
// that opens, passes SQLite's integrity check and holds whole records only.
TEST(Store, SurvivesSigkillDuringWrites) {
  testing::TempDir dir;
  const std::string path = dir.file("explore.db");
  { Store init(path); }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Store store(path);
    const std::string big(20000, 'x');
    for (int i = 0;; ++i) store.put_point({std::to_string(i), "m", "q", "serial", "done", json{{"blob", big}, {"i", i}}, "", 0});
  }
  ::usleep(300000);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  Store store(path);
  const int64_t n = store.count_points();
  EXPECT_GT(n, 0);
  for (const PointRecord& p : store.points()) EXPECT_EQ(p.metrics["blob"].get<std::string>().size(), 20000u);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(Store, HashKeysAreStableAndCanonical) {
  EXPECT_EQ(hash_key(std::string("")), "cbf29ce484222325");  // FNV-1a offset basis
  EXPECT_EQ(hash_key(json{{"b", 1}, {"a", 2}}), hash_key(json{{"a", 2}, {"b", 1}}));
  EXPECT_NE(hash_key(json{{"a", 1}}), hash_key(json{{"a", 2}}));
}

}  // namespace
}  // namespace gaitlstm::explore
