// The exploration engine (internal to src/explore): one Exploration object
// owns the config, the data, the results store, the log, the real-time spec
// and the executor; each stage of the sweep is a member function in its own
// file:
//
//   data_stage.cc   recordings, subjects, decisions
//   plan.cc         float models, quantized candidates (listed bits and the
//                   bit-width search), the design points to build
//   sweep.cc        running tasks on the executor and recording outcomes
//   calibrate.cc    the cost model fitted to the synthesized designs
//   front_power.cc  gate-level power of the front's candidates (scope front)
//   layouts.cc      routed layouts of the headline pair and the front
//   report_data.cc  what the report shows, from the store
//
// What one task computes (a point, a power run, a layout) is build.cc, the
// same code in this process and in a Slurm worker (tasks.h).
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "explore/executor.h"
#include "explore/explore.h"
#include "explore/quant_stage.h"
#include "explore/realtime.h"
#include "explore/report.h"
#include "explore/store.h"
#include "explore/tasks.h"
#include "model/cv.h"
#include "model/detector.h"
#include "quant/qmodel_file.h"
#include "quant/search.h"

namespace gaitlstm::explore {

// Bumped when a stage's computation changes, so old cached results are not reused.
constexpr int kFlowVersion = 1;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start);
// The cost model the first search starts from (quant.search.cost_model, else the default).
quant::CostModel initial_cost_model(const ExploreConfig& config);
// "/proc/loadavg"'s three load averages ("" if unreadable).
std::string load_average();

// Serialised logging from worker threads.
class Log {
 public:
  explicit Log(std::ostream* out) : out_(out) {}
  void line(const std::string& text);

 private:
  std::ostream* out_;
  std::mutex mutex_;
};

struct DataStage {
  std::string dir;
  std::string fingerprint;
  data::Dataset dataset;
  data::ProtocolConfig protocol;
  std::vector<data::Decision> decisions;
  std::vector<int> train_subjects, test_subjects;
  int validation_subject = 0;
};

struct FloatModel {
  const ModelConfig* config = nullptr;
  std::string key;
  model::Detector detector;
  // data.evaluation "loso": one model per held-out subject, trained on demand.
  std::optional<model::CvOutcome> loso;
  std::vector<quant::SearchModel> loso_models;
};

struct Candidate {
  const FloatModel* float_model = nullptr;
  std::string key, label, file;
  quant::TensorBits bits;
  quant::QuantizedModel model;
  double auc = 0, float_auc = 0;
  std::optional<EpisodeFigures> episodes;  // golden alarms on the AUC's decisions
};

// A design point of this config, with the candidate it is built from.
struct PlannedPoint {
  PointSpec spec;
  const Candidate* candidate = nullptr;
};

// One log line for a point's FPGA figures (fpga_stage.cc).
std::string fpga_line(const std::string& design, const FpgaFigures& fpga);

class Exploration {
 public:
  Exploration(const ExploreConfig& config, const ExploreOptions& options, ToolRunner& runner);
  ExploreSummary run();

 private:
  // data_stage.cc
  void prepare_data();
  std::vector<data::Decision> evaluation_decisions() const;
  std::string auc_measured_on() const;
  // plan.cc
  FloatModel float_model(const ModelConfig& m);
  void ensure_loso(FloatModel& f);
  void quantize_candidates(FloatModel& f, const std::vector<BitsCandidate>& bits, std::deque<Candidate>& result);
  // The candidate's AUC (leave-one-subject-out; holdout: given) and episode figures.
  void measure_loso(FloatModel& f, Candidate& c);
  nlohmann::json search_stage(FloatModel& f, const quant::CostModel& cost);
  void plan_points();  // adds the points of every (candidate, architecture) not planned yet
  // sweep.cc
  void build_points(size_t first);  // planned_[first..] not in the store yet
  void run_tasks(const std::string& label, const std::vector<Task>& tasks);
  void record(const Task& task, bool lost, const std::string& reason);
  void event(const std::string& name);
  // calibrate.cc
  std::optional<Calibration> calibrate_on_sweep(const quant::CostModel& prior);
  // front_power.cc
  void add_power_to_front();
  // Quant keys of the candidates with a design on the (AUC, area, latency)
  // front or in the headline pair (headline_only: in the pair), among the
  // points built so far.
  std::set<std::string> chosen_candidates(bool headline_only);
  // fpga_stage.cc
  void add_fpga_targets();
  // report_data.cc
  ReportData collect_report();
  RunInfo run_info() const;
  // layouts.cc
  void build_layouts(ReportData& report, const std::vector<size_t>& front);

  BuildContext build_context() const;
  std::unique_ptr<Executor> make_executor();

  const ExploreConfig& config_;
  ExploreOptions options_;
  ToolRunner& runner_;
  std::string out_;
  Log log_;
  std::unique_ptr<Store> store_;
  DataStage data_;
  RealTimeSpec rt_;
  std::unique_ptr<Executor> executor_;
  std::string load_at_start_;
  Clock::time_point start_;

  std::vector<FloatModel> floats_;
  std::vector<std::deque<Candidate>> candidates_;  // per float model (deque: stable addresses)
  std::vector<PlannedPoint> planned_;
  std::optional<CalibrationReport> calibration_;  // none: calibration off
  ExploreSummary summary_;
  std::map<std::string, int64_t> events_;
  std::mutex events_mutex_;
};

}  // namespace gaitlstm::explore
