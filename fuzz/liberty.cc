// The liberty and LEF subsets the flow reads (eda/library.h): a user's own
// technology comes through here.
#include "eda/library.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_liberty_cells(text, "cells.lib"); });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_lef_macros(text, "cells.lef"); });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_lef_site_height(text); });
  return 0;
}
