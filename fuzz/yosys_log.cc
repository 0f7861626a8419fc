// Yosys logs: the `stat` block (eda/synth.h), read for the ASIC and the
// iCE40 synthesis.
#include "eda/synth.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_yosys_stat(fuzz::as_text(data, size), "yosys.log"); });
  return 0;
}
