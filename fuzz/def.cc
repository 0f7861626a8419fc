// A placed or routed DEF (eda/layout.h).
#include "eda/layout.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_def(fuzz::as_text(data, size), "design.def"); });
  return 0;
}
