// The self-calibration unit's Verilog (rtl/calibration_rtl.h) against the
// integer calibration (model::IntegerCalibrationLogic) on random statistics
// whose level jumps, idle cycles between decisions, resets mid-stream and
// extreme values of the format; lint-clean.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "quant/calibration.h"
#include "rtl/calibration_rtl.h"
#include "rtl/verilator_harness.h"
#include "support/temp_dir.h"
#include "util/rng.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

constexpr int kBits = 7;  // statistic format width: raw -64..63
const quant::QFormat kStatistic{kBits, 5};

std::string calibration_testbench() {
  // Stimulus: count, then per line `kind statistic`: kind 1 = a decision
  // (prints the threshold in force before the edge), 0 = an idle cycle, 2 = reset.
  return fmt::format(R"TB(// calibration unit testbench
#include <cstdint>
#include <cstdio>
#include "Vcalibration.h"
#include "verilated.h"
static void tick(Vcalibration& top) {{ top.clk = 0; top.eval(); top.clk = 1; top.eval(); }}
int main(int argc, char** argv) {{
  if (argc != 3) return 2;
  VerilatedContext context;
  Vcalibration top(&context);
  std::FILE* in = std::fopen(argv[1], "r");
  std::FILE* out = std::fopen(argv[2], "w");
  if (!in || !out) return 2;
  top.rst = 1; top.decide = 0; tick(top); top.rst = 0;
  long n = 0;
  if (std::fscanf(in, "%ld", &n) != 1) return 3;
  for (long i = 0; i < n; ++i) {{
    long kind, s;
    if (std::fscanf(in, "%ld %ld", &kind, &s) != 2) return 3;
    if (kind == 2) {{ top.rst = 1; tick(top); top.rst = 0; continue; }}
    top.statistic = static_cast<uint32_t>(s) & {mask}u;
    top.decide = kind == 1;
    top.clk = 0; top.eval();
    const int64_t t = static_cast<int64_t>(static_cast<uint64_t>(top.threshold) << (64 - {bits})) >> (64 - {bits});
    if (kind == 1) std::fprintf(out, "%lld\n", static_cast<long long>(t));
    top.clk = 1; top.eval();
    top.decide = 0;
  }}
  std::fclose(out);
  return 0;
}}
)TB",
                     fmt::arg("mask", (1 << kBits) - 1), fmt::arg("bits", kBits));
}

void expect_bit_exact(const quant::QuantizedCalibration& calibration, uint64_t seed) {
  const VerilogModule module = generate_calibration(calibration, kStatistic, "calibration");
  testing::TempDir dir;
  EXPECT_EQ(lint_verilog(tools, write_modules(dir.file("lint"), {module}), "calibration", dir.file("lint")), "");
  const VerilatedModel sim(tools, {module}, "calibration", calibration_testbench(), dir.path());
  Rng rng(seed);
  model::IntegerCalibrationLogic golden = quant::make_calibration_logic(calibration, kStatistic);
  std::ostringstream stimulus;
  std::vector<int64_t> expected;
  const int n = 4000;
  stimulus << n << "\n";
  int64_t level = 0;
  for (int i = 0; i < n; ++i) {
    const double pick = rng.uniform();
    if (pick < 0.005) {
      stimulus << "2 0\n";
      golden.reset();
      continue;
    }
    if (rng.uniform() < 0.01) level = rng.uniform_int(kStatistic.min_raw(), kStatistic.max_raw());
    const double extreme = rng.uniform();
    const int64_t statistic = extreme < 0.03   ? kStatistic.min_raw()
                              : extreme < 0.06 ? kStatistic.max_raw()
                                               : std::clamp<int64_t>(level + rng.uniform_int(-12, 12), kStatistic.min_raw(),
                                                                     kStatistic.max_raw());
    const int kind = pick < 0.2 ? 0 : 1;
    stimulus << kind << ' ' << statistic << "\n";
    if (kind == 1) {
      expected.push_back(golden.threshold());
      golden.update(statistic);
    }
  }
  std::istringstream response(sim.run(stimulus.str()));
  std::vector<int64_t> thresholds;
  for (int64_t t; response >> t;) thresholds.push_back(t);
  ASSERT_EQ(thresholds.size(), expected.size());
  std::set<int64_t> seen;
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(thresholds[i], expected[i]) << "decision " << i;
    seen.insert(expected[i]);
  }
  EXPECT_GT(seen.size(), 30u);  // the threshold moved over much of the range: a broken unit shows
  EXPECT_TRUE(seen.count(calibration.floor)) << "the floor never clamped";
}

// Fast rate, large k (the ceiling clamps), negative seed and floor; then the
// measured defaults' shape (rate 1/32, k 1/2).
TEST(CalibrationRtl, FastRateLargeKBitExact) { expect_bit_exact({1, 40, -20, -10, 5}, 1); }
TEST(CalibrationRtl, SlowRateBitExact) { expect_bit_exact({5, 8, 10, 20, 4}, 2); }

}  // namespace
}  // namespace gaitlstm::rtl
