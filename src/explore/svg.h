// A small SVG writer for the report's plots: scatter/line charts with
// linear or log axes, legends and per-point tooltips (<title>), and bar
// charts.  Output is standalone, well-formed XML (no scripts, no fonts to
// fetch) that can be inlined into HTML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gaitlstm::explore {

std::string xml_escape(std::string_view text);

struct SvgPoint {
  double x = 0, y = 0;
  std::string tooltip;
  bool highlight = false;  // drawn larger, with an outline
};

struct SvgSeries {
  std::string name;
  std::string color;        // CSS colour; "" = from the palette
  std::vector<SvgPoint> points;
  bool line = false;        // connect the points in x order
};

struct SvgPlot {
  std::string title, x_label, y_label;
  bool log_x = false, log_y = false;
  int width = 640, height = 400;
};

// Scatter (and line) plot.  Non-positive values on a log axis are dropped.
std::string scatter_svg(const SvgPlot& plot, const std::vector<SvgSeries>& series);

struct SvgBar {
  std::string label;   // category under the bar
  double value = 0;
  std::string color;   // "" = from the palette by group
  std::string group;   // legend entry
  std::string tooltip;
};

// Vertical bars in the given order; a dashed reference line at `reference`
// (if > 0) with its label.
std::string bar_svg(const SvgPlot& plot, const std::vector<SvgBar>& bars, double reference = 0,
                    const std::string& reference_label = "");

// Tick values for [lo, hi]: 1-2-5 steps (linear) or powers of ten (log).
std::vector<double> axis_ticks(double lo, double hi, bool log);

// The i-th colour of the palette.
std::string palette(size_t i);

}  // namespace gaitlstm::explore
