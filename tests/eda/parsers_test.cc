// Golden-file tests: every parser against tool outputs captured on this
// machine kind (tests/eda/fixtures/captured, from the mac_fsm and counter
// fixtures), plus one test per kind of broken input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "eda/layout.h"
#include "eda/lvs_report.h"
#include "eda/library.h"
#include "eda/power.h"
#include "eda/scaling.h"
#include "eda/sta.h"
#include "eda/synth.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string captured(const std::string& name) {
  return read_file(std::string(GAITLSTM_SOURCE_DIR) + "/tests/eda/fixtures/captured/" + name);
}

// ---- Yosys ------------------------------------------------------------------

TEST(EdaYosysStatTest, LastStatBlockOfCapturedLog) {
  const YosysStat stat = parse_yosys_stat(captured("mac_fsm.yosys.log"), "mac_fsm.yosys.log");
  EXPECT_EQ(stat.module, "mac_fsm");
  EXPECT_EQ(stat.cells, 687);  // not the generic-cell block (763) printed by `synth`
  EXPECT_EQ(stat.cell_counts.size(), 17u);
  EXPECT_EQ(stat.cell_counts.front(), (std::pair<std::string, int64_t>{"AND2X2", 38}));
  EXPECT_EQ(stat.cell_counts.back(), (std::pair<std::string, int64_t>{"XOR2X1", 40}));
  EXPECT_DOUBLE_EQ(stat.chip_area, 24970.0);
}

TEST(EdaYosysStatTest, LogWithoutStatIsAnInputError) {
  try {
    parse_yosys_stat("1. Executing Verilog-2005 frontend\nERROR: syntax error\n", "y.log");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "y.log");
    EXPECT_THAT(e.reason(), HasSubstr("Printing statistics"));
  }
}

TEST(EdaYosysStatTest, InconsistentCountsAreRejected) {
  const std::string log =
      "2. Printing statistics.\n\n=== top ===\n\n   Number of cells:                  5\n"
      "     INVX1                          2\n\n   Chip area for module '\\top': 32.0\n";
  EXPECT_THROW(parse_yosys_stat(log, "y.log"), InputError);
}

TEST(EdaSynthSummaryTest, AreasComeFromLefAndFlopsFromLiberty) {
  const CellLibrary library(osu018_technology());
  const SynthResult r =
      summarize_synthesis(parse_yosys_stat(captured("mac_fsm.yosys.log"), "log"), library);
  EXPECT_EQ(r.cells, 687);
  EXPECT_EQ(r.flip_flops, 43);
  EXPECT_EQ(r.area_source, "LEF SIZE");
  EXPECT_DOUBLE_EQ(r.liberty_area_um2, 24970.0);
  EXPECT_DOUBLE_EQ(r.area_um2, 26016.0);  // LEF: OAI21X1 32 um^2 (liberty 23), NAND3X1 32 (36), ...
}

TEST(EdaSynthSummaryTest, GenericCellsLeftUnmappedAreAnError) {
  const CellLibrary library(osu018_technology());
  YosysStat stat{"top", 3, {{"$_DLATCH_P_", 3}}, 0};
  EXPECT_THROW(summarize_synthesis(stat, library), InputError);
}

TEST(EdaYosysScriptTest, TimingDrivenBufferedMapping) {
  SynthOptions o;
  o.sources = {"/rtl/a.v", "/rtl/b.sv"};
  o.top = "top";
  o.tech.liberty = "/lib/x.lib";
  o.clock_ns = 12.5;
  const std::string script = yosys_script(o, "/w/top.netlist.v", "/w/abc.constr");
  EXPECT_THAT(script, HasSubstr("read_verilog /rtl/a.v\nread_verilog -sv /rtl/b.sv\n"));
  EXPECT_THAT(script, HasSubstr("synth -top top -flatten\n"));
  EXPECT_THAT(script, HasSubstr("dfflibmap -liberty /lib/x.lib\n"));
  EXPECT_THAT(script, HasSubstr("abc -liberty /lib/x.lib -D 12500 -constr /w/abc.constr\n"));
  EXPECT_THAT(script, HasSubstr("stat -liberty /lib/x.lib\n"));
  o.buffer_fanout = false;
  EXPECT_THAT(yosys_script(o, "n.v", "c"), HasSubstr("abc -liberty /lib/x.lib -D 12500\n"));
}

