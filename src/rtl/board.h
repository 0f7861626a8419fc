// A pin-light board top around the generated detector, for an iCE40
// UltraPlus board with an ADXL362 accelerometer (docs/FPGA.md):
//
//   ADXL362 --SPI--> sensor controller --(x, y, z LSB)--> scaling (the one
//   fixed-point arithmetic: requantize) --> detector --> alarm pin, LEDs,
//   UART line per decision ("<score hex> <fog>\r\n")
//
// The ADXL362 has no 64 Hz output data rate (12.5 .. 400 Hz).  The board
// therefore uses the sensor's external trigger mode: FILTER_CTL.EXT_SAMPLE
// makes INT2 an input and the sensor converts on each rising edge there; the
// FPGA raises INT2 every clock_hz / sample_hz cycles of its own clock, so
// samples are exactly periodic at the detector's rate.  The ODR field still
// selects the anti-alias filter: 100 Hz with HALF_BW (bandwidth ODR/4 =
// 25 Hz, below the 32 Hz Nyquist frequency of 64 Hz sampling).  INT1 carries
// DATA_READY; the FPGA then reads XDATA_L..ZDATA_H in one burst.
//
// Start-up: wait for the sensor's power-up, SOFT_RESET, wait, read and check
// DEVID_AD/DEVID_MST/PARTID (0xAD 0x1D 0xF2; retried on a mismatch, `fault`
// LED), INTMAP1 = DATA_READY, FILTER_CTL = range | HALF_BW | EXT_SAMPLE |
// ODR 100 Hz, POWER_CTL = measurement mode, wait for the filter to settle,
// then sample.  The detector is held in reset (a new segment) until then.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "quant/golden.h"
#include "rtl/verilog_arith.h"

namespace gaitlstm::rtl {

struct BoardConfig {
  std::string board = "icebreaker";  // pin constraints (board_pcf); "icebreaker" is the only one today
  std::string top = "gaitlstm_board";
  double clock_hz = 12e6;           // the board's oscillator (iCEBreaker: 12 MHz on pin 35)
  int range_g = 0;                  // ADXL362 range 2, 4 or 8 g; 0 = the smallest covering the sample format
  double spi_max_hz = 4e6;          // SCLK <= this (ADXL362: up to 8 MHz); at least 3 clocks per half period
  int uart_baud = 115200;
  // Detector channel -> sensor axis (0 x, 1 y, 2 z); empty = from the
  // channel names (*_fwd -> x, *_vert -> y, *_lat -> z, Daphnet's order).
  std::vector<int> axis_of_channel;
};

// What the generator decided, written to <dir>/board.json.
struct BoardSummary {
  std::string board, top, detector_top, pcf_file;
  double clock_hz = 0, sample_hz = 0;
  int range_g = 0;
  int lsb_mg_log2 = 0;            // 1 LSB = 2^k mg (k = 0, 1, 2 for 2, 4, 8 g)
  std::vector<int> axis_of_channel;
  int64_t sample_period_cycles = 0;  // clock_hz / sample_hz, exact
  int spi_half_period_cycles = 0;
  int uart_divisor = 0;              // clock cycles per UART bit
  int score_bits = 0;                // bits of the reported score (the statistic format)
  int64_t sample_work_cycles = 0;    // trigger + data-ready + SPI burst read, per sample
  std::vector<std::string> files;    // board modules (besides the detector's)
};

nlohmann::json to_json(const BoardSummary& board);
BoardSummary board_summary_from_json(const nlohmann::json& json, const std::string& file);  // throws InputError

// The sensor range for `config` (range_g, or the smallest covering the
// detector's sample format: 2048 LSB x 2^k mg >= its largest magnitude).
int board_range_g(const quant::GoldenDetector& golden, int requested);
// log2 of mg per LSB: 0, 1, 2 for 2, 4, 8 g (ADXL362 sensitivity 1, 2, 4 mg/LSB).
int lsb_mg_log2(int range_g);
// Channel -> axis mapping for the detector's channels; throws
// std::invalid_argument naming a channel no axis can be assigned to.
std::vector<int> board_axes(const quant::GoldenDetector& golden, const std::vector<int>& requested);

// A sensor reading (12-bit two's complement, 2^k mg per LSB) in the
// detector's sample format: quant::requantize(lsb, -k, sample), the
// arithmetic the board's scaling logic implements.
int64_t sensor_to_sample(const quant::GoldenDetector& golden, int lsb_mg_log2, int64_t lsb);

// Board modules (sensor controller, UART, reporter, top); the detector's
// modules (named `detector_top`) are generated separately.  Throws
// std::invalid_argument when the configuration cannot work (clock too slow
// for the sample rate, the SPI read, or a UART line per decision).
std::vector<VerilogModule> generate_board(const quant::GoldenDetector& golden, const std::string& detector_top,
                                          const BoardConfig& config, BoardSummary* summary);

// Pin constraints (nextpnr .pcf) of the board top's ports on `board`.
std::string board_pcf(const BoardConfig& config);

// Writes the board modules, <board>.pcf and board.json into `dir` (which
// already holds the detector written by write_design).
BoardSummary write_board(const quant::GoldenDetector& golden, const std::string& dir, const BoardConfig& config);
// Reads <dir>/board.json.  Throws InputError if there is none.
BoardSummary read_board(const std::string& dir);

}  // namespace gaitlstm::rtl
