// The exploration report: a self-contained report.html (inline SVG plots
// from svg.h, layout pictures as base64 PNG data URIs, no scripts, no
// network), report.md and results.json, all written atomically.
//
// Headline pair: the most accurate design A (highest AUC; ties: smaller
// area) and the area-optimised alternative B: the smallest design with at
// least `min_area_saving` less area than A at no more than delta pp lower
// AUC, phrased like "B: X mm^2, Y % smaller than A at Z pp lower AUC,
// N x faster than the deadline".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explore/point.h"
#include "explore/quant_stage.h"
#include "explore/realtime.h"
#include "quant/calibrate.h"

namespace gaitlstm::explore {

// One finished design point as the report sees it: its result and the
// figures the plots and the fronts use.
struct DesignPoint {
  std::string key, model, quant, arch;
  double auc = 0;
  double area_mm2 = 0;
  int64_t cells = 0;
  double fmax_mhz = 0;
  double latency_s = 0;
  double margin = 0;             // deadline / latency
  double streaming_margin = 0;
  double energy_j = 0;           // per decision (0 = no power measured)
  double power_min_clock_w = 0;  // at the lowest clock meeting the deadline
  double min_clock_mhz = 0;
  bool on_front = false;         // final (4-objective) Pareto front
  PointResult result;            // everything stored for the point

  std::string name() const { return model + "/" + quant + "/" + arch; }
  static DesignPoint from_result(const std::string& key, const PointResult& result);
};

struct QuantRow {  // accuracy of one quantized candidate
  std::string model, quant;
  double auc = 0, float_auc = 0;
  quant::TensorBits bits;
};

struct FailedPoint {
  std::string name, error;
};

struct Headline {
  std::optional<size_t> best, alternative;  // indices into points
  double area_saving = 0;                   // 1 - area(B) / area(A)
  double auc_loss_pp = 0;                   // AUC(A) - AUC(B), percentage points
};

// Pareto front over (AUC max, area min, latency min, energy min) of the
// points (util/pareto.h); sets on_front.  Energy counts only if every point
// has it (else it is ignored for all).
std::vector<size_t> mark_pareto_front(std::vector<DesignPoint>& points);

// util/pareto.h's headline pair over (AUC, area).
Headline find_headline(const std::vector<DesignPoint>& points, double delta_auc_pp, double min_area_saving);

// How the sweep ran (results.json "run").
struct RunInfo {
  double seconds = 0;
  int jobs = 1;
  std::string executor;  // "2 local job(s)", "Slurm job arrays ..."
  bool report_only = false;
  int64_t points_planned = 0, points_done = 0, points_failed = 0, points_computed = 0, points_not_built = 0,
          points_skipped_invalid = 0, layouts_done = 0, layouts_failed = 0;
  std::string load_average_start, load_average_end, data, auc_measured_on, store;
};

// The cost model fitted to the sweep's synthesized designs (or why not).
struct CalibratedDesign {
  std::string design;
  double area_um2 = 0, prior_um2 = 0, fitted_um2 = 0;
  quant::CostFeatures features;
};
struct CalibrationReport {
  std::string error;         // "" = fitted
  std::string architecture;  // the designs it was fitted to
  Calibration fit;
  std::vector<CalibratedDesign> designs;
};

struct ReportData {
  std::string title;
  std::string command;
  RealTimeSpec realtime;
  std::vector<DesignPoint> points;
  std::vector<FailedPoint> failed;
  std::vector<QuantRow> quant;
  std::vector<LayoutOutcome> layouts;  // paths relative to the output directory
  Headline headline;
  double delta_auc_pp = 1, min_area_saving = 0.25;
  std::optional<CalibrationReport> calibration;  // none: calibration off
  nlohmann::json config;
  RunInfo run;
};

// The report's html inlines layout pictures found relative to `dir` (the
// output directory).
std::string render_html(const ReportData& data, const std::string& dir = ".");
std::string render_markdown(const ReportData& data);
nlohmann::json results_json(const ReportData& data);
// Writes report.html, report.md and results.json into dir; returns the html path.
std::string write_report(const ReportData& data, const std::string& dir);

// "Bit-exact against the golden model: the RTL of N of M points ..., the
// synthesized netlists ..., the routed netlists ..." (report_verify.cc).
std::string verification_text(const ReportData& data);
// A layout's routed-netlist check: "4 decisions bit-exact" or "not simulated".
std::string routed_verify_text(const LayoutFigures& layout);

// RFC 4648 base64 (for data URIs).
std::string base64(const std::string& bytes);

}  // namespace gaitlstm::explore