TEST(EdaRtlSourcesTest, SkipsTestbenchesAndFindsTheTop) {
  testing::TempDir dir;
  dir.write("b.v", "module helper(input a, output y); assign y = a; endmodule\n");
  dir.write("a.v", "// module commented_out\nmodule top(input a, output y); helper h(a, y); endmodule\n");
  dir.write("top_tb.v", "module top_tb; endmodule\n");
  dir.write("notes.txt", "module not_verilog;\n");
  const auto sources = rtl_sources(dir.path());
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_THAT(sources[0], HasSubstr("a.v"));
  EXPECT_EQ(find_top_module(sources, "top"), "top");
  EXPECT_THROW(find_top_module(sources, "missing"), InputError);
  // Without --top: the one module no other module instantiates.
  EXPECT_EQ(find_top_module(sources, ""), "top");
  // Two uninstantiated modules: ambiguous, the error lists them.
  dir.write("c.v", "module other(input a, output y); assign y = ~a; endmodule\n");
  try {
    find_top_module(rtl_sources(dir.path()), "");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("helper, other, top"));
    EXPECT_THAT(e.reason(), HasSubstr("--top"));
  }
  EXPECT_THROW(rtl_sources(dir.file("nope")), InputError);
}

// ---- library files ----------------------------------------------------------

TEST(EdaLibertyTest, CellsAreasAndSequentialFlag) {
  const std::string lib = R"LIB(library (demo) {
  /* a comment with { braces } */
  cell (INVX1) { area : 16; pin (A) { direction : input; } }
  cell ("DFFX") {
    area : 96.5 ;
    ff (IQ, IQN) { next_state : "D"; clocked_on : "CLK"; }
  }
  cell (LATCHX) { area : 0; latch (IQ,IQN) { enable : "G"; data_in : "D"; } }
  cell (EDFX) { area : 120; ff (IQ, IQN) { next_state : "(D&DE) | (IQ&!DE)"; clocked_on : "CLK"; } }
})LIB";
  const auto cells = parse_liberty_cells(lib, "demo.lib");
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_EQ(cells.at("DFFX").next_state, "D");
  EXPECT_EQ(cells.at("LATCHX").next_state, "");  // a latch takes D only while enabled
  EXPECT_EQ(cells.at("EDFX").next_state, "(D&DE) | (IQ&!DE)");
  EXPECT_DOUBLE_EQ(cells.at("INVX1").area, 16);
  EXPECT_FALSE(cells.at("INVX1").sequential);
  EXPECT_DOUBLE_EQ(cells.at("DFFX").area, 96.5);
  EXPECT_TRUE(cells.at("DFFX").sequential);
  EXPECT_TRUE(cells.at("LATCHX").sequential);
}

TEST(EdaLibertyTest, UnbalancedBracesNameTheLine) {
  try {
    parse_liberty_cells("library (x) {\n cell (A) {\n area : 1;\n", "bad.lib");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "bad.lib");
    EXPECT_THAT(e.reason(), HasSubstr("unbalanced"));
  }
  EXPECT_THROW(parse_liberty_cells("library (x) { cell (A) { area : big; } }", "bad.lib"), InputError);
}

