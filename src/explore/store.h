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
// Typed at the boundary: points and layouts go in and come out as
// PointOutcome / LayoutOutcome (point.h); their JSON (the whole outcome) is
// the `record` column, read back strictly.
//
// Schema (docs/EXPLORE.md):
//   meta(key PRIMARY KEY, value)
//   stages(key PRIMARY KEY, kind, label, file, metrics JSON, seconds, finished)
//       upstream results: "float" and "quant" models (file = model path)
//   points(key PRIMARY KEY, model, quant, arch, status, record JSON, error,
//          seconds, finished)                     status: "done" | "failed"
//   layouts(key PRIMARY KEY, point, density, aspect, status, record JSON,
//           error, png, seconds, finished)
//   attempts(id INTEGER PRIMARY KEY, key, kind, worker, started)
//       one row each time a point, a power run or a layout is started (worker
//       "host:pid", or the Slurm task): audit of recomputation
//   submissions(id INTEGER PRIMARY KEY, key, kind, batch, job, task, submitted)
//       cluster tasks the coordinator submitted (executor "slurm"), so that a
//       rerun after the coordinator was killed adopts tasks still queued or
//       running instead of submitting them again
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explore/point.h"

struct sqlite3;

namespace gaitlstm::explore {

struct StageRecord {
  std::string key, kind, label, file;
  nlohmann::json metrics;
  double seconds = 0;
};

// A cluster task the coordinator submitted for a point, power run or layout.
struct Submission {
  std::string key, kind;  // kind: "point", "power", "layout"
  std::string batch;      // the job directory's name (DIR/jobs/<batch>)
  std::string job;        // Slurm array job id
  int64_t task = 0;       // array index (the task's index in the batch)
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

  std::optional<PointOutcome> point(const std::string& key) const;
  std::vector<PointOutcome> points() const;  // every point, in insertion order
  void put_point(const PointOutcome& outcome);
  int64_t count_points(const std::string& status = "") const;

  std::optional<LayoutOutcome> layout(const std::string& key) const;
  std::vector<LayoutOutcome> layouts() const;
  void put_layout(const LayoutOutcome& outcome);

  // Logs that work on `key` starts (kind "point", "power" or "layout") by
  // `worker` ("" = this process, "host:pid").  With `once`, a row for the
  // same key, kind and worker is not added again (a worker's start marker
  // read on every poll).
  void record_attempt(const std::string& key, const std::string& kind, const std::string& worker = "",
                      bool once = false);
  int64_t attempts(const std::string& key, const std::string& kind = "") const;
  int64_t total_attempts(const std::string& kind) const;

  void record_submission(const Submission& submission);
  // The submissions of `key` and `kind`, oldest first.
  std::vector<Submission> submissions(const std::string& key, const std::string& kind) const;

  void set_meta(const std::string& key, const std::string& value);
  std::optional<std::string> meta(const std::string& key) const;

  const std::string& path() const { return path_; }

 private:
  void exec(const std::string& sql) const;
  void migrate();  // older formats: see store.cc
  std::string path_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mutex_;
};

// "host:pid" of this process (the attempts table's worker).
std::string this_worker();

// 64-bit FNV-1a of `text` as 16 hex digits: the store's keys.
std::string hash_key(const std::string& text);
// Key of a JSON value: hash of its canonical dump (sorted keys).
std::string hash_key(const nlohmann::json& value);

}  // namespace gaitlstm::explore
