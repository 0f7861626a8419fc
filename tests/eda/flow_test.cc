// Flow logic against the fake runner: which tools run with which scripts,
// how their outputs become typed results, and how failures surface —
// without any tool installed (the captured outputs stand in for them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "eda/layout.h"
#include "eda/power.h"
#include "eda/sta.h"
#include "eda/synth.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/fake_runner.h"

namespace gaitlstm::eda {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string fixture(const std::string& name) {
  return std::string(GAITLSTM_SOURCE_DIR) + "/tests/eda/fixtures/" + name;
}
std::string captured(const std::string& name) { return read_file(fixture("captured/" + name)); }

SynthOptions mac_fsm_options(const std::string& work) {
  SynthOptions o;
  o.sources = rtl_sources(fixture("mac_fsm"));
  o.top = "mac_fsm";
  o.tech = osu018_technology();
  o.work_dir = work;
  return o;
}

TEST(EdaSynthFlowTest, RunsYosysOnTheScriptAndParsesItsLog) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {0, false, 1.5, "", {{"yosys.log", captured("mac_fsm.yosys.log")}}});
  const SynthResult r = synthesize(fake, mac_fsm_options(dir.path()));
  ASSERT_EQ(fake.commands().size(), 1u);
  EXPECT_THAT(fake.commands()[0].args, ElementsAre("-q", "-l", "yosys.log", "-s", "yosys.ys"));
  EXPECT_EQ(fake.commands()[0].working_dir, dir.path());
  const std::string script = read_file(dir.file("yosys.ys"));
  EXPECT_THAT(script, HasSubstr("mac_fsm/mac_fsm.v"));
  EXPECT_THAT(script, Not(HasSubstr("mac_fsm_tb.v")));
  EXPECT_THAT(read_file(dir.file("abc.constr")), HasSubstr("set_driving_cell INVX1"));
  EXPECT_EQ(r.cells, 687);
  EXPECT_EQ(r.flip_flops, 43);
  EXPECT_DOUBLE_EQ(r.seconds, 1.5);
  EXPECT_EQ(r.netlist, dir.file("mac_fsm.netlist.v"));
}

TEST(EdaSynthFlowTest, YosysFailureCarriesTheLogTail) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {1, false, 0.2, "ERROR: Module `\\missing' referenced in module `\\top' is not part of the design.\n", {}});
  try {
    synthesize(fake, mac_fsm_options(dir.path()));
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_EQ(e.program(), "yosys");
    EXPECT_THAT(e.what(), HasSubstr("exit code 1"));
    EXPECT_THAT(e.what(), HasSubstr("is not part of the design"));
  }
}

TEST(EdaSynthFlowTest, SuccessWithoutStatisticsIsNotSilentlyAccepted) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {0, false, 0.2, "", {{"yosys.log", "End of script.\n"}}});
  EXPECT_THROW(synthesize(fake, mac_fsm_options(dir.path())), InputError);
}

StaOptions netlist_options(const std::string& work) {
  StaOptions o;
  o.netlist = fixture("captured/mac_fsm.yosys.log");  // never read by the fake sta
  o.top = "mac_fsm";
  o.tech = osu018_technology();
  o.work_dir = work;
  return o;
}

TEST(EdaStaFlowTest, TimingFromTheReplayedReport) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("sta", {0, false, 0.1, captured("mac_fsm.sta.log"), {}});
  const TimingResult t = analyze_timing(fake, netlist_options(dir.path()));
  EXPECT_NEAR(t.fmax_mhz, 192.69, 0.01);
  EXPECT_THAT(read_file(dir.file("sta.tcl")), HasSubstr("link_design mac_fsm"));
  EXPECT_EQ(t.log, dir.file("sta.log"));
}

TEST(EdaPowerFlowTest, VectorlessIsLabelled) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("sta", {0, false, 0.1, captured("mac_fsm.power.log"), {}});
  PowerOptions o;
  o.sta = netlist_options(dir.path());
  const PowerResult p = analyze_power(fake, o);
  EXPECT_EQ(p.activity_source, "vectorless");
  EXPECT_DOUBLE_EQ(p.total_w, 2.456164e-03);
  EXPECT_DOUBLE_EQ(p.dynamic_w, 1.956444e-03 + 4.996657e-04);
  EXPECT_THAT(read_file(dir.file("power.tcl")), Not(HasSubstr("activity.tcl")));
}

