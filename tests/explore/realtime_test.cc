#include "explore/realtime.h"

#include <gtest/gtest.h>

namespace gaitlstm::explore {
namespace {

TEST(RealTime, DeadlineModes) {
  EXPECT_DOUBLE_EQ(realtime_spec(64, 32, "decision", 0).deadline_s, 0.5);
  EXPECT_DOUBLE_EQ(realtime_spec(64, 32, "sample", 0).deadline_s, 0.015625);
  EXPECT_DOUBLE_EQ(realtime_spec(64, 32, "seconds", 0.1).deadline_s, 0.1);
  EXPECT_THROW(realtime_spec(64, 32, "later", 0), std::invalid_argument);
}

TEST(RealTime, LatencyMarginAndLowestClock) {
  const RealTimeSpec spec = realtime_spec(64, 32, "decision", 0);
  // 100 000 cycles at 50 MHz: 2 ms; 0.5 s / 2 ms = 250x; f_min = 100 000 / 0.5 s = 0.2 MHz.
  const RealTimeFigures f = evaluate_realtime(spec, 100000, 50, nullptr);
  EXPECT_DOUBLE_EQ(f.latency_s, 0.002);
  EXPECT_DOUBLE_EQ(f.margin, 250);
  EXPECT_DOUBLE_EQ(f.streaming_margin, 0.015625 / 0.002);
  EXPECT_DOUBLE_EQ(f.min_clock_mhz, 0.2);
  EXPECT_TRUE(f.meets_deadline);
  EXPECT_FALSE(f.has_power);
}

TEST(RealTime, MissedDeadline) {
  const RealTimeSpec spec = realtime_spec(64, 32, "sample", 0);
  const RealTimeFigures f = evaluate_realtime(spec, 1000000, 10, nullptr);  // 0.1 s > 15.6 ms
  EXPECT_FALSE(f.meets_deadline);
  EXPECT_LT(f.margin, 1);
}

TEST(RealTime, DynamicPowerScalesLeakageDoesNot) {
  const MeasuredPower p{50, 10e-3, 1e-6, 0};  // 10 mW dynamic at 50 MHz, 1 uW leakage
  EXPECT_DOUBLE_EQ(power_at(p, 50), 10e-3 + 1e-6);
  EXPECT_DOUBLE_EQ(power_at(p, 5), 1e-3 + 1e-6);
  EXPECT_DOUBLE_EQ(power_at(p, 0), 1e-6);
}

TEST(RealTime, EnergyPerDecision) {
  const RealTimeSpec spec = realtime_spec(64, 32, "decision", 0);
  const MeasuredPower p{50, 10e-3, 1e-6, 200000};  // activity covers 200 000 cycles per decision
  const RealTimeFigures f = evaluate_realtime(spec, 100000, 50, &p);
  // dynamic: 10 mW / 50 MHz = 0.2 nJ per cycle x 200 000 = 40 uJ; leakage 1 uW x 0.5 s = 0.5 uJ.
  EXPECT_NEAR(f.dynamic_energy_per_decision_j, 40e-6, 1e-12);
  EXPECT_NEAR(f.energy_per_decision_j, 40.5e-6, 1e-12);
  EXPECT_NEAR(f.power_at_min_clock_w, 10e-3 * 0.2 / 50 + 1e-6, 1e-15);
}

}  // namespace
}  // namespace gaitlstm::explore
