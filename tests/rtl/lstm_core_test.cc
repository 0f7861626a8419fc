#include <gtest/gtest.h>

#include "quant/qlstm.h"
#include "rtl/lstm_core.h"
#include "rtl/verilator_harness.h"
#include "support/temp_dir.h"
#include "util/rng.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

model::LstmParams<float> random_params(int inputs, int hidden, uint64_t seed) {
  model::LstmParams<float> p({inputs, hidden});
  Rng rng(seed);
  for (Eigen::Index i = 0; i < p.values.size(); ++i) p.values[i] = static_cast<float>(rng.uniform(-1.5, 1.5));
  return p;
}

std::vector<std::vector<int64_t>> random_windows(const quant::QuantizedLstm& lstm, int count, int max_steps, uint64_t seed) {
  Rng rng(seed);
  const quant::QFormat& in = lstm.formats().input;
  std::vector<std::vector<int64_t>> windows;
  for (int w = 0; w < count; ++w) {
    const int steps = static_cast<int>(rng.uniform_int(1, max_steps));
    std::vector<int64_t> window(static_cast<size_t>(steps * lstm.shape().inputs));
    for (auto& v : window) {
      // Mostly moderate values, sometimes the extremes (saturation paths).
      const double pick = rng.uniform();
      v = pick < 0.1 ? in.max_raw() : pick < 0.2 ? in.min_raw() : rng.uniform_int(in.min_raw() / 2, in.max_raw() / 2);
    }
    windows.push_back(std::move(window));
  }
  return windows;
}

void expect_bit_exact(const quant::LstmFormats& formats, int inputs, int hidden, int lanes, uint64_t seed) {
  const quant::QuantizedLstm lstm(random_params(inputs, hidden, seed), formats);
  const CoreConfig config{"lstm_core", std::max(lanes, 1), 8, lanes == 0};
  testing::TempDir dir;
  const auto modules = generate_lstm_core(lstm, config);
  EXPECT_EQ(lint_verilog(tools, write_modules(dir.file("lint"), modules), config.module_name, dir.file("lint")), "");
  const VerilatedCore core(tools, modules, {config.module_name, inputs, formats.input.bits, 4, formats.score.bits},
                           dir.path());
  const auto windows = random_windows(lstm, 60, config.max_steps, seed + 1);
  const CoreRun run = core.run(windows);
  for (size_t w = 0; w < windows.size(); ++w) {
    const int steps = static_cast<int>(windows[w].size()) / inputs;
    ASSERT_EQ(run.scores[w], lstm.run(windows[w].data(), steps)) << "window " << w;
    ASSERT_EQ(run.cycles[w], core_cycles(lstm.shape(), config, steps)) << "window " << w;
    ASSERT_EQ(run.mac_cycles[w], core_mac_cycles(lstm.shape(), config, steps)) << "window " << w;
  }
}

TEST(LstmCoreTest, SerialBitExactWithLutUnits) { expect_bit_exact(quant::LstmFormats{}, 3, 4, 1, 1); }
TEST(LstmCoreTest, TwoLanesBitExact) { expect_bit_exact(quant::LstmFormats{}, 2, 3, 2, 2); }
TEST(LstmCoreTest, GatesBitExact) { expect_bit_exact(quant::LstmFormats{}, 3, 5, 4, 3); }
TEST(LstmCoreTest, EightLanesBitExact) { expect_bit_exact(quant::LstmFormats{}, 3, 4, 8, 4); }
// lanes 0 = mcm (multiplierless)
TEST(LstmCoreTest, MultiplierlessBitExact) { expect_bit_exact(quant::LstmFormats{}, 3, 4, 0, 5); }

