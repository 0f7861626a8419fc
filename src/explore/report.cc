#include "explore/report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "util/pareto.h"
#include "explore/report_fpga.h"
#include "explore/report_text.h"
#include "explore/svg.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string mm2(double v) { return fmt::format("{:.4f}", v); }
std::string times(double v) { return v >= 100 ? fmt::format("{:.0f}x", v) : fmt::format("{:.1f}x", v); }
std::string energy_text(double j) { return j > 0 ? fmt::format("{:.2f} nJ", j * 1e9) : "-"; }
std::string power_text(double w) {
  if (w <= 0) return "-";
  return w >= 1e-3 ? fmt::format("{:.3f} mW", w * 1e3) : fmt::format("{:.2f} uW", w * 1e6);
}




std::string point_tooltip(const DesignPoint& p) {
  return fmt::format("{}: AUC {:.4f}, {} mm2, {} cells, {:.1f} MHz, latency {}, margin {}, {}", p.name(), p.auc,
                     mm2(p.area_mm2), p.cells, p.fmax_mhz, seconds_text(p.latency_s), times(p.margin),
                     energy_text(p.energy_j));
}

// One series per architecture family (serial, gates, lanes, mcm).
std::string family(const std::string& arch) { return arch.substr(0, arch.find(':')); }

std::vector<SvgSeries> by_family(const std::vector<DesignPoint>& points, double (*x)(const DesignPoint&),
                                 double (*y)(const DesignPoint&)) {
  std::map<std::string, SvgSeries> series;
  for (const DesignPoint& p : points) {
    SvgSeries& s = series[family(p.arch)];
    s.name = family(p.arch);
    s.points.push_back({x(p), y(p), point_tooltip(p), p.on_front});
  }
  std::vector<SvgSeries> out;
  for (auto& [name, s] : series) out.push_back(s);
  return out;
}

