// Typed design points for the explore tests: every field set (optionals
// too), so round trips and the report see non-default values.
#pragma once

#include <string>

#include "explore/point.h"

namespace gaitlstm::explore::samples {

// Episode figures; without detections (and walking) the undefined figures are absent.
inline EpisodeFigures sample_episodes(bool detected = true) {
  EpisodeFigures e;
  e.cue = {0.05, 2, 1};
  e.within_s = 2;
  e.episodes = 23;
  e.observed_hours = 1.5;
  e.non_freeze_hours = 1.25;
  e.duty_cycle = 0.04;
  if (detected) {
    e.detected = 20;
    e.detected_within = 9;
    e.sensitivity = 20.0 / 23;
    e.sensitivity_within = 9.0 / 23;
    e.latency_median_s = 2.5;
    e.latency_p90_s = 6.25;
    e.alarms = 31;
    e.false_alarms = 14;
    e.false_alarms_per_hour = 14 / 1.25;
    e.coverage = 0.625;
  }
  return e;
}

inline PointResult sample_result(const std::string& arch = "serial", double auc = 0.9, double area_mm2 = 1.0,
                                 double latency_s = 1e-3, double energy_j = 5e-6) {
  PointResult r;
  r.model = "h8";
  r.quant = "8bit";
  r.arch = arch;
  r.float_key = "f00d";
  r.quant_key = "beef";
  r.auc = auc;
  r.float_auc = auc + 0.01;
  r.bits.input_weight = 6;
  r.hidden = 8;
  r.features = 9;
  r.history = 8;
  r.parameters = 600;
  r.clock_ns = 20;
  r.episodes = sample_episodes(energy_j > 0);
  r.design = {arch, "gaitlstm_detector", {"gaitlstm_detector.v", "lstm_core.v"}, 3000, 2500, 40, 0.75, 1};
  r.verify = VerifyFigures{true, 16, 0, 512, 0, 0, 3000, 3000, false, 0.25, 2048.0};
  r.synthesis.top = "gaitlstm_detector";
  r.synthesis.technology = "osu018";
  r.synthesis.area_source = "lef";
  r.synthesis.clock_ns = 20;
  r.synthesis.cells = 1000;
  r.synthesis.flip_flops = 120;
  r.synthesis.area_um2 = area_mm2 * 1e6;
  r.synthesis.liberty_area_um2 = area_mm2 * 0.9e6;
  r.synthesis.cell_types = {{"DFFPOSX1", 120, 98.5, true}, {"NAND2X1", 880, 12.25, false}};
  r.synthesis.netlist = "synth/gaitlstm_detector.netlist.v";
  r.synthesis.log = "synth/yosys.log";
  r.synthesis.seconds = 4.5;
  r.timing = {20, 10, 100, true, "a_reg", "b_reg", 9.5};
  if (energy_j > 0) {
    PowerFigures p;
    p.activity_source = "VCD power/gatesim.vcd";
    p.clock_ns = 20;
    p.dynamic_w = 1e-3;
    p.leakage_w = 1e-6;
    p.total_w = p.dynamic_w + p.leakage_w;
    p.annotated_pins = 5000;
    p.netlist_pins = 5100;
    p.simulated_cycles = 64000;
    p.activity_cycles_per_decision = 32000;
    p.sample_period_cycles = 1000;
    p.log = "power/power.log";
    p.seconds = 30;
    r.power = p;
  } else {
    r.power_error = "vvp timed out";
  }
  r.realtime.cycles_per_decision = 3000;
  r.realtime.clock_mhz = 100;
  r.realtime.latency_s = latency_s;
  r.realtime.deadline_s = 0.5;
  r.realtime.margin = 0.5 / latency_s;
  r.realtime.streaming_margin = 0.015625 / latency_s;
  r.realtime.meets_deadline = true;
  r.realtime.min_clock_mhz = 0.006;
  r.realtime.has_power = energy_j > 0;
  if (energy_j > 0) {
    r.realtime.power_at_clock_w = 1e-3;
    r.realtime.power_at_min_clock_w = 1e-4;
    r.realtime.dynamic_energy_per_decision_j = energy_j * 0.9;
    r.realtime.energy_per_decision_j = energy_j;
  }
  r.seconds = {{"rtl", 0.1}, {"verify", 2.0}, {"synth", 4.5}, {"sta", 0.5}, {"power", 30.0}};
  r.artefacts = "points/" + arch + "-key";
  return r;
}

inline PointOutcome sample_outcome(const std::string& key, const PointResult& r) {
  return {key, r.model, r.quant, r.arch, "done", r, "", 40.0};
}

inline PointOutcome failed_outcome(const std::string& key, const std::string& error) {
  return {key, "h8", "8bit", "serial", "failed", std::nullopt, error, 1.5};
}

inline LayoutFigures sample_layout() {
  LayoutFigures f;
  f.top = "gaitlstm_detector";
  f.placement_speedup = 8;
  f.cells = 1000;
  f.fill_cells = 20;
  f.cell_area_um2 = 9e5;
  f.die_width_um = 1200;
  f.die_height_um = 1150;
  f.die_area_mm2 = 1.38;
  f.core_area_um2 = 1.2e6;
  f.core_utilisation = 0.6;
  f.wire_length_um = 250000;
  f.failed_routes = 0;
  f.failed_nets = {};
  f.clock_ns = 20;
  f.pre_route_fmax_mhz = 95;
  f.post_route_fmax_mhz = 87.4;
  f.post_route_slack_ns = 8.56;
  f.drc_errors = 0;
  f.lvs_match = true;
  f.stage_seconds = {{"place", 100}, {"route", 300}};
  f.place_and_route_seconds = 400;
  f.def = "layouts/l1/qflow/layout/gaitlstm_detector.def";
  f.png = "layouts/l1/layout.png";
  return f;
}

}  // namespace gaitlstm::explore::samples
