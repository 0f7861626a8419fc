// What one task computes (internal to src/explore; tasks.h wraps it in
// partial directories and outcome files).  Paths in the results are
// relative: a point's to its directory DIR/points/<key>, a layout's to DIR.
#pragma once

#include <string>

#include "eda/library.h"
#include "explore/point.h"
#include "explore/tasks.h"

namespace gaitlstm::explore {

eda::Technology technology(const TechConfig& tech);

// Builds the design point into `work_dir` (renamed to DIR/points/<key> by
// the caller).  Throws on a tool error, a timeout or a verification
// mismatch; a failed power run is power_error in the result.
PointResult build_point(const BuildContext& context, const PointSpec& spec, const std::string& work_dir);

// Gate-level power of the built point in `point_dir`, simulated in
// `work_dir` (renamed to <point_dir>/power), into `result` (power or
// power_error, real-time figures with energy, seconds["power"]).
void add_power(const BuildContext& context, const PointSpec& spec, const std::string& point_dir,
               const std::string& work_dir, PointResult& result);

// FPGA figures with only the settings of `config` (what a run with it is compared against).
FpgaFigures fpga_settings(const FpgaConfig& config);
// The FPGA target of the point `spec` (config.fpga), worked in `work_dir`
// (renamed to <point_dir>/fpga): result.fpga (its `error` on a tool failure)
// and seconds["fpga"].  fpga_build.cc.
void add_fpga(const BuildContext& context, const PointSpec& spec, const std::string& work_dir, PointResult& result);

// Places and routes the design of `spec.point` in `work_dir`; paths in the
// figures relative to DIR (`prefix` = "layouts/<key>/").  Throws ToolError.
LayoutFigures build_layout(const BuildContext& context, const LayoutSpec& spec, const std::string& work_dir,
                           const std::string& prefix);

// Deletes the bulky intermediates of a finished point (Verilator build,
// gate-level VCD, compiled simulation, per-pin activity script); the RTL,
// the netlist and the logs stay.
void prune_point_dir(const std::string& point_dir);

}  // namespace gaitlstm::explore