quant::LstmFormats narrow_formats() {
  quant::LstmFormats q;
  q.input = {6, 3};
  q.input_weight = q.recurrent_weight = {5, 3, quant::Rounding::kHalfUp};
  q.gate_bias = {6, 3, quant::Rounding::kTruncate};
  q.gate = {6, 2, quant::Rounding::kHalfUp};
  q.sigmoid = {6, 5};
  q.tanh = {6, 5};
  q.cell = {8, 4, quant::Rounding::kTruncate, quant::Overflow::kWrap};
  q.hidden = {6, 5};
  q.output_weight = {6, 3};
  q.output_bias = {6, 3};
  q.score = {8, 3};
  q.sigmoid_unit = {quant::ActivationKind::kPwl, 3, 3};
  q.tanh_unit = {quant::ActivationKind::kPlan, 0, 3};
  q.cell_tanh_unit = {quant::ActivationKind::kHard, 0, 3};
  return q;
}

TEST(LstmCoreTest, NarrowFormatsWithPwlPlanHardSerial) { expect_bit_exact(narrow_formats(), 5, 3, 1, 7); }
TEST(LstmCoreTest, NarrowFormatsWithPwlPlanHardGates) { expect_bit_exact(narrow_formats(), 5, 3, 4, 8); }
TEST(LstmCoreTest, NarrowFormatsMultiplierless) { expect_bit_exact(narrow_formats(), 5, 3, 0, 9); }

TEST(LstmCoreTest, CanonicalSignedDigits) {
  for (int64_t m = 1; m < 2000; ++m) {
    int64_t sum = 0;
    int previous_shift = -2;
    for (const auto& [sign, shift] : csd_digits(m)) {
      sum += sign * (int64_t{1} << shift);
      EXPECT_GE(shift, previous_shift + 2) << m;  // no two adjacent nonzero digits
      previous_shift = shift;
    }
    ASSERT_EQ(sum, m);
  }
  EXPECT_EQ(csd_digits(7).size(), 2u);  // 8 - 1
  EXPECT_EQ(csd_digits(5).size(), 2u);  // 4 + 1
}

TEST(LstmCoreTest, CycleModelAndUtilization) {
  const model::LstmShape shape{18, 32};
  // serial: 4H(F+H) = 6400 MAC cycles per step, 6 more for LOAD, DRAIN, STEP.
  auto lanes = [](int p) { return CoreConfig{"core", p, 32, false}; };
  EXPECT_EQ(core_cycles(shape, lanes(1), 32), 32 * (6400 + 6) + 32 + 1);
  EXPECT_GT(core_mac_utilization(shape, lanes(1), 32), 0.99);
  EXPECT_EQ(core_cycles(shape, lanes(4), 1), 1600 + 6 + 33);
  EXPECT_EQ(core_cycles(shape, lanes(8), 1), 800 + 7 + 33);
  EXPECT_EQ(core_cycles(shape, CoreConfig{"core", 1, 32, true}, 32), 32 * (32 + 6) + 2);
  EXPECT_THROW(validate_lanes(shape, 3), std::invalid_argument);
  EXPECT_THROW(validate_lanes(shape, 256), std::invalid_argument);
  EXPECT_NO_THROW(validate_lanes(shape, 128));
}

TEST(LstmCoreTest, LintCleanForOtherShapesAndLanes) {
  for (const auto& [inputs, hidden, lanes] : {std::tuple{1, 1, 1}, std::tuple{1, 1, 4}, std::tuple{9, 16, 2},
                                              std::tuple{18, 5, 4}, std::tuple{6, 8, 16}, std::tuple{3, 6, 12},
                                              std::tuple{1, 1, 0}, std::tuple{6, 8, 0}}) {
    const quant::QuantizedLstm lstm(random_params(inputs, hidden, 3), quant::LstmFormats{});
    testing::TempDir dir;
    const auto files = write_modules(dir.path(), generate_lstm_core(lstm, {"lstm_core", std::max(lanes, 1), 32, lanes == 0}));
    EXPECT_EQ(lint_verilog(tools, files, "lstm_core", dir.path()), "") << inputs << "x" << hidden << " lanes " << lanes;
  }
}

}  // namespace
}  // namespace gaitlstm::rtl
