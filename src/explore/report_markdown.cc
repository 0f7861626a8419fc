// The exploration report as markdown (report.md): the same tables as the
// html page, without the figures.
#include <fmt/format.h>

#include "explore/report.h"
#include "explore/report_fpga.h"
#include "explore/report_text.h"

namespace gaitlstm::explore {
namespace {

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

}  // namespace

std::string render_markdown(const ReportData& data) {
  const ReportData& d = data;
  std::string s = "# " + d.title + "\n\n";
  s += fmt::format("{} design points finished, {} failed; {}.\n\n", d.points.size(), d.failed.size(), run_text(d.run));
  if (d.run.points_not_built > 0)
    s += fmt::format("Partial report: {} planned design points are not built yet (--report-only).\n\n",
                     d.run.points_not_built);
  if (!d.run.auc_measured_on.empty()) s += "AUC: " + d.run.auc_measured_on + ".\n\n";
  s += std::string(kEpisodeNote) + "\n\n";
  s += verification_text(d) + ".\n\n";
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
  if (const std::string fpga = fpga_summary(d); !fpga.empty())
    s += "## FPGA\n\n" + fpga + "\n\n" + md_table(kFpgaHeader, fpga_rows(d)) + "\n";
  s += "## Quantized candidates\n\n" + md_table({"model/bits", "AUC", "float AUC", "weight bits"}, qrows) + "\n";
  if (d.calibration) {
    s += "## Hardware cost model calibration\n\n" + calibration_summary(*d.calibration) + "\n\n";
    if (d.calibration->error.empty()) s += md_table(kCalibrationHeader, calibration_rows(*d.calibration)) + "\n";
  }
  if (!d.layouts.empty()) {
    std::vector<std::vector<std::string>> lrows;
    for (const LayoutOutcome& l : d.layouts) {
      const std::optional<LayoutFigures>& m = l.figures;
      lrows.push_back({l.design, fmt::format("{:g}", l.density), l.status,
                       m ? fmt::format("{:.4f}", m->die_area_mm2) : "-",
                       m ? std::to_string(m->failed_routes) : "-", m ? post_route_fmax_text(*m) : "-",
                       m && m->post_route_slack_ns ? fmt::format("{:.2f}", *m->post_route_slack_ns) : "-",
                       m ? routed_verify_text(*m) : "-", m && !m->png.empty() ? m->png : "-"});
    }
    s += "## Layouts\n\n" +
         md_table({"design", "density", "status", "die mm^2", "failed routes", "post-route f_max MHz", "slack ns",
                   "routed netlist vs golden", "picture"},
                  lrows) +
         "\n";
  }
  if (!d.failed.empty()) {
    s += "## Failed points\n\n";
    for (const FailedPoint& f : d.failed) s += "- " + f.name + ": " + f.error.substr(0, 200) + "\n";
  }
  return s;
}

}  // namespace gaitlstm::explore
