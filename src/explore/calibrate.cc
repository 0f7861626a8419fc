// Cost-model calibration: the bit-width search's hardware cost model fitted
// to the synthesized areas of the sweep's `calibrate_arch` designs
// (quant_stage.h), written to DIR/cost-model.json for the calibrated search.
#include <filesystem>

#include <fmt/format.h>

#include "explore/exploration.h"
#include "quant/golden.h"
#include "util/atomic_file.h"

namespace gaitlstm::explore {

namespace fs = std::filesystem;
using json = nlohmann::json;

// calibration_ (the report's) gets the figures and each design's synthesized and predicted
// area, or why there was no fit (too few designs).
std::optional<Calibration> Exploration::calibrate_on_sweep(const quant::CostModel& prior) {
  std::vector<quant::CostSample> samples;
  CalibrationReport report;
  report.architecture = config_.search.calibrate_arch;
  for (const PlannedPoint& p : planned_) {
    if (p.spec.arch != config_.search.calibrate_arch) continue;
    const std::optional<PointOutcome> rec = store_->point(p.spec.key);
    if (!rec || !rec->done()) continue;
    samples.push_back({quant::cost_features(quant::make_golden(p.candidate->model)), rec->result->synthesis.area_um2});
    report.designs.push_back({p.spec.name(), samples.back().area, 0, 0, samples.back().features});
  }
  std::optional<Calibration> cal;
  try {
    cal = calibrate_cost_model(samples, prior);
  } catch (const std::invalid_argument& e) {
    report.error = e.what();
    calibration_ = report;
    log_.line(std::string("cost model not calibrated: ") + e.what());
    return std::nullopt;
  }
  for (CalibratedDesign& d : report.designs) {
    d.prior_um2 = cal->prior.cost(d.features);
    d.fitted_um2 = cal->fitted.cost(d.features);
  }
  report.fit = *cal;
  calibration_ = report;
  write_file_atomic((fs::path(out_) / "cost-model.json").string(), quant::to_json(cal->fitted).dump(2) + "\n");
  log_.line(fmt::format("cost model fitted to {} {} designs: mean error {:.1f} % (prior {:.1f} %, leave-one-out {:.1f} %)",
                        cal->samples, config_.search.calibrate_arch, 100 * cal->fitted_error, 100 * cal->prior_error,
                        100 * cal->leave_one_out_error));
  return cal;
}

}  // namespace gaitlstm::explore
