#include "explore/store.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "explore/sample_points.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::explore {
namespace {

using nlohmann::json;

PointOutcome point(const std::string& key, double area) {
  return samples::sample_outcome(key, samples::sample_result("serial", 0.9, area));
}

std::string integrity(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const std::string result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

TEST(Store, PointsRoundTripTypedAndPersist) {
  testing::TempDir dir;
  const std::string path = dir.file("explore.db");
  {
    Store store(path);
    EXPECT_FALSE(store.point("a").has_value());
    store.put_point(point("a", 0.25));
    store.put_point(samples::failed_outcome("b", "yosys failed"));
  }
  Store store(path);
  const auto a = store.point("a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->arch, "serial");
  EXPECT_DOUBLE_EQ(a->result->area_mm2(), 0.25);
  EXPECT_EQ(to_json(*a), to_json(point("a", 0.25)));
  EXPECT_EQ(store.count_points(), 2);
  EXPECT_EQ(store.count_points("done"), 1);
  EXPECT_EQ(store.point("b")->error, "yosys failed");
  EXPECT_EQ(store.points().size(), 2u);
}

TEST(Store, StagesLayoutsMetaAttemptsAndSubmissions) {
  testing::TempDir dir;
  Store store(dir.file("explore.db"));
  store.put_stage({"k1", "float", "h8", "/x/model.json", json{{"auc", 0.9}}, 3});
  EXPECT_EQ(store.stage("k1")->file, "/x/model.json");
  store.put_layout({"l1", "a", "h8/8bit/serial", 0.45, 1, "done", samples::sample_layout(), "", 60});
  EXPECT_EQ(store.layouts().size(), 1u);
  EXPECT_DOUBLE_EQ(store.layout("l1")->density, 0.45);
  EXPECT_EQ(store.layout("l1")->figures->png, "layouts/l1/layout.png");
  store.set_meta("config", "{}");
  EXPECT_EQ(*store.meta("config"), "{}");
  store.record_attempt("a", "point");
  store.record_attempt("a", "point");
  store.record_attempt("l1", "layout");
  EXPECT_EQ(store.attempts("a"), 2);
  EXPECT_EQ(store.total_attempts("point"), 2);
  // A worker's start marker, seen on every poll, counts once.
  store.record_attempt("c", "point", "slurm:17_3", true);
  store.record_attempt("c", "point", "slurm:17_3", true);
  store.record_attempt("c", "point", "slurm:18_3", true);
  EXPECT_EQ(store.attempts("c"), 2);
  store.record_submission({"c", "point", "b1", "17", 3});
  store.record_submission({"c", "point", "b1", "18", 3});
  store.record_submission({"c", "power", "b2", "19", 0});
  const std::vector<Submission> subs = store.submissions("c", "point");
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs.back().job, "18");
  EXPECT_EQ(subs.back().task, 3);
}

TEST(Store, ParallelWriters) {
  testing::TempDir dir;
  Store store(dir.file("explore.db"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) store.put_point(point(std::to_string(t * 100 + i), i + 1));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(store.count_points(), 100);
}

// A writer killed in the middle of a transaction (its pages already spilled
// into the WAL, no commit yet) leaves a store that opens, passes SQLite's
// integrity check and holds exactly the records committed before.
// Deterministic: the child kills itself at a fixed point of its writes.
TEST(Store, SurvivesSigkillInsideATransaction) {
  testing::TempDir dir;
  const std::string path = dir.file("explore.db");
  constexpr int kCommitted = 40;
  { Store init(path); }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    {
      Store store(path);
      for (int i = 0; i < kCommitted; ++i) store.put_point(point(std::to_string(i), i + 1));
    }
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA cache_size = 4; BEGIN;", nullptr, nullptr, nullptr);  // small cache: pages spill
    const std::string big(20000, 'x');
    for (int i = 0; i < 200; ++i) {
      const std::string sql = "INSERT INTO points(key, status, record) VALUES ('u" + std::to_string(i) + "', 'done', '" +
                              big + "')";
      sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    }
    ::raise(SIGKILL);  // before COMMIT
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  Store store(path);
  EXPECT_EQ(store.count_points(), kCommitted);
  for (const PointOutcome& p : store.points()) EXPECT_TRUE(p.done());
  EXPECT_EQ(integrity(path), "ok");
}

// A record that is not a valid outcome (written by hand, or by another
// version) is an error naming the store and the key, not zeros.
TEST(Store, MalformedRecordIsAnError) {
  testing::TempDir dir;
  const std::string path = dir.file("explore.db");
  { Store init(path); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO points(key, status, record) VALUES ('k', 'done', '{\"key\": \"k\"}')", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Store store(path);
  try {
    store.point("k");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("points[k]"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("missing"));
  }
}

// A store of the first format keeps its cached models (stages); its points,
// layouts and attempts (untyped metrics) are dropped and rebuilt.
TEST(Store, FirstFormatKeepsStagesAndDropsPoints) {
  testing::TempDir dir;
  const std::string path = dir.file("explore.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE stages(key TEXT PRIMARY KEY, kind TEXT, label TEXT, file TEXT, metrics TEXT, "
                         "seconds REAL, finished TEXT);"
                         "INSERT INTO stages VALUES ('m', 'float', 'h8', '/m.json', '{}', 1, '');"
                         "CREATE TABLE points(key TEXT PRIMARY KEY, model TEXT, quant TEXT, arch TEXT, status TEXT, "
                         "metrics TEXT, error TEXT, seconds REAL, finished TEXT);"
                         "INSERT INTO points VALUES ('p', 'h8', '8bit', 'serial', 'done', '{\"cells\": 5}', '', 1, '');"
                         "CREATE TABLE attempts(id INTEGER PRIMARY KEY, key TEXT, kind TEXT, pid INTEGER, started TEXT);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Store store(path);
  EXPECT_EQ(store.stage("m")->file, "/m.json");
  EXPECT_EQ(store.count_points(), 0);
  store.put_point(point("p", 1));
  store.record_attempt("p", "point");
  EXPECT_EQ(store.attempts("p"), 1);
}

TEST(Store, HashKeysAreStableAndCanonical) {
  EXPECT_EQ(hash_key(std::string("")), "cbf29ce484222325");  // FNV-1a offset basis
  EXPECT_EQ(hash_key(json{{"b", 1}, {"a", 2}}), hash_key(json{{"a", 2}, {"b", 1}}));
  EXPECT_NE(hash_key(json{{"a", 1}}), hash_key(json{{"a", 2}}));
}

}  // namespace
}  // namespace gaitlstm::explore
