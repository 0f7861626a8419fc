// OpenSTA reports: report_checks + worst_slack (eda/sta.h) and
// report_power (eda/power.h); the same text goes to both.
#include "eda/power.h"
#include "eda/sta.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const std::string_view text = fuzz::as_text(data, size);
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_sta_report(text, 10.0, "sta.log"); });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_power_report(text, "power.log"); });
  return 0;
}