TEST(EdaLefTest, OsuMacrosAndSite) {
  const std::string lef = read_file(osu018_technology().lef);
  const auto macros = parse_lef_macros(lef, "osu018_stdcells.lef");
  EXPECT_EQ(macros.size(), 33u);
  EXPECT_DOUBLE_EQ(macros.at("OAI21X1").area_um2(), 32.0);  // liberty says 23
  EXPECT_DOUBLE_EQ(macros.at("FILL").width_um, 0.8);
  EXPECT_DOUBLE_EQ(parse_lef_site_height(lef).value(), 10.0);
  EXPECT_THROW(parse_lef_macros("MACRO X\n  SIZE 1 2 ;\nEND X\n", "bad.lef"), InputError);
}

// ---- OpenSTA ------------------------------------------------------------------

TEST(EdaStaReportTest, CriticalPathAndFmax) {
  const TimingResult t = parse_sta_report(captured("mac_fsm.sta.log"), 10.0, "sta.log");
  EXPECT_NEAR(t.worst_slack_ns, 4.810252776695619, 1e-12);
  EXPECT_TRUE(t.met);
  EXPECT_NEAR(t.fmax_mhz, 1000.0 / (10.0 - 4.810252776695619), 1e-9);
  EXPECT_THAT(t.critical_path.startpoint, HasSubstr("_1310_"));
  EXPECT_THAT(t.critical_path.endpoint, HasSubstr("_1330_"));
  EXPECT_NEAR(t.critical_path.slack_ns, 4.810, 1e-9);
  EXPECT_NEAR(t.critical_path.required_ns, t.critical_path.slack_ns + t.critical_path.arrival_ns, 1e-9);
  ASSERT_GE(t.critical_path.steps.size(), 3u);
  EXPECT_EQ(t.critical_path.steps[0].pin, "_1310_/CLK");
  EXPECT_EQ(t.critical_path.steps[0].cell, "DFFPOSX1");
  EXPECT_EQ(t.critical_path.steps[1].edge, "v");
  EXPECT_NEAR(t.critical_path.steps.back().time_ns, t.critical_path.arrival_ns, 1e-9);
}

TEST(EdaStaReportTest, MissingPathOrSlackIsAnInputError) {
  EXPECT_THROW(parse_sta_report("No paths found.\nworst_slack 1e+30\n", 10, "s.log"), InputError);
  const std::string report = captured("mac_fsm.sta.log");
  EXPECT_THROW(parse_sta_report(report.substr(0, report.find("worst_slack")), 10, "s.log"), InputError);
}

TEST(EdaStaScriptTest, VirtualClockWhenThePortIsMissing) {
  StaOptions o;
  o.netlist = "n.v";
  o.top = "t";
  o.tech.liberty = "l.lib";
  o.clock_ns = 5;
  const std::string s = sta_timing_script(o);
  EXPECT_THAT(s, HasSubstr("create_clock -name clk -period 5 $clock_ports"));
  EXPECT_THAT(s, HasSubstr("create_clock -name clk -period 5\n"));
  EXPECT_THAT(s, HasSubstr("report_checks -path_delay max"));
  EXPECT_THAT(s, HasSubstr("puts \"worst_slack [worst_slack -max]\""));
}

// ---- power --------------------------------------------------------------------

TEST(EdaPowerReportTest, GroupsAndTotal) {
  const auto groups = parse_power_report(captured("mac_fsm.power.log"), "power.log");
  ASSERT_EQ(groups.size(), 5u);
  EXPECT_EQ(groups[0].name, "Sequential");
  EXPECT_DOUBLE_EQ(groups[0].internal_w, 1.033079e-03);
  EXPECT_EQ(groups.back().name, "Total");
  EXPECT_DOUBLE_EQ(groups.back().total_w, 2.456164e-03);
  EXPECT_DOUBLE_EQ(groups.back().leakage_w, 5.399927e-08);
  EXPECT_THROW(parse_power_report("Error: no liberty\n", "p.log"), InputError);
}

