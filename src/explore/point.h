// A design point of the exploration and what building it measured, as typed
// structs.  JSON exists only at the boundaries: the results store
// (store.h), the files a worker hands to the coordinator (tasks.h) and
// results.json.  One to_json / from_json pair per record; from_json is
// strict: a missing or unknown key is an InputError naming the key, so a
// misspelt field can never turn into a silent zero.
//
// Adding a measurement (a new target, a check, episode metrics): give it its
// own struct and an std::optional member in PointResult (written only when
// present, read back when present), plus its seconds under its stage name.
// Points built before it existed then simply lack it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explore/realtime.h"
#include "model/cue.h"
#include "quant/calibrate.h"
#include "rtl/design.h"

namespace gaitlstm::explore {

// What the wearer experiences with the design: episode figures
// (model/episodes.h; definitions in docs/PROTOCOL.md, "Episodes") of its
// quantized (golden) alarms, the cue included, on the same held-out
// decisions its AUC comes from (the evaluation decisions, or every
// leave-one-subject-out fold's test subject with the fold's own golden model
// and threshold).  The RTL is bit-exact with the golden alarms, so every
// architecture of a candidate has the same figures.  A figure the data leave
// undefined (no episode detected, no walking) is absent.
struct EpisodeFigures {
  model::CueConfig cue;             // statistic units (off: hysteresis 0, min_on 1, refractory 0)
  double within_s = 0;              // the latency of "caught within"
  int64_t episodes = 0, detected = 0, detected_within = 0;
  double sensitivity = 0, sensitivity_within = 0;
  std::optional<double> latency_median_s, latency_p90_s;
  int64_t alarms = 0, false_alarms = 0;
  std::optional<double> false_alarms_per_hour;
  double duty_cycle = 0;
  std::optional<double> coverage;
  double observed_hours = 0, non_freeze_hours = 0;
};

// What a design point is: one quantized candidate of one float model, built
// as one architecture.  `key` hashes everything that determines the result.
struct PointSpec {
  std::string key;
  std::string model, quant, arch;  // float model label, bits candidate label, architecture
  std::string float_key, quant_key;
  std::string quant_file;          // the candidate's quantized model (DIR/models/q-*.json)
  double auc = 0, float_auc = 0;   // the candidate's accuracy (golden model, evaluation decisions)
  quant::TensorBits bits;
  std::optional<EpisodeFigures> episodes;  // the candidate's (absent: not measured)
  std::string name() const { return model + "/" + quant + "/" + arch; }
};

// Bit-exact run against the golden model: the RTL in Verilator, or a
// synthesized / routed netlist at gate level (Icarus, the library's cells).
struct VerifyFigures {
  bool passed = false;
  int64_t decisions = 0, random_decisions = 0, samples = 0;
  int64_t mismatches = 0, latency_mismatches = 0;
  int64_t cycles_measured = 0, cycles_model = 0;  // per decision, full window
  bool overrun = false;
  double simulation_seconds = 0, samples_per_second = 0;
};

struct CellUse {
  std::string cell;
  int64_t count = 0;
  double area_each_um2 = 0;
  bool sequential = false;
};

// Yosys synthesis (cells, LEF area); paths relative to the point directory.
struct SynthesisFigures {
  std::string top, technology, area_source;
  double clock_ns = 0;
  int64_t cells = 0, flip_flops = 0;
  double area_um2 = 0, liberty_area_um2 = 0;
  std::vector<CellUse> cell_types;
  std::string netlist, log;
  double seconds = 0;
  double area_mm2() const { return area_um2 * 1e-6; }
};

// OpenSTA timing of the netlist at the sweep's clock.
struct TimingFigures {
  double clock_ns = 0, worst_slack_ns = 0, fmax_mhz = 0;
  bool met = false;
  std::string path_from, path_to;  // the critical path
  double path_arrival_ns = 0;
};

// Gate-level power (Icarus activity from a recording, OpenSTA).
struct PowerFigures {
  std::string activity_source;
  double clock_ns = 0, dynamic_w = 0, leakage_w = 0, total_w = 0;
  int64_t annotated_pins = 0, netlist_pins = 0;
  double simulated_cycles = 0;
  int64_t activity_cycles_per_decision = 0, sample_period_cycles = 0;
  std::string log;  // relative to the point directory
  double seconds = 0;
};

// The point's detector on an iCE40 FPGA (the "fpga" target, eda/fpga.h,
// docs/FPGA.md): inside the board top (board "icebreaker": pins, SPI
// accelerometer, UART) or alone ("none").  A design that does not fit is a
// result (fits false, `failure` = nextpnr's reason); a tool error or timeout
// is `error` (the point stands).  Paths relative to the point directory.
struct FpgaResourceUse {
  std::string name;  // nextpnr's: ICESTORM_LC, ICESTORM_RAM, ICESTORM_DSP, SB_IO, SB_GB
  int64_t used = 0, available = 0;
};
struct FpgaFigures {
  // the settings (FpgaConfig::to_json and the flow revision): figures made
  // with others are made again
  std::string device, package, board;
  double clock_mhz = 0;  // the board clock: nextpnr's target
  uint64_t seed = 0;
  int flow = 1;          // eda::kFpgaFlowRevision it was made with (1: records without one)
  std::string error;     // "" = the flow ran
  std::string top;
  bool fits = false;
  std::string failure;   // nextpnr's reason when it does not fit
  int64_t luts = 0, carries = 0, flip_flops = 0, dsps = 0, block_rams = 0;  // synth_ice40
  std::vector<FpgaResourceUse> resources;                                 // nextpnr, after packing
  double fmax_mhz = 0, icetime_fmax_mhz = 0;                              // after routing (0: not routed)
  bool timing_met = false;                                                // f_max >= the board clock
  int64_t cycles_per_decision = 0;
  double deadline_s = 0, min_clock_mhz = 0, margin = 0;  // margin = deadline / (cycles / board clock)
  int64_t bitstream_bytes = 0;
  std::string bitstream, log_dir;
  double seconds = 0;
  int64_t used(const std::string& resource) const;
  int64_t available(const std::string& resource) const;
  bool ran() const { return error.empty(); }
  nlohmann::json settings() const;  // as FpgaConfig::to_json
};

struct PointResult {
  // identity and accuracy (from the spec and its quantized model)
  std::string model, quant, arch, float_key, quant_key;
  double auc = 0, float_auc = 0;
  quant::TensorBits bits;
  int hidden = 0, features = 0, history = 0;
  int64_t parameters = 0;
  double clock_ns = 0;
  std::optional<EpisodeFigures> episodes;  // from the spec
  // hardware
  rtl::DesignSummary design;
  std::optional<VerifyFigures> verify;   // verify.enabled
  SynthesisFigures synthesis;
  std::optional<VerifyFigures> netlist_verify;  // the synthesized netlist (verify.netlist_decisions)
  TimingFigures timing;
  std::optional<PowerFigures> power;     // measured
  std::optional<std::string> power_error;  // a power run that failed: no energy, the point stands
  std::optional<FpgaFigures> fpga;         // target "fpga", for the points of its scope
  RealTimeFigures realtime;
  std::map<std::string, double> seconds;  // per stage: rtl, verify, synth, sta, power
  std::string artefacts;                  // "points/<key>", relative to the output directory

