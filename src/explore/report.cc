#include "explore/report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "explore/pareto.h"
#include "explore/svg.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string mm2(double v) { return fmt::format("{:.4f}", v); }
std::string times(double v) { return v >= 100 ? fmt::format("{:.0f}x", v) : fmt::format("{:.1f}x", v); }
std::string seconds_text(double s) {
  if (s <= 0) return "-";
  if (s >= 1) return fmt::format("{:.2f} s", s);
  if (s >= 1e-3) return fmt::format("{:.2f} ms", s * 1e3);
  return fmt::format("{:.1f} us", s * 1e6);
}
std::string energy_text(double j) { return j > 0 ? fmt::format("{:.2f} nJ", j * 1e9) : "-"; }
std::string power_text(double w) {
  if (w <= 0) return "-";
  return w >= 1e-3 ? fmt::format("{:.3f} mW", w * 1e3) : fmt::format("{:.2f} uW", w * 1e6);
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
std::string post_route_fmax_text(const json& layout_metrics) {
  if (layout_metrics.contains("post_route_fmax_mhz"))
    return fmt::format("{:.0f}", layout_metrics["post_route_fmax_mhz"].get<double>());
  return layout_metrics.contains("post_route_timing_error") ? "not timed (vesta failed)" : "-";
}

// A --report-only run built nothing: its time and jobs say nothing of the sweep.
std::string run_text(const json& run) {
  if (run.value("report_only", false)) return "written with --report-only from the store (no sweep in this run)";
  return fmt::format("run {:.0f} s with {} job(s), load average {} at the start, {} at the end",
                     run.value("seconds", 0.0), run.value("jobs", 1), run.value("load_average_start", ""),
                     run.value("load_average_end", ""));
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

std::vector<std::string> point_row(const DesignPoint& p) {
  return {p.name(),
          fmt::format("{:.4f}", p.auc),
          mm2(p.area_mm2),
          std::to_string(p.cells),
          fmt::format("{:.1f}", p.fmax_mhz),
          std::to_string(p.metrics.value("cycles_per_decision", int64_t{0})),
          seconds_text(p.latency_s),
          times(p.margin),
          times(p.streaming_margin),
          fmt::format("{:.2f}", p.min_clock_mhz * 1e3),
          power_text(p.power_min_clock_w),
          energy_text(p.energy_j),
          p.on_front ? "yes" : ""};
}

const std::vector<std::string> kPointHeader = {"design (model/bits/arch)", "AUC", "area mm^2", "cells", "f_max MHz",
                                               "cycles/decision", "latency", "margin", "streaming margin",
                                               "lowest clock kHz", "power there", "energy/decision", "Pareto"};

std::string md_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string s = "|";
  for (const auto& h : header) s += " " + h + " |";
  s += "\n|";
  for (size_t i = 0; i < header.size(); ++i) s += "---|";
  s += "\n";
  for (const auto& row : rows) {
    s += "|";
    for (const auto& c : row) s += " " + c + " |";
    s += "\n";
  }
  return s;
}

int weight_bits(const json& bits) { return bits.value("input_weight", 8); }

}  // namespace

DesignPoint DesignPoint::from_metrics(const std::string& key, const json& m) {
  DesignPoint p;
  p.key = key;
  p.model = m.value("model", "");
  p.quant = m.value("quant", "");
  p.arch = m.value("arch", "");
  p.auc = m.value("auc", 0.0);
  p.area_mm2 = m.value("area_mm2", 0.0);
  p.cells = m.value("cells", int64_t{0});
  p.fmax_mhz = m.value("fmax_mhz", 0.0);
  if (m.contains("realtime")) {
    const json& r = m["realtime"];
    p.latency_s = r.value("latency_s", 0.0);
    p.margin = r.value("margin", 0.0);
    p.streaming_margin = r.value("streaming_margin", 0.0);
    p.min_clock_mhz = r.value("min_clock_mhz", 0.0);
    p.energy_j = r.value("energy_per_decision_j", 0.0);
    p.power_min_clock_w = r.value("power_at_min_clock_w", 0.0);
  }
  p.metrics = m;
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
  Headline h;
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].area_mm2 <= 0) continue;
    if (!h.best || points[i].auc > points[*h.best].auc ||
        (points[i].auc == points[*h.best].auc && points[i].area_mm2 < points[*h.best].area_mm2))
      h.best = i;
  }
  if (!h.best) return h;
  const DesignPoint& a = points[*h.best];
  for (size_t i = 0; i < points.size(); ++i) {
    const DesignPoint& b = points[i];
    if (b.area_mm2 <= 0) continue;
    const double saving = 1 - b.area_mm2 / a.area_mm2;
    const double loss_pp = 100 * (a.auc - b.auc);
    if (saving + 1e-12 < min_area_saving || loss_pp > delta_auc_pp + 1e-12) continue;
    if (!h.alternative || b.area_mm2 < points[*h.alternative].area_mm2) h.alternative = i;
  }
  if (h.alternative) {
    h.area_saving = 1 - points[*h.alternative].area_mm2 / a.area_mm2;
    h.auc_loss_pp = 100 * (a.auc - points[*h.alternative].auc);
  }
  return h;
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
std::vector<std::vector<std::string>> calibration_rows(const json& c) {
  std::vector<std::vector<std::string>> rows;
  for (const json& r : c.value("designs", json::array())) {
    const double area = r.value("area_um2", 0.0), prior = r.value("prior_um2", 0.0), fitted = r.value("fitted_um2", 0.0);
    rows.push_back({r.value("design", ""), fmt::format("{:.4f}", area * 1e-6), fmt::format("{:.4f}", prior * 1e-6),
                    fmt::format("{:+.1f}", 100 * (prior - area) / area), fmt::format("{:.4f}", fitted * 1e-6),
                    fmt::format("{:+.1f}", 100 * (fitted - area) / area)});
  }
  return rows;
}