constexpr const char* kNetlist = R"(module t(clk, a, y);
  input clk; input a; output y;
  wire n1;
  INVX1 _1_ ( .A(a), .Y(n1) );
  DFFPOSX1 \q_reg[0]  ( .CLK(clk), .D(n1), .Q(y) );
endmodule
)";

TEST(EdaNetlistTest, InstancesAndPins) {
  const auto instances = parse_netlist_instances(kNetlist, "t.v");
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances.at("_1_").cell, "INVX1");
  EXPECT_THAT(instances.at("_1_").pins, ElementsAre("A", "Y"));
  EXPECT_THAT(instances.at("q_reg[0]").pins, ElementsAre("CLK", "D", "Q"));
  EXPECT_THROW(parse_netlist_instances("module t; endmodule\n", "e.v"), InputError);
}

// 40 ns at a 10 ns clock = 4 cycles.  _1_/A: 0 -> 1 at 10, -> 0 at 30:
// 2 transitions, high 20 of 40 ns.  _1_/Y shares the code of D.
constexpr const char* kVcd = R"($timescale 1ps $end
$scope module tb $end
$var reg 1 ! clk $end
$scope module dut $end
$var wire 1 ! clk $end
$scope module _1_ $end
$var wire 1 " A $end
$var wire 1 # Y $end
$upscope $end
$scope module \q_reg[0] $end
$var wire 1 ! CLK $end
$var wire 1 # D $end
$var wire 1 $ Q $end
$var wire 1 % DS0000 $end
$upscope $end
$upscope $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
0!
0"
1#
x$
$end
#5000
1!
#10000
0!
1"
0#
#15000
1!
0$
#20000
0!
#30000
0"
1#
#40000
)";

TEST(EdaVcdActivityTest, TransitionsPerCycleAndDuty) {
  testing::TempDir dir;
  const std::string vcd = dir.write("a.vcd", kVcd);
  const auto instances = parse_netlist_instances(kNetlist, "t.v");
  const VcdActivity a = vcd_pin_activity(vcd, instances, 10.0);
  EXPECT_EQ(a.dut_scope, "tb.dut");
  EXPECT_DOUBLE_EQ(a.simulated_ns, 40.0);
  EXPECT_DOUBLE_EQ(a.cycles, 4.0);
  EXPECT_EQ(a.netlist_pins, 5);
  std::map<std::string, PinActivity> by_pin;
  for (const PinActivity& p : a.pins) by_pin[p.pin] = p;
  ASSERT_EQ(by_pin.size(), 5u);  // DS0000 is a model net, not a pin
  EXPECT_DOUBLE_EQ(by_pin["_1_/A"].transitions_per_cycle, 0.5);
  EXPECT_DOUBLE_EQ(by_pin["_1_/A"].duty, 0.5);
  EXPECT_DOUBLE_EQ(by_pin["q_reg[0]/D"].transitions_per_cycle, 0.5);
  EXPECT_DOUBLE_EQ(by_pin["q_reg[0]/D"].duty, 0.5);
  EXPECT_DOUBLE_EQ(by_pin["q_reg[0]/Q"].transitions_per_cycle, 0.0);  // x -> 0 is no transition
  EXPECT_DOUBLE_EQ(by_pin["q_reg[0]/CLK"].transitions_per_cycle, 1.0);  // 4 edges in 4 cycles
  const std::string tcl = activity_tcl(a);
  EXPECT_THAT(tcl, HasSubstr("gaitlstm_activity {q_reg\\[0\\]/D} 0.5 0.5\n"));
  EXPECT_THAT(tcl, HasSubstr("sta::set_power_pin_activity"));
}

