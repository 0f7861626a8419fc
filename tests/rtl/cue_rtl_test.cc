// The cue unit's Verilog (rtl/cue_rtl.h) against the golden cue
// (quant::GoldenCue) on random decisions with a threshold that moves every
// decision (as under self-calibration), idle cycles between decisions, resets
// mid-stream and extreme values; lint-clean for every shape of the unit.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "quant/cue.h"
#include "rtl/cue_rtl.h"
#include "rtl/verilator_harness.h"
#include "support/temp_dir.h"
#include "util/rng.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

constexpr int kBits = 6;  // statistic format width: raw -32..31

std::string cue_testbench() {
  // Stimulus: count, then per line `kind statistic threshold`: kind 1 = a
  // decision (prints the alarm), 0 = an idle cycle, 2 = reset.
  return fmt::format(R"TB(// cue unit testbench
#include <cstdint>
#include <cstdio>
#include "Vcue.h"
#include "verilated.h"
static void tick(Vcue& top) {{ top.clk = 0; top.eval(); top.clk = 1; top.eval(); }}
int main(int argc, char** argv) {{
  if (argc != 3) return 2;
  VerilatedContext context;
  Vcue top(&context);
  std::FILE* in = std::fopen(argv[1], "r");
  std::FILE* out = std::fopen(argv[2], "w");
  if (!in || !out) return 2;
  top.rst = 1; top.decide = 0; tick(top); top.rst = 0;
  long n = 0;
  if (std::fscanf(in, "%ld", &n) != 1) return 3;
  for (long i = 0; i < n; ++i) {{
    long kind, s, t;
    if (std::fscanf(in, "%ld %ld %ld", &kind, &s, &t) != 3) return 3;
    if (kind == 2) {{ top.rst = 1; tick(top); top.rst = 0; continue; }}
    top.statistic = static_cast<uint32_t>(s) & {mask}u;
    top.threshold = static_cast<uint32_t>(t) & {mask}u;
    top.decide = kind == 1;
    top.clk = 0; top.eval();
    if (kind == 1) std::fprintf(out, "%d\n", static_cast<int>(top.alarm));
    top.clk = 1; top.eval();
    top.decide = 0;
  }}
  std::fclose(out);
  return 0;
}}
)TB",
                     fmt::arg("mask", (1 << kBits) - 1));
}

void expect_bit_exact(const quant::QuantizedCue& cue, uint64_t seed) {
  const VerilogModule module = generate_cue(cue, kBits, "cue");
  testing::TempDir dir;
  EXPECT_EQ(lint_verilog(tools, write_modules(dir.file("lint"), {module}), "cue", dir.file("lint")), "");
  const VerilatedModel sim(tools, {module}, "cue", cue_testbench(), dir.path());
  Rng rng(seed);
  quant::GoldenCue golden = quant::make_cue_logic(cue);
  std::ostringstream stimulus;
  std::vector<int> expected;
  const int n = 3000;
  stimulus << n << "\n";
  int64_t threshold = 0;
  for (int i = 0; i < n; ++i) {
    const double pick = rng.uniform();
    if (pick < 0.01) {
      stimulus << "2 0 0\n";
      golden.reset();
      continue;
    }
    // The threshold drifts (and sometimes jumps to an extreme); statistics near it.
    const double move = rng.uniform();
    threshold = move < 0.03 ? -32 : move < 0.06 ? 31 : std::clamp<int64_t>(threshold + rng.uniform_int(-2, 2), -32, 31);
    const int64_t statistic = rng.uniform() < 0.05 ? (rng.uniform() < 0.5 ? -32 : 31)
                                                    : std::clamp<int64_t>(threshold + rng.uniform_int(-9, 6), -32, 31);
    const int kind = pick < 0.2 ? 0 : 1;
    stimulus << kind << ' ' << statistic << ' ' << threshold << "\n";
    if (kind == 1) expected.push_back(golden.step(statistic, threshold) ? 1 : 0);
  }
  std::istringstream response(sim.run(stimulus.str()));
  std::vector<int> alarms;
  for (int a; response >> a;) alarms.push_back(a);
  ASSERT_EQ(alarms.size(), expected.size());
  int on = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(alarms[i], expected[i]) << "decision " << i;
    on += expected[i];
  }
  EXPECT_GT(on, 100);  // both states visited often: a broken unit shows
  EXPECT_GT(static_cast<int>(expected.size()) - on, 20);
}

// Each shape of the unit (one Verilator build each, ~25 s): hysteresis without
// a counter; every parameter; the largest hysteresis (T - H below the format).
// The detector tests cover a counter without hysteresis.
TEST(CueRtl, HysteresisOnlyBitExact) { expect_bit_exact({3, 1, 0}, 1); }
TEST(CueRtl, EveryParameterBitExact) { expect_bit_exact({5, 3, 7}, 3); }
TEST(CueRtl, LargestHysteresisBitExact) { expect_bit_exact({31, 2, 1}, 4); }

}  // namespace
}  // namespace gaitlstm::rtl