const std::vector<std::string> kCalibrationHeader = {"design", "synthesized mm²", "prior model mm²", "prior error %",
                                                      "fitted model mm²", "fitted error %"};

std::string calibration_summary(const json& c) {
  if (c.is_null()) return "";
  if (c.contains("error")) return "Not calibrated: " + c.value("error", "") + ".";
  return fmt::format(
      "Cost model fitted to the synthesized areas of {} {} designs: mean error {:.1f} % (largest {:.1f} %), "
      "{:.1f} % for a design left out of the fit; the prior model was off by {:.1f} % on the same designs. "
      "The calibrated search's candidates are labelled cal-*.",
      c.value("samples", 0), c.value("architecture", ""), 100 * c.value("fitted_mean_abs_relative_error", 0.0),
      100 * c.value("fitted_max_abs_relative_error", 0.0), 100 * c.value("leave_one_out_mean_abs_relative_error", 0.0),
      100 * c.value("prior_mean_abs_relative_error", 0.0));
}

std::string render_html(const ReportData& data) {
  ReportData d = data;
  if (!d.run.is_object()) d.run = json::object();
  std::string s = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                  "<meta charset=\"utf-8\"/>\n<title>" + xml_escape(d.title) + "</title>\n<style>" + kStyle +
                  "</style>\n</head>\n<body>\n";
  s += "<h1>" + xml_escape(d.title) + "</h1>\n";
  s += fmt::format("<p>{} design points finished, {} failed, {} on the Pareto front over (AUC, area, latency, energy "
                   "per decision); {} layouts. {}.</p>\n",
                   d.points.size(), d.failed.size(),
                   std::count_if(d.points.begin(), d.points.end(), [](const DesignPoint& p) { return p.on_front; }),
                   d.layouts.size(), xml_escape(run_text(d.run)));
  if (d.run.value("points_not_built", 0) > 0)
    s += fmt::format("<p class=\"fail\">Partial report: {} planned design points are not built yet (written with "
                     "--report-only while the sweep goes on).</p>\n",
                     d.run.value("points_not_built", 0));
  if (d.run.contains("auc_measured_on"))
    s += "<p>AUC: " + xml_escape(d.run.value("auc_measured_on", "")) + ".</p>\n";
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
    const json& b = q.bits;
    qrows.push_back({q.model + "/" + q.quant, fmt::format("{:.4f}", q.auc), fmt::format("{:.4f}", q.float_auc),
                     fmt::format("{:+.2f}", 100 * (q.auc - q.float_auc)), std::to_string(b.value("input", 0)),
                     std::to_string(b.value("input_weight", 0)), std::to_string(b.value("recurrent_weight", 0)),
                     std::to_string(b.value("gate", 0)), std::to_string(b.value("cell", 0)),
                     std::to_string(b.value("hidden", 0)), std::to_string(b.value("sigmoid", 0)),
                     std::to_string(b.value("tanh", 0)), std::to_string(b.value("score", 0))});
  }
  s += html_table({"model/bits", "AUC", "float AUC", "change pp", "input", "W_x", "W_h", "gate", "cell", "h", "sigmoid",
                   "tanh", "score"},
                  qrows);

  if (!d.calibration.is_null()) {
    s += "<h2>Hardware cost model calibration</h2>\n<p>" + xml_escape(calibration_summary(d.calibration)) + "</p>\n";
    if (d.calibration.contains("designs")) {
      SvgSeries prior{"prior model", "", {}}, fitted{"fitted model", "", {}};
      for (const json& r : d.calibration.at("designs")) {
        const double area = r.value("area_um2", 0.0) * 1e-6;
        prior.points.push_back({area, r.value("prior_um2", 0.0) * 1e-6, r.value("design", "")});
        fitted.points.push_back({area, r.value("fitted_um2", 0.0) * 1e-6, r.value("design", "")});
      }
      s += "<div class=\"plots\">\n" +
           scatter_svg({"predicted vs synthesized area", "synthesized area (mm²)", "predicted (mm²)", false, false, 540, 380},
                       {prior, fitted}) +
           "</div>\n" + html_table(kCalibrationHeader, calibration_rows(d.calibration));
    }
  }

  // Pareto table.
  std::vector<std::vector<std::string>> front_rows, all_rows;
  for (const DesignPoint& p : d.points) {
    if (p.on_front) front_rows.push_back(point_row(p));
    all_rows.push_back(point_row(p));
  }
  s += "<h2>Final Pareto designs</h2>\n" + html_table(kPointHeader, front_rows);

  // Layouts.
  s += "<h2>Layouts</h2>\n";
  if (d.layouts.empty()) s += "<p>No layouts (disabled, or no Pareto design within the cell limit).</p>\n";
  for (const LayoutView& l : d.layouts) {
    s += fmt::format("<h3>{} &#8212; density {:g}, aspect {:g}</h3>\n", xml_escape(l.design), l.density, l.aspect);
    if (l.status != "done") {
      s += "<p class=\"fail\">failed: " + xml_escape(l.error.substr(0, 600)) + "</p>\n";
      continue;
    }
    const json& m = l.metrics;
    s += html_table({"cells", "die um", "die mm^2", "utilisation", "wire mm", "failed routes", "f_max pre/post MHz",
                     "place+route s"},
                    {{std::to_string(m.value("cells", int64_t{0})),
                      fmt::format("{:.0f} x {:.0f}", m.value("die_width_um", 0.0), m.value("die_height_um", 0.0)),
                      fmt::format("{:.4f}", m.value("die_area_mm2", 0.0)), fmt::format("{:.2f}", m.value("core_utilisation", 0.0)),
                      fmt::format("{:.1f}", m.value("wire_length_um", 0.0) / 1000), std::to_string(m.value("failed_routes", int64_t{0})),
                      fmt::format("{:.0f} / {}", m.value("pre_route_fmax_mhz", 0.0), post_route_fmax_text(m)),
                      fmt::format("{:.0f}", m.value("place_and_route_seconds", 0.0))}},
                    0);
    if (m.contains("post_route_timing_error"))
      s += "<p>post-route timing: " + xml_escape(m["post_route_timing_error"].get<std::string>().substr(0, 600)) + "</p>\n";
    if (!l.png.empty() && fs::exists(l.png))
      s += "<img class=\"layout\" alt=\"layout of " + xml_escape(l.design) + "\" src=\"data:image/png;base64," +
           base64(read_file(l.png)) + "\"/>\n";
  }

  s += "<h2>All design points</h2>\n<details><summary>" + std::to_string(d.points.size()) +
       " points</summary>\n" + html_table(kPointHeader, all_rows) + "</details>\n";
  if (!d.failed.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const json& f : d.failed) rows.push_back({f.value("name", ""), f.value("error", "").substr(0, 400)});
    s += "<h2>Failed points</h2>\n" + html_table({"design", "error"}, rows, 2);
  }
  s += "<h2>Configuration</h2>\n<pre>" + xml_escape(d.config.dump(2)) + "</pre>\n";
  s += "</body>\n</html>\n";
  return s;
}

