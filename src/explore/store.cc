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

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS stages(key TEXT PRIMARY KEY, kind TEXT, label TEXT, file TEXT, metrics TEXT,
                                  seconds REAL, finished TEXT);
CREATE TABLE IF NOT EXISTS points(key TEXT PRIMARY KEY, model TEXT, quant TEXT, arch TEXT, status TEXT,
                                  metrics TEXT, error TEXT, seconds REAL, finished TEXT);
CREATE TABLE IF NOT EXISTS layouts(key TEXT PRIMARY KEY, point TEXT, density REAL, aspect REAL, status TEXT,
                                   metrics TEXT, error TEXT, png TEXT, seconds REAL, finished TEXT);
CREATE TABLE IF NOT EXISTS attempts(id INTEGER PRIMARY KEY, key TEXT, kind TEXT, pid INTEGER, started TEXT);
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

PointRecord read_point(const Statement& s) {
  return {s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.json_col(5), s.text(6), s.real(7)};
}

LayoutRecord read_layout(const Statement& s) {
  return {s.text(0), s.text(1), s.real(2), s.real(3), s.text(4), s.json_col(5), s.text(6), s.text(7), s.real(8)};
}

constexpr const char* kPointColumns = "key, model, quant, arch, status, metrics, error, seconds";
constexpr const char* kLayoutColumns = "key, point, density, aspect, status, metrics, error, png, seconds";

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

std::optional<PointRecord> Store::point(const std::string& key) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, fmt::format("SELECT {} FROM points WHERE key = ?", kPointColumns));
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return read_point(s);
}

std::vector<PointRecord> Store::points() const {
  std::lock_guard lock(mutex_);
  Statement s(db_, fmt::format("SELECT {} FROM points ORDER BY rowid", kPointColumns));
  std::vector<PointRecord> out;
  while (s.step()) out.push_back(read_point(s));
  return out;
}

void Store::put_point(const PointRecord& r) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT OR REPLACE INTO points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, r.key).bind(2, r.model).bind(3, r.quant).bind(4, r.arch).bind(5, r.status).bind(6, r.metrics.dump())
      .bind(7, r.error).bind(8, r.seconds).bind(9, now_text());
  s.step();
}

int64_t Store::count_points(const std::string& status) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, status.empty() ? "SELECT COUNT(*) FROM points" : "SELECT COUNT(*) FROM points WHERE status = ?");
  if (!status.empty()) s.bind(1, status);
  s.step();
  return s.integer(0);
}

std::optional<LayoutRecord> Store::layout(const std::string& key) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, fmt::format("SELECT {} FROM layouts WHERE key = ?", kLayoutColumns));
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return read_layout(s);
}

std::vector<LayoutRecord> Store::layouts() const {
  std::lock_guard lock(mutex_);
  Statement s(db_, fmt::format("SELECT {} FROM layouts ORDER BY rowid", kLayoutColumns));
  std::vector<LayoutRecord> out;
  while (s.step()) out.push_back(read_layout(s));
  return out;
}

void Store::put_layout(const LayoutRecord& r) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT OR REPLACE INTO layouts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, r.key).bind(2, r.point).bind(3, r.density).bind(4, r.aspect).bind(5, r.status).bind(6, r.metrics.dump())
      .bind(7, r.error).bind(8, r.png).bind(9, r.seconds).bind(10, now_text());
  s.step();
}

void Store::record_attempt(const std::string& key, const std::string& kind) {
  std::lock_guard lock(mutex_);
  Statement s(db_, "INSERT INTO attempts(key, kind, pid, started) VALUES (?, ?, ?, ?)");
  s.bind(1, key).bind(2, kind).bind_int(3, ::getpid()).bind(4, now_text());
  s.step();
}

int64_t Store::attempts(const std::string& key) const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT COUNT(*) FROM attempts WHERE key = ?");
  s.bind(1, key);
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
