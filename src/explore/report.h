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

#include "explore/realtime.h"

namespace gaitlstm::explore {

// One finished design point as the report sees it.
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
  nlohmann::json metrics;        // everything stored for the point

  std::string name() const { return model + "/" + quant + "/" + arch; }
  static DesignPoint from_metrics(const std::string& key, const nlohmann::json& metrics);
};

struct QuantRow {  // accuracy of one quantized candidate
  std::string model, quant;
  double auc = 0, float_auc = 0;
  nlohmann::json bits;  // TensorBits JSON
};

struct LayoutView {
  std::string point_key, design;  // design = DesignPoint::name()
  double density = 0, aspect = 0;
  std::string status, error;
  nlohmann::json metrics;         // eda::LayoutResult JSON
  std::string png;                // path ("" = none)
};

struct Headline {
  std::optional<size_t> best, alternative;  // indices into points
  double area_saving = 0;                   // 1 - area(B) / area(A)
  double auc_loss_pp = 0;                   // AUC(A) - AUC(B), percentage points
  std::string text;
};

// Pareto front over (AUC max, area min, latency min, energy min) of the
// points; sets on_front.  Points without power count energy 0 only among
// themselves (energy is then ignored for all).
std::vector<size_t> mark_pareto_front(std::vector<DesignPoint>& points);

Headline find_headline(const std::vector<DesignPoint>& points, double delta_auc_pp, double min_area_saving);

struct ReportData {
  std::string title;
  std::string command;
  RealTimeSpec realtime;
  std::vector<DesignPoint> points;
  std::vector<nlohmann::json> failed;   // {"name", "error"}
  std::vector<QuantRow> quant;
  std::vector<LayoutView> layouts;
  Headline headline;
  double delta_auc_pp = 1, min_area_saving = 0.25;
  nlohmann::json calibration;  // Calibration::to_json() + "designs" (null: no calibration)
  nlohmann::json config;
  nlohmann::json run;  // timings, machine load, counts
};

std::string render_html(const ReportData& data);
std::string render_markdown(const ReportData& data);
nlohmann::json results_json(const ReportData& data);
// Writes report.html, report.md and results.json into dir; returns the html path.
std::string write_report(const ReportData& data, const std::string& dir);

// RFC 4648 base64 (for data URIs).
std::string base64(const std::string& bytes);

}  // namespace gaitlstm::explore
