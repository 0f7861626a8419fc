#include "replay/replay_html.h"

#include <cmath>
#include <string>

#include <fmt/format.h>

namespace gaitlstm::replay {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Compact JSON arrays (the page's data is most of its size).
template <typename T, typename F>
std::string array(const std::vector<T>& values, F format) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += format(values[i]);
  }
  return out + "]";
}

std::string number(double v, const char* format) {
  return std::isfinite(v) ? fmt::format(fmt::runtime(format), v) : std::string("null");
}

std::string segment_data(const SegmentTrace& s) {
  std::string fog, alarm;
  std::vector<double> statistic, threshold;
  for (const DecisionTrace& d : s.decisions) {
    fog += d.fog ? '1' : '0';
    alarm += d.alarm ? '1' : '0';
    statistic.push_back(d.statistic);
    threshold.push_back(d.threshold);
  }
  const double t0 = s.decisions.empty() ? 0 : s.decisions.front().time_s;
  const double dt = s.decisions.size() > 1 ? s.decisions[1].time_s - s.decisions[0].time_s : 0.5;
  std::string episodes = "[";
  for (size_t i = 0; i < s.episodes.episodes.size(); ++i) {
    const model::Episode& e = s.episodes.episodes[i];
    episodes += fmt::format("{}[{},{},{},{}]", i ? "," : "", e.onset_s, e.offset_s, e.detected ? 1 : 0,
                            e.detected ? number(e.latency_s, "{:.3g}") : "null");
  }
  episodes += "]";
  std::string alarms = "[";
  for (size_t i = 0; i < s.episodes.alarm_events.size(); ++i) {
    const model::AlarmEvent& a = s.episodes.alarm_events[i];
    alarms += fmt::format("{}[{},{},{}]", i ? "," : "", a.start_s, a.end_s, a.false_alarm ? 1 : 0);
  }
  alarms += "]";
  auto magnitude = [](float v) { return fmt::format("{:.0f}", v); };
  auto stat = [](double v) { return number(v, "{:.5g}"); };
  return fmt::format(
      "{{\"name\":\"{name}\",\"subject\":{subject},\"segment\":{segment},\"row\":{row},\"duration\":{duration},"
      "\"envPeriod\":{ep},\"magMin\":{mmin},\"magMax\":{mmax},\"t0\":{t0},\"dt\":{dt},\"stat\":{stat},\"thr\":{thr},"
      "\"fog\":\"{fog}\",\"alarm\":\"{alarm}\",\"episodes\":{episodes},\"alarms\":{alarms}}}",
      fmt::arg("name", escape(s.recording)), fmt::arg("subject", s.subject), fmt::arg("segment", s.segment),
      fmt::arg("row", s.first_row), fmt::arg("duration", s.duration_s), fmt::arg("ep", s.envelope_period_s),
      fmt::arg("mmin", array(s.magnitude_min, magnitude)), fmt::arg("mmax", array(s.magnitude_max, magnitude)),
      fmt::arg("t0", t0), fmt::arg("dt", dt), fmt::arg("stat", array(statistic, stat)),
      fmt::arg("thr", array(threshold, stat)), fmt::arg("fog", fog), fmt::arg("alarm", alarm),
      fmt::arg("episodes", episodes), fmt::arg("alarms", alarms));
}

std::string figures_row(const std::string& name, const model::EpisodeMetrics& m) {
  auto cell = [](double v, const char* format) { return number(v, format) == "null" ? "-" : number(v, format); };
  return fmt::format(
      "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
      escape(name), m.count, m.detected, cell(m.sensitivity, "{:.3f}"), cell(m.sensitivity_within, "{:.3f}"),
      cell(m.latency_median_s, "{:.2f}"), cell(m.latency_p90_s, "{:.2f}"), m.alarms, m.false_alarms,
      cell(m.false_alarms_per_hour, "{:.1f}"), cell(m.duty_cycle, "{:.3f}"), cell(m.coverage, "{:.3f}"));
}

