// qflow's logs (eda/layout.h): qrouter's route log and fail.out (split at
// "\n%%\n"), vesta's timing, magic's DRC count, netgen's LVS verdict.
#include "eda/layout.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const std::string_view text = fuzz::as_text(data, size);
  const size_t split = text.find("\n%%\n");
  const std::string_view log = text.substr(0, split);
  const std::string_view fail_out = split == std::string_view::npos ? std::string_view() : text.substr(split + 4);
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_route_log(log, "route.log", fail_out); });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_vesta_fmax_mhz(text, "vesta.log"); });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_magic_drc_count(text, "drc.log"); });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { eda::parse_lvs_match(text, "lvs.log"); });
  return 0;
}
