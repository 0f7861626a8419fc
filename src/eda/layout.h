// Place and route with qflow (Yosys + blifFanout buffering, graywolf
// placement, qrouter detailed routing, vesta timing) and a picture with
// KLayout.
//
// Each qflow stage runs as its own tool run (so each gets a time, a log and
// a timeout): synthesize, place, sta (pre-route timing), route, backanno
// (post-route timing with the router's RC), optionally migrate + drc (magic)
// + lvs (netgen) + a GDS from magic.
// Settings go into the qflow project before the stages run:
//   project_vars.sh  initial_density (fill cells pad the placement to this
//                    cell density), abc_script "" (Yosys' default ABC script:
//                    31-45 % fewer cells than qflow's), route_layers
//   layout/T.par     graywolf parameters: TWSC*fast N divides the annealing
//                    moves per temperature by N; GENR*numrows sets the row
//                    count and so the aspect ratio (height / width) at equal
//                    area, computed from the synthesized cells' LEF area
//   layout/T.cfg     qrouter script written by the place stage: its
//                    standard_route call gets nocleanup = true unless
//                    route_cleanup (stage 3 reroutes every net twice for
//                    quality once all nets are routed); qrouter's via
//                    cleanup is always switched off (it cut a pin off its
//                    net, unreported: qrouter_script_without_via_cleanup)
// Results come from the files, never from defaults: DEF (DIEAREA, placed
// components, routed wire segments), the route log ("Final:" line; Debian's
// qrouter writes fail.out where qflow looks for failed.out) and vesta's
// "Computed maximum clock frequency" before and after routing.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "eda/library.h"
#include "util/process_runner.h"

