// The level-free front-end features (energy smoothing, band-energy ratios;
// model/frontend.h) through the whole chip: bit-exact with the golden model on
// >= 200 decisions of a real Daphnet recording and a random extreme stream,
// every latency equal to the cycle model (rtl::verify_design, what
// `gaitlstm verify` runs).  Each feature combination once, the architectures
// alternating (every architecture shares the one generated front-end).
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "data/load.h"
#include "model/sequences.h"
#include "quant/calibrate.h"
#include "rtl/design.h"
#include "rtl/verify.h"
#include "support/temp_dir.h"
#include "util/rng.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

const data::Dataset* shared_recordings() {
  static const data::Dataset* dataset = [] {
    const std::string dir = GAITLSTM_SHARED_DATA;
    if (dir.empty() || !std::filesystem::exists(dir + "/S01R02.txt")) return static_cast<data::Dataset*>(nullptr);
    return new data::Dataset(data::load_dataset(dir));
  }();
  return dataset;
}

struct Features {
  std::string name;
  int baseline_shift, smoothing;
  bool keep_levels, ratios;
  std::string architecture;
};

// gtest names a parameter by this instead of dumping the struct's bytes.
void PrintTo(const Features& f, std::ostream* os) {
  *os << f.name << " (baseline shift " << f.baseline_shift << ", smoothing " << f.smoothing << ", levels "
      << f.keep_levels << ", ratios " << f.ratios << ", " << f.architecture << ")";
}

// Ankle sensor, 0.5-2 and 4-8 Hz (the transferring bands of docs/MODEL.md),
// normalized on the recordings; an untrained LSTM (H = 4) with random weights.
model::Detector detector_with(const data::Dataset& dataset, const Features& f) {
  model::Detector d;
  model::FrontEndConfig& fe = d.frontend;
  fe.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
  fe.axes_per_sensor = 3;
  fe.bands = {{0.5, 2}, {4, 8}};
  fe.baseline_shift = f.baseline_shift;
  fe.energy_smoothing_shift = f.smoothing;
  fe.keep_levels = f.keep_levels;
  fe.ratios = f.ratios;
  model::design_filters(fe);
  const std::vector<Eigen::MatrixXf> raw = model::compute_raw_features(fe, dataset, 2);
  std::vector<const Eigen::MatrixXf*> segments;
  for (const Eigen::MatrixXf& m : raw) segments.push_back(&m);
  model::fit_normalization(fe, segments);
  d.history_steps = 6;
  d.output_smoothing = 2;
  d.lstm = model::LstmParams<float>({fe.features(), 4});
  Rng rng(13);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1.5, 1.5));
  d.threshold = 0.4;
  return d;
}

class LevelFreeVerifyTest : public ::testing::TestWithParam<Features> {};

TEST_P(LevelFreeVerifyTest, BitExactOnARealRecordingAndRandomExtremes) {
  const data::Dataset* dataset = shared_recordings();
  if (!dataset) GTEST_SKIP() << "shared Daphnet recordings not found at " << GAITLSTM_SHARED_DATA;
  const Features& f = GetParam();
  const model::Detector detector = detector_with(*dataset, f);
  const std::vector<data::Decision> decisions = data::make_decisions(*dataset);
  const quant::GoldenDetector golden(detector, quant::calibrate(detector, *dataset, decisions, {}, {}, 500).config);
  testing::TempDir dir;
  const DesignSummary design = write_design(golden, parse_architecture(f.architecture), dir.file("rtl"));
  VerifyOptions options;
  options.max_segments = 1;
  options.max_decisions = 200;
  options.random_samples = 1200;
  const VerifyReport report = verify_design(tools, golden, dir.file("rtl"), *dataset, options);
  EXPECT_TRUE(report.passed()) << to_json(report).dump(2);
  EXPECT_GE(report.decisions, 200);
  EXPECT_EQ(report.cycles_per_decision_measured, design.cycles_per_decision);
}

INSTANTIATE_TEST_SUITE_P(FeatureCombinations, LevelFreeVerifyTest,
                         ::testing::Values(Features{"smoothing", 0, 3, true, false, "serial"},
                                           Features{"ratios", 0, 0, true, true, "mcm"},
                                           Features{"ratios_only_smoothed", 0, 3, false, true, "serial"},
                                           Features{"relative_and_ratios_smoothed", 6, 3, false, true, "mcm"}),
                         [](const ::testing::TestParamInfo<Features>& info) { return info.param.name; });

}  // namespace
}  // namespace gaitlstm::rtl
