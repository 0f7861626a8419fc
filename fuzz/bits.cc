// The bits-per-tensor JSON (quantize --bits, quant/calibrate.h) and the
// format objects inside it (quant/fixed_point.h); the cost model JSON
// (quant/cost_model.h) shares the target: "{"cost_model": {...}}".
#include "fuzz_support.h"
#include "quant/calibrate.h"
#include "quant/cost_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const auto json = fuzz::as_json(data, size);
  if (!json) return 0;
  if (json->is_object() && json->contains("cost_model")) {
    fuzz::expect_clean(fuzz::Contract::kInvalidArgument, [&] { quant::cost_model_from_json(json->at("cost_model")); });
    return 0;
  }
  fuzz::expect_clean(fuzz::Contract::kInvalidArgument, [&] { quant::tensor_bits_from_json(*json); });
  return 0;
}
