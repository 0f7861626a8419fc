#include "explore/store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <stdexcept>

#include <fmt/format.h>

namespace gaitlstm::explore {

namespace {

using nlohmann::json;

// user_version 2: typed records (point.h) and the submissions table.  A
// store of version 0 (the first format: a metrics column read with silent
// defaults) keeps its meta and stages (models and candidates stay cached);
// its points, layouts and attempts are dropped and rebuilt.
constexpr int kSchemaVersion = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS stages(key TEXT PRIMARY KEY, kind TEXT, label TEXT, file TEXT, metrics TEXT,
                                  seconds REAL, finished TEXT);
CREATE TABLE IF NOT EXISTS points(key TEXT PRIMARY KEY, model TEXT, quant TEXT, arch TEXT, status TEXT,
                                  record TEXT, error TEXT, seconds REAL, finished TEXT);
CREATE TABLE IF NOT EXISTS layouts(key TEXT PRIMARY KEY, point TEXT, density REAL, aspect REAL, status TEXT,
                                   record TEXT, error TEXT, png TEXT, seconds REAL, finished TEXT);
CREATE TABLE IF NOT EXISTS attempts(id INTEGER PRIMARY KEY, key TEXT, kind TEXT, worker TEXT, started TEXT);
CREATE TABLE IF NOT EXISTS submissions(id INTEGER PRIMARY KEY, key TEXT, kind TEXT, batch TEXT, job TEXT,
                                       task INTEGER, submitted TEXT);
CREATE INDEX IF NOT EXISTS attempts_key ON attempts(key);
CREATE INDEX IF NOT EXISTS submissions_key ON submissions(key, kind);
)sql";

std::string now_text() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("results store: {} ({})", sqlite3_errmsg(db), sql));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& bind_int(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(fmt::format("results store: {}", sqlite3_errmsg(db_)));
  }
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  json json_col(int col) const {
    const std::string t = text(col);
    return t.empty() ? json::object() : json::parse(t);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string hostname() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

std::string this_worker() { return fmt::format("{}:{}", hostname(), ::getpid()); }

namespace {
}  // namespace

Store::Store(const std::string& path) : path_(path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(fmt::format("cannot open results store {}: {}", path, message));
  }
  sqlite3_busy_timeout(db_, 30000);
  // WAL: readers never block the writer and a killed writer leaves the last
  // committed state; synchronous=NORMAL is crash-safe in WAL mode (a power
  // loss may lose the last transactions, never corrupt the database).
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  migrate();
  exec(kSchema);
}

Store::~Store() { sqlite3_close(db_); }

void Store::exec(const std::string& sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(fmt::format("results store {}: {}", path_, message));
  }
}

std::optional<StageRecord> Store::stage(const std::string& key) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT key, kind, label, file, metrics, seconds FROM stages WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return StageRecord{s.text(0), s.text(1), s.text(2), s.text(3), s.json_col(4), s.real(5)};
}

void Store::put_stage(const StageRecord& r) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT OR REPLACE INTO stages VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, r.key).bind(2, r.kind).bind(3, r.label).bind(4, r.file).bind(5, r.metrics.dump()).bind(6, r.seconds)
      .bind(7, now_text());
  s.step();
}

void Store::migrate() {
  std::lock_guard lock(mutex_);
  int64_t v = 0;
  {
    Statement version(db_, "PRAGMA user_version");
    version.step();
    v = version.integer(0);
  }
  if (v == kSchemaVersion) return;
  if (v > kSchemaVersion)
    throw std::runtime_error(fmt::format("results store {}: written by a newer gaitlstm (format {}, this one reads {})",
                                         path_, v, kSchemaVersion));
  exec(fmt::format("BEGIN; DROP TABLE IF EXISTS points; DROP TABLE IF EXISTS layouts; DROP TABLE IF EXISTS attempts; "
                   "PRAGMA user_version = {}; COMMIT;",
                   kSchemaVersion));
}

std::optional<PointOutcome> Store::point(const std::string& key) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT record FROM points WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return point_outcome_from_json(s.json_col(0), path_ + ": points[" + key + "]");
}