constexpr const char* kStyle = R"CSS(
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; }
table { border-collapse: collapse; margin: 8px 0; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
.meta { color: #555; }
.segment { margin: 18px 0 28px; }
.segment h3 { font-size: 15px; margin: 4px 0; }
.controls button { margin-right: 4px; }
.controls span { color: #666; margin-left: 8px; }
svg.timeline { width: 100%; height: 300px; border: 1px solid #ddd; cursor: grab; user-select: none; }
.legend span { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; }
ul.events { columns: 3; font-size: 13px; padding-left: 18px; }
ul.events li { cursor: pointer; } ul.events li:hover { text-decoration: underline; }
.ok { color: #1a7f37; } .bad { color: #c62828; }
)CSS";

// Draws every segment from the embedded data; plain DOM and SVG, no libraries.
constexpr const char* kScript = R"JS(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('replay-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var H = 300, LANES = { acc: [8, 88], stat: [100, 200], ep: [212, 236], alarm: [246, 270], axis: 290 };
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function clock(t) {
    var m = Math.floor(t / 60), s = t - 60 * m;
    return m + ':' + (s < 10 ? '0' : '') + s.toFixed(s % 1 ? 1 : 0);
  }
  function niceStep(span, target) {
    var raw = span / target, p = Math.pow(10, Math.floor(Math.log10(raw))), steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw) return steps[i] * p;
    return 10 * p;
  }
  function quantile(values, q) {
    var v = values.slice().sort(function (a, b) { return a - b; });
    return v.length ? v[Math.min(v.length - 1, Math.floor(q * (v.length - 1)))] : 1;
  }
  function segmentView(seg, root) {
    var box = document.createElement('div');
    box.className = 'segment';
    root.appendChild(box);
    var title = document.createElement('h3');
    var caught = seg.episodes.filter(function (e) { return e[2]; }).length;
    var falses = seg.alarms.filter(function (a) { return a[2]; }).length;
    title.textContent = seg.name + ' (subject ' + seg.subject + ', segment ' + seg.segment + ', from row ' + seg.row +
        ', ' + clock(seg.duration) + '): ' + seg.episodes.length + ' episodes, ' + caught + ' caught, ' +
        seg.alarms.length + ' alarms, ' + falses + ' false';
    box.appendChild(title);
    var controls = document.createElement('div');
    controls.className = 'controls';
    box.appendChild(controls);
    var svg = el('svg', { 'class': 'timeline', viewBox: '0 0 1000 ' + H, preserveAspectRatio: 'none' }, box);
    var layer = el('g', {}, svg);
    var view = { a: 0, b: seg.duration };
    var accTop = quantile(seg.magMax, 0.995) || 1;
    var offLevels = seg.thr.map(function (t) { return t === null ? null : t - data.hysteresis; });
    var stats = seg.stat.concat(seg.thr, offLevels).filter(function (v) { return v !== null; });
    var sLow = Math.min.apply(null, stats), sHigh = Math.max.apply(null, stats);
    if (!(sHigh > sLow)) { sHigh = sLow + 1; }
    function x(t) { return (t - view.a) / (view.b - view.a) * 1000; }
    function y(v, lane, low, high) { return lane[1] - (Math.min(Math.max(v, low), high) - low) / (high - low) * (lane[1] - lane[0]); }
    function draw() {
      while (layer.firstChild) layer.removeChild(layer.firstChild);
      // acceleration envelope, min/max per pixel column
      var p = seg.envPeriod, first = Math.max(0, Math.floor(view.a / p)), last = Math.min(seg.magMax.length, Math.ceil(view.b / p));
      var per = Math.max(1, Math.floor((last - first) / 1000)), top = '', bottom = '';
      for (var i = first; i < last; i += per) {
        var lo = Infinity, hi = -Infinity;
        for (var j = i; j < Math.min(last, i + per); j++) { lo = Math.min(lo, seg.magMin[j]); hi = Math.max(hi, seg.magMax[j]); }
        var xi = x(i * p).toFixed(1);
        top += (top ? 'L' : 'M') + xi + ',' + y(hi, LANES.acc, 0, accTop).toFixed(1);
        bottom = 'L' + xi + ',' + y(lo, LANES.acc, 0, accTop).toFixed(1) + bottom;
      }
      if (top) el('path', { d: top + bottom + 'Z', fill: '#9e9e9e', stroke: 'none' }, layer);
      // statistic and threshold
      var d0 = Math.max(0, Math.floor((view.a - seg.t0) / seg.dt) - 1), d1 = Math.min(seg.stat.length, Math.ceil((view.b - seg.t0) / seg.dt) + 1);
      var sPath = '', tPath = '';
      for (var k = d0; k < d1; k++) {
        var t = seg.t0 + k * seg.dt;
        sPath += (sPath ? 'L' : 'M') + x(t).toFixed(1) + ',' + y(seg.stat[k], LANES.stat, sLow, sHigh).toFixed(1);
        var ty = y(seg.thr[k], LANES.stat, sLow, sHigh).toFixed(1);
        tPath += (tPath ? 'L' : 'M') + x(t).toFixed(1) + ',' + ty + 'L' + x(t + seg.dt).toFixed(1) + ',' + ty;
      }
      if (tPath) el('path', { d: tPath, fill: 'none', stroke: '#ef6c00', 'stroke-width': 1.5, 'stroke-dasharray': '5,3' }, layer);
      if (tPath && data.hysteresis > 0) {  // the cue's off level: an alarm stays on down to here
        var offPath = '';
        for (var m = d0; m < d1; m++) {
          var tm = seg.t0 + m * seg.dt, oy = y(seg.thr[m] - data.hysteresis, LANES.stat, sLow, sHigh).toFixed(1);
          offPath += (offPath ? 'L' : 'M') + x(tm).toFixed(1) + ',' + oy + 'L' + x(tm + seg.dt).toFixed(1) + ',' + oy;
        }
        el('path', { d: offPath, fill: 'none', stroke: '#ef6c00', 'stroke-width': 1, 'stroke-dasharray': '1,3' }, layer);
      }
      [[sHigh, LANES.stat[0] + 10], [sLow, LANES.stat[1] - 2]].forEach(function (tick) {
        var label = el('text', { x: 996, y: tick[1], 'font-size': 10, fill: '#555', 'text-anchor': 'end' }, layer);
        label.textContent = tick[0].toPrecision(3);
      });
      if (sPath) el('path', { d: sPath, fill: 'none', stroke: '#1565c0', 'stroke-width': 1.5 }, layer);
      // episodes: green caught, red missed
      seg.episodes.forEach(function (e) {
        if (e[1] < view.a || e[0] > view.b) return;
        el('rect', { x: x(e[0]), y: LANES.ep[0], width: Math.max(1, x(e[1]) - x(e[0])), height: LANES.ep[1] - LANES.ep[0],
                     fill: e[2] ? '#43a047' : '#e53935' }, layer);
      });
      // alarms: purple; false ones outlined red with a cross
      seg.alarms.forEach(function (a) {
        if (a[1] < view.a || a[0] > view.b) return;
        var w = Math.max(1, x(a[1]) - x(a[0]));
        el('rect', { x: x(a[0]), y: LANES.alarm[0], width: w, height: LANES.alarm[1] - LANES.alarm[0], fill: '#7b1fa2',
                     stroke: a[2] ? '#c62828' : 'none', 'stroke-width': a[2] ? 2 : 0 }, layer);
        if (a[2]) {
          var cx = x(a[0]) + w / 2, cy = LANES.alarm[0] - 4;
          el('path', { d: 'M' + (cx - 3) + ',' + (cy - 3) + 'L' + (cx + 3) + ',' + (cy + 3) + 'M' + (cx - 3) + ',' + (cy + 3) +
                       'L' + (cx + 3) + ',' + (cy - 3), stroke: '#c62828', 'stroke-width': 1.5 }, layer);
        }
      });
      // time axis
      var step = niceStep(view.b - view.a, 10);
      for (var s = Math.ceil(view.a / step) * step; s <= view.b; s += step) {
        el('line', { x1: x(s), x2: x(s), y1: LANES.acc[0], y2: LANES.axis - 10, stroke: '#eee' }, layer);
        var label = el('text', { x: x(s) + 2, y: LANES.axis, 'font-size': 11, fill: '#555' }, layer);
        label.textContent = clock(s);
      }
      [['|a| (mg)', LANES.acc], ['statistic', LANES.stat], ['freezes', LANES.ep], ['alarms', LANES.alarm]].forEach(function (l) {
        var t = el('text', { x: 4, y: l[1][0] + 11, 'font-size': 11, fill: '#333' }, layer);
        t.textContent = l[0];
      });
      info.textContent = clock(view.a) + ' - ' + clock(view.b);
    }
    function zoom(factor, at) {
      var span = Math.min(seg.duration, Math.max(2, (view.b - view.a) * factor));
      var centre = at === undefined ? (view.a + view.b) / 2 : at;
      var frac = (centre - view.a) / (view.b - view.a);
      view.a = centre - frac * span;
      view.b = view.a + span;
      clamp();
      draw();
    }
    function clamp() {
      var span = view.b - view.a;
      if (view.a < 0) { view.a = 0; view.b = span; }
      if (view.b > seg.duration) { view.b = seg.duration; view.a = Math.max(0, seg.duration - span); }
    }
    function show(a, b) { view.a = a; view.b = b; clamp(); draw(); }
    [['+', function () { zoom(0.5); }], ['\u2212', function () { zoom(2); }],
     ['reset', function () { show(0, seg.duration); }]].forEach(function (c) {
      var button = document.createElement('button');
      button.textContent = c[0];
      button.addEventListener('click', c[1]);
      controls.appendChild(button);
    });
    var info = document.createElement('span');
    controls.appendChild(info);
    function timeAt(event) {
      var r = svg.getBoundingClientRect();
      return view.a + (event.clientX - r.left) / r.width * (view.b - view.a);
    }
    svg.addEventListener('wheel', function (event) {
      event.preventDefault();
      zoom(event.deltaY < 0 ? 0.8 : 1.25, timeAt(event));
    }, { passive: false });
    var drag = null;
    svg.addEventListener('mousedown', function (event) { drag = { x: event.clientX, a: view.a, b: view.b }; });
    window.addEventListener('mouseup', function () { drag = null; });
    svg.addEventListener('mousemove', function (event) {
      if (!drag) return;
      var r = svg.getBoundingClientRect(), shift = (event.clientX - drag.x) / r.width * (drag.b - drag.a);
      view.a = drag.a - shift;
      view.b = drag.b - shift;
      clamp();
      draw();
    });
    svg.addEventListener('dblclick', function () { show(0, seg.duration); });
    // events list: a click zooms there
    var list = document.createElement('ul');
    list.className = 'events';
    seg.episodes.forEach(function (e, i) {
      var item = document.createElement('li');
      item.className = e[2] ? 'ok' : 'bad';
      item.textContent = 'episode ' + (i + 1) + ' at ' + clock(e[0]) + ' (' + (e[1] - e[0]).toFixed(1) + ' s): ' +
          (e[2] ? 'caught, latency ' + e[3] + ' s' : 'missed');
      item.addEventListener('click', function () { show(e[0] - 10, e[1] + 10); });
      list.appendChild(item);
    });
    seg.alarms.forEach(function (a) {
      if (!a[2]) return;
      var item = document.createElement('li');
      item.className = 'bad';
      item.textContent = 'false alarm at ' + clock(a[0]) + ' (' + (a[1] - a[0]).toFixed(1) + ' s)';
      item.addEventListener('click', function () { show(a[0] - 10, a[1] + 10); });
      list.appendChild(item);
    });
    box.appendChild(list);
    draw();
  }
  var root = document.getElementById('segments');
  data.segments.forEach(function (seg) { segmentView(seg, root); });
})();
)JS";

}  // namespace

