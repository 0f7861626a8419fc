#include "explore/svg.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

namespace gaitlstm::explore {

namespace {

constexpr int kLeft = 70, kRight = 20, kTop = 36, kBottom = 56;

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  double pixel_lo = 0, pixel_hi = 1;  // pixel of lo and hi
  double map(double v) const {
    const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi, x = log ? std::log10(v) : v;
    const double t = b > a ? (x - a) / (b - a) : 0.5;
    return pixel_lo + t * (pixel_hi - pixel_lo);
  }
};

// Range of the values with 5 % padding (a decade either side on log axes).
std::pair<double, double> padded_range(const std::vector<double>& values, bool log) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : values) {
    if (log && v <= 0) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!std::isfinite(lo)) return log ? std::pair{1.0, 10.0} : std::pair{0.0, 1.0};
  if (log) {  // 10 % padding in log space; at least a factor 3 wide
    double a = std::log10(lo), b = std::log10(hi);
    if (b - a < 0.5) {
      const double mid = (a + b) / 2;
      a = mid - 0.25;
      b = mid + 0.25;
    }
    const double pad = (b - a) * 0.1;
    return {std::pow(10, a - pad), std::pow(10, b + pad)};
  }
  if (hi == lo) {
    const double d = lo == 0 ? 1 : std::abs(lo) * 0.1;
    return {lo - d, hi + d};
  }
  const double pad = (hi - lo) * 0.05;
  return {lo - pad, hi + pad};
}

// Linear ticks get as many decimals as their step needs, so close ticks
// never print alike.
std::string tick_label(double v, bool log, double step) {
  if (log) {
    const double e = std::round(std::log10(v));
    if (std::abs(e) <= 3) return fmt::format("{:g}", v);
    return fmt::format("{:.0e}", v);
  }
  if (std::abs(v) < step * 1e-9) v = 0;
  const int decimals = step > 0 ? std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9))) : 3;
  if (std::abs(v) >= 1e6 || decimals > 8) return fmt::format("{:.4g}", v);
  return fmt::format("{:.{}f}", v, decimals);
}

double tick_step(const std::vector<double>& ticks) { return ticks.size() > 1 ? ticks[1] - ticks[0] : 0; }

std::string frame(const SvgPlot& plot, const Axis& x, const Axis& y) {
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n"
      "<title>{2}</title>\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
      "<text x=\"{3}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
      plot.width, plot.height, xml_escape(plot.title), kLeft);
  const double x0 = kLeft, x1 = plot.width - kRight, y0 = plot.height - kBottom, y1 = kTop;
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n", x0, y1,
                   x1 - x0, y0 - y1);
  const std::vector<double> xt = axis_ticks(x.lo, x.hi, x.log), yt = axis_ticks(y.lo, y.hi, y.log);
  for (double t : xt) {
    const double px = x.map(t);
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#ddd\"/>"
                     "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                     px, y1, y0, y0 + 14, xml_escape(tick_label(t, x.log, tick_step(xt))));
  }
  for (double t : yt) {
    const double py = y.map(t);
    s += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>"
                     "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
                     x0, py, x1, x0 - 4, py + 4, xml_escape(tick_label(t, y.log, tick_step(yt))));
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (x0 + x1) / 2, plot.height - 24,
                   xml_escape(plot.x_label));
  s += fmt::format("<text x=\"16\" y=\"{0:.1f}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {0:.1f})\">{1}</text>\n",
                   (y0 + y1) / 2, xml_escape(plot.y_label));
  return s;
}

// Entries in a row: along the bottom, or (top = true) right of the title.
std::string legend(const SvgPlot& plot, const std::vector<std::pair<std::string, std::string>>& entries,
                   bool top = false) {
  std::string s;
  double x = top ? plot.width * 0.6 : kLeft;
  const double y = top ? 20 : plot.height - 8;
  for (const auto& [name, color] : entries) {
    s += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
                     "<text x=\"{:.0f}\" y=\"{:.0f}\">{}</text>\n",
                     x, y - 9, xml_escape(color), x + 14, y, xml_escape(name));
    x += 24 + 6.5 * static_cast<double>(name.size());
  }
  return s;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;  // not allowed in XML 1.0
        out += c;
    }
  }
  return out;
}

std::string palette(size_t i) {
  static const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return colors[i % (sizeof colors / sizeof colors[0])];
}

std::vector<double> axis_ticks(double lo, double hi, bool log) {
  std::vector<double> ticks;
  if (!(hi > lo)) return {lo};
  if (log) {  // 1-2-5 within each decade when the range is narrow, else powers of ten
    const bool narrow = std::log10(hi / lo) < 2.5;
    for (double e = std::floor(std::log10(lo)); e <= std::ceil(std::log10(hi)); ++e)
      for (double m : narrow ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
        const double t = m * std::pow(10, e);
        if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push_back(t);
      }
    return ticks;
  }
  const double raw = (hi - lo) / 6;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push_back(t);
  return ticks;
}

