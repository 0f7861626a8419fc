// The iCE40 flow's tool outputs (eda/fpga.h): nextpnr's utilisation,
// timing and error lines, icetime's path delay.
#include "eda/fpga.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] {
    eda::parse_nextpnr_utilisation(text, "nextpnr.log");
  });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] {
    eda::parse_nextpnr_timing(text);
    eda::parse_nextpnr_error(text);
  });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_icetime_fmax(text, "icetime.log"); });
  return 0;
}
