// The results store: one SQLite database (DIR/explore.db) holding every
// finished stage and design point of an exploration, keyed by the hash of
// everything that determines it.  A rerun asks the store first and skips
// what is there.
//
// Crash safety: WAL journal; every write is one transaction, so a run killed
// at any moment (SIGKILL included) leaves the store as of the last committed
// write.  A point is recorded only after its artefacts are on disk (written
// atomically or in the point's own directory, which a rerun clears), so the
// store never names a half-written result.  Thread-safe: one connection in
// serialized mode behind a mutex; several workers record points in parallel.
//
// Schema (docs/EXPLORE.md):
//   meta(key PRIMARY KEY, value)
//   stages(key PRIMARY KEY, kind, label, file, metrics JSON, seconds, finished)
//       upstream results: "float" and "quant" models (file = model path)
//   points(key PRIMARY KEY, model, quant, arch, status, metrics JSON, error,
//          seconds, finished)                     status: "done" | "failed"
//   layouts(key PRIMARY KEY, point, density, aspect, status, metrics JSON,
//           error, png, seconds, finished)
//   attempts(id INTEGER PRIMARY KEY, key, kind, pid, started)
//       one row each time a point or layout is started: audit of recomputation
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;

namespace gaitlstm::explore {

struct StageRecord {
  std::string key, kind, label, file;
  nlohmann::json metrics;
  double seconds = 0;
};

struct PointRecord {
  std::string key, model, quant, arch;
  std::string status;  // "done" or "failed"
  nlohmann::json metrics;
  std::string error;
  double seconds = 0;
};

struct LayoutRecord {
  std::string key, point;
  double density = 0, aspect = 0;
  std::string status;
  nlohmann::json metrics;
  std::string error, png;
  double seconds = 0;
};

class Store {
 public:
  // Opens (creating if needed) the database at `path`.  Throws
  // std::runtime_error naming the path and SQLite's message.
  explicit Store(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  std::optional<StageRecord> stage(const std::string& key) const;
  void put_stage(const StageRecord& record);

  std::optional<PointRecord> point(const std::string& key) const;
  std::vector<PointRecord> points() const;  // every point, in insertion order
  void put_point(const PointRecord& record);
  int64_t count_points(const std::string& status = "") const;

  std::optional<LayoutRecord> layout(const std::string& key) const;
  std::vector<LayoutRecord> layouts() const;
  void put_layout(const LayoutRecord& record);

  // Logs that work on `key` starts (kind "point" or "layout").
  void record_attempt(const std::string& key, const std::string& kind);
  int64_t attempts(const std::string& key) const;
  int64_t total_attempts(const std::string& kind) const;

  void set_meta(const std::string& key, const std::string& value);
  std::optional<std::string> meta(const std::string& key) const;

  const std::string& path() const { return path_; }

 private:
  void exec(const std::string& sql) const;
  std::string path_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
};

// 64-bit FNV-1a of `text` as 16 hex digits: the store's keys.
std::string hash_key(const std::string& text);
// Key of a JSON value: hash of its canonical dump (sorted keys).
std::string hash_key(const nlohmann::json& value);

}  // namespace gaitlstm::explore
