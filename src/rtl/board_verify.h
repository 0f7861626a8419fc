// Verification of the board top (board.h) on a real recording: the board's
// RTL - or its placed-and-routed netlist - runs in Verilator against the
// behavioural ADXL362 (adxl362_model.h), which replays the recording over
// SPI one sample per trigger.  The decisions the board prints on its UART
// must equal the golden model's on the same sensor codes, decision by
// decision; the alarm pin must follow them; the triggers must come exactly
// one sample period apart; the sensor model must see no protocol error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "quant/golden.h"
#include "rtl/verify.h"

namespace gaitlstm::rtl {

struct BoardVerifyOptions {
  int max_segments = 1;          // segments of the dataset, in order
  int64_t max_decisions = 0;     // stop after this many decisions in all (0 = whole segments)
  std::string work_dir;          // default <board dir>/verify-board
  // Simulate these files instead of the board's RTL: a netlist whose top has
  // the board top's name and ports, plus its simulation cell models.
  std::vector<std::string> netlist_files;
  std::vector<std::string> verilator_args;  // e.g. defines the cell models need
  std::string source_label = "rtl";         // what is simulated, for the report
};

struct BoardVerifyReport {
  std::string source;
  int64_t decisions = 0;               // decisions compared (golden and board)
  int64_t samples = 0;                 // samples the sensor model delivered
  int64_t mismatch_count = 0;          // differing or missing decisions
  std::vector<Mismatch> mismatches;    // the first few
  int64_t triggers = 0;
  int64_t trigger_period_errors = 0;   // INT2 rising edges not one sample period apart
  int64_t sample_period_cycles = 0;
  int64_t alarm_errors = 0;            // alarm pin not the latest decision's alarm
  int64_t uart_errors = 0;             // framing errors, unreadable lines
  int model_error_code = 0;            // first error the sensor model flagged (adxl362_model.h), 0 = none
  bool ok_led = false;                 // green LED on at the end (running, no fault)
  int64_t cycles = 0;
  double simulation_seconds = 0;
  bool passed() const {
    return decisions > 0 && mismatch_count == 0 && trigger_period_errors == 0 && alarm_errors == 0 &&
           uart_errors == 0 && model_error_code == 0 && ok_led;
  }
};

// One UART line of the board ("<score hex> <fog> <alarm>", CR LF stripped)
// and the alarm pin when the line ended (-1 = not observed, e.g. a serial
// capture from a real board).
struct BoardLine {
  int alarm = -1;
  std::string text;
};

// A decision as the board prints it.
struct BoardDecision {
  int64_t score = 0;  // the statistic, sign-extended from score_bits
  bool fog = false;
  bool alarm = false; // the cue's output (== fog without a cue)
};
// Parses a line: the score's `score_bits` bits as hex digits, the FoG flag,
// the alarm.  False if the line is malformed.
bool parse_board_line(const std::string& text, int score_bits, BoardDecision& decision);

// Adds to `report` the comparison of the lines a board printed with the
// golden model's decisions on `samples` (count x channels detector inputs),
// at most `max_decisions` (0 = all): missing, extra, unreadable or differing
// decisions (score, FoG flag or alarm) are mismatches; an alarm pin that
// differs from the line's alarm is an alarm error.
void compare_board_decisions(const quant::GoldenDetector& golden, int score_bits, const std::vector<int64_t>& samples,
                             const std::vector<BoardLine>& lines, const std::string& source, int64_t max_decisions,
                             BoardVerifyReport& report);

BoardVerifyReport verify_board(ToolRunner& runner, const quant::GoldenDetector& golden, const std::string& board_dir,
                               const data::Dataset& dataset, const BoardVerifyOptions& options);

nlohmann::json to_json(const BoardVerifyReport& report);

}  // namespace gaitlstm::rtl
