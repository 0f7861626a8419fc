// The coordinator's side of the Slurm executor (slurm.h): submit job
// arrays, poll squeue, record, resubmit, adopt after a restart.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "explore/slurm.h"
#include "explore/store.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Consecutive polls a submitted element may be missing from squeue before it
// counts as lost (a record appears at once after sbatch; a finished one stays
// MinJobAge seconds, 300 by default).
constexpr int kMissingPolls = 3;
// Consecutive squeue failures before the coordinator gives up.
constexpr int kSqueueFailures = 30;

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string self_executable() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "gaitlstm" : p.string();
}

std::string batch_name(const std::string& kind) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  static int counter = 0;
  return fmt::format("{}-{}-{}-{}", kind, stamp, ::getpid(), counter++);
}

class SlurmExecutor : public Executor {
 public:
  SlurmExecutor(const SlurmOptions& options, const SlurmJobContext& job, Store& store, ToolRunner& runner,
                std::function<void(const std::string&)> on_event, std::function<void(const std::string&)> log)
      : options_(options), job_(job), store_(store), runner_(runner), on_event_(std::move(on_event)),
        log_(std::move(log)) {
    if (options_.binary.empty()) options_.binary = self_executable();
    if (!options_.sleep)
      options_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
    if (options_.max_attempts < 1) options_.max_attempts = 1;
  }

  std::string describe() const override {
    return fmt::format("Slurm job arrays{}{}", options_.partition.empty() ? "" : " on partition " + options_.partition,
                       options_.account.empty() ? "" : ", account " + options_.account);
  }

  void run(const std::vector<Task>& tasks, const TaskEvents& events) override;

 private:
  // The array element currently responsible for a task.
  struct Element {
    std::string batch, job;
    int64_t index = 0;
  };
  struct TaskState {
    int attempts = 0;  // submissions so far (earlier coordinator runs included)
    std::optional<Element> element;
    bool resolved = false;
    int missing = 0;
    std::string last_state;
  };

  std::string write_batch(const std::vector<Task>& tasks);
  void submit(const std::string& batch, const std::vector<Task>& tasks, const std::vector<size_t>& indices,
              std::vector<TaskState>& states);
  using Snapshot = std::map<std::pair<std::string, int64_t>, SlurmTaskState>;
  std::optional<Snapshot> query(const std::set<std::string>& jobs);
  // The element's state, "" if squeue has no record of it (for its batch).
  std::string state_of(const Snapshot& snapshot, const Element& e) const {
    const auto it = snapshot.find({e.job, e.index});
    return it == snapshot.end() || it->second.name != job_name(e.batch) ? "" : it->second.state;
  }
  // The array's name carries its batch, so an element is only ever matched
  // with the batch it was submitted for (job ids restart when a cluster's
  // state is wiped).
  std::string job_name(const std::string& batch) const { return options_.job_name + "." + batch; }
  std::string log_file(const Element& e) const {
    return (fs::path(job_.out_dir) / "jobs" / e.batch / "logs" / fmt::format("{}_{}.out", e.job, e.index)).string();
  }
  void note_start(size_t i, const TaskState& s, const TaskEvents& events) const {
    if (!s.element) return;
    const Element& e = *s.element;
    const fs::path marker = fs::path(job_.out_dir) / "jobs" / e.batch / "started" / fmt::format("{}.{}", e.index, e.job);
    std::error_code ec;
    if (fs::exists(marker, ec)) events.started(i, fmt::format("slurm:{}_{}", e.job, e.index));
  }

  SlurmOptions options_;
  SlurmJobContext job_;
  Store& store_;
  ToolRunner& runner_;
  std::function<void(const std::string&)> on_event_, log_;
};

std::string SlurmExecutor::write_batch(const std::vector<Task>& tasks) {
  const std::string batch = batch_name(tasks.front().kind);
  const fs::path dir = fs::path(job_.out_dir) / "jobs" / batch;
  fs::create_directories(dir / "logs");
  fs::create_directories(dir / "started");
  json list = json::array();
  for (const Task& t : tasks) list.push_back(to_json(t));
  const json job = {{"format", "gaitlstm-explore-job"}, {"version", 1},           {"out_dir", job_.out_dir},
                    {"config", job_.config},             {"config_source", job_.config_source},
                    {"data_dir", job_.data_dir},         {"tasks", list}};
  write_file_atomic((dir / "job.json").string(), job.dump(1) + "\n");
  write_file_atomic((dir / "worker.sh").string(),
                    fmt::format("#!/bin/sh\n# gaitlstm explore worker: task $SLURM_ARRAY_TASK_ID of job.json here\n"
                                "exec {} explore-worker --job {} --task \"$SLURM_ARRAY_TASK_ID\"\n",
                                shell_quote(options_.binary), shell_quote(dir.string())));
  fs::permissions(dir / "worker.sh", fs::perms::owner_all, fs::perm_options::add);
  return batch;
}

