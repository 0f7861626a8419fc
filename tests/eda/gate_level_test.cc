// Gate-level verification (rtl/gate_level_sim.h) of a small generated
// detector: synthesized by Yosys onto a real library, its netlist simulated in
// Icarus with the library's own cell models (the reference) and in Verilator
// with models generated from the liberty (eda/cell_models.h), every decision
// and latency compared with the golden model by the same code as the RTL
// check, and the two simulators' logs compared with each other, also on a
// netlist with one cell changed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>

#include "eda/cell_models.h"
#include "eda/library.h"
#include "eda/power.h"
#include "eda/synth.h"
#include "quant/golden.h"
#include "rtl/design.h"
#include "rtl/gate_level_sim.h"
#include "rtl/verify.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/process_runner.h"
#include "util/rng.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

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

  // Synthesized once per library for all tests.
  static std::string synthesize(const eda::Technology& tech) {
    static std::map<std::string, std::string> netlists;
    if (auto it = netlists.find(tech.name); it != netlists.end()) return it->second;
    eda::SynthOptions o;
    o.sources = eda::rtl_sources(dir_->file("rtl"));
    o.top = design_->top;
    o.tech = tech;
    o.clock_ns = 20;
    o.work_dir = dir_->file("synth-" + tech.name);
    ProcessRunner runner;
    return netlists[tech.name] = eda::synthesize(runner, o).netlist;
  }

  // Replays the first run: the netlist's response checked against another model.
  class Replayed : public DetectorSimulator {
   public:
    explicit Replayed(const DetectorSimulator& inner) : inner_(inner) {}
    DetectorRun run(const std::vector<int64_t>& samples, int64_t period) const override {
      if (!run_) run_ = inner_.run(samples, period);
      return *run_;
    }
    const DetectorRun& last() const {
      static const DetectorRun none;
      return run_ ? *run_ : none;
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

  static std::unique_ptr<GateLevelDetector> simulator(const eda::Technology& tech, const std::string& netlist,
                                                      const std::string& work, GateSimulator which) {
    GateLevelOptions o;
    o.simulator = which;
    o.netlist = netlist;
    o.work_dir = dir_->file(work);
    const eda::GateLevelModels models = eda::gate_level_models(tech, netlist, which == GateSimulator::verilator, o.work_dir);
    o.cell_models = models.files;
    o.defines = models.defines;
    o.zero_start_pins = models.zero_start_pins;
    EXPECT_EQ(models.uncovered_flops, 0);
    if (which == GateSimulator::icarus) {
      EXPECT_GT(o.zero_start_pins.size(), 100u);
    }
    auto sim = std::make_unique<GateLevelDetector>(tools, detector_ports(*golden_, design_->top), o);
    sim->set_drain_cycles(design_->cycles_per_decision + 4 * verify_sample_period(*golden_, *design_));
    return sim;
  }

  // The netlist with one cell changed: the first instance of a type with a
  // twin of the same pins and another function (`swaps`) that reads a
  // sample bit above the lowest four (the input register's multiplexers),
  // else one that reads the reset, becomes that twin.
  static std::string mutated_netlist(const std::string& netlist, const std::map<std::string, std::string>& swaps) {
    std::string text = read_file(netlist);
    static const std::regex cell(R"((\S+)\s+\S+\s*\(([^;]*)\);)");
    for (const std::regex& input : {std::regex(R"(in_sample\[([4-9]|[1-9][0-9])\])"), std::regex(R"(\(rst\))")}) {
      for (std::sregex_iterator it(text.begin(), text.end(), cell), end; it != end; ++it) {
        auto twin = swaps.find((*it)[1].str());
        if (twin == swaps.end() || !std::regex_search((*it)[2].str(), input)) continue;
        text.replace(static_cast<size_t>(it->position()), twin->first.size(), twin->second);
        const std::string path = netlist + ".mutated.v";
        write_file_atomic(path, text);
        return path;
      }
    }
    ADD_FAILURE() << "no cell of a swappable type reads a sample bit or the reset in " << netlist;
    return netlist;
  }

  // Both simulators' logs of the same netlist, field by field.
  static void expect_same_runs(const DetectorRun& icarus, const DetectorRun& verilator) {
    EXPECT_EQ(icarus.scores, verilator.scores);
    EXPECT_EQ(icarus.fog, verilator.fog);
    EXPECT_EQ(icarus.alarm, verilator.alarm);
    EXPECT_EQ(icarus.thresholds, verilator.thresholds);
    EXPECT_EQ(icarus.output_cycle, verilator.output_cycle);
    EXPECT_EQ(icarus.accept_cycle, verilator.accept_cycle);
    EXPECT_EQ(icarus.cycles, verilator.cycles);
    EXPECT_EQ(icarus.overrun, verilator.overrun);
  }

  // One library: the synthesized netlist is bit-exact in both simulators
  // with identical logs; the netlist with one changed cell fails in both,
  // again with identical logs (so Verilator's models are not just agreeing
  // with the golden model, they follow the netlist).
  static void cross_check(const eda::Technology& tech, const std::map<std::string, std::string>& swaps) {
    const std::string netlist = synthesize(tech);
    for (const std::string& file : {netlist, mutated_netlist(netlist, swaps)}) {
      const bool mutated = file != netlist;
      SCOPED_TRACE(file);
      const std::string tag = tech.name + (mutated ? "-mutated" : "");
      const auto icarus = simulator(tech, file, "icarus-" + tag, GateSimulator::icarus);
      const auto verilator = simulator(tech, file, "verilator-" + tag, GateSimulator::verilator);
      const Replayed icarus_run(*icarus), verilator_run(*verilator);
      const VerifyReport by_icarus = verify_simulation(*golden_, *design_, icarus_run, *dataset_, options());
      const VerifyReport by_verilator = verify_simulation(*golden_, *design_, verilator_run, *dataset_, options());
      expect_same_runs(icarus_run.last(), verilator_run.last());
      EXPECT_EQ(by_icarus.decisions, 4);
      EXPECT_EQ(by_verilator.decisions, 4);
      if (mutated) {
        EXPECT_FALSE(by_icarus.passed());
        EXPECT_FALSE(by_verilator.passed());
        EXPECT_EQ(by_icarus.mismatch_count + by_icarus.latency_mismatches,
                  by_verilator.mismatch_count + by_verilator.latency_mismatches);
      } else {
        EXPECT_TRUE(by_icarus.passed()) << to_json(by_icarus).dump(2);
        EXPECT_TRUE(by_verilator.passed()) << to_json(by_verilator).dump(2);
        EXPECT_EQ(by_verilator.latency_mismatches, 0);
        EXPECT_EQ(by_verilator.cycles_per_decision_measured, by_verilator.cycles_per_decision_model);
      }
    }
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

TEST_F(GateLevelTest, Osu018NetlistIsBitExactInIcarusAndVerilatorAndAChangedCellIsCaught) {
  cross_check(eda::osu018_technology(), {{"OAI21X1", "AOI21X1"}, {"AOI21X1", "OAI21X1"}, {"NAND2X1", "NOR2X1"},
                                         {"NOR2X1", "NAND2X1"}, {"AND2X2", "OR2X2"}, {"OR2X2", "AND2X2"}});
}

TEST_F(GateLevelTest, Sky130hdNetlistIsBitExactInIcarusAndVerilatorAndAChangedCellIsCaught) {
  const std::string pdk = std::string(GAITLSTM_SOURCE_DIR) + "/../shared/data/pdk/sky130hd";
  if (!std::filesystem::is_directory(pdk)) GTEST_SKIP() << "no sky130hd files at " << pdk;
  const std::string c = "sky130_fd_sc_hd__";
  cross_check(eda::sky130hd_technology(pdk), {{c + "nand2_1", c + "nor2_1"},   {c + "nor2_1", c + "nand2_1"},
                                              {c + "a21oi_1", c + "o21ai_0"},  {c + "o21ai_0", c + "a21oi_1"},
                                              {c + "a21o_1", c + "o21a_1"},    {c + "o21a_1", c + "a21o_1"},
                                              {c + "and2_1", c + "or2_1"},     {c + "or2_1", c + "and2_1"},
                                              {c + "a22oi_1", c + "o22ai_1"},  {c + "o22ai_1", c + "a22oi_1"},
                                              {c + "a22o_1", c + "o22a_1"},    {c + "o22a_1", c + "a22o_1"},
                                              {c + "or3_1", c + "and3_1"},     {c + "and3_1", c + "or3_1"}});
}

TEST_F(GateLevelTest, AGoldenModelWithOtherWeightsIsCaught) {
  const eda::Technology tech = eda::osu018_technology();
  const auto verilator = simulator(tech, synthesize(tech), "verilator-other", GateSimulator::verilator);
  const quant::GoldenDetector other(small_detector(4), quant::QuantConfig{});
  const VerifyReport wrong = verify_simulation(other, *design_, *verilator, *dataset_, options());
  EXPECT_FALSE(wrong.passed());
  EXPECT_GT(wrong.mismatch_count, 0);
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