std::string render_markdown(const ReportData& data) {
  ReportData d = data;
  if (!d.run.is_object()) d.run = json::object();
  std::string s = "# " + d.title + "\n\n";
  s += fmt::format("{} design points finished, {} failed; {}.\n\n", d.points.size(), d.failed.size(), run_text(d.run));
  if (d.run.value("points_not_built", 0) > 0)
    s += fmt::format("Partial report: {} planned design points are not built yet (--report-only).\n\n",
                     d.run.value("points_not_built", 0));
  if (d.run.contains("auc_measured_on")) s += "AUC: " + d.run.value("auc_measured_on", "") + ".\n\n";
  s += "**Headline.** " + headline_text(d.points, d.headline, d.delta_auc_pp, d.min_area_saving) + "\n\n";
  s += fmt::format("Deadline {} per decision (sensors {:g} Hz, stride {}); streaming: {} per sample.\n\n",
                   seconds_text(d.realtime.deadline_s), d.realtime.sensor_hz, d.realtime.stride,
                   seconds_text(d.realtime.sample_period_s()));
  std::vector<std::vector<std::string>> rows;
  for (const DesignPoint& p : d.points)
    if (p.on_front) rows.push_back(point_row(p));
  s += "## Final Pareto designs\n\n" + md_table(kPointHeader, rows) + "\n";
  std::vector<std::vector<std::string>> qrows;
  for (const QuantRow& q : d.quant)
    qrows.push_back({q.model + "/" + q.quant, fmt::format("{:.4f}", q.auc), fmt::format("{:.4f}", q.float_auc),
                     std::to_string(weight_bits(q.bits))});
  s += "## Quantized candidates\n\n" + md_table({"model/bits", "AUC", "float AUC", "weight bits"}, qrows) + "\n";
  if (!d.calibration.is_null()) {
    s += "## Hardware cost model calibration\n\n" + calibration_summary(d.calibration) + "\n\n";
    if (d.calibration.contains("designs")) s += md_table(kCalibrationHeader, calibration_rows(d.calibration)) + "\n";
  }
  if (!d.layouts.empty()) {
    std::vector<std::vector<std::string>> lrows;
    for (const LayoutView& l : d.layouts) {
      const json& m = l.metrics;
      lrows.push_back({l.design, fmt::format("{:g}", l.density), l.status,
                       l.status == "done" ? fmt::format("{:.4f}", m.value("die_area_mm2", 0.0)) : "-",
                       l.status == "done" ? std::to_string(m.value("failed_routes", int64_t{0})) : "-",
                       l.status == "done" ? post_route_fmax_text(m) : "-",
                       l.png.empty() ? "-" : fs::path(l.png).filename().string()});
    }
    s += "## Layouts\n\n" +
         md_table({"design", "density", "status", "die mm^2", "failed routes", "post-route f_max MHz", "picture"}, lrows) +
         "\n";
  }
  if (!d.failed.empty()) {
    s += "## Failed points\n\n";
    for (const json& f : d.failed) s += "- " + f.value("name", "") + ": " + f.value("error", "").substr(0, 200) + "\n";
  }
  return s;
}