TEST(EdaPowerFlowTest, VcdActivityIsAnnotatedAndCounted) {
  testing::TempDir dir;
  const std::string netlist = dir.write("t.v", R"(module t(clk, a, y);
  input clk; input a; output y; wire n1;
  INVX1 _1_ ( .A(a), .Y(n1) );
  DFFPOSX1 _2_ ( .CLK(clk), .D(n1), .Q(y) );
endmodule
)");
  const std::string vcd = dir.write("a.vcd", R"($timescale 1ns $end
$scope module tb $end $scope module dut $end $scope module _1_ $end
$var wire 1 ! A $end $var wire 1 " Y $end $upscope $end $upscope $end $upscope $end
$enddefinitions $end
#0
0!
1"
#10
1!
0"
#20
)");
  FakeRunner fake;
  fake.expect("sta", {0, false, 0.1, captured("mac_fsm.power.log") + "gaitlstm_annotated 2\n", {}});
  PowerOptions o;
  o.sta = netlist_options(dir.path());
  o.sta.netlist = netlist;
  o.sta.top = "t";
  o.vcd = vcd;
  const PowerResult p = analyze_power(fake, o);
  EXPECT_EQ(p.activity_source, "VCD " + vcd);
  EXPECT_EQ(p.annotated_pins, 2);
  EXPECT_EQ(p.netlist_pins, 5);
  EXPECT_DOUBLE_EQ(p.simulated_cycles, 2.0);
  EXPECT_THAT(read_file(dir.file("power.tcl")), HasSubstr("source activity.tcl"));
  EXPECT_THAT(read_file(dir.file("activity.tcl")), HasSubstr("gaitlstm_activity {_1_/A} 0.5 0.5"));
}

TEST(EdaPowerFlowTest, GateLevelSimulationNeedsTheTestbenchVcd) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("iverilog", {0, false, 0.1, "", {}});
  fake.expect("vvp", {0, false, 0.1, "VCD info: dumpfile elsewhere.vcd opened\n", {}});
  Stimulus s;
  s.testbench_files = {fixture("mac_fsm/mac_fsm_tb.v")};
  try {
    simulate_gate_level(fake, netlist_options(dir.path()), s);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("$dumpfile(\"activity.vcd\")"));
  }
  EXPECT_THAT(fake.commands()[0].args, ::testing::Contains("-DPERIOD_NS=10"));
}

constexpr const char* kQrouterScript =
    "read_def counter.def\nqrouter::standard_route counter_route.def false\nquit\n";

// Yosys' flat generic netlist of the counter, with a 2-D register's and a
// submodule's escaped names (what qflow must not see).
constexpr const char* kFlatCounter =
    "module counter(clk, rst, enable, count, wrap);\n  input clk;\n  reg \\u.mem[1][13] ;\n"
    "  wire \\u.mem_1__13_ ;\n  output [5:0] count;\n  assign count[0] = \\u.mem[1][13] ;\nendmodule\n";

// The layout flow, replayed stage by stage from the counter run.
void expect_counter_stages(FakeRunner& fake, const std::string& route_log, const std::string& fail_out) {
  fake.expect("yosys", {0, false, 0.2, "", {{"flat_generic.v", kFlatCounter}}});
  fake.expect("qflow", {0, false, 0.6, "", {{"synthesis/counter.blif", captured("counter.blif")}}});
  fake.expect("qflow", {0, false, 0.9, "", {{"layout/counter.cfg", kQrouterScript}}});
  fake.expect("qflow", {0, false, 0.1, "", {{"log/sta.log", captured("counter.vesta.log")}}});
  std::map<std::string, std::string> route_files = {{"log/route.log", route_log},
                                                    {"layout/counter.def", captured("counter.routed.def")}};
  if (!fail_out.empty()) route_files["layout/fail.out"] = fail_out;
  fake.expect("qflow", {fail_out.empty() ? 0 : 1, false, 0.3, "", route_files});
  fake.expect("qflow", {0, false, 0.2, "", {{"log/post_sta.log", captured("counter.post_sta.log")}}});
}

LayoutOptions counter_layout(const std::string& work) {
  LayoutOptions o;
  o.sources = rtl_sources(fixture("counter"));
  o.top = "counter";
  o.tech = osu018_technology();
  o.work_dir = work;
  o.density = 0.5;
  return o;
}

