// The exploration's configuration: one JSON file naming every knob of the
// sweep (docs/EXPLORE.md has the reference).  Parsing is strict: an unknown
// key, a wrong type or an out-of-range value throws
// InputError(config file, 0, "<json path>: reason"), so a typo never turns
// into a silently ignored setting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/load.h"
#include "quant/calibrate.h"

namespace gaitlstm::explore {

// Where the recordings come from: a directory (Daphnet files, or CSV with a
// spec), several recording sets (data.sets, or "data" given as a list of
// {dir, spec, name}), or the embedded synthetic generator (written under the
// output dir).
struct DataConfig {
  std::string dir;                // "" = synthetic; with sets: the first set's
  std::string spec;               // JSON dataset description for CSV recordings
  std::vector<data::DataSource> sets;  // two or more: loaded together (data::load_datasets)
  std::string channels = "ankle"; // with several sets: the group kept of each (models pick from it)
  uint64_t synthetic_seed = 1;
  int synthetic_subjects = 6;
  double synthetic_minutes = 6.0;
  int validation_subject = 0;     // 0 = the last subject with freezes
  std::vector<int> test_subjects; // held out of training; AUC is measured on them
                                  // (empty: on the validation subject)
  std::string evaluation = "holdout";  // a design's AUC: "holdout" (test subjects as above), or
                                       // "loso": leave-one-subject-out pooled AUC of its model
                                       // settings and bits (one float model per fold, quantized alike)
  // The recording sets to load: `sets` when there are several, else {`dir`
  // (the recordings actually used: --data or the synthetic set), spec}.
  std::vector<data::DataSource> sources(const std::string& dir) const;
};

// One float model to train (or load), with the architectures to build for it.
struct ModelConfig {
  std::string label;
  std::string load;               // existing float model file instead of training
  int hidden = 8, history = 8, decimation = 16, baseline_shift = 6, axes_per_sensor = 3;
  bool keep_levels = true;
  int energy_smoothing_shift = 0;  // as train --energy-smoothing
  bool ratios = false;             // as train --ratios
  std::string channels = "ankle";
  std::string bands = "0.5-3,3-8";
  int smoothing = 1, epochs = 8, patience = 6, seed = 1;
  double gain_augmentation = 2, weight_averaging = 0.99;
  std::string augment = "none";  // site-shift augmentation (data/augment.h), as train --augment
  int augment_copies = 0;        // default: 1 when augment is on
  // Wearer self-calibration on the chip (model/calibration.h, measured
  // defaults; seeded on the validation subject): its area is in every design.
  bool calibration = false;
  std::vector<std::string> architectures;  // empty = the global list
  nlohmann::json to_json() const;
};

// A candidate bit-width assignment (post-training quantization seam; the
// bit-width search plugs in beside it, see quant_stage.h).
struct BitsCandidate {
  std::string label;
  quant::TensorBits bits;
};

// The bit-width search (quant/search.h) as a second candidate producer:
// per float model, the start bits, the cheapest configuration within each
// budget and up to `pareto_points` more of its Pareto set (spread by cost).
// With `calibrate`, the cost model is fitted to the synthesized areas of the
// first sweep's `calibrate_arch` points, and the search runs again with it;
// its new candidates are swept too.
struct SearchConfig {
  bool enabled = false;
  std::vector<double> budgets{0.01, 0.03};  // AUC losses
  int pareto_points = 3;
  quant::TensorBits start;                  // the search's starting point (must meet every budget)
  std::vector<std::string> fixed;           // knobs left at `start` (quant::SearchOptions::fixed)
  std::string scope = "non-test";           // loss measured on "non-test" subjects or the "validation" subject
  std::string cost_model;                   // file of fitted coefficients ("" = the default model)
  bool calibrate = true;
  std::string calibrate_arch = "serial";
  nlohmann::json to_json() const;
};

struct RealTimeConfig {
  double sensor_hz = 64;
  int stride = 32;                      // samples per decision (0.5 s at 64 Hz)
  std::string deadline = "decision";    // "decision" (stride/rate), "sample" (1/rate) or "seconds"
  double deadline_s = 0;                // with deadline == "seconds"
};

struct TechConfig {
  std::string library = "osu018";         // osu018 | sky130hd (eda::technology_by_name)
  std::string liberty, lef, cell_models;  // a user library instead (then `library` is ignored)
  double node_nm = 180, supply_v = 1.8, target_nm = 65;
};

struct VerifyConfig {
  bool enabled = true;
  int64_t decisions = 32;   // real decisions simulated per design (0 = whole segment)
  int segments = 1;
  int64_t random_samples = 0;
  // Gate-level: the first decisions of the first segment on each point's
  // synthesized netlist and on each layout's routed netlist (Icarus with the
  // library's cell models, rtl/gate_level_sim.h); 0 = off.
  int64_t netlist_decisions = 2;
  int64_t routed_decisions = 4;
  // The layouts' routed netlists are simulated (build.cc; a Slurm worker loads
  // the recordings for them: tasks.cc).
  bool checks_routed_netlists() const { return enabled && routed_decisions > 0; }
  std::string simulator = "verilator";  // of the netlists: verilator | icarus (rtl::parse_gate_simulator)
};

struct PowerConfig {
  bool enabled = true;
  int decisions = 2;        // decisions of the first recording simulated at gate level
  std::string scope = "all";  // "all" points, or "front": only the candidates with a design on the
                              // (AUC, area, latency) front or in the headline pair, after the sweep
  std::string simulator = "verilator";  // gate-level activity: verilator (counted in the simulation) | icarus (VCD)
};

struct LayoutConfig {
  bool enabled = true;
  int designs = 2;                    // smallest final Pareto designs laid out
  int64_t max_cells = 10000;          // designs above this cell count are not laid out
  std::vector<double> densities{0.45, 0.6};  // alternatives per design
  std::vector<double> aspects{1.0};
  int speedup = 4;
  int stage_timeout_s = 900;
};

// The FPGA target (eda/fpga.h, docs/FPGA.md): each chosen point's detector
// (inside the board top, with the board) through synth_ice40, nextpnr-ice40,
// icepack and icetime, after the sweep.
struct FpgaConfig {
  std::string device = "up5k";
  std::string package;               // "" = sg48 with the board, else the device's default
  std::string board = "icebreaker";  // board top (pins, SPI accelerometer, UART), or "none": the detector
                                     // alone, IO placed freely (needs a package with its ~100 pins, e.g. hx8k)
  double clock_mhz = 12;             // the board clock: nextpnr's target and the margin's clock
  uint64_t seed = 1;                 // nextpnr's placement seed
  std::string scope = "headline";    // "all" points, "front" (power's front scope) or "headline": every
                                     // architecture of the headline pair's candidates
  int timeout_s = 1800;              // per tool run
  std::string package_or_default() const;  // the package nextpnr gets
  nlohmann::json to_json() const;          // the settings a point's FPGA figures were made with
};

struct BudgetConfig {
  int synth_timeout_s = 600, sta_timeout_s = 300, power_timeout_s = 600, verify_timeout_s = 600;
  int max_points = 0;                 // 0 = every point
};

struct ReportConfig {
  double delta_auc_pp = 1.0;          // delta: AUC loss accepted for the area-optimised alternative
  double min_area_saving = 0.25;      // ... which must save at least this share of area
  std::string title = "gaitlstm design-space exploration";
};

struct ExploreConfig {
  std::string source;                 // the config file (for messages)
  DataConfig data;
  std::vector<ModelConfig> models;
  std::vector<BitsCandidate> quant_bits;   // post-training quantization candidates
  SearchConfig search;
  std::vector<std::string> architectures{"serial", "gates", "lanes:2", "lanes:4"};
  double clock_ns = 20;
  int threads = 2;                    // training and scoring threads
  RealTimeConfig realtime;
  TechConfig technology;
  VerifyConfig verify;
  PowerConfig power;
  LayoutConfig layout;
  std::vector<std::string> targets{"asic"};  // "asic" (always), "fpga"
  FpgaConfig fpga;
  BudgetConfig budget;
  ReportConfig report;
  nlohmann::json raw;                 // the file as read (stored with the results)

  bool has_target(const std::string& target) const;
  // Architectures built for `model` (its own list, else the global one).
  const std::vector<std::string>& architectures_for(const ModelConfig& model) const;
};

// Parses `json` (read from `source`); throws InputError(source, 0, reason).
// Relative paths in it (data.dir, data.spec, models[].load, technology.*,
// quant.search.cost_model) are relative to the directory of `source`, so a
// config names files beside it, not on one machine.
ExploreConfig parse_config(const nlohmann::json& json, const std::string& source);
// Replaces the config's data source with the recordings in `dir` (the
// command line's --data); `raw` says so too.
void use_data_dir(ExploreConfig& config, const std::string& dir);
// Reads and parses a config file.
ExploreConfig load_config(const std::string& path);

}  // namespace gaitlstm::explore