json results_json(const ReportData& d) {
  json points = json::array();
  for (const DesignPoint& p : d.points) {
    json m = p.metrics;
    m["key"] = p.key;
    m["on_front"] = p.on_front;
    points.push_back(m);
  }
  json quant = json::array();
  for (const QuantRow& q : d.quant)
    quant.push_back({{"model", q.model}, {"quant", q.quant}, {"auc", q.auc}, {"float_auc", q.float_auc}, {"bits", q.bits}});
  json layouts = json::array();
  for (const LayoutView& l : d.layouts)
    layouts.push_back({{"point", l.point_key}, {"design", l.design}, {"density", l.density}, {"aspect", l.aspect},
                       {"status", l.status}, {"error", l.error}, {"png", l.png}, {"metrics", l.metrics}});
  json headline = {{"text", headline_text(d.points, d.headline, d.delta_auc_pp, d.min_area_saving)},
                   {"area_saving", d.headline.area_saving}, {"auc_loss_pp", d.headline.auc_loss_pp}};
  if (d.headline.best) headline["best"] = d.points[*d.headline.best].key;
  if (d.headline.alternative) headline["alternative"] = d.points[*d.headline.alternative].key;
  return {{"format", "gaitlstm-explore-results"},
          {"version", 1},
          {"run", d.run},
          {"realtime", {{"sensor_hz", d.realtime.sensor_hz}, {"stride", d.realtime.stride},
                        {"deadline_s", d.realtime.deadline_s}}},
          {"headline", headline},
          {"points", points},
          {"failed", d.failed},
          {"quant", quant},
          {"layouts", layouts},
          {"calibration", d.calibration},
          {"config", d.config}};
}

std::string write_report(const ReportData& d, const std::string& dir) {
  const std::string html = (fs::path(dir) / "report.html").string();
  write_file_atomic((fs::path(dir) / "results.json").string(), results_json(d).dump(2) + "\n");
  write_file_atomic((fs::path(dir) / "report.md").string(), render_markdown(d));
  write_file_atomic(html, render_html(d));
  return html;
}

}  // namespace gaitlstm::explore
