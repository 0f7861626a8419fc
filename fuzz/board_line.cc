// A line of the board's UART score stream (rtl/board_verify.h), as
// `verify --board` reads it; malformed lines are rejected by returning false.
#include <string>

#include "fuzz_support.h"
#include "rtl/board_verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  if (size < 1) return 0;
  const int score_bits = 1 + data[0] % 63;  // 1..63, what the model's statistic format gives
  const std::string line(fuzz::as_text(data + 1, size - 1));
  rtl::BoardDecision decision;
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { rtl::parse_board_line(line, score_bits, decision); });
  return 0;
}
