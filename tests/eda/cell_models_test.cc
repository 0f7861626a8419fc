// Cell models generated from liberty logic (eda/cell_models.h): the
// expression translation, the ff/latch/clock-gate groups, and every cell of
// both installed libraries that a netlist can use.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "eda/cell_models.h"
#include "eda/library.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::eda {
namespace {

using ::testing::HasSubstr;

std::string verilog(const std::string& function) { return liberty_to_verilog(function, "lib", 7); }

TEST(LibertyFunctionTest, OperatorsAndPrecedence) {
  EXPECT_EQ(verilog("\"(A B)\""), "(A & B)");
  EXPECT_EQ(verilog("A+B C"), "(A | (B & C))");
  EXPECT_EQ(verilog("A|B&C"), "(A | (B & C))");
  EXPECT_EQ(verilog("A*B^C"), "(A & (B ^ C))");  // ^ binds tighter than AND
  EXPECT_EQ(verilog("!A&B"), "((~A) & B)");
  EXPECT_EQ(verilog("(A+B)'"), "(~(A | B))");
  EXPECT_EQ(verilog("!(A_N) (B)"), "((~A_N) & B)");
  EXPECT_EQ(verilog("1"), "1'b1");
  EXPECT_EQ(verilog("(D&DE) | (IQ&!DE)"), "((D & DE) | (IQ & (~DE)))");
}

TEST(LibertyFunctionTest, SyntaxErrorsNameFileLineAndExpression) {
  for (const char* bad : {"(A B", "A +", "A $ B", "", "A)"}) {
    try {
      verilog(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), "lib");
      EXPECT_EQ(e.line(), 7);
    }
  }
}

constexpr const char* kLibrary = R"LIB(library (tiny) {
  /* comment { with braces } */
  cell (NAND2) {
    area : 3;
    pin (A) { direction : input; }
    pin (B) { direction : input; }
    pin (Y) { direction : output; function : "!(A&B)"; timing () { related_pin : "A"; } }
  }
  cell ("DFFR") {
    ff ("IQ", "IQN") { next_state : "D"; clocked_on : "!CLK_N"; clear : "!RESET_B"; }
    pin (CLK_N) { direction : input; }
    pin (D) { direction : input; }
    pin (RESET_B) { direction : input; }
    pin (Q) { direction : output; function : "IQ"; }
    pin (Q_N) { direction : output; function : "IQN"; }
  }
  cell (LAT) {
    latch (IQ,IQN) { data_in : "D"; enable : "G"; }
    pin (D) { direction : input; }
    pin (G) { direction : input; }
    pin (Q) { direction : output; function : "IQ"; }
  }
  cell (ICG) {
    clock_gating_integrated_cell : "latch_posedge";
    pin (CLK) { clock_gate_clock_pin : true; direction : input; }
    pin (GATE) { clock_gate_enable_pin : true; direction : input; }
    pin (GCLK) { clock_gate_out_pin : true; direction : output; state_function : "(CLK*M0)"; }
    pin (M0) { direction : internal; internal_node : "M0"; }
    statetable ("CLK GATE", "M0") { table : "L L : - : L"; }
  }
  cell (TRI) {
    pin (A) { direction : input; }
    pin (EN) { direction : input; }
    pin (Y) { direction : output; function : "A"; three_state : "!EN"; }
  }
})LIB";

TEST(CellModelTest, CombinationalFlopLatchAndClockGate) {
  const auto cells = parse_liberty_logic(kLibrary, "tiny.lib");
  ASSERT_EQ(cells.size(), 5u);
  const std::string nand = verilog_cell_model(cells.at("NAND2"), "tiny.lib");
  EXPECT_THAT(nand, HasSubstr("module NAND2(A, B, Y);"));
  EXPECT_THAT(nand, HasSubstr("assign Y = (~(A & B));"));

  const LibertyCellLogic& dff = cells.at("DFFR");
  ASSERT_TRUE(dff.state);
  EXPECT_EQ(dff.state->var, "IQ");
  EXPECT_EQ(dff.state->var_negated, "IQN");
  const std::string flop = verilog_cell_model(dff, "tiny.lib");
  EXPECT_THAT(flop, HasSubstr("wire gaitlstm_clock = (~CLK_N);"));
  EXPECT_THAT(flop, HasSubstr("always @(posedge gaitlstm_clock or posedge gaitlstm_clear)"));
  EXPECT_THAT(flop, HasSubstr("if (gaitlstm_clear) begin IQ <= 1'b0; IQN <= 1'b1; end"));
  EXPECT_THAT(flop, HasSubstr("assign Q_N = IQN;"));
  EXPECT_THAT(flop, HasSubstr("reg IQ = 1'b0;"));

  const std::string latch = verilog_cell_model(cells.at("LAT"), "tiny.lib");
  EXPECT_THAT(latch, HasSubstr("always @(*)"));
  EXPECT_THAT(latch, HasSubstr("if (gaitlstm_enable) begin IQ <= gaitlstm_next;"));

  const std::string icg = verilog_cell_model(cells.at("ICG"), "tiny.lib");
  EXPECT_THAT(icg, HasSubstr("if (!CLK) gaitlstm_held = GATE;"));
  EXPECT_THAT(icg, HasSubstr("assign GCLK = CLK & gaitlstm_held;"));
  EXPECT_THAT(icg, ::testing::Not(HasSubstr("M0")));  // internal node: no port

  try {
    verilog_cell_model(cells.at("TRI"), "tiny.lib");
    ADD_FAILURE() << "three-state cell accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "tiny.lib");
    EXPECT_EQ(e.line(), 31);
    EXPECT_THAT(e.reason(), HasSubstr("three-state"));
  }
  // Only the cells a netlist uses are generated; an unknown one is an error.
  EXPECT_THAT(verilog_cell_models(cells, {"NAND2"}, "tiny.lib"), ::testing::Not(HasSubstr("module LAT")));
  EXPECT_THROW(verilog_cell_models(cells, {"NOR9"}, "tiny.lib"), InputError);
}