const std::string kStyle = R"css(
body { font-family: sans-serif; margin: 2em; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: right; }
th { background: #f0f0f0; }
td.l, th.l { text-align: left; }
.headline { border: 2px solid #1f77b4; background: #eef5fb; padding: 1em; font-size: 15px; }
.plots svg { margin: 0.5em 0.5em 0.5em 0; border: 1px solid #eee; vertical-align: top; }
img.layout { max-width: 520px; border: 1px solid #ccc; margin: 0.5em; }
.fail { color: #b00; }
)css";

std::string html_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       size_t left_columns = 1) {
  std::string s = "<table>\n<tr>";
  for (size_t i = 0; i < header.size(); ++i)
    s += fmt::format("<th{}>{}</th>", i < left_columns ? " class=\"l\"" : "", xml_escape(header[i]));
  s += "</tr>\n";
  for (const auto& row : rows) {
    s += "<tr>";
    for (size_t i = 0; i < row.size(); ++i)
      s += fmt::format("<td{}>{}</td>", i < left_columns ? " class=\"l\"" : "", xml_escape(row[i]));
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

// Episode sensitivity (caught within the latency limit) and false alarms per hour.
std::string episode_sensitivity_text(const std::optional<EpisodeFigures>& e) {
  if (!e || e->episodes == 0) return "-";
  return fmt::format("{:.0f} % ({:.0f} %)", 100 * e->sensitivity, 100 * e->sensitivity_within);
}
std::string false_alarms_text(const std::optional<EpisodeFigures>& e) {
  return e && e->false_alarms_per_hour ? fmt::format("{:.1f}", *e->false_alarms_per_hour) : "-";
}






}  // namespace

std::string seconds_text(double s) {
  if (s <= 0) return "-";
  if (s >= 1) return fmt::format("{:.2f} s", s);
  if (s >= 1e-3) return fmt::format("{:.2f} ms", s * 1e3);
  return fmt::format("{:.1f} us", s * 1e6);
}

// Sentence for the headline pair.
std::string headline_text(const std::vector<DesignPoint>& points, const Headline& h, double delta, double saving) {
  if (!h.best) return "No design point finished.";
  const DesignPoint& a = points[*h.best];
  std::string t = fmt::format("Most accurate design {}: AUC {:.4f}, {} mm^2, {} faster than the {} deadline", a.name(),
                              a.auc, mm2(a.area_mm2), times(a.margin), seconds_text(a.latency_s * a.margin));
  if (a.energy_j > 0) t += fmt::format(", {} per decision", energy_text(a.energy_j));
  t += ". ";
  if (!h.alternative) {
    t += fmt::format("No design saves >= {:.0f} % area at <= {:g} pp lower AUC.", saving * 100, delta);
    return t;
  }
  const DesignPoint& b = points[*h.alternative];
  t += fmt::format("Area-optimised alternative {}: {} mm^2, {:.0f} % smaller at {:.2f} pp lower AUC, {} faster than "
                   "the deadline",
                   b.name(), mm2(b.area_mm2), h.area_saving * 100, h.auc_loss_pp, times(b.margin));
  if (b.energy_j > 0) t += fmt::format(", {} per decision", energy_text(b.energy_j));
  t += ".";
  return t;
}

// A route whose timing could not be extracted (vesta on qflow's delay file)
// has no f_max: say so instead of printing 0.
std::string post_route_fmax_text(const LayoutFigures& layout) {
  if (layout.post_route_fmax_mhz) return fmt::format("{:.0f}", *layout.post_route_fmax_mhz);
  return layout.post_route_timing_error ? "not timed (vesta failed)" : "-";
}

// A --report-only run built nothing: its time and jobs say nothing of the sweep.
std::string run_text(const RunInfo& run) {
  if (run.report_only) return "written with --report-only from the store (no sweep in this run)";
  return fmt::format("run {:.0f} s with {}, load average {} at the start, {} at the end", run.seconds,
                     run.executor.empty() ? fmt::format("{} job(s)", run.jobs) : run.executor,
                     run.load_average_start, run.load_average_end);
}

std::vector<std::string> point_row(const DesignPoint& p) {
  return {p.name(),
          fmt::format("{:.4f}", p.auc),
          episode_sensitivity_text(p.result.episodes),
          false_alarms_text(p.result.episodes),
          mm2(p.area_mm2),
          std::to_string(p.cells),
          fmt::format("{:.1f}", p.fmax_mhz),
          std::to_string(p.result.cycles_per_decision()),
          seconds_text(p.latency_s),
          times(p.margin),
          times(p.streaming_margin),
          fmt::format("{:.2f}", p.min_clock_mhz * 1e3),
          power_text(p.power_min_clock_w),
          energy_text(p.energy_j),
          p.on_front ? "yes" : ""};
}

const std::vector<std::string> kPointHeader = {"design (model/bits/arch)", "AUC", "episodes caught (within 2 s)",
                                               "false alarms/h", "area mm^2", "cells", "f_max MHz",
                                               "cycles/decision", "latency", "margin", "streaming margin",
                                               "lowest clock kHz", "power there", "energy/decision", "Pareto"};

const char* const kEpisodeNote =
    "Episodes: the design's golden (= chip) alarms, cue included, on the decisions its AUC is measured on; caught = "
    "an alarm from 2 s before a freeze's onset to its end (in brackets: within 2 s of the onset); false alarms per "
    "hour of non-freezing time (docs/PROTOCOL.md, \"Episodes\").";

int weight_bits(const quant::TensorBits& bits) { return bits.input_weight; }

DesignPoint DesignPoint::from_result(const std::string& key, const PointResult& r) {
  DesignPoint p;
  p.key = key;
  p.model = r.model;
  p.quant = r.quant;
  p.arch = r.arch;
  p.auc = r.auc;
  p.area_mm2 = r.area_mm2();
  p.cells = r.cells();
  p.fmax_mhz = r.fmax_mhz();
  p.latency_s = r.realtime.latency_s;
  p.margin = r.realtime.margin;
  p.streaming_margin = r.realtime.streaming_margin;
  p.min_clock_mhz = r.realtime.min_clock_mhz;
  p.energy_j = r.realtime.energy_per_decision_j;
  p.power_min_clock_w = r.realtime.power_at_min_clock_w;
  p.result = r;
  return p;
}

std::vector<size_t> mark_pareto_front(std::vector<DesignPoint>& points) {
  const bool all_have_energy =
      std::all_of(points.begin(), points.end(), [](const DesignPoint& p) { return p.energy_j > 0; });
  std::vector<std::vector<double>> costs;
  for (const DesignPoint& p : points) {
    std::vector<double> c = {-p.auc, p.area_mm2, p.latency_s};
    if (all_have_energy) c.push_back(p.energy_j);
    costs.push_back(c);
  }
  const std::vector<size_t> front = pareto_front(costs);
  for (DesignPoint& p : points) p.on_front = false;
  for (size_t i : front) points[i].on_front = true;
  return front;
}

Headline find_headline(const std::vector<DesignPoint>& points, double delta_auc_pp, double min_area_saving) {
  std::vector<AccuracyArea> designs;
  for (const DesignPoint& p : points) designs.push_back({p.auc, p.area_mm2});
  const HeadlinePair pair = headline_pair(designs, delta_auc_pp, min_area_saving);
  return {pair.best, pair.alternative, pair.area_saving, pair.accuracy_loss_pp};
}

std::string base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint8_t(bytes[i]) << 16;
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// Rows of the cost-model calibration: per design, synthesized vs predicted area.
std::vector<std::vector<std::string>> calibration_rows(const CalibrationReport& c) {
  std::vector<std::vector<std::string>> rows;
  for (const CalibratedDesign& r : c.designs)
    rows.push_back({r.design, fmt::format("{:.4f}", r.area_um2 * 1e-6), fmt::format("{:.4f}", r.prior_um2 * 1e-6),
                    fmt::format("{:+.1f}", 100 * (r.prior_um2 - r.area_um2) / r.area_um2),
                    fmt::format("{:.4f}", r.fitted_um2 * 1e-6),
                    fmt::format("{:+.1f}", 100 * (r.fitted_um2 - r.area_um2) / r.area_um2)});
  return rows;
}

const std::vector<std::string> kCalibrationHeader = {"design", "synthesized mm²", "prior model mm²", "prior error %",
                                                      "fitted model mm²", "fitted error %"};

std::string calibration_summary(const CalibrationReport& c) {
  if (!c.error.empty()) return "Not calibrated: " + c.error + ".";
  return fmt::format(
      "Cost model fitted to the synthesized areas of {} {} designs: mean error {:.1f} % (largest {:.1f} %), "
      "{:.1f} % for a design left out of the fit; the prior model was off by {:.1f} % on the same designs. "
      "The calibrated search's candidates are labelled cal-*.",
      c.fit.samples, c.architecture, 100 * c.fit.fitted_error, 100 * c.fit.fitted_max_error,
      100 * c.fit.leave_one_out_error, 100 * c.fit.prior_error);
}

json calibration_json(const std::optional<CalibrationReport>& c) {
  if (!c) return nullptr;
  if (!c->error.empty()) return {{"error", c->error}};
  json j = c->fit.to_json();
  j["architecture"] = c->architecture;
  j["designs"] = json::array();
  for (const CalibratedDesign& d : c->designs)
    j["designs"].push_back({{"design", d.design}, {"area_um2", d.area_um2}, {"prior_um2", d.prior_um2},
                            {"fitted_um2", d.fitted_um2}, {"features", quant::to_json(d.features)}});
  return j;
}

json run_json(const RunInfo& r) {
  return {{"seconds", r.seconds},
          {"jobs", r.jobs},
          {"executor", r.executor},
          {"report_only", r.report_only},
          {"points_planned", r.points_planned},
          {"points_done", r.points_done},
          {"points_failed", r.points_failed},
          {"points_computed_this_run", r.points_computed},
          {"points_not_built", r.points_not_built},
          {"points_skipped_invalid", r.points_skipped_invalid},
          {"layouts_done", r.layouts_done},
          {"layouts_failed", r.layouts_failed},
          {"load_average_start", r.load_average_start},
          {"load_average_end", r.load_average_end},
          {"data", r.data},
          {"auc_measured_on", r.auc_measured_on},
          {"store", r.store}};
}

std::string render_html(const ReportData& data, const std::string& dir) {
  const ReportData& d = data;
  std::string s = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                  "<meta charset=\"utf-8\"/>\n<title>" + xml_escape(d.title) + "</title>\n<style>" + kStyle +
                  "</style>\n</head>\n<body>\n";
  s += "<h1>" + xml_escape(d.title) + "</h1>\n";
  s += fmt::format("<p>{} design points finished, {} failed, {} on the Pareto front over (AUC, area, latency, energy "
                   "per decision); {} layouts. {}.</p>\n",
                   d.points.size(), d.failed.size(),
                   std::count_if(d.points.begin(), d.points.end(), [](const DesignPoint& p) { return p.on_front; }),
                   d.layouts.size(), xml_escape(run_text(d.run)));
  if (d.run.points_not_built > 0)
    s += fmt::format("<p class=\"fail\">Partial report: {} planned design points are not built yet (written with "
                     "--report-only while the sweep goes on).</p>\n",
                     d.run.points_not_built);
  if (!d.run.auc_measured_on.empty()) s += "<p>AUC: " + xml_escape(d.run.auc_measured_on) + ".</p>\n";
  s += "<p>" + std::string(kEpisodeNote) + "</p>\n";
  s += "<p>" + xml_escape(verification_text(d)) + ".</p>\n";
  s += "<div class=\"headline\"><b>Headline.</b> " +
       xml_escape(headline_text(d.points, d.headline, d.delta_auc_pp, d.min_area_saving)) + "</div>\n";
  s += fmt::format("<h2>Real-time requirement</h2>\n<p>Sensors at {:g} Hz, a decision every {} samples ({}); deadline "
                   "{} per decision (strict streaming: {} per sample). Latency = cycles per decision / f_max; margin = "
                   "deadline / latency. Lowest clock = cycles / deadline; power there = dynamic power scaled by the "
                   "clock + leakage. Energy per decision = dynamic energy of the decision's cycles + leakage over the "
                   "decision period.</p>\n",
                   d.realtime.sensor_hz, d.realtime.stride, seconds_text(d.realtime.decision_period_s()),
                   seconds_text(d.realtime.deadline_s), seconds_text(d.realtime.sample_period_s()));

  s += "<h2>Pareto fronts</h2>\n<div class=\"plots\">\n";
  s += scatter_svg({"AUC vs area (Pareto designs outlined)", "area mm^2 (log)", "AUC", true, false, 540, 380},
                   by_family(d.points, [](const DesignPoint& p) { return p.area_mm2; },
                             [](const DesignPoint& p) { return p.auc; }));
  s += scatter_svg({"AUC vs energy per decision", "energy per decision nJ (log)", "AUC", true, false, 540, 380},
                   by_family(d.points, [](const DesignPoint& p) { return p.energy_j * 1e9; },
                             [](const DesignPoint& p) { return p.auc; }));
  s += scatter_svg({"Latency vs area", "area mm^2 (log)", "latency s (log)", true, true, 540, 380},
                   by_family(d.points, [](const DesignPoint& p) { return p.area_mm2; },
                             [](const DesignPoint& p) { return p.latency_s; }));
  s += "</div>\n";

  // Latency margin per architecture.
  std::vector<const DesignPoint*> sorted;
  for (const DesignPoint& p : d.points) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const DesignPoint* a, const DesignPoint* b) {
    return std::tie(a->arch, a->model, a->quant) < std::tie(b->arch, b->model, b->quant);
  });
  std::vector<SvgBar> bars;
  for (const DesignPoint* p : sorted)
    bars.push_back({p->model + "/" + p->quant + "/" + p->arch, p->margin, "", family(p->arch), point_tooltip(*p)});
  s += "<h2>Latency margin per architecture</h2>\n<div class=\"plots\">\n";
  s += bar_svg({"Margin = deadline / latency (log)", "", "margin", false, true, 1000, 440}, bars, 1.0,
               "deadline");
  s += "</div>\n";

  // Accuracy vs bits.
  std::map<std::string, SvgSeries> acc;
  for (const QuantRow& q : d.quant) {
    SvgSeries& ser = acc[q.model];
    ser.name = q.model;
    ser.line = true;
    ser.points.push_back({static_cast<double>(weight_bits(q.bits)), q.auc,
                          fmt::format("{}/{}: AUC {:.4f} (float {:.4f})", q.model, q.quant, q.auc, q.float_auc)});
  }
  std::vector<SvgSeries> acc_series;
  for (auto& [name, ser] : acc) acc_series.push_back(ser);
  s += "<h2>Accuracy vs bits per tensor</h2>\n<div class=\"plots\">\n";
  s += scatter_svg({"AUC (golden model) vs weight bits", "input/recurrent weight bits", "AUC", false, false, 540, 380},
                   acc_series);
  s += "</div>\n";
  std::vector<std::vector<std::string>> qrows;
  for (const QuantRow& q : d.quant) {
    const quant::TensorBits& b = q.bits;
    qrows.push_back({q.model + "/" + q.quant, fmt::format("{:.4f}", q.auc), fmt::format("{:.4f}", q.float_auc),
                     fmt::format("{:+.2f}", 100 * (q.auc - q.float_auc)), std::to_string(b.input),
                     std::to_string(b.input_weight), std::to_string(b.recurrent_weight), std::to_string(b.gate),
                     std::to_string(b.cell), std::to_string(b.hidden), std::to_string(b.sigmoid),
                     std::to_string(b.tanh), std::to_string(b.score)});
  }
  s += html_table({"model/bits", "AUC", "float AUC", "change pp", "input", "W_x", "W_h", "gate", "cell", "h", "sigmoid",
                   "tanh", "score"},
                  qrows);

  if (d.calibration) {
    s += "<h2>Hardware cost model calibration</h2>\n<p>" + xml_escape(calibration_summary(*d.calibration)) + "</p>\n";
    if (d.calibration->error.empty()) {
      SvgSeries prior{"prior model", "", {}}, fitted{"fitted model", "", {}};
      for (const CalibratedDesign& r : d.calibration->designs) {
        prior.points.push_back({r.area_um2 * 1e-6, r.prior_um2 * 1e-6, r.design});
        fitted.points.push_back({r.area_um2 * 1e-6, r.fitted_um2 * 1e-6, r.design});
      }
      s += "<div class=\"plots\">\n" +
           scatter_svg({"predicted vs synthesized area", "synthesized area (mm²)", "predicted (mm²)", false, false, 540, 380},
                       {prior, fitted}) +
           "</div>\n" + html_table(kCalibrationHeader, calibration_rows(*d.calibration));
    }
  }

  // Pareto table.
  std::vector<std::vector<std::string>> front_rows, all_rows;
  for (const DesignPoint& p : d.points) {
    if (p.on_front) front_rows.push_back(point_row(p));
    all_rows.push_back(point_row(p));
  }
  s += "<h2>Final Pareto designs</h2>\n" + html_table(kPointHeader, front_rows);

  if (const std::string fpga = fpga_summary(d); !fpga.empty())
    s += "<h2>FPGA</h2>\n<p>" + xml_escape(fpga) + "</p>\n" + html_table(kFpgaHeader, fpga_rows(d));

  // Layouts.
  s += "<h2>Layouts</h2>\n";
  if (d.layouts.empty()) s += "<p>No layouts (disabled, or no Pareto design within the cell limit).</p>\n";
  for (const LayoutOutcome& l : d.layouts) {
    s += fmt::format("<h3>{} &#8212; density {:g}, aspect {:g}</h3>\n", xml_escape(l.design), l.density, l.aspect);
    if (!l.done()) {
      s += "<p class=\"fail\">failed: " + xml_escape(l.error.substr(0, 600)) + "</p>\n";
      continue;
    }
    const LayoutFigures& m = *l.figures;
    s += html_table({"cells", "die um", "die mm^2", "utilisation", "wire mm", "failed routes", "f_max pre/post MHz",
                     "slack ns", "routed netlist vs golden", "place+route s"},
                    {{std::to_string(m.cells), fmt::format("{:.0f} x {:.0f}", m.die_width_um, m.die_height_um),
                      fmt::format("{:.4f}", m.die_area_mm2), fmt::format("{:.2f}", m.core_utilisation),
                      fmt::format("{:.1f}", m.wire_length_um / 1000), std::to_string(m.failed_routes),
                      fmt::format("{:.0f} / {}", m.pre_route_fmax_mhz, post_route_fmax_text(m)),
                      m.post_route_slack_ns ? fmt::format("{:.2f}", *m.post_route_slack_ns) : "-",
                      routed_verify_text(m), fmt::format("{:.0f}", m.place_and_route_seconds)}},
                    0);
    if (m.post_route_timing_error)
      s += "<p>post-route timing: " + xml_escape(m.post_route_timing_error->substr(0, 600)) + "</p>\n";
    const fs::path png = fs::path(dir) / m.png;
    if (!m.png.empty() && fs::exists(png))
      s += "<img class=\"layout\" alt=\"layout of " + xml_escape(l.design) + "\" src=\"data:image/png;base64," +
           base64(read_file(png.string())) + "\"/>\n";
  }

  s += "<h2>All design points</h2>\n<details><summary>" + std::to_string(d.points.size()) +
       " points</summary>\n" + html_table(kPointHeader, all_rows) + "</details>\n";
  if (!d.failed.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const FailedPoint& f : d.failed) rows.push_back({f.name, f.error.substr(0, 400)});
    s += "<h2>Failed points</h2>\n" + html_table({"design", "error"}, rows, 2);
  }
  s += "<h2>Configuration</h2>\n<pre>" + xml_escape(d.config.dump(2)) + "</pre>\n";
  s += "</body>\n</html>\n";
  return s;
}


json results_json(const ReportData& d) {
  json points = json::array();
  for (const DesignPoint& p : d.points) {
    json m = to_json(p.result);
    m["key"] = p.key;
    m["on_front"] = p.on_front;
    points.push_back(m);
  }
  json failed = json::array();
  for (const FailedPoint& f : d.failed) failed.push_back({{"name", f.name}, {"error", f.error}});
  json quant = json::array();
  for (const QuantRow& q : d.quant)
    quant.push_back({{"model", q.model}, {"quant", q.quant}, {"auc", q.auc}, {"float_auc", q.float_auc},
                     {"bits", quant::to_json(q.bits)}});
  json layouts = json::array();
  for (const LayoutOutcome& l : d.layouts) layouts.push_back(to_json(l));
  json headline = {{"text", headline_text(d.points, d.headline, d.delta_auc_pp, d.min_area_saving)},
                   {"area_saving", d.headline.area_saving}, {"auc_loss_pp", d.headline.auc_loss_pp}};
  if (d.headline.best) headline["best"] = d.points[*d.headline.best].key;
  if (d.headline.alternative) headline["alternative"] = d.points[*d.headline.alternative].key;
  return {{"format", "gaitlstm-explore-results"},
          {"version", 2},
          {"run", run_json(d.run)},
          {"realtime", {{"sensor_hz", d.realtime.sensor_hz}, {"stride", d.realtime.stride},
                        {"deadline_s", d.realtime.deadline_s}}},
          {"headline", headline},
          {"points", points},
          {"failed", failed},
          {"quant", quant},
          {"layouts", layouts},
          {"calibration", calibration_json(d.calibration)},
          {"config", d.config}};
}

std::string write_report(const ReportData& d, const std::string& dir) {
  const std::string html = (fs::path(dir) / "report.html").string();
  write_file_atomic((fs::path(dir) / "results.json").string(), results_json(d).dump(2) + "\n");
  write_file_atomic((fs::path(dir) / "report.md").string(), render_markdown(d));
  write_file_atomic(html, render_html(d, dir));
  return html;
}

}  // namespace gaitlstm::explore