TEST(EdaLayoutFlowTest, StagesSettingsAndResults) {
  testing::TempDir dir;
  FakeRunner fake;
  expect_counter_stages(fake, captured("counter.route.log"), "");
  std::vector<std::string> seen;
  LayoutOptions o = counter_layout(dir.path());
  o.on_stage = [&seen](const std::string& s) { seen.push_back(s); };
  const LayoutResult r = place_and_route(fake, o);
  EXPECT_THAT(seen, ElementsAre("flatten", "synthesize", "place", "sta", "route", "backanno"));
  EXPECT_THAT(fake.commands()[2].args, ElementsAre("-T", "osu018", "place", "counter"));
  EXPECT_THAT(read_file(dir.file("project_vars.sh")), HasSubstr("set initial_density = 0.5"));
  const std::string par = read_file(dir.file("layout/counter.par"));
  EXPECT_THAT(par, HasSubstr("TWSC*fast : 4"));
  EXPECT_THAT(par, HasSubstr("GENR*numrows : 5"));  // 1352 um^2 / 0.5 -> 52 um high -> 5 rows
  // qflow gets plain names: the same in its BLIF, DEF, delay files and netlist.
  const std::string source = read_file(dir.file("source/counter.v"));
  EXPECT_THAT(source, HasSubstr("module counter"));
  EXPECT_THAT(source, HasSubstr("reg u_mem_1__13_ ;"));
  EXPECT_THAT(source, HasSubstr("wire u_mem_1__13__1 ;"));  // u_mem_1__13_ was taken
  EXPECT_THAT(source, HasSubstr("assign count[0] = u_mem_1__13_ ;"));
  EXPECT_THAT(read_file(dir.file("flatten/flat.ys")), HasSubstr("synth -top counter -flatten\n"));
  const std::string route_script = read_file(dir.file("layout/counter.cfg"));
  EXPECT_THAT(route_script, HasSubstr("qrouter::standard_route counter_route.def false true\nquit\n"));  // no stage 3
  EXPECT_THAT(route_script, HasSubstr("proc qrouter::cleanup {args}"));  // no via cleanup
  EXPECT_EQ(r.cells, 34);
  EXPECT_EQ(r.failed_routes, 0);
  EXPECT_DOUBLE_EQ(r.pre_route_fmax_mhz, 856.824);
  EXPECT_DOUBLE_EQ(r.post_route_fmax_mhz, 834.597);
  EXPECT_NEAR(r.post_route_slack_ns, 10 - 1000 / 834.597, 1e-12);
  EXPECT_DOUBLE_EQ(r.place_and_route_seconds, 0.9 + 0.3);
  EXPECT_FALSE(r.lvs_match.has_value());
}

// The counter's layout stages, then migrate, drc and lvs with these exit
// codes and logs, then magic's GDS (an empty lvs log: the stage is not
// expected, the run stops before it).
void expect_signoff_stages(FakeRunner& fake, int drc_exit, const std::string& drc_log, int lvs_exit,
                           const std::string& lvs_log, const std::string& comp_json = "") {
  expect_counter_stages(fake, captured("counter.route.log"), "");
  fake.expect("qflow", {0, false, 0.1, "", {}});  // migrate
  fake.expect("qflow", {drc_exit, false, 0.2, drc_exit ? "Premature exit.\n" : "", {{"log/drc.log", drc_log}}});
  if (lvs_log.empty()) return;
  std::map<std::string, std::string> lvs_files = {{"log/lvs.log", lvs_log}};
  if (!comp_json.empty()) lvs_files["layout/comp.json"] = comp_json;
  fake.expect("qflow", {lvs_exit, false, 0.3, lvs_exit ? "Design fails LVS.\n" : "", lvs_files});
  fake.expect("magic", {0, false, 0.1, "", {{"counter.gds", "GDS"}}});  // run in layout/
}

LayoutOptions signoff_layout(const std::string& work) {
  LayoutOptions o = counter_layout(work);
  o.signoff = true;
  return o;
}

// qflow's drc stage exits 1 when magic counts any DRC error, its lvs stage
// when netgen finds a mismatch (both seen on the full example's headline
// layout): the count and the verdict are results, and LVS still runs.
TEST(EdaLayoutFlowTest, DrcErrorsAndLvsMismatchesAreResults) {
  testing::TempDir dir;
  FakeRunner fake;
  std::string drc_log = captured("counter.drc.log");
  drc_log.replace(drc_log.find("drc = 0"), 7, "drc = 1");
  expect_signoff_stages(fake, 1, drc_log, 0, captured("counter.lvs.log"));
  LayoutOptions o = signoff_layout(dir.path());
  std::vector<std::string> seen;
  o.on_stage = [&seen](const std::string& s) { seen.push_back(s); };
  const LayoutResult r = place_and_route(fake, o);
  EXPECT_THAT(seen, ElementsAre("flatten", "synthesize", "place", "sta", "route", "backanno", "migrate", "drc", "lvs", "gds"));
  ASSERT_TRUE(r.drc_errors.has_value());
  EXPECT_EQ(*r.drc_errors, 1);
  ASSERT_TRUE(r.lvs_match.has_value());
  EXPECT_TRUE(*r.lvs_match);
  // netgen's mismatch also makes the lvs stage exit 1: a result, not an error.
  testing::TempDir dir3;
  FakeRunner mismatch;
  expect_signoff_stages(mismatch, 0, captured("counter.drc.log"), 1, "Netlists do not match.\nTotal errors = 2\n",
                        captured("detector.lvs_open.comp.json"));
  const LayoutResult failed_lvs = place_and_route(mismatch, signoff_layout(dir3.path()));
  EXPECT_EQ(failed_lvs.drc_errors, 0);
  ASSERT_TRUE(failed_lvs.lvs_match.has_value());
  EXPECT_FALSE(*failed_lvs.lvs_match);
  // The route was complete by qrouter's count; the open is named in the
  // result and its JSON (netgen's comp.json), not just "mismatch".
  EXPECT_EQ(failed_lvs.failed_routes, 0);
  const std::string open = "netlist net _3224_ is split in the layout into OR2X2_54/A + OAI21X1_999/A (an open)";
  EXPECT_THAT(failed_lvs.lvs_mismatches, ElementsAre(open));
  EXPECT_EQ(to_json(failed_lvs).at("lvs_mismatches"), nlohmann::json::array({open}));
  EXPECT_FALSE(to_json(r).contains("lvs_mismatches"));  // LVS clean: nothing to name
  // A failing drc stage that counted nothing is still an error.
  testing::TempDir dir2;
  FakeRunner broken;
  expect_signoff_stages(broken, 1, captured("counter.drc.log"), 0, "");
  EXPECT_THROW(place_and_route(broken, signoff_layout(dir2.path())), ToolError);
}

