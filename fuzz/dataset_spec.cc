// The dataset spec JSON (data/dataset_spec.h), text as a user writes it.
#include <string>

#include "data/dataset_spec.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  fuzz::expect_clean(fuzz::Contract::kInputError,
                     [&] { data::parse_dataset_spec(std::string(fuzz::as_text(data, size)), "spec.json"); });
  return 0;
}