std::string scatter_svg(const SvgPlot& plot, const std::vector<SvgSeries>& series) {
  std::vector<double> xs, ys;
  for (const SvgSeries& s : series)
    for (const SvgPoint& p : s.points) {
      if ((plot.log_x && p.x <= 0) || (plot.log_y && p.y <= 0)) continue;
      xs.push_back(p.x);
      ys.push_back(p.y);
    }
  Axis x, y;
  std::tie(x.lo, x.hi) = padded_range(xs, plot.log_x);
  std::tie(y.lo, y.hi) = padded_range(ys, plot.log_y);
  x.log = plot.log_x;
  y.log = plot.log_y;
  x.pixel_lo = kLeft;
  x.pixel_hi = plot.width - kRight;
  y.pixel_lo = plot.height - kBottom;
  y.pixel_hi = kTop;
  std::string s = frame(plot, x, y);
  std::vector<std::pair<std::string, std::string>> entries;
  for (size_t i = 0; i < series.size(); ++i) {
    const SvgSeries& ser = series[i];
    const std::string color = ser.color.empty() ? palette(i) : ser.color;
    entries.push_back({ser.name, color});
    std::vector<SvgPoint> pts;
    for (const SvgPoint& p : ser.points)
      if (!((plot.log_x && p.x <= 0) || (plot.log_y && p.y <= 0))) pts.push_back(p);
    if (ser.line && pts.size() > 1) {
      std::sort(pts.begin(), pts.end(), [](const SvgPoint& a, const SvgPoint& b) { return a.x < b.x; });
      std::string path;
      for (const SvgPoint& p : pts) path += fmt::format("{:.1f},{:.1f} ", x.map(p.x), y.map(p.y));
      s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/>\n", path,
                       xml_escape(color));
    }
    for (const SvgPoint& p : pts) {
      s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" fill-opacity=\"0.8\"{}>", x.map(p.x),
                       y.map(p.y), p.highlight ? 6 : 3.5, xml_escape(color),
                       p.highlight ? " stroke=\"black\" stroke-width=\"1.5\"" : "");
      s += fmt::format("<title>{}</title></circle>\n", xml_escape(p.tooltip));
    }
  }
  s += legend(plot, entries);
  s += "</svg>\n";
  return s;
}

std::string bar_svg(const SvgPlot& plot, const std::vector<SvgBar>& bars, double reference,
                    const std::string& reference_label) {
  std::vector<double> values;
  for (const SvgBar& b : bars) values.push_back(b.value);
  if (reference > 0) values.push_back(reference);
  Axis x, y;
  std::tie(y.lo, y.hi) = padded_range(values, plot.log_y);
  if (!plot.log_y) y.lo = std::min(0.0, y.lo);
  y.log = plot.log_y;
  y.pixel_lo = plot.height - kBottom;
  y.pixel_hi = kTop;
  x.lo = 0;
  x.hi = std::max<double>(1, static_cast<double>(bars.size()));
  x.pixel_lo = kLeft;
  x.pixel_hi = plot.width - kRight;
  SvgPlot no_x_ticks = plot;
  std::string s = frame(no_x_ticks, Axis{0, 1, false, -1e6, -1e6}, y);  // x ticks drawn off-canvas: categories instead
  std::map<std::string, std::string> group_color;
  std::vector<std::pair<std::string, std::string>> entries;
  const double slot = (x.pixel_hi - x.pixel_lo) / x.hi;
  for (size_t i = 0; i < bars.size(); ++i) {
    const SvgBar& b = bars[i];
    if (!group_color.count(b.group)) {
      group_color[b.group] = b.color.empty() ? palette(group_color.size()) : b.color;
      entries.push_back({b.group, group_color[b.group]});
    }
    const double base = y.log ? y.lo : std::max(0.0, y.lo);
    if (y.log && b.value <= 0) continue;
    const double top = y.map(b.value), bottom = y.map(base);
    const double left = x.pixel_lo + slot * static_cast<double>(i) + slot * 0.15;
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}</title></rect>\n",
                     left, std::min(top, bottom), slot * 0.7, std::abs(bottom - top), xml_escape(group_color[b.group]),
                     xml_escape(b.tooltip.empty() ? b.label : b.tooltip));
    if (bars.size() <= 40)
      s += fmt::format("<text x=\"{0:.1f}\" y=\"{1}\" text-anchor=\"end\" font-size=\"9\" transform=\"rotate(-45 {0:.1f} {1})\">{2}</text>\n",
                       left + slot * 0.35, plot.height - kBottom + 10, xml_escape(b.label));
  }
  if (reference > 0) {
    const double py = y.map(reference);
    s += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"black\" stroke-dasharray=\"5,4\"/>"
                     "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
                     x.pixel_lo, py, x.pixel_hi, py, x.pixel_hi - 4, py - 4, xml_escape(reference_label));
  }
  if (entries.size() > 1 || (!entries.empty() && !entries[0].first.empty())) s += legend(plot, entries, true);
  s += "</svg>\n";
  return s;
}

}  // namespace gaitlstm::explore