// Both liberty readers share the comment skipper: a comment that never
// closes is an error naming the line it starts on, and lines inside a closed
// comment count.
TEST(CellModelTest, LibertyCommentsInBothReaders) {
  const std::string open_comment = "library (x) {\n  /* never\n closed\n";
  for (int reader = 0; reader < 2; ++reader) {
    try {
      if (reader == 0) parse_liberty_logic(open_comment, "x.lib");
      else parse_liberty_cells(open_comment, "x.lib");
      ADD_FAILURE() << "reader " << reader << " accepted an unterminated comment";
    } catch (const InputError& e) {
      EXPECT_EQ(e.line(), 2) << reader;
      EXPECT_THAT(e.reason(), HasSubstr("unterminated comment")) << reader;
    }
  }
  const std::string text = "library (x) {\n /* one\n two */ cell (A) {\n area : 2;\n pin (Y) { direction : output; function : \"1\"; }\n }\n}\n";
  EXPECT_EQ(parse_liberty_cells(text, "x.lib").at("A").area, 2);
  EXPECT_EQ(parse_liberty_logic(text, "x.lib").at("A").line, 3);
}

// A routed qflow netlist keeps its fillers (`FILL FILL_0_X ( );`), which the
// OSU liberty does not define: they are found by their empty port list.
TEST(CellModelTest, PhysicalOnlyCellsAreTheOnesWithoutPorts) {
  const std::string netlist =
      "module top(a, y);\n"
      "NAND2X1 _1_ ( .A(a), .B(a), .Y(y) );\n"
      "FILL FILL_0_NAND2X1_1 ( );\n"
      "  FILL FILL_1_NAND2X1_1 ();\n"
      "sky130_fd_sc_hd__tapvpwrvgnd_1 TAP_1 ( );\n"
      "endmodule\n";
  EXPECT_EQ(physical_only_cell_types(netlist), (std::set<std::string>{"FILL", "sky130_fd_sc_hd__tapvpwrvgnd_1"}));
}

// Every cell of the installed libraries is modelled except three-state
// buffers and the few sky130 cells with other state tables or power pins.
TEST(CellModelTest, InstalledLibrariesModelTheirLogicCells) {
  const Technology osu = osu018_technology();
  const auto osu_cells = parse_liberty_logic(read_file(osu.liberty), osu.liberty);
  int modelled = 0;
  std::vector<std::string> refused;
  for (const auto& [name, cell] : osu_cells) {
    try {
      verilog_cell_model(cell, osu.liberty);
      ++modelled;
    } catch (const InputError&) {
      refused.push_back(name);
    }
  }
  EXPECT_EQ(refused, (std::vector<std::string>{"TBUFX1", "TBUFX2"}));
  EXPECT_EQ(modelled + 2, static_cast<int>(osu_cells.size()));
  EXPECT_THAT(verilog_cell_model(osu_cells.at("DFFSR"), osu.liberty),
              HasSubstr("if (gaitlstm_clear && gaitlstm_preset) begin P0002 <= 1'b0; P0003 <= 1'b0; end"));

  const std::string pdk = std::string(GAITLSTM_SOURCE_DIR) + "/../shared/data/pdk/sky130hd";
  if (!std::filesystem::is_directory(pdk)) GTEST_SKIP() << "no sky130hd files at " << pdk;
  const Technology sky = sky130hd_technology(pdk);
  const auto sky_cells = parse_liberty_logic(read_file(sky.liberty), sky.liberty);
  int sky_modelled = 0;
  for (const auto& [name, cell] : sky_cells) {
    try {
      verilog_cell_model(cell, sky.liberty);
      ++sky_modelled;
    } catch (const InputError&) {
    }
  }
  EXPECT_GT(sky_modelled, 380);
  for (const char* cell : {"sky130_fd_sc_hd__dfrtp_1", "sky130_fd_sc_hd__dlclkp_1", "sky130_fd_sc_hd__sdlclkp_1",
                           "sky130_fd_sc_hd__a21oi_1", "sky130_fd_sc_hd__edfxtp_1", "sky130_fd_sc_hd__dlxtn_1"})
    EXPECT_NO_THROW(verilog_cell_model(sky_cells.at(cell), sky.liberty)) << cell;
  EXPECT_THAT(verilog_cell_model(sky_cells.at("sky130_fd_sc_hd__sdlclkp_1"), sky.liberty),
              HasSubstr("gaitlstm_held = GATE | SCE;"));
}

}  // namespace
}  // namespace gaitlstm::eda