TEST(EdaVcdActivityTest, WrongScopeOrForeignVcdIsAnInputError) {
  testing::TempDir dir;
  const auto instances = parse_netlist_instances(kNetlist, "t.v");
  const std::string vcd = dir.write("a.vcd", kVcd);
  EXPECT_THROW(vcd_pin_activity(vcd, instances, 10.0, "tb.other"), InputError);
  const std::string rtl_vcd = dir.write("rtl.vcd",
                                        "$timescale 1ns $end\n$scope module tb $end\n$var wire 1 ! a $end\n"
                                        "$upscope $end\n$enddefinitions $end\n#0\n0!\n#10\n1!\n");
  try {
    vcd_pin_activity(rtl_vcd, instances, 10.0);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("$dumpvars(0, dut)"));
  }
  EXPECT_THROW(vcd_pin_activity(dir.write("cut.vcd", "$timescale 1ps $end\n$scope module tb"), instances, 10),
               InputError);
}

TEST(EdaEnergyTest, PowerTimesCyclesTimesPeriod) {
  PowerResult p;
  p.total_w = 2e-3;
  p.clock_ns = 10;
  const EnergyEstimate e = energy_per_decision(p, 500);
  EXPECT_DOUBLE_EQ(e.energy_per_decision_j, 2e-3 * 500 * 10e-9);
}

// ---- layout ---------------------------------------------------------------------

TEST(EdaDefTest, RoutedCounterDieComponentsWires) {
  const DefSummary def = parse_def(captured("counter.routed.def"), "counter.def");
  EXPECT_DOUBLE_EQ(def.units_per_micron, 100);
  EXPECT_DOUBLE_EQ(def.die_width_um(), 71.2);
  EXPECT_DOUBLE_EQ(def.die_height_um(), 56.0);
  EXPECT_EQ(def.components.size(), 270u);
  EXPECT_EQ(def.routed_nets, 37);
  EXPECT_NEAR(def.wire_length_um, 867.14, 1e-6);  // checked independently
}

TEST(EdaDefTest, MissingUnitsOrDieIsAnInputError) {
  EXPECT_THROW(parse_def("DESIGN x ;\nDIEAREA ( 0 0 ) ( 10 10 ) ;\n", "x.def"), InputError);
  EXPECT_THROW(parse_def("UNITS DISTANCE MICRONS 100 ;\n", "x.def"), InputError);
  EXPECT_THROW(parse_def("UNITS DISTANCE MICRONS 100 ;\nDIEAREA ( 0 0 ) ( 10 ten ) ;\n", "x.def"), InputError);
}

TEST(EdaLayoutSummaryTest, CellsFillUtilisation) {
  const CellLibrary library(osu018_technology());
  const LayoutResult r =
      summarize_layout(parse_def(captured("counter.routed.def"), "d"), RouteSummary{}, library, "FILL");
  EXPECT_EQ(r.cells, 34);
  EXPECT_EQ(r.fill_cells, 236);
  EXPECT_DOUBLE_EQ(r.die_area_mm2, 71.2 * 56.0 * 1e-6);
  EXPECT_GT(r.core_utilisation, 0.3);
  EXPECT_LT(r.core_utilisation, 0.6);
  EXPECT_LT(r.core_area_um2, 71.2 * 56.0);
}

TEST(EdaRouteLogTest, CleanAndFailedRoutes) {
  EXPECT_EQ(parse_route_log(captured("counter.route.log"), "route.log").failed_routes, 0);
  const RouteSummary failed =
      parse_route_log(captured("mac_fsm.failed_route.log"), "route.log", captured("mac_fsm.fail.out"));
  EXPECT_EQ(failed.failed_routes, 344);
  ASSERT_EQ(failed.failed_nets.size(), 344u);
  EXPECT_EQ(failed.failed_nets.front(), "_71_");
  EXPECT_THROW(parse_route_log("*** Running stage1 routing\nNets remaining: 40\n", "route.log"), InputError);
}

TEST(EdaVestaTest, PreAndPostRouteFmax) {
  EXPECT_DOUBLE_EQ(parse_vesta_fmax_mhz(captured("counter.vesta.log"), "sta.log"), 856.824);
  EXPECT_DOUBLE_EQ(parse_vesta_fmax_mhz(captured("counter.post_sta.log"), "post_sta.log"), 834.597);
  EXPECT_THROW(parse_vesta_fmax_mhz("Vesta static timing analysis tool\n", "sta.log"), InputError);
}

