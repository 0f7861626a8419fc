// The FPGA target ("targets": ["asic", "fpga"]): after the sweep (and the
// front's power runs), the points of `fpga.scope` get their detector through
// the iCE40 flow as "fpga" tasks on the executor.  Figures made with other
// FPGA settings are made again; a failed run only with --retry-failed.
// Point keys do not depend on the FPGA settings: adding the target to a
// finished sweep builds nothing but the FPGA runs.
#include <filesystem>

#include <fmt/format.h>

#include "explore/build.h"
#include "explore/exploration.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {

namespace fs = std::filesystem;

std::string fpga_line(const std::string& design, const FpgaFigures& f) {
  if (!f.ran()) return fmt::format("fpga {}: FAILED: {}", design, f.error.substr(0, 300));
  if (!f.fits) return fmt::format("fpga {}: does not fit the {} {}: {}", design, f.device, f.package, f.failure.substr(0, 200));
  return fmt::format("fpga {}: {} of {} logic cells, {} DSP, {} block RAM, f_max {:.1f} MHz, {:.0f}x the deadline at {:g} MHz",
                     design, f.used("ICESTORM_LC"), f.available("ICESTORM_LC"), f.used("ICESTORM_DSP"),
                     f.used("ICESTORM_RAM"), f.fmax_mhz, f.margin, f.clock_mhz);
}

void Exploration::add_fpga_targets() {
  const FpgaConfig& config = config_.fpga;
  const nlohmann::json settings = fpga_settings(config).settings();
  std::set<std::string> candidates;
  if (config.scope != "all") candidates = chosen_candidates(config.scope == "headline");
  std::vector<Task> tasks;
  int64_t from_disk = 0, kept = 0;
  for (const PlannedPoint& p : planned_) {
    std::optional<PointOutcome> rec = store_->point(p.spec.key);
    if (!rec || !rec->done()) continue;
    if (config.scope != "all" && !candidates.count(p.spec.quant_key)) continue;
    const std::optional<FpgaFigures>& have = rec->result->fpga;
    const bool current = have && have->settings() == settings;
    if (current && (have->ran() || !options_.retry_failed)) {
      ++kept;
      continue;
    }
    if (!have) {
      if (std::optional<PointOutcome> o = finished_fpga(out_, p.spec.key); o && o->result->fpga->settings() == settings) {
        store_->put_point(*o);  // run, not recorded
        ++from_disk;
        continue;
      }
    }
    // Other settings, a failure retried, or a run that never got recorded:
    // the point's record and outcome file go back to "no FPGA figures".
    rec->result->fpga.reset();
    write_file_atomic((fs::path(point_dir(out_, p.spec.key)) / "outcome.json").string(), to_json(*rec).dump(1) + "\n");
    store_->put_point(*rec);
    tasks.push_back({"fpga", p.spec, {}});
  }
  log_.line(fmt::format("fpga: {} {} ({}), {} designs to run, {} done before{}", config.device,
                        config.package_or_default(), config.board == "none" ? "detector alone" : config.board + " board top",
                        tasks.size(), kept, from_disk ? fmt::format(", {} finished earlier and recorded now", from_disk) : ""));
  run_tasks("FPGA", tasks);
}

}  // namespace gaitlstm::explore