void SlurmExecutor::submit(const std::string& batch, const std::vector<Task>& tasks,
                           const std::vector<size_t>& indices, std::vector<TaskState>& states) {
  if (indices.empty()) return;
  const std::string& kind = tasks.front().kind;
  const fs::path dir = fs::path(job_.out_dir) / "jobs" / batch;
  const int minutes = kind == "layout" ? options_.layout_minutes : kind == "power" ? options_.power_minutes
                                                                                    : options_.point_minutes;
  const int memory = kind == "layout" ? options_.layout_memory_mb : kind == "power" ? options_.power_memory_mb
                                                                                     : options_.point_memory_mb;
  ToolCommand c;
  c.program = "sbatch";
  c.args = {"--parsable", "--job-name=" + job_name(batch), "--array=" + fmt::format("{}", fmt::join(indices, ",")),
            "--output=" + (dir / "logs" / "%A_%a.out").string(), fmt::format("--time={}", std::max(1, minutes)),
            fmt::format("--cpus-per-task={}", std::max(1, options_.cpus_per_task))};
  if (memory > 0) c.args.push_back(fmt::format("--mem={}M", memory));
  if (!options_.partition.empty()) c.args.push_back("--partition=" + options_.partition);
  if (!options_.account.empty()) c.args.push_back("--account=" + options_.account);
  c.args.insert(c.args.end(), options_.sbatch_args.begin(), options_.sbatch_args.end());
  c.args.push_back((dir / "worker.sh").string());
  c.working_dir = dir.string();
  c.log_path = (dir / "sbatch.log").string();
  c.timeout = std::chrono::seconds(120);
  run_checked(runner_, c);
  const std::string job = parse_sbatch_job_id(read_file(c.log_path), c.log_path);
  for (size_t i : indices) {
    store_.record_submission({tasks[i].key(), kind, batch, job, static_cast<int64_t>(i)});
    states[i].element = Element{batch, job, static_cast<int64_t>(i)};
    states[i].missing = 0;
    ++states[i].attempts;
  }
  log_(fmt::format("slurm: submitted {} {} task(s) as array job {} ({})", indices.size(), kind, job, dir.string()));
  on_event_("submitted");
}

// States of every element of `jobs`; nullopt if squeue failed.  A job id
// squeue no longer knows has no elements.
std::optional<SlurmExecutor::Snapshot> SlurmExecutor::query(const std::set<std::string>& jobs) {
  Snapshot states;
  for (const std::string& id : jobs) {  // one job per call: an unknown id fails the whole call
    ToolCommand c;
    c.program = "squeue";
    c.args = {"-h", "-r", "-t", "all", "-j", id, "-o", "%F %K %T %j"};
    c.working_dir = (fs::path(job_.out_dir) / "jobs").string();
    c.log_path = (fs::path(job_.out_dir) / "jobs" / "squeue.log").string();
    c.timeout = std::chrono::seconds(60);
    const ToolRun run = runner_.run(c);
    const std::string text = read_file(c.log_path);
    if (run.exit_code != 0 || run.timed_out) {
      if (text.find("Invalid job id") != std::string::npos) continue;  // purged: no records
      return std::nullopt;
    }
    for (const SlurmTaskState& s : parse_squeue(text, c.log_path)) states[{s.job, s.task}] = s;
  }
  return states;
}