TEST(EdaSignoffTest, LvsAndDrc) {
  EXPECT_TRUE(parse_lvs_match(captured("counter.lvs.log"), "lvs.log"));
  EXPECT_FALSE(parse_lvs_match("Netlists do not match.\n", "lvs.log"));
  EXPECT_THROW(parse_lvs_match("netgen started\n", "lvs.log"), InputError);
  EXPECT_EQ(parse_magic_drc_count(captured("counter.drc.log"), "drc.log"), 0);
  EXPECT_THROW(parse_magic_drc_count("magic crashed\n", "drc.log"), InputError);
}

TEST(EdaBlifTest, GatesByCell) {
  const auto gates = parse_blif_gates(captured("counter.blif"), "counter.blif");
  EXPECT_EQ(gates.at("DFFPOSX1"), 6);
  EXPECT_EQ(gates.at("OAI21X1"), 5);
  int64_t total = 0;
  for (const auto& [cell, n] : gates) total += n;
  EXPECT_EQ(total, 34);
  EXPECT_THROW(parse_blif_gates(".model x\n.end\n", "x.blif"), InputError);
}

TEST(EdaQflowSettingsTest, DensitySpeedupAndRowsForAspect) {
  LayoutOptions o;
  o.density = 0.5;
  o.aspect = 1.0;
  o.placement_speedup = 4;
  o.route_layers = 4;
  const std::string vars = qflow_project_vars(o);
  EXPECT_THAT(vars, HasSubstr("set initial_density = 0.5\n"));
  EXPECT_THAT(vars, HasSubstr("set abc_script = \"\"\n"));
  EXPECT_THAT(vars, HasSubstr("set route_layers = 4\n"));
  // 20 000 um^2 of cells at density 0.5 -> 40 000 um^2 core -> 200 um high -> 20 rows of 10 um.
  EXPECT_THAT(graywolf_par_additions(o, 20000, 10), HasSubstr("GENR*numrows : 20\n"));
  o.aspect = 4.0;  // 400 um high
  EXPECT_THAT(graywolf_par_additions(o, 20000, 10), HasSubstr("GENR*numrows : 40\n"));
  EXPECT_THAT(graywolf_par_additions(o, 20000, 10), HasSubstr("TWSC*fast : 4\n"));
  o.aspect = 0;
  EXPECT_THAT(graywolf_par_additions(o, 20000, 10), Not(HasSubstr("numrows")));
}

TEST(EdaQflowSettingsTest, RouterCleanupSwitchedOff) {
  EXPECT_EQ(qrouter_script_without_cleanup("read_def t.def\nqrouter::standard_route t_route.def false\nquit\n", "t.cfg"),
            "read_def t.def\nqrouter::standard_route t_route.def false true\nquit\n");
  EXPECT_THROW(qrouter_script_without_cleanup("read_def t.def\nquit\n", "t.cfg"), InputError);
}

// qrouter's `cleanup all` cut OAI21X1_999/A off its net on the full example's
// headline layout: the flow replaces it by a no-op before the route runs.
TEST(EdaQflowSettingsTest, RouterViaCleanupSwitchedOff) {
  const std::string script = qrouter_script_without_via_cleanup(
      "read_def t.def\nqrouter::standard_route t_route.def false\nquit\n", "t.cfg");
  EXPECT_THAT(script, HasSubstr("read_def t.def\n"));
  const size_t noop = script.find("proc qrouter::cleanup {args}");
  ASSERT_NE(noop, std::string::npos);
  EXPECT_LT(noop, script.find("qrouter::standard_route t_route.def false\nquit\n"));
  // Both switches apply to the same call.
  EXPECT_THAT(qrouter_script_without_cleanup(script, "t.cfg"), HasSubstr("standard_route t_route.def false true\n"));
  EXPECT_THROW(qrouter_script_without_via_cleanup("read_def t.def\nquit\n", "t.cfg"), InputError);
}

