// Private to src/rtl: the Verilog of the board top's parts (board.h).
#pragma once

#include <cstdint>
#include <string>

namespace gaitlstm::rtl::board_detail {

// ADXL362 register map (datasheet Rev. D, register map table).
constexpr int kCmdWrite = 0x0A, kCmdRead = 0x0B;
constexpr int kRegDevidAd = 0x00, kRegXdataL = 0x0E, kRegSoftReset = 0x1F, kRegIntmap1 = 0x2A,
              kRegFilterCtl = 0x2C, kRegPowerCtl = 0x2D;
constexpr int kDevidAd = 0xAD, kDevidMst = 0x1D, kPartId = 0xF2, kSoftResetCode = 0x52;
constexpr int kIntmapDataReady = 0x01;                 // INTMAP1 bit 0, active high
constexpr int kFilterHalfBw = 0x10, kFilterExtSample = 0x08, kFilterOdr100 = 0x03;
constexpr int kPowerMeasure = 0x02;                    // POWER_CTL MEASURE = 10
constexpr int kRangeField(int range_g) { return range_g == 2 ? 0 : range_g == 4 ? 1 : 2; }  // FILTER_CTL[7:6]

struct SensorTiming {
  int64_t power_up = 0;       // cycles before the first command (sensor power-up)
  int64_t reset_wait = 0;     // after SOFT_RESET (datasheet: 0.5 ms)
  int64_t settle = 0;         // after entering measurement mode, before the first trigger
  int64_t sample_period = 0;  // between INT2 rising edges
  int64_t trigger = 0;        // INT2 high time
  int half = 3;               // SCLK half period in clock cycles (>= 3: MISO is read 3 cycles after SCLK falls)
  int filter_ctl = 0;         // FILTER_CTL value written
};

// Cycles from INT2 rising to the sample on the controller's output, when
// the sensor raises DATA_READY as INT2 falls: trigger, INT1 synchronizer,
// the 8-byte burst read.
int64_t sensor_sample_cycles(const SensorTiming& t);

// The ADXL362 controller: start-up sequence, 64 Hz trigger, burst reads.
std::string sensor_module(const std::string& name, const SensorTiming& t);
// 8N1 transmitter, `divisor` clock cycles per bit.
std::string uart_module(const std::string& name, int divisor);

}  // namespace gaitlstm::rtl::board_detail
