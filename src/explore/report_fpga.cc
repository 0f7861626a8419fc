// The report's FPGA section: every design point with figures of the "fpga"
// target, beside its ASIC figures (fitting or not is a result).
#include "explore/report_fpga.h"

#include <fmt/format.h>

namespace gaitlstm::explore {

namespace {

std::string use(const FpgaFigures& f, const char* resource) {
  const int64_t available = f.available(resource);
  if (available <= 0) return std::to_string(f.used(resource));
  return fmt::format("{} / {} ({:.0f} %)", f.used(resource), available, 100.0 * f.used(resource) / available);
}

std::vector<std::string> fpga_row(const DesignPoint& p) {
  const FpgaFigures& f = *p.result.fpga;
  std::vector<std::string> row = {p.name(), fmt::format("{:.4f}", p.auc), fmt::format("{:.4f}", p.area_mm2)};
  if (!f.ran()) {
    row.push_back("tool error: " + f.error.substr(0, 200));
    row.resize(kFpgaHeader.size(), "");
    return row;
  }
  row.push_back(f.fits ? "yes" : "NO: " + f.failure.substr(0, 160));
  row.push_back(use(f, "ICESTORM_LC"));
  row.push_back(std::to_string(f.flip_flops));
  row.push_back(use(f, "ICESTORM_DSP"));
  row.push_back(use(f, "ICESTORM_RAM"));
  row.push_back(use(f, "SB_IO"));
  if (f.fits) {
    row.push_back(fmt::format("{:.1f}{}", f.fmax_mhz, f.timing_met ? "" : " (below the board clock)"));
    row.push_back(f.icetime_fmax_mhz > 0 ? fmt::format("{:.1f}", f.icetime_fmax_mhz) : "-");
    row.push_back(fmt::format("{:.0f}x", f.margin));
    row.push_back(fmt::format("{:.2f}", f.min_clock_mhz * 1e3));
    row.push_back(std::to_string(f.bitstream_bytes));
  } else {
    row.resize(kFpgaHeader.size(), "-");
  }
  return row;
}

}  // namespace

const std::vector<std::string> kFpgaHeader = {
    "design (model/bits/arch)", "AUC", "ASIC area mm^2", "fits", "logic cells", "flip-flops", "DSP", "block RAM", "IO",
    "f_max MHz (nextpnr)", "f_max MHz (icetime)", "margin at the board clock", "lowest clock kHz", "bitstream bytes"};

std::vector<std::vector<std::string>> fpga_rows(const ReportData& data) {
  std::vector<std::vector<std::string>> rows;
  for (const DesignPoint& p : data.points)
    if (p.result.fpga) rows.push_back(fpga_row(p));
  return rows;
}

std::string fpga_summary(const ReportData& data) {
  for (const DesignPoint& p : data.points)
    if (p.result.fpga) {
      const FpgaFigures& f = *p.result.fpga;
      return fmt::format(
          "iCE40 {} in the {} package, {}, through Yosys synth_ice40, nextpnr-ice40 (seed {}, timing-driven, target "
          "{:g} MHz), icepack and icetime (docs/FPGA.md). Margin = deadline / (cycles per decision / board clock "
          "{:g} MHz); lowest clock = cycles / deadline. Logic cells, DSP, block RAM and IO as nextpnr packs them "
          "(used / available). No power figures: no open power model exists for the iCE40.",
          f.device, f.package,
          f.board == "none" ? "the detector alone (IO placed freely)"
                            : "inside the " + f.board + " board top (SPI accelerometer, UART, pins)",
          f.seed, f.clock_mhz, f.clock_mhz);
    }
  return "";
}

}  // namespace gaitlstm::explore