// netgen's comp.json of that layout: one net more in the layout, the pin
// alone in a fragment with no matching net.
TEST(EdaLvsReportTest, OpenPinFromNetgenJson) {
  const LvsComparison c =
      parse_netgen_comparison(captured("detector.lvs_open.comp.json"), "comp.json");
  EXPECT_EQ(c.layout_nets, 6495);
  EXPECT_EQ(c.netlist_nets, 6494);
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_THAT(c.mismatches[0].layout_nets, ElementsAre("OR2X2_54/A", "OAI21X1_999/A"));
  EXPECT_THAT(c.mismatches[0].netlist_nets, ElementsAre("_3224_"));
  EXPECT_THAT(describe_lvs_mismatches(c),
              ElementsAre("netlist net _3224_ is split in the layout into OR2X2_54/A + OAI21X1_999/A (an open)"));
  // Two netlist nets on one layout net: a short.
  const LvsComparison shorted = parse_netgen_comparison(
      R"([{"pins": [["A"], ["A"]]}, {"name": "t", "nets": [3, 4],
          "badnets": [[[["a", [["INVX1", "A", 2]]]], [["x", [["INVX1", "A", 1]]], ["y", [["INVX1", "A", 1]]]]]]}])",
      "comp.json");
  EXPECT_THAT(describe_lvs_mismatches(shorted), ElementsAre("netlist nets x + y are joined in the layout as a (a short)"));
  // A clean comparison has no badnets.
  EXPECT_TRUE(parse_netgen_comparison(R"([{"name": "t", "nets": [5, 5]}])", "comp.json").mismatches.empty());
  EXPECT_THROW(parse_netgen_comparison("[{\"pins\": []}]", "comp.json"), InputError);
  EXPECT_THROW(parse_netgen_comparison("Netlists do not match", "comp.json"), InputError);
  EXPECT_THROW(parse_netgen_comparison(R"([{"nets": ["x", 5]}])", "comp.json"), InputError);
}

// ---- scaling ----------------------------------------------------------------------

TEST(EdaScalingTest, FirstOrderFactors) {
  const ScalingRule r = scaling_rule(180, 1.8, 65);
  EXPECT_DOUBLE_EQ(r.to_v, 1.0);
  EXPECT_DOUBLE_EQ(r.area_factor(), (65.0 / 180) * (65.0 / 180));
  EXPECT_DOUBLE_EQ(r.dynamic_power_factor(), (65.0 / 180) * (1.0 / 1.8) * (1.0 / 1.8));
  EXPECT_DOUBLE_EQ(scaling_rule(180, 1.8, 180).area_factor(), 1.0);
  EXPECT_DOUBLE_EQ(nominal_supply_v(130), 1.2);
  EXPECT_DOUBLE_EQ(nominal_supply_v(28), 0.9);
  EXPECT_TRUE(to_json(r)["estimate"].get<bool>());
  EXPECT_THROW(scaling_rule(0, 1.8, 65), std::invalid_argument);
}

TEST(EdaScalingTest, TwoLibraryPowerLaw) {
  // An area that scales exactly with L^2 is reproduced at any node.
  EXPECT_NEAR(two_library_estimate(180.0 * 180, 180, 130.0 * 130, 130, 65), 65.0 * 65, 1e-6);
  // Both ways round give the same estimate.
  EXPECT_NEAR(two_library_estimate(5, 180, 2, 130, 65), two_library_estimate(2, 130, 5, 180, 65), 1e-12);
  EXPECT_THROW(two_library_estimate(1, 130, 2, 130, 65), std::invalid_argument);
  EXPECT_THROW(two_library_estimate(0, 180, 2, 130, 65), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::eda