TEST(EdaLayoutFlowTest, FailedRoutesAreAResultNotAnError) {
  testing::TempDir dir;
  FakeRunner fake;
  expect_counter_stages(fake, captured("mac_fsm.failed_route.log"), captured("mac_fsm.fail.out"));
  const LayoutResult r = place_and_route(fake, counter_layout(dir.path()));
  EXPECT_EQ(r.failed_routes, 344);
  EXPECT_EQ(r.failed_nets.size(), 344u);
  EXPECT_EQ(r.post_route_fmax_mhz, 0);  // no backanno on a broken route
  EXPECT_EQ(fake.commands().size(), 5u);  // flatten + 4 qflow stages
  EXPECT_FALSE(to_json(r).contains("post_route_fmax_mhz"));
}

// Seen on the serial detector at density 0.6: the route is complete but
// vesta cannot read qflow's delay file; the layout is still a result.
TEST(EdaLayoutFlowTest, PostRouteTimingFailureKeepsTheRoute) {
  testing::TempDir dir;
  FakeRunner fake;
  fake.expect("yosys", {0, false, 0.2, "", {{"flat_generic.v", kFlatCounter}}});
  fake.expect("qflow", {0, false, 0.6, "", {{"synthesis/counter.blif", captured("counter.blif")}}});
  fake.expect("qflow", {0, false, 0.9, "", {{"layout/counter.cfg", kQrouterScript}}});
  fake.expect("qflow", {0, false, 0.1, "", {{"log/sta.log", captured("counter.vesta.log")}}});
  fake.expect("qflow", {0, false, 0.3, "", {{"log/route.log", captured("counter.route.log")},
                                            {"layout/counter.def", captured("counter.routed.def")}}});
  fake.expect("qflow", {0, false, 0.2, "", {{"log/post_sta.log", captured("detector.post_sta_failed.log")}}});
  const LayoutResult r = place_and_route(fake, counter_layout(dir.path()));
  EXPECT_EQ(r.failed_routes, 0);
  EXPECT_EQ(r.cells, 34);
  EXPECT_EQ(r.post_route_fmax_mhz, 0);
  EXPECT_THAT(r.post_route_timing_error, HasSubstr("vesta: 5 ERROR lines, first: ERROR: Net _9786_ only had 14 receivers"));
  const nlohmann::json j = to_json(r);
  EXPECT_FALSE(j.contains("post_route_fmax_mhz"));
  EXPECT_THAT(j["post_route_timing_error"].get<std::string>(), HasSubstr("not found in hash table"));
}

TEST(EdaLayoutFlowTest, RouterThatNeverFinishesIsAToolError) {
  testing::TempDir dir;
  FakeRunner fake;
  expect_counter_stages(fake, "*** Running stage1 routing with defaults\n", "");
  EXPECT_THROW(place_and_route(fake, counter_layout(dir.path())), InputError);
  testing::TempDir dir2;
  FakeRunner timeout;
  timeout.expect("yosys", {0, false, 0.2, "", {{"flat_generic.v", kFlatCounter}}});
  timeout.expect("qflow", {0, false, 0.6, "", {{"synthesis/counter.blif", captured("counter.blif")}}});
  timeout.expect("qflow", {0, false, 0.9, "", {{"layout/counter.cfg", kQrouterScript}}});
  timeout.expect("qflow", {0, false, 0.1, "", {}});
  timeout.expect("qflow", {137, true, 1800, "Nets remaining: 4000\n", {}});
  try {
    place_and_route(timeout, counter_layout(dir2.path()));
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_THAT(e.what(), HasSubstr("route stage timed out"));
    EXPECT_THAT(e.what(), HasSubstr("Nets remaining: 4000"));
  }
}

}  // namespace
}  // namespace gaitlstm::eda
