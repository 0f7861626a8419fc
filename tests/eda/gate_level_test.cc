// Gate-level verification (rtl/gate_level_sim.h) of a small generated
// detector: synthesized by Yosys onto a real library, its netlist simulated in
// Icarus with the library's own cell models, every decision and latency
// compared with the golden model by the same code as the RTL check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "eda/library.h"
#include "eda/power.h"
#include "eda/synth.h"
#include "quant/golden.h"
#include "rtl/design.h"
#include "rtl/gate_level_sim.h"
#include "rtl/verify.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/error.h"
#include "util/process_runner.h"
#include "util/rng.h"

namespace gaitlstm::rtl {
namespace {

// An untrained one-axis detector with random weights: small, every path used.
model::Detector small_detector(uint64_t seed) {
  model::Detector d;
  d.frontend.channel_names = {"ankle_vert"};
  d.frontend.axes_per_sensor = 1;
  d.frontend.baseline_shift = 3;
  model::design_filters(d.frontend);
  for (int i = 0; i < d.frontend.features(); ++i) {
    d.frontend.feature_mean.push_back(i % 2 ? 0.0 : 10.0);
    d.frontend.feature_std.push_back(2.0);
  }
  d.history_steps = 4;
  d.lstm = model::LstmParams<float>({d.frontend.features(), 2});
  Rng rng(seed);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1.2, 1.2));
  d.threshold = 0.5;
  return d;
}

class GateLevelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = new data::Dataset(testing::synthetic_dataset(2, 1.0, 0));
    dir_ = new testing::TempDir;
    golden_ = new quant::GoldenDetector(small_detector(3), quant::QuantConfig{});
    design_ = new DesignSummary(write_design(*golden_, parse_architecture("serial"), dir_->file("rtl")));
  }
  static void TearDownTestSuite() {
    delete design_;
    delete golden_;
    delete dir_;
    delete dataset_;
  }

  static std::string synthesize(const eda::Technology& tech) {
    eda::SynthOptions o;
    o.sources = eda::rtl_sources(dir_->file("rtl"));
    o.top = design_->top;
    o.tech = tech;
    o.clock_ns = 20;
    o.work_dir = dir_->file("synth-" + tech.name);
    ProcessRunner runner;
    return eda::synthesize(runner, o).netlist;
  }

  // Replays the first run: the netlist's response checked against another model.
  class Replayed : public DetectorSimulator {
   public:
    explicit Replayed(const DetectorSimulator& inner) : inner_(inner) {}
    DetectorRun run(const std::vector<int64_t>& samples, int64_t period) const override {
      if (!run_) run_ = inner_.run(samples, period);
      return *run_;
    }

   private:
    const DetectorSimulator& inner_;
    mutable std::optional<DetectorRun> run_;
  };

  static VerifyOptions options() {
    VerifyOptions options;
    options.max_segments = 1;
    options.max_decisions = 4;
    options.random_samples = 0;
    return options;
  }

  static std::unique_ptr<IcarusDetector> simulator(const eda::Technology& tech, const std::string& netlist,
                                                   const std::string& work) {
    GateLevelOptions o;
    o.netlist = netlist;
    o.cell_models = eda::simulation_models(tech);
    o.defines = tech.simulation_defines;
    int64_t uncovered = -1;
    o.zero_start_pins = eda::flop_data_pins(netlist, eda::CellLibrary(tech), &uncovered);
    EXPECT_EQ(uncovered, 0);
    EXPECT_GT(o.zero_start_pins.size(), 100u);
    o.work_dir = dir_->file(work);
    auto sim = std::make_unique<IcarusDetector>(detector_ports(*golden_, design_->top), o);
    sim->set_drain_cycles(design_->cycles_per_decision + 4 * verify_sample_period(*golden_, *design_));
    return sim;
  }

  static data::Dataset* dataset_;
  static testing::TempDir* dir_;
  static quant::GoldenDetector* golden_;
  static DesignSummary* design_;
};
data::Dataset* GateLevelTest::dataset_ = nullptr;
testing::TempDir* GateLevelTest::dir_ = nullptr;
quant::GoldenDetector* GateLevelTest::golden_ = nullptr;
DesignSummary* GateLevelTest::design_ = nullptr;

TEST_F(GateLevelTest, Osu018NetlistIsBitExactAndADifferentModelIsCaught) {
  const eda::Technology tech = eda::osu018_technology();
  const auto icarus = simulator(tech, synthesize(tech), "gate-osu");
  const Replayed netlist(*icarus);
  const VerifyReport report = verify_simulation(*golden_, *design_, netlist, *dataset_, options());
  EXPECT_TRUE(report.passed()) << to_json(report).dump(2);
  EXPECT_EQ(report.decisions, 4);
  EXPECT_EQ(report.latency_mismatches, 0);
  EXPECT_EQ(report.cycles_per_decision_measured, report.cycles_per_decision_model);

  // The same netlist response against a golden model with other weights: caught.
  const quant::GoldenDetector other(small_detector(4), quant::QuantConfig{});
  const VerifyReport wrong = verify_simulation(other, *design_, netlist, *dataset_, options());
  EXPECT_FALSE(wrong.passed());
  EXPECT_GT(wrong.mismatch_count, 0);
}

TEST_F(GateLevelTest, Sky130hdNetlistIsBitExact) {
  const std::string pdk = std::string(GAITLSTM_SOURCE_DIR) + "/../shared/data/pdk/sky130hd";
  if (!std::filesystem::is_directory(pdk)) GTEST_SKIP() << "no sky130hd files at " << pdk;
  const eda::Technology tech = eda::sky130hd_technology(pdk);
  const VerifyReport report =
      verify_simulation(*golden_, *design_, *simulator(tech, synthesize(tech), "gate-sky"), *dataset_, options());
  EXPECT_TRUE(report.passed()) << to_json(report).dump(2);
  EXPECT_EQ(report.decisions, 4);
}

TEST(GateLevelResponseTest, UnknownValuesNeverMatchAndAnUnfinishedRunIsAnError) {
  const DetectorRun run = parse_detector_response("A 5\nO x 0 1 40 7\nO -3 x 0 80 x\nR 0 100\n", "response.txt");
  ASSERT_EQ(run.scores.size(), 2u);
  EXPECT_EQ(run.scores[1], -3);
  EXPECT_NE(run.scores[0], -3);
  EXPECT_EQ(run.fog[1], 2);  // neither 0 nor 1
  ASSERT_EQ(run.thresholds.size(), 2u);
  EXPECT_EQ(run.thresholds[0], 7);
  EXPECT_NE(run.thresholds[1], 7);
  EXPECT_EQ(run.accept_cycle, std::vector<int64_t>{5});
  EXPECT_EQ(run.cycles, 100);
  EXPECT_THROW(parse_detector_response("A 5\n", "response.txt"), InputError);
  // A decision line without its threshold (an older testbench) is refused.
  EXPECT_THROW(parse_detector_response("O 1 0 0 40\nR 0 100\n", "response.txt"), InputError);
  EXPECT_THROW(parse_detector_response("E in_ready stayed low\n", "response.txt"), InputError);
}

TEST(GateLevelResponseTest, EveryFlopStartsAtZeroInTheTestbench) {
  const std::string tb = gate_level_testbench({"top", 1, 8, 12}, 10, {"_15_.D", "\\u.r[1] .D"});
  EXPECT_THAT(tb, ::testing::HasSubstr("force dut._15_.D = 1'b0;"));
  EXPECT_THAT(tb, ::testing::HasSubstr("release dut.\\u.r[1] .D;"));
}

}  // namespace
}  // namespace gaitlstm::rtl
