// The records of the figures a design point gains beyond its ASIC build:
// episode figures (from its candidate) and the FPGA target's figures.
#include <fmt/format.h>

#include "explore/json_reader.h"
#include "explore/point.h"

namespace gaitlstm::explore {

using nlohmann::json;

json to_json(const EpisodeFigures& e) {
  json j = {{"cue", {{"hysteresis", e.cue.hysteresis}, {"min_on", e.cue.min_on}, {"refractory", e.cue.refractory}}},
            {"within_s", e.within_s},
            {"count", e.episodes},
            {"detected", e.detected},
            {"detected_within", e.detected_within},
            {"sensitivity", e.sensitivity},
            {"sensitivity_within", e.sensitivity_within},
            {"alarms", e.alarms},
            {"false_alarms", e.false_alarms},
            {"duty_cycle", e.duty_cycle},
            {"observed_hours", e.observed_hours},
            {"non_freeze_hours", e.non_freeze_hours}};
  put_optional(j, "latency_median_s", e.latency_median_s);
  put_optional(j, "latency_p90_s", e.latency_p90_s);
  put_optional(j, "false_alarms_per_hour", e.false_alarms_per_hour);
  put_optional(j, "coverage", e.coverage);
  return j;
}

int64_t FpgaFigures::used(const std::string& resource) const {
  for (const FpgaResourceUse& r : resources)
    if (r.name == resource) return r.used;
  return 0;
}

int64_t FpgaFigures::available(const std::string& resource) const {
  for (const FpgaResourceUse& r : resources)
    if (r.name == resource) return r.available;
  return 0;
}

json FpgaFigures::settings() const {
  return {{"device", device}, {"package", package}, {"board", board}, {"clock_mhz", clock_mhz}, {"seed", seed}, {"flow", flow}};
}

json to_json(const FpgaFigures& f) {
  json resources = json::array();
  for (const FpgaResourceUse& r : f.resources)
    resources.push_back({{"name", r.name}, {"used", r.used}, {"available", r.available}});
  return {{"settings", f.settings()},
          {"error", f.error},
          {"top", f.top},
          {"fits", f.fits},
          {"failure", f.failure},
          {"synthesis", {{"luts", f.luts}, {"carries", f.carries}, {"flip_flops", f.flip_flops}, {"dsps", f.dsps},
                         {"block_rams", f.block_rams}}},
          {"resources", resources},
          {"fmax_mhz", f.fmax_mhz},
          {"icetime_fmax_mhz", f.icetime_fmax_mhz},
          {"timing_met", f.timing_met},
          {"realtime", {{"cycles_per_decision", f.cycles_per_decision}, {"deadline_s", f.deadline_s},
                        {"min_clock_mhz", f.min_clock_mhz}, {"margin", f.margin}}},
          {"bitstream", f.bitstream},
          {"bitstream_bytes", f.bitstream_bytes},
          {"log_dir", f.log_dir},
          {"seconds", f.seconds}};
}

namespace {

FpgaFigures read_fpga(ObjectReader r) {
  FpgaFigures f;
  ObjectReader s = r.object("settings");
  s.require("device", f.device);
  s.require("package", f.package);
  s.require("board", f.board);
  s.require("clock_mhz", f.clock_mhz);
  s.require("seed", f.seed);
  s.get("flow", f.flow);
  s.finish();
  r.require("error", f.error);
  r.require("top", f.top);
  r.require("fits", f.fits);
  r.require("failure", f.failure);
  ObjectReader y = r.object("synthesis");
  y.require("luts", f.luts);
  y.require("carries", f.carries);
  y.require("flip_flops", f.flip_flops);
  y.require("dsps", f.dsps);
  y.require("block_rams", f.block_rams);
  y.finish();
  const json& resources = r.at("resources");
  if (!resources.is_array()) r.fail("must be an array", "resources");
  for (size_t i = 0; i < resources.size(); ++i) {
    ObjectReader u(resources[i], r.child_path(fmt::format("resources[{}]", i)), r.source());
    FpgaResourceUse use;
    u.require("name", use.name);
    u.require("used", use.used);
    u.require("available", use.available);
    u.finish();
    f.resources.push_back(use);
  }
  r.require("fmax_mhz", f.fmax_mhz);
  r.require("icetime_fmax_mhz", f.icetime_fmax_mhz);
  r.require("timing_met", f.timing_met);
  ObjectReader t = r.object("realtime");
  t.require("cycles_per_decision", f.cycles_per_decision);
  t.require("deadline_s", f.deadline_s);
  t.require("min_clock_mhz", f.min_clock_mhz);
  t.require("margin", f.margin);
  t.finish();
  r.require("bitstream", f.bitstream);
  r.require("bitstream_bytes", f.bitstream_bytes);
  r.require("log_dir", f.log_dir);
  r.require("seconds", f.seconds);
  r.finish();
  return f;
}

EpisodeFigures read_episodes(ObjectReader r) {
  EpisodeFigures e;
  ObjectReader cue = r.object("cue");
  cue.require("hysteresis", e.cue.hysteresis);
  cue.require("min_on", e.cue.min_on);
  cue.require("refractory", e.cue.refractory);
  cue.finish();
  r.require("within_s", e.within_s);
  r.require("count", e.episodes);
  r.require("detected", e.detected);
  r.require("detected_within", e.detected_within);
  r.require("sensitivity", e.sensitivity);
  r.require("sensitivity_within", e.sensitivity_within);
  r.require("alarms", e.alarms);
  r.require("false_alarms", e.false_alarms);
  r.require("duty_cycle", e.duty_cycle);
  r.require("observed_hours", e.observed_hours);
  r.require("non_freeze_hours", e.non_freeze_hours);
  r.get("latency_median_s", e.latency_median_s);
  r.get("latency_p90_s", e.latency_p90_s);
  r.get("false_alarms_per_hour", e.false_alarms_per_hour);
  r.get("coverage", e.coverage);
  r.finish();
  return e;
}

}  // namespace

EpisodeFigures episode_figures_from_json(const json& j, const std::string& source, const std::string& path) {
  return read_episodes(ObjectReader(j, path, source));
}

FpgaFigures fpga_figures_from_json(const json& j, const std::string& source, const std::string& path) {
  return read_fpga(ObjectReader(j, path, source));
}

}  // namespace gaitlstm::explore
