// The exploration config (explore/config.h), parsed as `gaitlstm explore`
// does (relative paths resolve beside it; none of them need exist here).
#include "explore/config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const auto json = fuzz::as_json(data, size);
  if (!json) return 0;
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { explore::parse_config(*json, "/nonexistent/explore.json"); });
  return 0;
}
