// The FPGA target of a built design point (config "targets": [..., "fpga"]):
// the point's detector generated again (deterministic: the same RTL as its
// rtl/), with the board top around it, through the iCE40 flow of
// `gaitlstm fpga` (eda/fpga.h).  Runs after the sweep, like a power run.
#include <filesystem>

#include "eda/fpga.h"
#include "eda/synth.h"
#include "explore/build.h"
#include "quant/golden.h"
#include "quant/qmodel_file.h"
#include "rtl/board.h"
#include "rtl/design.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// `path` relative to the point directory, where `work_dir` is renamed to `prefix`.
std::string in_point(const std::string& path, const fs::path& work_dir, const std::string& prefix) {
  return path.empty() ? "" : prefix + fs::path(path).lexically_relative(work_dir).string();
}

void fill(FpgaFigures& f, const eda::FpgaResult& r, const eda::FpgaRealTime& rt, const fs::path& work,
          const std::string& prefix) {
  f.top = r.top;
  f.fits = r.fits;
  f.failure = r.failure;
  f.luts = r.luts;
  f.carries = r.carries;
  f.flip_flops = r.flip_flops;
  f.dsps = r.dsps;
  f.block_rams = r.block_rams;
  for (const eda::FpgaResource& x : r.resources) f.resources.push_back({x.name, x.used, x.available});
  f.fmax_mhz = r.fmax_mhz;
  f.icetime_fmax_mhz = r.icetime_fmax_mhz;
  f.timing_met = rt.clock_met;
  f.cycles_per_decision = rt.cycles_per_decision;
  f.deadline_s = rt.deadline_s;
  f.min_clock_mhz = rt.min_clock_mhz;
  f.margin = rt.margin;
  f.bitstream = in_point(r.bitstream, work, prefix);
  f.bitstream_bytes = r.bitstream_bytes;
}

}  // namespace

FpgaFigures fpga_settings(const FpgaConfig& config) {
  FpgaFigures f;
  f.device = config.device;
  f.package = config.package_or_default();
  f.board = config.board;
  f.clock_mhz = config.clock_mhz;
  f.seed = config.seed;
  f.flow = eda::kFpgaFlowRevision;
  return f;
}

void add_fpga(const BuildContext& c, const PointSpec& spec, const std::string& work_dir, PointResult& result) {
  const auto start = Clock::now();
  const FpgaConfig& config = c.config->fpga;
  const fs::path work = work_dir;
  const std::string prefix = "fpga/";
  FpgaFigures f = fpga_settings(config);
  f.log_dir = "fpga/flow";
  try {
    const quant::GoldenDetector golden = quant::make_golden(quant::load_qmodel(spec.quant_file));
    const std::string rtl_dir = (work / "rtl").string();
    const rtl::DesignSummary design = rtl::write_design(golden, rtl::parse_architecture(spec.arch), rtl_dir);
    eda::FpgaOptions o;
    std::string top = design.top;
    if (config.board != "none") {
      rtl::BoardConfig board;
      board.board = config.board;
      board.clock_hz = config.clock_mhz * 1e6;
      const rtl::BoardSummary b = rtl::write_board(golden, rtl_dir, board);
      top = b.top;
      o.pcf = (fs::path(rtl_dir) / b.pcf_file).string();
    }
    o.sources = eda::rtl_sources(rtl_dir);
    o.top = eda::find_top_module(o.sources, top);
    o.device = config.device;
    o.package = f.package;
    o.clock_mhz = config.clock_mhz;
    o.seed = config.seed;
    o.post_route_netlist = false;  // `gaitlstm fpga` writes it for verify --fpga; the sweep needs figures
    o.work_dir = (work / "flow").string();
    o.synth_timeout = o.pnr_timeout = o.tool_timeout = std::chrono::seconds(config.timeout_s);
    const eda::FpgaResult r = eda::run_fpga_flow(*c.runner, o);
    fill(f, r, eda::fpga_realtime(r, design.cycles_per_decision, c.realtime.deadline_s), work, prefix);
  } catch (const std::exception& e) {  // a tool error or timeout: the point stands without FPGA figures
    f.error = e.what();
  }
  f.seconds = seconds_since(start);
  result.fpga = f;
  result.seconds["fpga"] = f.seconds;
}

}  // namespace gaitlstm::explore
