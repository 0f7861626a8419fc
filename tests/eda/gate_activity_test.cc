// Activity counted in the simulation (eda/gate_activity.h): a pin's
// connection resolved to the net the Verilator testbench watches, and the
// testbench's counts turned into the figures a VCD of the same run gives.
#include <gtest/gtest.h>

#include "eda/gate_activity.h"
#include "eda/power.h"
#include "util/error.h"

namespace gaitlstm::eda {
namespace {

TEST(GateActivityTest, ConnectionsResolveToNetsBitsAndConstants) {
  NetRef r = resolve_connection("\\core.x[0] ");
  EXPECT_EQ(r.kind, NetRef::Kind::net);
  EXPECT_EQ(r.name, "core.x[0]");  // an escaped name is one 1-bit net, brackets and all
  EXPECT_EQ(r.bit, -1);
  r = resolve_connection(" in_sample[13] ");
  EXPECT_EQ(r.name, "in_sample");
  EXPECT_EQ(r.bit, 13);
  r = resolve_connection("\\y.z [2]");
  EXPECT_EQ(r.name, "y.z");
  EXPECT_EQ(r.bit, 2);
  r = resolve_connection("_0123_");
  EXPECT_EQ(r.name, "_0123_");
  EXPECT_EQ(r.bit, -1);
  EXPECT_EQ(resolve_connection("1'h1").kind, NetRef::Kind::constant);
  EXPECT_EQ(resolve_connection("1'h1").value, 1);
  EXPECT_EQ(resolve_connection("1'b0").value, 0);
  EXPECT_EQ(resolve_connection("0").kind, NetRef::Kind::constant);
  EXPECT_EQ(resolve_connection("{a, b}").kind, NetRef::Kind::unknown);
  EXPECT_EQ(resolve_connection("x[3:0]").kind, NetRef::Kind::unknown);
  EXPECT_EQ(resolve_connection("").kind, NetRef::Kind::unknown);
}

TEST(GateActivityTest, NetlistPinsShareTheirNetsAndCountsBecomeTheVcdFigures) {
  const std::string netlist =
      "module top(clk, a, y);\n  input clk; input [1:0] a; output y;\n  wire _0_;\n  wire \\core.q ;\n"
      "  NAND2X1 _5_ (.A(a[1]), .B(\\core.q ), .Y(_0_));\n"
      "  DFFPOSX1 \\core.q_reg  (.CLK(clk), .D(_0_), .Q(\\core.q ));\n"
      "  AND2X2 _6_ (.A(1'h1), .B({a[0], a[1]}), .Y(y));\nendmodule\n";
  const auto instances = parse_netlist_instances(netlist, "n.v");
  ASSERT_EQ(instances.at("core.q_reg").nets, (std::vector<std::string>{"clk", "_0_", "\\core.q"}));
  const NetWatchList list = net_watch_list(instances);
  EXPECT_EQ(list.netlist_pins, 9);
  // Instances in name order: a[1], core.q, _0_, y, clk: five nets for seven net pins.
  EXPECT_EQ(list.nets.size(), 5u);
  EXPECT_EQ(nets_file_text(list), "a 1\ncore.q -1\n_0_ -1\ny -1\nclk -1\n");
  // 8 samples of half a period = 4 clock cycles.
  const VcdActivity a = counted_pin_activity(list, "samples 8\n2 4\n1 6\n3 0\n0 8\n8 4\n", "counts.txt", 10.0);
  EXPECT_DOUBLE_EQ(a.cycles, 4.0);
  EXPECT_DOUBLE_EQ(a.simulated_ns, 40.0);
  EXPECT_EQ(a.netlist_pins, 9);
  ASSERT_EQ(a.pins.size(), 8u);  // the concatenated pin stays unannotated
  std::map<std::string, PinActivity> by_pin;
  for (const PinActivity& p : a.pins) by_pin[p.pin] = p;
  EXPECT_DOUBLE_EQ(by_pin.at("_5_/A").transitions_per_cycle, 0.5);
  EXPECT_DOUBLE_EQ(by_pin.at("_5_/A").duty, 0.5);
  EXPECT_DOUBLE_EQ(by_pin.at("_5_/B").duty, by_pin.at("core.q_reg/Q").duty);
  EXPECT_DOUBLE_EQ(by_pin.at("core.q_reg/Q").duty, 0.75);
  EXPECT_DOUBLE_EQ(by_pin.at("core.q_reg/CLK").transitions_per_cycle, 2.0);
  EXPECT_DOUBLE_EQ(by_pin.at("_6_/A").transitions_per_cycle, 0.0);
  EXPECT_DOUBLE_EQ(by_pin.at("_6_/A").duty, 1.0);
  EXPECT_DOUBLE_EQ(by_pin.at("_6_/Y").duty, 1.0);
  EXPECT_EQ(by_pin.count("_6_/B"), 0u);
}

TEST(GateActivityTest, CountsThatDoNotFitTheNetsAreRefused) {
  const auto instances = parse_netlist_instances("module t(a, y);\n  INVX1 _1_ (.A(a), .Y(y));\nendmodule\n", "n.v");
  const NetWatchList list = net_watch_list(instances);
  EXPECT_NO_THROW(counted_pin_activity(list, "samples 3\n1 1\n1 1\n", "c.txt", 10));
  // A net the simulation did not find: its pins stay out, the others count.
  const VcdActivity partial = counted_pin_activity(list, "samples 4\n-1 -1\n2 2\n", "c.txt", 10);
  ASSERT_EQ(partial.pins.size(), 1u);
  EXPECT_EQ(partial.pins[0].pin, "_1_/Y");
  EXPECT_DOUBLE_EQ(partial.pins[0].transitions_per_cycle, 1.0);
  EXPECT_EQ(partial.netlist_pins, 2);
  EXPECT_THROW(counted_pin_activity(list, "samples 3\n-1 0\n1 1\n", "c.txt", 10), InputError);
  EXPECT_THROW(counted_pin_activity(list, "samples 3\n1 1\n", "c.txt", 10), InputError);          // a net short
  EXPECT_THROW(counted_pin_activity(list, "samples 3\n1 1\n1 1\n1 1\n", "c.txt", 10), InputError);  // one more
  EXPECT_THROW(counted_pin_activity(list, "samples 3\n1 4\n1 1\n", "c.txt", 10), InputError);     // high > samples
  EXPECT_THROW(counted_pin_activity(list, "samples 0\n0 0\n0 0\n", "c.txt", 10), InputError);     // no time
  EXPECT_THROW(counted_pin_activity(list, "toggles\n", "c.txt", 10), InputError);
}

}  // namespace
}  // namespace gaitlstm::eda
