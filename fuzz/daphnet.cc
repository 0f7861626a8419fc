// A Daphnet recording (SxxRyy.txt) loaded and resampled as `gaitlstm data`
// does: data/daphnet.h, data/resample.h.
#include "data/load.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const auto& dir = fuzz::fresh_scratch_dir();
  fuzz::write_bytes(dir / "S01R01.txt", fuzz::as_text(data, size));
  // 40 Hz: the resampler runs too (64 Hz would pass the rows through).
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { data::load_dataset(dir.string(), {"", 40}); });
  return 0;
}