std::string replay_html(const Replay& replay) {
  std::string rows;
  for (const SegmentTrace& s : replay.segments)
    rows += figures_row(fmt::format("{} (S{:02d}, segment {})", s.recording, s.subject, s.segment), s.episodes);
  std::string data = fmt::format("{{\"hysteresis\":{},\"segments\":[", replay.hysteresis);
  for (size_t i = 0; i < replay.segments.size(); ++i) data += (i ? "," : "") + segment_data(replay.segments[i]);
  data += "]}";
  const std::string check =
      replay.rtl_checked
          ? fmt::format("alarms from the generated chip, simulated sample by sample (Verilator): {} decisions, equal to "
                        "the golden model's",
                        replay.rtl_decisions)
          : (replay.quantized ? "alarms from the integer golden model" : "alarms from the float model");
  const model::EpisodeConfig& c = replay.episodes.config;
  return fmt::format(
      R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gaitlstm replay</title>
<style>{style}</style></head>
<body>
<h1>Replay of {model}</h1>
<p class="meta">Recordings: {data}. Statistic: {statistic}; cue: {cue}; {check}.</p>
<h2>Episodes</h2>
<p class="meta">Episodes: freeze runs with gaps under {merge} s merged; detected by an alarm from {early} s before the onset
to the end; an alarm is false when it overlaps no episode (from {early} s before to {grace} s after); within = latency &le;
{within} s (docs/PROTOCOL.md).</p>
<table>
<tr><th>recording</th><th>episodes</th><th>detected</th><th>sensitivity</th><th>within {within} s</th><th>latency median (s)</th>
<th>p90 (s)</th><th>alarms</th><th>false</th><th>false / h</th><th>duty cycle</th><th>coverage</th></tr>
{rows}{total}</table>
<p class="legend"><span><i class="swatch" style="background:#9e9e9e"></i>acceleration magnitude</span>
<span><i class="swatch" style="background:#1565c0"></i>statistic</span>
<span><i class="swatch" style="background:#ef6c00"></i>threshold (dotted: minus the cue's hysteresis)</span>
<span><i class="swatch" style="background:#43a047"></i>episode caught</span>
<span><i class="swatch" style="background:#e53935"></i>episode missed</span>
<span><i class="swatch" style="background:#7b1fa2"></i>alarm</span>
<span><i class="swatch" style="background:#fff;border:2px solid #c62828"></i>false alarm</span>
&nbsp; Wheel or +/&minus; to zoom, drag to pan, double click to reset; click an event below a timeline to go there.</p>
<div id="segments"></div>
<script type="application/json" id="replay-data">{json}</script>
<script>{script}</script>
</body></html>
)HTML",
      fmt::arg("style", kStyle), fmt::arg("model", escape(replay.model)), fmt::arg("data", escape(replay.data)),
      fmt::arg("statistic", escape(replay.statistic)), fmt::arg("cue", escape(replay.cue)), fmt::arg("check", check),
      fmt::arg("merge", c.merge_gap_s), fmt::arg("early", c.early_tolerance_s), fmt::arg("grace", c.late_grace_s),
      fmt::arg("within", c.within_s), fmt::arg("rows", rows), fmt::arg("total", figures_row("all", replay.episodes)),
      fmt::arg("json", data), fmt::arg("script", kScript));
}

}  // namespace gaitlstm::replay