  std::string name() const { return model + "/" + quant + "/" + arch; }
  int64_t cells() const { return synthesis.cells; }
  double area_mm2() const { return synthesis.area_mm2(); }
  double fmax_mhz() const { return timing.fmax_mhz; }
  int64_t cycles_per_decision() const { return design.cycles_per_decision; }
};

// A point's record: built ("done", with its result) or "failed" (the error).
struct PointOutcome {
  std::string key, model, quant, arch;
  std::string status;                 // "done" | "failed"
  std::optional<PointResult> result;  // with "done"
  std::string error;                  // with "failed"
  double seconds = 0;
  bool done() const { return status == "done"; }
  std::string name() const { return model + "/" + quant + "/" + arch; }
};

// A routed layout (qflow) of one design point at one density and aspect.
struct LayoutFigures {
  std::string top;
  int placement_speedup = 0;
  int64_t cells = 0, fill_cells = 0;
  double cell_area_um2 = 0, die_width_um = 0, die_height_um = 0, die_area_mm2 = 0;
  double core_area_um2 = 0, core_utilisation = 0, wire_length_um = 0;
  int64_t failed_routes = 0;
  std::vector<std::string> failed_nets;
  double clock_ns = 0, pre_route_fmax_mhz = 0;
  std::optional<double> post_route_fmax_mhz, post_route_slack_ns;
  std::optional<std::string> post_route_timing_error;  // the route stands, only its f_max is missing
  std::optional<int64_t> drc_errors;
  std::optional<bool> lvs_match;
  std::optional<VerifyFigures> routed_verify;  // the routed netlist (verify.routed_decisions)
  std::map<std::string, double> stage_seconds;
  double place_and_route_seconds = 0;
  std::string def, gds, png;  // relative to the output directory ("" = none)
};

struct LayoutOutcome {
  std::string key, point, design;  // point key, PointResult::name()
  double density = 0, aspect = 0;
  std::string status;              // "done" | "failed"
  std::optional<LayoutFigures> figures;
  std::string error;
  double seconds = 0;
  bool done() const { return status == "done"; }
};

nlohmann::json to_json(const EpisodeFigures& episodes);
nlohmann::json to_json(const FpgaFigures& fpga);
nlohmann::json to_json(const PointSpec& spec);
nlohmann::json to_json(const PointResult& result);
nlohmann::json to_json(const PointOutcome& outcome);
nlohmann::json to_json(const LayoutFigures& figures);
nlohmann::json to_json(const LayoutOutcome& outcome);

// Strict: InputError(source, 0, "<json path>: reason") on a missing, unknown
// or mistyped key.
// `path`: where the record sits in its file, for messages ("episodes").
EpisodeFigures episode_figures_from_json(const nlohmann::json& json, const std::string& source,
                                         const std::string& path = "");
FpgaFigures fpga_figures_from_json(const nlohmann::json& json, const std::string& source, const std::string& path = "");
PointSpec point_spec_from_json(const nlohmann::json& json, const std::string& source);
PointResult point_result_from_json(const nlohmann::json& json, const std::string& source);
PointOutcome point_outcome_from_json(const nlohmann::json& json, const std::string& source);
LayoutFigures layout_figures_from_json(const nlohmann::json& json, const std::string& source);
LayoutOutcome layout_outcome_from_json(const nlohmann::json& json, const std::string& source);

}  // namespace gaitlstm::explore
