// What the flow needs to know about a standard-cell library, read from its
// files: the technology (liberty, LEF, Verilog cell models, qflow tech name,
// feature size) and, per cell, area and whether it stores state.
//
// Area: the liberty's `area` and the LEF's `SIZE w BY h` disagree for some
// OSU 0.18 cells (OAI21X1 23 vs 32 um^2, LATCH 0 vs 56), and the LEF is what
// gets placed, so the LEF size wins whenever a LEF is known.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gaitlstm::eda {

struct Technology {
  std::string name;            // "osu018", or the liberty's stem for a user library
  std::string liberty;         // timing, power, function (required)
  std::string lef;             // cell sizes and pins; "" if unknown (no layout then)
  std::string verilog_models;  // cell models for gate-level simulation; "" if unknown
  std::vector<std::string> verilog_model_extras;  // more model files (sky130: its UDP primitives)
  std::vector<std::string> simulation_defines;    // iverilog -D for the models (sky130: FUNCTIONAL)
  std::string driving_cell = "INVX1";  // weak inverter ABC assumes drives the inputs
  std::string qflow_tech_dir;  // qflow's tech folder (layout), "" if not a qflow tech
  double feature_nm = 180;     // drawn gate length, for technology scaling
  double supply_v = 1.8;       // nominal supply of the liberty's corner
};

// The OSU 0.18 um library from Debian's qflow-tech-osu018 package, looked up
// in `tech_root` (default /usr/share/qflow/tech).  Throws InputError naming
// the missing file if the package is not installed.
Technology osu018_technology(const std::string& tech_root = "/usr/share/qflow/tech");

// The SkyWater sky130 high-density cells (sky130_fd_sc_hd, typical corner
// 25 C 1.80 V) from `pdk_dir` (see sky130hd_dir()).  The liberty ships
// gzipped; it is unpacked once into a cache folder beside the system's temp
// directory (the tools and the parser read plain text).  No qflow tech
// folder: synthesis, STA, power and gate-level simulation only.
Technology sky130hd_technology(const std::string& pdk_dir);

// Where the sky130hd files are: $GAITLSTM_SKY130HD, else
// ../shared/data/pdk/sky130hd from the working directory, else the same
// beside the executable's checkout.  Throws InputError naming what was tried.
std::string sky130hd_dir();

// The library names `--library` and the explore config accept.
inline constexpr const char* kLibraryNames = "osu018 | sky130hd";

// "osu018" or "sky130hd" -> its Technology; throws InputError for another name.
Technology technology_by_name(const std::string& name);

// Every Verilog file gate-level simulation reads for the cells.
std::vector<std::string> simulation_models(const Technology& tech);

// A user's own liberty (optionally with LEF and Verilog models).
Technology user_technology(const std::string& liberty, const std::string& lef, const std::string& verilog_models,
                           double feature_nm, double supply_v);

struct LibertyCell {
  double area = 0;          // liberty `area` (um^2 for these libraries)
  bool sequential = false;  // has an ff or latch group
  std::string next_state;   // the ff group's next_state, unquoted ("" for latches)
};

// Cells of a liberty file by name.  `file` names the input in errors.
std::map<std::string, LibertyCell> parse_liberty_cells(std::string_view text, const std::string& file);

struct LefMacro {
  double width_um = 0, height_um = 0;
  std::string macro_class;  // "CORE", "CORE SPACER", ...
  double area_um2() const { return width_um * height_um; }
};

// MACROs of a LEF file by name.
std::map<std::string, LefMacro> parse_lef_macros(std::string_view text, const std::string& file);

// Height of the placement site rows (SITE ... SIZE w BY h), if present.
std::optional<double> parse_lef_site_height(std::string_view text);

// Library facts the flow looks up per cell; loaded once per run.
class CellLibrary {
 public:
  explicit CellLibrary(const Technology& tech);
  // LEF size area if the LEF has the macro, else the liberty area; throws
  // InputError for a cell neither file knows.
  double area_um2(const std::string& cell) const;
  bool area_from_lef(const std::string& cell) const { return lef_.count(cell) != 0; }
  bool is_sequential(const std::string& cell) const;
  // The pin a flip-flop loads (its next_state when that is a single pin, e.g.
  // "D"); "" for other cells and for flops whose next state is a function
  // (enable or scan flops).
  std::string flop_data_pin(const std::string& cell) const;
  bool has_lef() const { return !lef_.empty(); }
  const std::map<std::string, LefMacro>& lef_macros() const { return lef_; }

 private:
  std::string liberty_path_;
  std::map<std::string, LibertyCell> liberty_;
  std::map<std::string, LefMacro> lef_;
};

}  // namespace gaitlstm::eda
