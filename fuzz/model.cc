// The float model file (model/model_file.h), read as `gaitlstm eval` does;
// a model that loads must also score a few samples (sizes agree).
#include "model/model_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const auto& dir = fuzz::fresh_scratch_dir();
  fuzz::write_bytes(dir / "model.json", fuzz::as_text(data, size));
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { model::load_detector((dir / "model.json").string()); });
  return 0;
}
