// A behavioural model of the ADXL362 accelerometer for simulating the board
// top (board.h) on a real recording: the registers and SPI protocol the
// board uses, faithful to the datasheet's register map, replaying recorded
// accelerations one sample per external trigger.
//
// Protocol: SPI mode 0, commands 0x0A (write register) and 0x0B (read
// register), then an address and data bytes; the address increments after
// every data byte (bursts).  Registers: DEVID_AD 0xAD, DEVID_MST 0x1D, PARTID
// 0xF2, REVID, XDATA/YDATA/ZDATA (8 MSBs), STATUS (DATA_READY = bit 0,
// cleared when a data register is read), XDATA_L..ZDATA_H (12-bit two's
// complement, sign-extended to 16 bits), SOFT_RESET (0x52 restores the reset
// values), INTMAP1 (DATA_READY to INT1; bit 7 = active low), FILTER_CTL
// (range [7:6], HALF_BW, EXT_SAMPLE, ODR), POWER_CTL (MEASURE [1:0]).
// Writable registers are 0x1F..0x2E as in the datasheet.  With EXT_SAMPLE
// set and MEASURE = 10, a rising edge on INT2 converts the next recorded
// sample; DATA_READY rises when INT2 falls.
//
// The model flags what a real sensor would silently get wrong for the board:
// error codes 1 unknown command, 2 write to a read-only register, 3 a command
// within the soft-reset latency, 4 a trigger outside external-trigger
// measurement mode, 5 a range other than the one the replay was scaled for,
// 6 CS raised in the middle of a byte.  After the replay it converts zeros.
//
// It samples the SPI pins with the simulation clock: the FPGA's outputs
// change only at that clock's edges, so no edge is missed; MISO changes one
// cycle after SCLK falls (the board reads it >= 3 cycles later).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "quant/golden.h"
#include "rtl/board.h"

namespace gaitlstm::rtl {

// Recorded accelerations as the sensor's output codes, samples x 3 (x, y, z).
struct SensorReplay {
  std::vector<int64_t> lsb;
  int64_t samples() const { return static_cast<int64_t>(lsb.size() / 3); }
};

// A recording in mg -> ADXL362 codes at 2^k mg per LSB: the sensor's 12-bit
// ADC as quant::quantize(mg, Q12 with frac -k, half-even, saturate).
int64_t mg_to_sensor_lsb(double mg, int lsb_mg_log2);

// The first `max_samples` samples (0 = all) of a segment as the board's
// sensor would deliver them: each axis a detector channel reads comes from
// that channel's column; the other axes from the sibling channels of the
// same sensor (prefix + _fwd/_vert/_lat) if the dataset has them, else 0.
SensorReplay sensor_replay(const quant::GoldenDetector& golden, const BoardSummary& board, const data::Dataset& dataset,
                           int segment, int64_t max_samples);

// The detector's input samples (count x channels raws) for a replay: what
// the board's scaling makes of the sensor codes (sensor_to_sample).
std::vector<int64_t> replay_detector_samples(const quant::GoldenDetector& golden, const BoardSummary& board,
                                             const SensorReplay& replay);

// $readmemh text: one 16-bit code per line, x y z per sample.
std::string replay_hex(const SensorReplay& replay);

// Verilog of the model, module `adxl362_model` (parameters MAX_SAMPLES,
// RANGE, RESET_LATENCY; plusargs +replay=FILE +samples=N).
std::string adxl362_model_verilog();

}  // namespace gaitlstm::rtl
