// The board top (rtl/board.h): configuration, scaling, pins, and the
// comparison of what a board prints with the golden model (rtl/board_verify.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "quant/golden.h"
#include "rtl/adxl362_model.h"
#include "rtl/board.h"
#include "rtl/board_verify.h"
#include "rtl/design.h"
#include "rtl/verilator_harness.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/rng.h"

#include <fmt/format.h>

#include "board_support.h"

namespace gaitlstm::rtl {
namespace {

using ::testing::HasSubstr;

TEST(BoardTest, RangeIsTheSmallestCoveringTheSampleFormat) {
  const model::Detector d = ankle_detector(1);
  EXPECT_EQ(board_range_g(quant::GoldenDetector(d, with_sample({12, 0})), 0), 2);  // +-2048 mg
  EXPECT_EQ(board_range_g(quant::GoldenDetector(d, with_sample({13, 0})), 0), 4);  // +-4096 mg
  EXPECT_EQ(board_range_g(quant::GoldenDetector(d, with_sample({16, 0})), 0), 8);  // wider than any range
  EXPECT_EQ(board_range_g(quant::GoldenDetector(d, with_sample({14, 2})), 0), 2);  // +-2048 mg in quarters
  EXPECT_EQ(board_range_g(quant::GoldenDetector(d, with_sample({14, 1})), 0), 4);
  EXPECT_EQ(board_range_g(quant::GoldenDetector(d, with_sample({13, 0})), 8), 8);  // as asked
  EXPECT_THROW(board_range_g(quant::GoldenDetector(d, with_sample({13, 0})), 3), std::invalid_argument);
}

TEST(BoardTest, AxesFollowChannelNames) {
  model::Detector d = ankle_detector(1);
  const quant::GoldenDetector golden(d, quant::QuantConfig{});
  EXPECT_EQ(board_axes(golden, {}), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(board_axes(golden, {2, 1, 0}), (std::vector<int>{2, 1, 0}));
  EXPECT_THROW(board_axes(golden, {0, 1}), std::invalid_argument);
  d.frontend.channel_names = {"trunk_x", "ankle_vert", "ankle_lat"};
  try {
    board_axes(quant::GoldenDetector(d, quant::QuantConfig{}), {});
    FAIL() << "no axis for trunk_x";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("trunk_x"));
  }
}

// Sensor codes: the ADC rounds half to even and saturates at 12 bits; the
// board's scaling is quant::requantize into the sample format.
TEST(BoardTest, SensorCodesAndScalingUseTheFixedPointArithmetic) {
  EXPECT_EQ(mg_to_sensor_lsb(1000.0, 0), 1000);
  EXPECT_EQ(mg_to_sensor_lsb(5.0, 1), 2);     // 2.5 LSB -> 2 (half to even)
  EXPECT_EQ(mg_to_sensor_lsb(7.0, 1), 4);     // 3.5 -> 4
  EXPECT_EQ(mg_to_sensor_lsb(9000.0, 2), 2047);
  EXPECT_EQ(mg_to_sensor_lsb(-9000.0, 2), -2048);
  const model::Detector d = ankle_detector(1);
  const quant::GoldenDetector coarse(d, with_sample({10, -2}));  // 4 mg per step, +-2048 mg
  EXPECT_EQ(sensor_to_sample(coarse, 1, 3), quant::requantize(3, -1, coarse.frontend().formats().sample));
  EXPECT_EQ(sensor_to_sample(coarse, 1, 2047), 511);  // 4094 mg saturates at 2044 mg
  const quant::GoldenDetector fine(d, with_sample({13, 0}));
  EXPECT_EQ(sensor_to_sample(fine, 2, -2048), -4096);
}

TEST(BoardTest, RejectsConfigurationsThatCannotWork) {
  const quant::GoldenDetector golden(ankle_detector(1), quant::QuantConfig{});
  BoardConfig c = test_board();
  c.clock_hz = 1e6 + 1;  // not a multiple of 64 Hz
  EXPECT_THROW(generate_board(golden, "detector", c, nullptr), std::invalid_argument);
  c = test_board();
  c.clock_hz = 64.0 * 256;  // no time for the SPI read and the front-end
  c.uart_baud = static_cast<int>(c.clock_hz / 8);
  EXPECT_THROW(generate_board(golden, "detector", c, nullptr), std::invalid_argument);
  c = test_board();
  c.uart_baud = 115200;  // 2.3 clock cycles per bit
  EXPECT_THROW(generate_board(golden, "detector", c, nullptr), std::invalid_argument);
  c = test_board();
  c.board = "nosuchboard";
  EXPECT_THROW(generate_board(golden, "detector", c, nullptr), std::invalid_argument);
}

TEST(BoardTest, PinsCoverEveryPortOfTheTop) {
  const quant::GoldenDetector golden(ankle_detector(1), quant::QuantConfig{});
  BoardSummary s;
  const auto modules = generate_board(golden, "detector", BoardConfig{}, &s);
  const std::string pcf = board_pcf(BoardConfig{});
  const std::string& top = modules.back().text;
  for (const char* port : {"clk", "btn_n", "spi_cs_n", "spi_sclk", "spi_mosi", "spi_miso", "acc_int1", "acc_int2",
                           "uart_tx", "alarm", "led_alarm_n", "led_ok_n"}) {
    EXPECT_THAT(top, HasSubstr(std::string("wire ") + port + (std::string(port) == "led_ok_n" ? "\n" : ",\n"))) << port;
    EXPECT_THAT(pcf, HasSubstr(std::string(" ") + port + " ")) << port;
  }
  EXPECT_EQ(s.sample_period_cycles, 187500);  // 12 MHz / 64 Hz
  EXPECT_EQ(s.uart_divisor, 104);
  EXPECT_EQ(s.range_g, 8);                    // the default Q16.0 sample format
}

TEST(BoardTest, JsonRoundTripAndMissingFile) {
  const quant::GoldenDetector golden(ankle_detector(1), quant::QuantConfig{});
  BoardSummary s;
  generate_board(golden, "detector", test_board(), &s);
  const BoardSummary back = board_summary_from_json(to_json(s), "board.json");
  EXPECT_EQ(to_json(back), to_json(s));
  EXPECT_THROW(board_summary_from_json(nlohmann::json{{"board", "x"}}, "board.json"), InputError);
  testing::TempDir dir;
  EXPECT_THROW(read_board(dir.path()), InputError);
}

// design.json that is not an object, or whose "format" is not a string, is
// refused naming the file (it threw a JSON type error before, issue 17).
TEST(BoardTest, DesignDescriptionOfTheWrongShapeIsRefused) {
  testing::TempDir dir;
  for (const char* text : {R"({"format": 1})", R"([1, 2])", R"({"format": "gaitlstm-board"})"}) {
    const std::string path = dir.write("design.json", text);
    try {
      read_design(dir.path());
      FAIL() << text << " accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), path);
      EXPECT_THAT(e.reason(), HasSubstr("not a gaitlstm design description")) << text;
    }
  }
}

// What the board printed against the golden model: a differing score, a
// differing flag, a missing, an extra and an unreadable line are each
// mismatches; an alarm pin that disagrees with its line is an alarm error.
TEST(BoardCompareTest, EveryKindOfDifferenceCounts) {
  const quant::GoldenDetector golden(ankle_detector(4), with_sample({13, 0}));
  const data::Dataset dataset = testing::synthetic_dataset(2, 0.5, 0);
  const std::vector<int64_t> samples = quant::segment_samples(golden, dataset, 0);
  std::vector<quant::GoldenDetector::Output> expected;
  quant::GoldenDetector::Stream stream(golden);
  for (size_t t = 0; t * 3 < samples.size(); ++t)
    if (auto o = stream.push(&samples[t * 3])) expected.push_back(*o);
  ASSERT_GE(expected.size(), 4u);
  const int bits = golden.statistic_format().bits;
  auto line = [&](int64_t score, bool fog, bool alarm) {
    return BoardLine{alarm ? 1 : 0, fmt::format("{:0{}X} {} {}", static_cast<uint64_t>(score) & ((uint64_t{1} << bits) - 1),
                                                (bits + 3) / 4, fog ? 1 : 0, alarm ? 1 : 0)};
  };
  std::vector<BoardLine> good;
  for (const auto& o : expected) good.push_back(line(o.score, o.fog, o.alarm));
  BoardVerifyReport ok;
  compare_board_decisions(golden, bits, samples, good, "s", 0, ok);
  EXPECT_EQ(ok.mismatch_count, 0);
  EXPECT_EQ(ok.decisions, static_cast<int64_t>(expected.size()));

  auto mismatches = [&](std::vector<BoardLine> lines) {
    BoardVerifyReport r;
    compare_board_decisions(golden, bits, samples, lines, "s", 0, r);
    return r;
  };
  std::vector<BoardLine> v = good;
  v[1] = line(expected[1].score + 1, expected[1].fog, expected[1].alarm);
  EXPECT_EQ(mismatches(v).mismatch_count, 1);
  v = good;
  v[2] = line(expected[2].score, !expected[2].fog, expected[2].alarm);
  EXPECT_EQ(mismatches(v).mismatch_count, 1);
  v = good;
  v[3] = line(expected[3].score, expected[3].fog, !expected[3].alarm);
  EXPECT_GE(mismatches(v).mismatch_count, 1);
  v = good;
  v.pop_back();
  EXPECT_EQ(mismatches(v).mismatch_count, 1);
  v = good;
  v.push_back(good.back());
  EXPECT_EQ(mismatches(v).mismatch_count, 1);
  v = good;
  v[0].text = "zz 1 1";
  const BoardVerifyReport unreadable = mismatches(v);
  EXPECT_EQ(unreadable.mismatch_count, 1);
  EXPECT_EQ(unreadable.uart_errors, 1);
  v = good;
  v[0].alarm = 1 - v[0].alarm;
  EXPECT_EQ(mismatches(v).alarm_errors, 1);
  v[0].alarm = -1;  // not observed: not checked
  EXPECT_EQ(mismatches(v).alarm_errors, 0);
}

TEST(BoardCompareTest, LineFormat) {
  BoardDecision d;
  ASSERT_TRUE(parse_board_line("3FF 1 0", 10, d));
  EXPECT_EQ(d.score, -1);
  EXPECT_TRUE(d.fog);
  EXPECT_FALSE(d.alarm);
  ASSERT_TRUE(parse_board_line("1FF 0 1", 10, d));
  EXPECT_EQ(d.score, 511);
  EXPECT_FALSE(d.fog);
  EXPECT_TRUE(d.alarm);
  EXPECT_FALSE(parse_board_line("7FF 0 0", 10, d));   // more bits than the score has
  EXPECT_FALSE(parse_board_line("1FF 0", 10, d));
  EXPECT_FALSE(parse_board_line("01FF 0 0", 10, d));  // digit count
  EXPECT_FALSE(parse_board_line("1ff 0 0", 10, d));
  EXPECT_FALSE(parse_board_line("1FF 2 0", 10, d));
  EXPECT_FALSE(parse_board_line("1FF 0 0 0", 10, d));
}

}  // namespace
}  // namespace gaitlstm::rtl
