// The quantized model file (quant/qmodel_file.h), read as `gaitlstm rtl`
// and `verify` do, and the golden model built from it.
#include "quant/qmodel_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const auto& dir = fuzz::fresh_scratch_dir();
  fuzz::write_bytes(dir / "q.json", fuzz::as_text(data, size));
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] {
    const quant::QuantizedModel q = quant::load_qmodel((dir / "q.json").string());
    quant::make_golden(q);
  });
  return 0;
}
