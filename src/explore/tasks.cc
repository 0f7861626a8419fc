#include "explore/tasks.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "explore/build.h"
#include "explore/json_reader.h"
#include "explore/store.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string hostname() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

constexpr const char* kPartial = ".partial-";

// A task's work directory "<final>.partial-<host>-<pid>-<n>", renamed to
// <final> by commit(); an attempt that throws before commit() is renamed
// too (its logs are what the failure is about), unless `keep_failed` is off.
class PartialDir {
 public:
  PartialDir(const fs::path& final_dir, bool keep_failed) : final_(final_dir), keep_failed_(keep_failed) {
    static std::atomic<int> counter{0};
    partial_ = final_dir.string() + fmt::format("{}{}-{}-{}", kPartial, hostname(), ::getpid(), counter++);
    fs::remove_all(partial_);
    fs::create_directories(partial_);
  }
  ~PartialDir() {
    std::error_code ec;
    if (committed_) return;
    if (!keep_failed_) {
      fs::remove_all(partial_, ec);
      return;
    }
    fs::remove_all(final_, ec);
    fs::rename(partial_, final_, ec);
  }
  const fs::path& path() const { return partial_; }
  void commit() {
    std::error_code ec;
    fs::remove_all(final_, ec);
    fs::rename(partial_, final_);
    committed_ = true;
  }

 private:
  fs::path final_, partial_;
  bool keep_failed_;
  bool committed_ = false;
};

void write_json(const fs::path& file, const json& j) { write_file_atomic(file.string(), j.dump(1) + "\n"); }

// A point: built in a partial directory, the outcome (done or failed) written
// inside, then renamed into place, so the outcome file appears atomically
// with the directory.
void run_point(const BuildContext& c, const Task& task) {
  const PointSpec& spec = task.point;
  const auto start = Clock::now();
  PartialDir partial(point_dir(c.out_dir, spec.key), true);
  PointOutcome o{spec.key, spec.model, spec.quant, spec.arch, "done", std::nullopt, "", 0};
  try {
    o.result = build_point(c, spec, partial.path().string());
    prune_point_dir(partial.path().string());
  } catch (const std::exception& e) {
    o.status = "failed";
    o.error = e.what();
  }
  o.seconds = seconds_since(start);
  write_json(partial.path() / "outcome.json", to_json(o));
  partial.commit();
}

// Power of a built point: simulated in <point>/power.partial-*, renamed to
// <point>/power, then the point's outcome file is rewritten with it.
void run_power(const BuildContext& c, const Task& task) {
  const std::string dir = point_dir(c.out_dir, task.point.key);
  std::optional<PointOutcome> o = finished_point(c.out_dir, task.point.key);
  if (!o || !o->done()) throw std::runtime_error(fmt::format("power of {}: the point is not built in {}", task.name(), dir));
  const auto start = Clock::now();
  PartialDir partial(fs::path(dir) / "power", false);
  add_power(c, task.point, dir, partial.path().string(), *o->result);
  prune_point_dir(partial.path().string());
  partial.commit();
  o->seconds += seconds_since(start);
  write_json(fs::path(dir) / "outcome.json", to_json(*o));
}

// The FPGA target of a built point: worked in <point>/fpga.partial-*, renamed
// to <point>/fpga, then the point's outcome file is rewritten with it.
void run_fpga(const BuildContext& c, const Task& task) {
  const std::string dir = point_dir(c.out_dir, task.point.key);
  std::optional<PointOutcome> o = finished_point(c.out_dir, task.point.key);
  if (!o || !o->done()) throw std::runtime_error(fmt::format("FPGA of {}: the point is not built in {}", task.name(), dir));
  const auto start = Clock::now();
  PartialDir partial(fs::path(dir) / "fpga", false);
  add_fpga(c, task.point, partial.path().string(), *o->result);
  partial.commit();
  o->seconds += seconds_since(start);
  write_json(fs::path(dir) / "outcome.json", to_json(*o));
}

void run_layout(const BuildContext& c, const Task& task) {
  const LayoutSpec& spec = task.layout;
  const auto start = Clock::now();
  PartialDir partial(layout_dir(c.out_dir, spec.key), true);
  LayoutOutcome o{spec.key, spec.point, spec.design, spec.density, spec.aspect, "done", std::nullopt, "", 0};
  try {
    o.figures = build_layout(c, spec, partial.path().string(), "layouts/" + spec.key + "/");
  } catch (const std::exception& e) {
    o.status = "failed";
    o.error = e.what();
  }
  o.seconds = seconds_since(start);
  write_json(partial.path() / "outcome.json", to_json(o));
  partial.commit();
}

template <typename T>
std::optional<T> read_outcome(const fs::path& file, T (*parse)(const json&, const std::string&)) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  return parse(json::parse(read_file(file.string())), file.string());
}

}  // namespace

json to_json(const Task& t) {
  json j = {{"kind", t.kind}};
  if (t.kind == "layout")
    j["layout"] = {{"key", t.layout.key}, {"point", t.layout.point}, {"design", t.layout.design},
                   {"density", t.layout.density}, {"aspect", t.layout.aspect}};
  else
    j["point"] = to_json(t.point);
  return j;
}