void SlurmExecutor::run(const std::vector<Task>& tasks, const TaskEvents& events) {
  if (tasks.empty()) return;
  const std::string& kind = tasks.front().kind;
  std::vector<TaskState> states(tasks.size());
  // Adopt what an earlier coordinator submitted and Slurm still runs.
  std::set<std::string> earlier;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const std::vector<Submission> subs = store_.submissions(tasks[i].key(), kind);
    states[i].attempts = static_cast<int>(subs.size());
    if (!subs.empty()) {
      states[i].element = Element{subs.back().batch, subs.back().job, subs.back().task};
      earlier.insert(subs.back().job);
    }
  }
  std::optional<Snapshot> snapshot = query(earlier);
  if (!snapshot) throw std::runtime_error("slurm: squeue failed (see " + job_.out_dir + "/jobs/squeue.log)");
  std::vector<size_t> fresh;
  int adopted = 0;
  size_t open = tasks.size();
  for (size_t i = 0; i < tasks.size(); ++i) {
    TaskState& s = states[i];
    if (s.element) {
      note_start(i, s, events);
      if (task_finished(job_.out_dir, tasks[i])) {  // finished while the coordinator was away
        s.resolved = true;
        --open;
        events.finished(i);
        continue;
      }
      const std::string state = state_of(*snapshot, *s.element);
      if (!state.empty() && !slurm_state_final(state)) {
        ++adopted;
        continue;
      }
      s.element.reset();
    }
    remove_partials(job_.out_dir, tasks[i]);  // no attempt of it runs now
    fresh.push_back(i);
  }
  if (adopted) log_(fmt::format("slurm: {} {} task(s) still queued or running from an earlier run: adopted", adopted, kind));
  std::string batch;  // this call's batch directory, written before its first submission
  auto submit_now = [&](const std::vector<size_t>& indices) {
    if (indices.empty()) return;
    if (batch.empty()) batch = write_batch(tasks);
    submit(batch, tasks, indices, states);
  };
  submit_now(fresh);

  int squeue_failures = 0;
  while (open > 0) {
    options_.sleep(options_.poll_seconds);
    std::set<std::string> jobs;
    for (const TaskState& s : states)
      if (!s.resolved && s.element) jobs.insert(s.element->job);
    snapshot = query(jobs);
    if (!snapshot) {
      if (++squeue_failures >= kSqueueFailures)
        throw std::runtime_error(fmt::format("slurm: squeue failed {} times in a row (see {}/jobs/squeue.log)",
                                             squeue_failures, job_.out_dir));
      continue;
    }
    squeue_failures = 0;
    std::vector<size_t> again;
    for (size_t i = 0; i < tasks.size(); ++i) {
      TaskState& s = states[i];
      if (s.resolved) continue;
      note_start(i, s, events);
      // The outcome file is the truth: it appears atomically when the work is done.
      if (task_finished(job_.out_dir, tasks[i])) {
        s.resolved = true;
        --open;
        events.finished(i);
        continue;
      }
      const std::string state = state_of(*snapshot, *s.element);
      if (state.empty()) {
        if (++s.missing < kMissingPolls) continue;
        s.last_state = "gone from squeue";
      } else {
        s.missing = 0;
        if (!slurm_state_final(state)) continue;
        s.last_state = state == "COMPLETED" ? "COMPLETED without an outcome" : state;
      }
      const std::string log = log_file(*s.element);
      if (s.attempts < options_.max_attempts) {
        log_(fmt::format("slurm: {} {}: {} (attempt {} of {}; log {}): submitting again", kind, tasks[i].name(),
                         s.last_state, s.attempts, options_.max_attempts, log));
        remove_partials(job_.out_dir, tasks[i]);
        again.push_back(i);
        continue;
      }
      s.resolved = true;
      --open;
      events.lost(i, fmt::format("slurm: array task {} in {} attempt(s); last log {}", s.last_state, s.attempts, log));
    }
    submit_now(again);
  }
}

}  // namespace

std::unique_ptr<Executor> make_slurm_executor(const SlurmOptions& options, const SlurmJobContext& job, Store& store,
                                              ToolRunner& runner, std::function<void(const std::string&)> on_event,
                                              std::function<void(const std::string&)> log) {
  return std::make_unique<SlurmExecutor>(options, job, store, runner, std::move(on_event), std::move(log));
}

std::vector<SlurmTaskState> parse_squeue(const std::string& text, const std::string& source) {
  std::vector<SlurmTaskState> states;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream fields(line);
    SlurmTaskState s;
    std::string task;
    if (!(fields >> s.job >> task >> s.state))
      throw InputError(source, number, "expected \"<array job id> <task id> <state> <name>\", got: " + line);
    std::getline(fields >> std::ws, s.name);
    try {
      size_t used = 0;
      s.task = std::stoll(task, &used);
      if (used != task.size()) throw std::invalid_argument(task);
    } catch (const std::exception&) {
      throw InputError(source, number, "array task id is not a number (squeue -r expands arrays): " + line);
    }
    states.push_back(s);
  }
  return states;
}

bool slurm_state_final(const std::string& state) {
  static const std::set<std::string> final_states = {
      "COMPLETED", "FAILED",        "CANCELLED",  "TIMEOUT",   "NODE_FAIL", "OUT_OF_MEMORY",
      "BOOT_FAIL", "DEADLINE",      "PREEMPTED",  "SPECIAL_EXIT", "REVOKED"};
  return final_states.count(state) > 0;
}

std::string parse_sbatch_job_id(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  const std::string id = last.substr(0, last.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw InputError(source, 0, "sbatch --parsable printed no job id: " + text.substr(0, 300));
  return id;
}

}  // namespace gaitlstm::explore