std::vector<PointOutcome> Store::points() const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT key, record FROM points ORDER BY rowid");
  std::vector<PointOutcome> out;
  while (s.step()) out.push_back(point_outcome_from_json(s.json_col(1), path_ + ": points[" + s.text(0) + "]"));
  return out;
}

void Store::put_point(const PointOutcome& o) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT OR REPLACE INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, o.key).bind(2, o.model).bind(3, o.quant).bind(4, o.arch).bind(5, o.status).bind(6, to_json(o).dump())
      .bind(7, o.error).bind(8, o.seconds).bind(9, now_text());
  s.step();
}

int64_t Store::count_points(const std::string& status) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, status.empty() ? "SELECT COUNT(*) FROM points" : "SELECT COUNT(*) FROM points WHERE status = ?");
  if (!status.empty()) s.bind(1, status);
  s.step();
  return s.integer(0);
}

std::optional<LayoutOutcome> Store::layout(const std::string& key) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT record FROM layouts WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return layout_outcome_from_json(s.json_col(0), path_ + ": layouts[" + key + "]");
}

std::vector<LayoutOutcome> Store::layouts() const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT key, record FROM layouts ORDER BY rowid");
  std::vector<LayoutOutcome> out;
  while (s.step()) out.push_back(layout_outcome_from_json(s.json_col(1), path_ + ": layouts[" + s.text(0) + "]"));
  return out;
}

void Store::put_layout(const LayoutOutcome& o) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT OR REPLACE INTO layouts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, o.key).bind(2, o.point).bind(3, o.density).bind(4, o.aspect).bind(5, o.status).bind(6, to_json(o).dump())
      .bind(7, o.error).bind(8, o.figures ? o.figures->png : std::string()).bind(9, o.seconds).bind(10, now_text());
  s.step();
}

void Store::record_attempt(const std::string& key, const std::string& kind, const std::string& worker, bool once) {
  std::lock_guard lock(mutex_);
  const std::string who = worker.empty() ? this_worker() : worker;
  if (once) {
    Statement seen(db_, "SELECT COUNT(*) FROM attempts WHERE key = ? AND kind = ? AND worker = ?");
    seen.bind(1, key).bind(2, kind).bind(3, who);
    seen.step();
    if (seen.integer(0) > 0) return;
  }
  Statement s(db_, "INSERT INTO attempts(key, kind, worker, started) VALUES (?, ?, ?, ?)");
  s.bind(1, key).bind(2, kind).bind(3, who).bind(4, now_text());
  s.step();
}

int64_t Store::attempts(const std::string& key, const std::string& kind) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, kind.empty() ? "SELECT COUNT(*) FROM attempts WHERE key = ?"
                                : "SELECT COUNT(*) FROM attempts WHERE key = ? AND kind = ?");
  s.bind(1, key);
  if (!kind.empty()) s.bind(2, kind);
  s.step();
  return s.integer(0);
}

int64_t Store::total_attempts(const std::string& kind) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT COUNT(*) FROM attempts WHERE kind = ?");
  s.bind(1, kind);
  s.step();
  return s.integer(0);
}

void Store::record_submission(const Submission& r) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT INTO submissions(key, kind, batch, job, task, submitted) VALUES (?, ?, ?, ?, ?, ?)");
  s.bind(1, r.key).bind(2, r.kind).bind(3, r.batch).bind(4, r.job).bind_int(5, r.task).bind(6, now_text());
  s.step();
}

std::vector<Submission> Store::submissions(const std::string& key, const std::string& kind) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT key, kind, batch, job, task FROM submissions WHERE key = ? AND kind = ? ORDER BY id");
  s.bind(1, key).bind(2, kind);
  std::vector<Submission> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4)});
  return out;
}

void Store::set_meta(const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT OR REPLACE INTO meta VALUES (?, ?)");
  s.bind(1, key).bind(2, value);
  s.step();
}

std::optional<std::string> Store::meta(const std::string& key) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

std::string hash_key(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64-bit offset basis
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;  // FNV prime
  }
  return fmt::format("{:016x}", h);
}

std::string hash_key(const json& value) { return hash_key(value.dump()); }

}  // namespace gaitlstm::explore
