// The cueing logic of the golden model: model/cue.h's state machine on raw
// integers.  The hysteresis is a raw value in the decision statistic's format
// (GoldenDetector::statistic_format()), so the chip compares
// s_n < T_n - hysteresis exactly; min_on and refractory are decisions.
// Stored in the quantized model file as
//   "cue": {"hysteresis": raw, "min_on": n, "refractory": n}   (absent = off).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "model/cue.h"
#include "quant/fixed_point.h"

namespace gaitlstm::quant {

struct QuantizedCue {
  int64_t hysteresis = 0;  // raw, statistic format
  int min_on = 1;
  int refractory = 0;
  bool active() const { return hysteresis != 0 || min_on != 1 || refractory != 0; }
  bool operator==(const QuantizedCue&) const = default;
};

using GoldenCue = model::CueLogic<int64_t>;

inline GoldenCue make_cue_logic(const QuantizedCue& cue) { return {cue.hysteresis, cue.min_on, cue.refractory}; }

// The float cue in the statistic's format.  With output smoothing (K > 1) the
// statistic is a probability like the float model's, so the hysteresis is
// simply quantized; with K = 1 the chip compares logits, and the hysteresis
// becomes the logit distance logit(T) - logit(T - h) at the float threshold T
// (equal to the float cue's at that threshold).  The raw hysteresis is
// clamped to the format's largest value.
QuantizedCue quantize_cue(const model::CueConfig& cue, const QFormat& statistic, int smoothing, double float_threshold);

// Real-valued (for the float cue on dequantized statistics, bit-identical decisions).
model::CueConfig dequantize_cue(const QuantizedCue& cue, const QFormat& statistic);

nlohmann::json to_json(const QuantizedCue& cue);
// Throws std::invalid_argument (unknown field, wrong type, out of range for `statistic`).
QuantizedCue quantized_cue_from_json(const nlohmann::json& json, const QFormat& statistic);

// Width of the cue's counter: holds max(min_on - 1, refractory) (0 = no counter).
int cue_counter_bits(const QuantizedCue& cue);

}  // namespace gaitlstm::quant