Task task_from_json(const json& j, const std::string& source) {
  ObjectReader r(j, "", source);
  Task t;
  r.require("kind", t.kind);
  if (t.kind == "layout") {
    ObjectReader l = r.object("layout");
    l.require("key", t.layout.key);
    l.require("point", t.layout.point);
    l.require("design", t.layout.design);
    l.require("density", t.layout.density);
    l.require("aspect", t.layout.aspect);
    l.finish();
  } else if (t.kind == "point" || t.kind == "power" || t.kind == "fpga") {
    t.point = point_spec_from_json(r.at("point"), source + ": point");
  } else {
    r.fail("must be \"point\", \"power\", \"fpga\" or \"layout\"", "kind");
  }
  r.finish();
  return t;
}

std::string point_dir(const std::string& out, const std::string& key) {
  return (fs::path(out) / "points" / key).string();
}
std::string layout_dir(const std::string& out, const std::string& key) {
  return (fs::path(out) / "layouts" / key).string();
}
std::string task_dir(const std::string& out, const Task& task) {
  return task.kind == "layout" ? layout_dir(out, task.key()) : point_dir(out, task.key());
}
std::string outcome_file(const std::string& out, const Task& task) {
  return (fs::path(task_dir(out, task)) / "outcome.json").string();
}

void run_task(const BuildContext& context, const Task& task) {
  if (task.kind == "point")
    run_point(context, task);
  else if (task.kind == "power")
    run_power(context, task);
  else if (task.kind == "fpga")
    run_fpga(context, task);
  else
    run_layout(context, task);
}

std::optional<PointOutcome> finished_point(const std::string& out, const std::string& key) {
  return read_outcome<PointOutcome>(fs::path(point_dir(out, key)) / "outcome.json", &point_outcome_from_json);
}

std::optional<PointOutcome> finished_power(const std::string& out, const std::string& key) {
  std::optional<PointOutcome> o = finished_point(out, key);
  if (o && o->done() && (o->result->power || o->result->power_error)) return o;
  return std::nullopt;
}

std::optional<PointOutcome> finished_fpga(const std::string& out, const std::string& key) {
  std::optional<PointOutcome> o = finished_point(out, key);
  if (o && o->done() && o->result->fpga) return o;
  return std::nullopt;
}

std::optional<LayoutOutcome> finished_layout(const std::string& out, const std::string& key) {
  return read_outcome<LayoutOutcome>(fs::path(layout_dir(out, key)) / "outcome.json", &layout_outcome_from_json);
}

bool task_needs_recordings(const Task& task, const ExploreConfig& config) {
  if (task.kind == "power") return true;
  if (task.kind == "point") return config.verify.enabled || (config.power.enabled && config.power.scope == "all");
  if (task.kind == "layout") return config.verify.checks_routed_netlists();
  return false;  // fpga: synthesis, place and route, timing only
}

void forget_failed_outcome(const std::string& out, const Task& task) {
  // Only a failure: a worker of an earlier coordinator may finish the task
  // right now, and its result must stay.  Power and fpga runs keep the
  // point's outcome (they write into it).
  bool failed = false;
  if (task.kind == "point") {
    const std::optional<PointOutcome> o = finished_point(out, task.key());
    failed = o && !o->done();
  } else if (task.kind == "layout") {
    const std::optional<LayoutOutcome> o = finished_layout(out, task.key());
    failed = o && !o->done();
  }
  std::error_code ec;
  if (failed) fs::remove(outcome_file(out, task), ec);
}

bool task_finished(const std::string& out, const Task& task) {
  if (task.kind == "point") return finished_point(out, task.key()).has_value();
  if (task.kind == "power") return finished_power(out, task.key()).has_value();
  if (task.kind == "fpga") return finished_fpga(out, task.key()).has_value();
  return finished_layout(out, task.key()).has_value();
}

void remove_partials(const std::string& out, const Task& task) {
  const bool in_point = task.kind == "power" || task.kind == "fpga";  // a follow-up run in the point's directory
  const fs::path final_dir = in_point ? fs::path(point_dir(out, task.key())) / task.kind : fs::path(task_dir(out, task));
  const std::string prefix = final_dir.filename().string() + kPartial;
  std::error_code ec;
  if (!fs::exists(final_dir.parent_path(), ec)) return;
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(final_dir.parent_path(), ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) stale.push_back(e.path());
  for (const fs::path& p : stale) fs::remove_all(p, ec);
  if (in_point) fs::remove_all(final_dir, ec);  // an earlier run that never got recorded
}

void remove_stale_partials(const std::string& parent) {
  std::error_code ec;
  if (!fs::exists(parent, ec)) return;
  const std::string host = hostname();
  std::vector<fs::path> stale;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    const size_t at = name.find(kPartial);
    if (at == std::string::npos) continue;
    // "<key>.partial-<host>-<pid>-<n>": only this host's, and only if the pid is gone.
    const std::string rest = name.substr(at + std::string(kPartial).size());
    const size_t last = rest.rfind('-');
    const size_t before = last == std::string::npos ? std::string::npos : rest.rfind('-', last - 1);
    if (before == std::string::npos || rest.substr(0, before) != host) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(rest.c_str() + before + 1));
    if (pid != ::getpid() && ::kill(pid, 0) != 0) stale.push_back(e.path());
  }
  for (const fs::path& p : stale) fs::remove_all(p, ec);
}

}  // namespace gaitlstm::explore
