// The sweep's order of stages (exploration.h lists the file of each).
#include "explore/exploration.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "explore/slurm.h"

namespace gaitlstm::explore {

namespace fs = std::filesystem;
using json = nlohmann::json;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a.empty() ? "" : a + " " + b + " " + c;
}

void Log::line(const std::string& text) {
  if (!out_) return;
  std::lock_guard lock(mutex_);
  *out_ << "explore: " << text << "\n" << std::flush;
}

Exploration::Exploration(const ExploreConfig& config, const ExploreOptions& options, ToolRunner& runner)
    : config_(config), options_(options), runner_(runner), out_(fs::absolute(options.out_dir).string()),
      log_(options.log) {
  if (options_.executor != "local" && options_.executor != "slurm")
    throw std::invalid_argument("explore: executor must be \"local\" or \"slurm\", not \"" + options_.executor + "\"");
}

BuildContext Exploration::build_context() const {
  return {&config_, &data_.dataset, out_, rt_, &runner_};
}

std::unique_ptr<Executor> Exploration::make_executor() {
  if (options_.executor == "local") return make_local_executor(build_context(), options_.jobs);
  SlurmJobContext job;
  job.out_dir = out_;
  job.config = config_.raw;
  job.config_source = fs::absolute(config_.source).string();  // workers start in their job directory
  job.data_dir = data_.dir;
  return make_slurm_executor(options_.slurm, job, *store_, runner_, [this](const std::string& e) { event(e); },
                             [this](const std::string& text) { log_.line(text); });
}

void Exploration::event(const std::string& name) {
  int64_t count = 0;
  {
    std::lock_guard lock(events_mutex_);
    count = ++events_[name];
  }
  if (options_.on_event) options_.on_event(name, count);
}

ExploreSummary Exploration::run() {
  start_ = Clock::now();
  fs::create_directories(out_);
  store_ = std::make_unique<Store>((fs::path(out_) / "explore.db").string());
  store_->set_meta("config", config_.raw.dump());
  load_at_start_ = load_average();
  // Attempts killed with this host's earlier runs; a Slurm task's partial
  // directory is removed when its task is started again.
  remove_stale_partials((fs::path(out_) / "points").string());
  remove_stale_partials((fs::path(out_) / "layouts").string());

  prepare_data();
  rt_ = realtime_spec(config_.realtime.sensor_hz, config_.realtime.stride, config_.realtime.deadline,
                      config_.realtime.deadline_s);
  executor_ = make_executor();

  floats_.reserve(config_.models.size());
  for (const ModelConfig& m : config_.models) floats_.push_back(float_model(m));
  candidates_.resize(floats_.size());
  const quant::CostModel prior_cost = initial_cost_model(config_);
  for (size_t i = 0; i < floats_.size(); ++i) {
    quantize_candidates(floats_[i], config_.quant_bits, candidates_[i]);
    if (config_.search.enabled)
      quantize_candidates(floats_[i], candidates_from_search(search_stage(floats_[i], prior_cost), config_.search, ""),
                          candidates_[i]);
  }
  plan_points();
  build_points(0);

  // Calibration: fit the cost model to the synthesized areas, search again
  // with it, and build what the calibrated search adds.
  if (config_.search.enabled && config_.search.calibrate) {
    if (const std::optional<Calibration> cal = calibrate_on_sweep(prior_cost)) {
      const size_t before = planned_.size();
      for (size_t i = 0; i < floats_.size(); ++i)
        quantize_candidates(floats_[i],
                            candidates_from_search(search_stage(floats_[i], cal->fitted), config_.search, "cal-"),
                            candidates_[i]);
      plan_points();
      log_.line(fmt::format("calibrated search: {} new design points", planned_.size() - before));
      build_points(before);
    }
  }

  if (config_.power.enabled && config_.power.scope == "front" && !options_.report_only) add_power_to_front();
  if (config_.has_target("fpga") && !options_.report_only) add_fpga_targets();

  ReportData report = collect_report();
  const std::vector<size_t> front = mark_pareto_front(report.points);
  summary_.pareto_points = static_cast<int64_t>(front.size());
  report.headline = find_headline(report.points, config_.report.delta_auc_pp, config_.report.min_area_saving);
  build_layouts(report, front);

  summary_.seconds = seconds_since(start_);
  report.run = run_info();
  if (options_.report) {
    summary_.report_html = write_report(report, out_);
    summary_.report_md = (fs::path(out_) / "report.md").string();
    summary_.results_json = (fs::path(out_) / "results.json").string();
  }
  return summary_;
}

ExploreSummary run_exploration(const ExploreConfig& config, const ExploreOptions& options, ToolRunner& runner) {
  return Exploration(config, options, runner).run();
}

ExploreSummary run_exploration(const ExploreConfig& config, const ExploreOptions& options) {
  ProcessRunner runner;
  return run_exploration(config, options, runner);
}

}  // namespace gaitlstm::explore