namespace gaitlstm::eda {

struct PlacedComponent {
  std::string name, macro;
  double x_um = 0, y_um = 0;
};

struct DefSummary {
  double units_per_micron = 0;
  double die_x0_um = 0, die_y0_um = 0, die_x1_um = 0, die_y1_um = 0;
  std::vector<PlacedComponent> components;
  double wire_length_um = 0;  // Manhattan length of all ROUTED/NEW segments
  int64_t routed_nets = 0;    // nets with at least one routed segment
  double die_width_um() const { return die_x1_um - die_x0_um; }
  double die_height_um() const { return die_y1_um - die_y0_um; }
};

// Parses a (placed or routed) DEF.  Throws InputError(file, line) on a
// missing UNITS or DIEAREA or a malformed component.
DefSummary parse_def(std::string_view text, const std::string& file);

struct RouteSummary {
  int64_t failed_routes = 0;
  std::vector<std::string> failed_nets;  // from fail.out, if present
};

// The qrouter log's "Final:" line ("No failed routes!" or a count) and,
// when given, the nets listed in fail.out.  Throws InputError if the log has
// no Final line (the router did not finish).
RouteSummary parse_route_log(std::string_view log_text, const std::string& file, std::string_view fail_out = "");

// vesta's "Computed maximum clock frequency (zero margin) = X MHz".
double parse_vesta_fmax_mhz(std::string_view log_text, const std::string& file);

// magic's "drc = N" count from qflow's drc log.
int64_t parse_magic_drc_count(std::string_view log_text, const std::string& file);

// netgen's verdict from qflow's lvs log: true if the circuits match.
bool parse_lvs_match(std::string_view log_text, const std::string& file);

// Standard cells per type in a BLIF netlist (".gate CELL ..." lines).
std::map<std::string, int64_t> parse_blif_gates(std::string_view text, const std::string& file);

struct LayoutOptions {
  std::vector<std::string> sources;  // concatenated into qflow's source/<top>.v
  std::string top;
  Technology tech;                   // needs qflow_tech_dir and lef
  double density = 0.45;             // initial_density (cell area / core area)
  double aspect = 1.0;               // core height / width; 0 = graywolf's default rows
  int placement_speedup = 4;         // TWSC*fast (1 = graywolf's full annealing)
  int route_layers = 0;              // 0 = every metal layer of the LEF
  bool route_cleanup = false;        // qrouter stage 3 (two rip-up-and-reroute rounds
                                     // over every net after all nets routed): better
                                     // wires, about 2x the route time; off = skipped
  double clock_ns = 10;              // for the post-route slack
  bool signoff = false;              // migrate, magic DRC, netgen LVS, GDS (abstract views)
  std::string png;                   // "" = no picture
  int png_width = 1200;
  std::string work_dir;              // the qflow project
  std::chrono::seconds stage_timeout{1800};
  std::function<void(const std::string& stage)> on_stage;  // progress, called before each stage
};

struct StageTime {
  std::string stage;
  double seconds = 0;
};

struct LayoutResult {
  std::string top;
  double density = 0, aspect = 0;
  int placement_speedup = 0;
  bool route_cleanup = false;
  int64_t cells = 0;       // placed standard cells, fill excluded
  int64_t fill_cells = 0;
  double cell_area_um2 = 0;  // LEF sizes of the placed standard cells
  double die_width_um = 0, die_height_um = 0, die_area_mm2 = 0;
  double core_area_um2 = 0;       // bounding box of the placed rows
  double core_utilisation = 0;    // cell_area / core_area
  double wire_length_um = 0;
  int64_t failed_routes = 0;
  std::vector<std::string> failed_nets;
  double pre_route_fmax_mhz = 0;   // vesta, no wires
  double post_route_fmax_mhz = 0;  // vesta with the router's RC
  double clock_ns = 0;
  double post_route_slack_ns = 0;  // clock_ns - 1000 / post_route_fmax_mhz
  // Set when vesta could not time the routed netlist (its ERROR lines, e.g.
  // qflow's rc2dly and vesta disagreeing on net names): the route stands,
  // only the post-route f_max is missing.
  std::string post_route_timing_error;
  std::optional<int64_t> drc_errors;  // magic DRC over the routing and LEF abstracts
  std::optional<bool> lvs_match;      // netgen: layout netlist == synthesized netlist
  // When LVS fails: netgen's unmatched nets (layout/comp.json), one line each,
  // e.g. "netlist net _3224_ is split in the layout into OR2X2_54/A +
  // OAI21X1_999/A (an open)" for a route qrouter counted as done.
  std::vector<std::string> lvs_mismatches;
  std::string gds;                    // magic GDS with LEF abstract views of the cells
  std::vector<StageTime> stages;
  double place_and_route_seconds = 0;  // place + route stages
  std::string def, png, work_dir;
  // The netlist that was placed and routed (qflow's buffered synthesis,
  // rewritten after routing; the one LVS compares against), for gate-level
  // verification; "" if qflow wrote none.
  std::string routed_netlist;
};

// The values the result is computed from (exposed for tests).
LayoutResult summarize_layout(const DefSummary& def, const RouteSummary& route, const CellLibrary& library,
                              const std::string& fill_cell);

// qflow's project_vars.sh and graywolf .par additions for `options`
// (`cell_area_um2` and `row_height_um` size the rows for the aspect ratio).
std::string qflow_project_vars(const LayoutOptions& options);
std::string graywolf_par_additions(const LayoutOptions& options, double cell_area_um2, double row_height_um);

// The qrouter script with stage 3 switched off (cleanup == false): the
// `qrouter::standard_route <def> false` call gets a third argument `true`.
// Throws InputError if the script has no such call.
std::string qrouter_script_without_cleanup(std::string_view cfg, const std::string& file);

// The qrouter script with qrouter's via cleanup switched off: a no-op
// `qrouter::cleanup` defined before the `qrouter::standard_route` call.
// standard_route runs `cleanup all` on every net before writing the DEF; on
// the full example's headline layout it lifted the metal1 stub from a pin's
// tap (OAI21X1_999/A at 378.4, 107.0 um) to metal2 to "fix" two vias 0.8 um
// apart, which left the pin with no via down (netgen: an open the router
// never reported) and the other via on an isolated metal1 pad (magic: one
// metal1 minimum-area error).  The DEF as routed, before cleanup, was DRC
// and LVS clean.  Throws InputError if the script has no such call.
std::string qrouter_script_without_via_cleanup(std::string_view cfg, const std::string& file);

// The KLayout batch script that renders DEF + LEF to a PNG.
std::string klayout_render_script();

// Runs the whole flow.  Throws ToolError if a stage fails; a route that
// leaves failed nets is a result (failed_routes > 0), not an error.
LayoutResult place_and_route(ToolRunner& runner, const LayoutOptions& options);

// Renders def + lef to png with KLayout.
void render_layout_png(ToolRunner& runner, const std::string& def, const std::string& lef, const std::string& png,
                       int width, const std::string& work_dir);

nlohmann::json to_json(const LayoutResult& result);

}  // namespace gaitlstm::eda
