// Every architecture, an 8-bit and a <= 6-bit configuration: bit-exact with
// the golden model on >= 200 decisions of a real Daphnet recording and on a
// random stream of >= 1 000 samples with extreme values, every latency equal
// to the cycle model (rtl::verify_design, what `gaitlstm verify` runs).  The
// narrow configurations also carry the cue and the wearer self-calibration
// (alarms and the moving thresholds T_n compared too).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "data/load.h"
#include "quant/calibrate.h"
#include "rtl/design.h"
#include "rtl/verify.h"
#include "support/busiest_threshold.h"
#include "support/frontend.h"
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

// Ankle front-end with relative levels, normalized on the recordings; an
// untrained LSTM (H = 4) with random weights exercises every path.
model::Detector small_detector(const data::Dataset& dataset, int smoothing) {
  model::Detector d;
  d.frontend = testing::fitted_frontend(dataset, {"ankle_fwd", "ankle_vert", "ankle_lat"}, 3);
  d.history_steps = 6;
  d.output_smoothing = smoothing;
  d.lstm = model::LstmParams<float>({d.frontend.features(), 4});
  Rng rng(11);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1.5, 1.5));
  d.threshold = 0.4;
  return d;
}

quant::TensorBits narrow_bits() {  // every LSTM tensor <= 6 bits, pwl units
  quant::TensorBits b;
  b.input = b.gate = b.sigmoid = b.tanh = b.cell = b.hidden = b.score = 6;
  b.input_weight = b.recurrent_weight = b.gate_bias = b.output_weight = b.output_bias = 5;
  b.sigmoid_unit = {quant::ActivationKind::kPwl, 3, 3};
  b.tanh_unit = b.cell_tanh_unit = {quant::ActivationKind::kPwl, 3, 2};
  b.rounding = quant::Rounding::kHalfUp;
  return b;
}

using Case = std::tuple<std::string, bool>;  // architecture, narrow

class ArchitectureTest : public ::testing::TestWithParam<Case> {};

TEST_P(ArchitectureTest, BitExactOnARealRecordingAndRandomExtremes) {
  const data::Dataset* dataset = shared_recordings();
  if (!dataset) GTEST_SKIP() << "shared Daphnet recordings not found at " << GAITLSTM_SHARED_DATA;
  const auto& [architecture, narrow] = GetParam();
  const model::Detector detector = small_detector(*dataset, narrow ? 2 : 1);
  const std::vector<data::Decision> decisions = data::make_decisions(*dataset);
  const quant::TensorBits bits = narrow ? narrow_bits() : quant::TensorBits{};
  quant::GoldenDetector golden(detector, quant::calibrate(detector, *dataset, decisions, bits, {}, 500).config);
  if (narrow) {  // the cue after a threshold where the verified decisions' FoG flag toggles most
    const std::vector<data::Decision> first(decisions.begin(), decisions.begin() + 200);
    golden.set_threshold(testing::busiest_threshold(golden.score_decisions(*dataset, first)));
    golden.set_cue({1, 3, 2});
    const model::CalibrationConfig calibration =  // fast (rate 1/4) so T_n moves within 200 decisions
        model::seed_calibration({2, 0.5, 0.05, 0, 0}, golden.statistic_values(golden.score_decisions(*dataset, first)));
    golden.set_calibration(quant::quantize_calibration(calibration, golden.statistic_format(), golden.smoothing()));
  }
  testing::TempDir dir;
  const DesignSummary design = write_design(golden, parse_architecture(architecture), dir.file("rtl"));
  VerifyOptions options;
  options.max_segments = 1;
  options.max_decisions = 200;
  options.random_samples = 1200;
  const VerifyReport report = verify_design(tools, golden, dir.file("rtl"), *dataset, options);
  EXPECT_TRUE(report.passed()) << to_json(report).dump(2);
  EXPECT_GE(report.decisions, 200);
  EXPECT_GE(report.random_decisions, 1200 / 32 - 4);
  EXPECT_EQ(report.cycles_per_decision_measured, design.cycles_per_decision);
  if (narrow) {
    EXPECT_GT(report.cued_decisions, 0) << "the cue never changed an alarm";
    EXPECT_GT(report.calibrated_decisions, 20) << "the self-calibrated threshold hardly moved";
  } else {
    EXPECT_EQ(report.cued_decisions, 0);
    EXPECT_EQ(report.calibrated_decisions, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryArchitecture, ArchitectureTest,
                         ::testing::Combine(::testing::Values("serial", "gates", "lanes:8", "mcm"),
                                            ::testing::Bool()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = std::get<0>(info.param);
                           std::replace(name.begin(), name.end(), ':', '_');
                           return name + (std::get<1>(info.param) ? "_6bit" : "_8bit");
                         });

}  // namespace
}  // namespace gaitlstm::rtl
