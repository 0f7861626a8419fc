// The board top in simulation (rtl/board_verify.h): RTL of the board with
// the behavioural ADXL362 replaying a recording, against the golden model.
#include <gtest/gtest.h>

#include <filesystem>

#include "board_support.h"
#include "rtl/board_verify.h"
#include "rtl/design.h"
#include "rtl/verilator_harness.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/process_runner.h"

namespace gaitlstm::rtl {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

class BoardSimulationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dataset_ = new data::Dataset(testing::synthetic_dataset(2, 1.0, 0)); }
  static void TearDownTestSuite() { delete dataset_; }
  static data::Dataset* dataset_;
};
data::Dataset* BoardSimulationTest::dataset_ = nullptr;

// The whole board (sensor controller, scaling, detector, UART, alarm) with
// the sensor model replaying a recording: decision by decision (statistic,
// FoG flag, the cue's alarm) equal to the golden model, triggers exactly one
// sample period apart, no sensor error; the board modules are lint clean.
TEST_F(BoardSimulationTest, BoardDecisionsEqualTheGoldenModel) {
  model::Detector d = ankle_detector(2);
  d.cue.min_on = 3;  // the alarm pin carries the cue's output
  d.cue.refractory = 2;
  const quant::GoldenDetector golden(d, with_sample({13, 0}));
  testing::TempDir dir;
  write_design(golden, CoreConfig{}, dir.path());
  const BoardSummary board = write_board(golden, dir.path(), test_board());
  EXPECT_EQ(board.range_g, 4);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    if (entry.path().extension() == ".v") files.push_back(entry.path().string());
  EXPECT_EQ(lint_verilog(tools, files, board.top, dir.file("lint")), "");

  BoardVerifyOptions options;
  options.max_decisions = 12;
  const BoardVerifyReport report = verify_board(tools, golden, dir.path(), *dataset_, options);
  EXPECT_EQ(report.decisions, 12);
  EXPECT_EQ(report.mismatch_count, 0);
  EXPECT_EQ(report.trigger_period_errors, 0);
  EXPECT_GE(report.triggers, report.samples);
  EXPECT_EQ(report.samples, golden.protocol().label_window + 11 * golden.protocol().stride);
  EXPECT_EQ(report.alarm_errors, 0);
  EXPECT_EQ(report.uart_errors, 0);
  EXPECT_EQ(report.model_error_code, 0);
  EXPECT_TRUE(report.ok_led);
  EXPECT_TRUE(report.passed());

}

// The sensor model refuses a board configured for another range than the
// recording was converted for (a board.json that lies about its range).
TEST_F(BoardSimulationTest, SensorModelFlagsAWrongRange) {
  const quant::GoldenDetector golden(ankle_detector(3), with_sample({13, 0}));
  testing::TempDir dir;
  write_design(golden, CoreConfig{}, dir.path());
  write_board(golden, dir.path(), test_board());
  nlohmann::json j = nlohmann::json::parse(read_file(dir.file("board.json")));
  j["range_g"] = 8;
  j["lsb_mg_log2"] = 2;
  write_file_atomic(dir.file("board.json"), j.dump());
  BoardVerifyOptions options;
  options.max_decisions = 1;
  const BoardVerifyReport report = verify_board(tools, golden, dir.path(), *dataset_, options);
  EXPECT_EQ(report.model_error_code, 5);
  EXPECT_FALSE(report.passed());
}

}  // namespace
}  // namespace gaitlstm::rtl
