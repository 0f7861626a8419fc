#include "explore/report.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "util/process_runner.h"
#include "explore/sample_points.h"
#include "explore/svg.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {
namespace {

using nlohmann::json;

DesignPoint make_point(const std::string& arch, double auc, double area, double latency, double energy) {
  return DesignPoint::from_result(arch + "-key", samples::sample_result(arch, auc, area, latency, energy));
}

std::vector<DesignPoint> points() {
  return {make_point("serial", 0.90, 1.00, 1e-3, 5e-6), make_point("gates", 0.895, 0.70, 3e-4, 4e-6),
          make_point("lanes:4", 0.85, 0.50, 1e-4, 3e-6), make_point("mcm", 0.90, 2.00, 1e-5, 9e-6)};
}

TEST(Report, HeadlinePicksMostAccurateAndSmallestAcceptableAlternative) {
  const std::vector<DesignPoint> p = points();
  const Headline h = find_headline(p, 1.0, 0.25);
  ASSERT_TRUE(h.best && h.alternative);
  EXPECT_EQ(p[*h.best].arch, "serial");       // AUC tie with mcm: smaller area wins
  EXPECT_EQ(p[*h.alternative].arch, "gates"); // 30 % smaller at 0.5 pp; lanes:4 loses 5 pp
  EXPECT_NEAR(h.area_saving, 0.30, 1e-12);
  EXPECT_NEAR(h.auc_loss_pp, 0.5, 1e-9);
  EXPECT_FALSE(find_headline(p, 1.0, 0.5).alternative.has_value());
}

TEST(Report, ParetoMarksFront) {
  std::vector<DesignPoint> p = points();
  const std::vector<size_t> front = mark_pareto_front(p);
  EXPECT_EQ(front.size(), 4u);  // each is best somewhere
  p.push_back(make_point("lanes:2", 0.80, 3.0, 1e-2, 1e-5));  // worse than all
  mark_pareto_front(p);
  EXPECT_FALSE(p.back().on_front);
}

TEST(Report, DesignPointFiguresComeFromTheTypedResult) {
  const DesignPoint p = make_point("gates", 0.895, 0.70, 3e-4, 4e-6);
  EXPECT_DOUBLE_EQ(p.area_mm2, 0.70);
  EXPECT_EQ(p.cells, 1000);
  EXPECT_DOUBLE_EQ(p.fmax_mhz, 100);
  EXPECT_DOUBLE_EQ(p.energy_j, 4e-6);
  EXPECT_DOUBLE_EQ(p.latency_s, 3e-4);
  EXPECT_EQ(make_point("gates", 0.9, 0.7, 3e-4, 0).energy_j, 0);  // no power: no energy
}

TEST(Report, Base64) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

TEST(Report, SvgEscapesAndTicks) {
  EXPECT_EQ(xml_escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
  const std::vector<double> t = axis_ticks(0, 1, false);
  EXPECT_DOUBLE_EQ(t.front(), 0);
  EXPECT_NEAR(t.back(), 1, 1e-12);
  EXPECT_EQ(axis_ticks(0.01, 100, true).size(), 5u);
}

// The four points above with their front and headline (1 pp, 25 %).
ReportData report_data(const std::string& title) {
  ReportData d;
  d.title = title;
  d.realtime.deadline_s = 0.5;
  d.points = points();
  mark_pareto_front(d.points);
  d.headline = find_headline(d.points, 1.0, 0.25);
  return d;
}

// The report is well-formed XML (XHTML) with inline SVG, a data-URI picture,
// no scripts and no external references.
TEST(Report, HtmlIsWellFormedAndSelfContained) {
  testing::TempDir dir;
  ReportData d = report_data("test <report>");
  quant::TensorBits w6;
  w6.input_weight = 6;
  d.quant = {{"h8", "8bit", 0.9, 0.91, quant::TensorBits{}}, {"h8", "w6", 0.89, 0.91, w6}};
  // A 1x1 PNG as the layout picture.
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9c"
                        "c\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xae\x42\x60\x82", 70);
  write_file_atomic(dir.file("layouts/l1/layout.png"), png);
  LayoutFigures figures = samples::sample_layout();
  figures.png = "layouts/l1/layout.png";  // relative to the output directory
  d.layouts.push_back({"l1", "serial-key", "h8/8bit/serial", 0.45, 1, "done", figures, "", 400});
  d.layouts.push_back({"l2", "serial-key", "h8/8bit/serial", 0.6, 1, "failed", std::nullopt, "qrouter <timeout>", 900});
  d.failed.push_back({"h8/8bit/mcm", "yosys & friends failed"});
  d.config = json{{"models", "x"}};
  const std::string html_path = write_report(d, dir.path());
  const std::string html = read_file(html_path);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "no external pictures";
  EXPECT_EQ(html.find("href="), std::string::npos) << "no links to fetch";
  EXPECT_NE(html.find("30 % smaller at 0.50 pp lower AUC"), std::string::npos);
  EXPECT_NE(read_file(dir.file("report.md")).find("Headline"), std::string::npos);
  const json results = json::parse(read_file(dir.file("results.json")));
  EXPECT_EQ(results["points"].size(), 4u);
  if (find_program("xmllint").empty()) GTEST_SKIP() << "xmllint not installed";
  const std::string command = "xmllint --noout '" + html_path + "' 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << "xmllint rejects " << html_path;
}

// Every design's episode sensitivity (within 2 s) and false alarms per hour
// are columns of the design tables; undefined figures are "-".
TEST(Report, EpisodeColumnsPerDesign) {
  testing::TempDir dir;
  ReportData d = report_data("t");
  d.points[2].result.episodes = samples::sample_episodes(false);  // nothing detected, no alarm
  d.points[3].result.episodes.reset();                            // not measured
  write_report(d, dir.path());
  const std::string md = read_file(dir.file("report.md"));
  EXPECT_NE(md.find("| episodes caught (within 2 s) | false alarms/h |"), std::string::npos) << md;
  EXPECT_NE(md.find("| h8/8bit/serial | 0.9000 | 87 % (39 %) | 11.2 |"), std::string::npos) << md;
  const std::string html = read_file(dir.file("report.html"));
  EXPECT_NE(html.find("<td>87 % (39 %)</td><td>11.2</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>0 % (0 %)</td><td>-</td>"), std::string::npos) << "lanes:4: none caught";
  EXPECT_NE(html.find("<td class=\"l\">h8/8bit/mcm</td><td>0.9000</td><td>-</td><td>-</td>"), std::string::npos);
  const json results = json::parse(read_file(dir.file("results.json")));
  EXPECT_EQ(results["points"][0]["episodes"]["detected_within"], 9);
  EXPECT_FALSE(results["points"][3].contains("episodes"));
}

// A route vesta could not time says so (not "0 MHz"), and a --report-only
// run does not pass its own zero seconds off as the sweep's time.
TEST(Report, UntimedRouteAndReportOnlyRunAreSaidAsSuch) {
  testing::TempDir dir;
  ReportData d = report_data("t");
  LayoutFigures untimed = samples::sample_layout();
  untimed.post_route_fmax_mhz.reset();
  untimed.post_route_slack_ns.reset();
  untimed.post_route_timing_error = "vesta: net x! not found";
  d.layouts.push_back({"l1", "serial-key", "h8/8bit/serial", 0.6, 1, "done", untimed, "", 400});
  d.layouts.push_back({"l2", "gates-key", "h8/8bit/gates", 0.6, 1, "done", samples::sample_layout(), "", 400});
  d.run.report_only = true;
  write_report(d, dir.path());
  const std::string md = read_file(dir.file("report.md"));
  EXPECT_NE(md.find("| not timed (vesta failed) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 87 |"), std::string::npos);
  EXPECT_NE(md.find("--report-only"), std::string::npos);
  EXPECT_EQ(md.find("run 0 s"), std::string::npos);
  EXPECT_NE(read_file(dir.file("report.html")).find("vesta: net x! not found"), std::string::npos);
}

}  // namespace
}  // namespace gaitlstm::explore
