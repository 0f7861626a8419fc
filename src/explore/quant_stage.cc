#include "explore/quant_stage.h"

#include "quant/calibrate.h"

namespace gaitlstm::explore {

QuantCandidate quantize_candidate(const model::Detector& detector, const BitsCandidate& bits,
                                  const data::Dataset& dataset, const QuantDecisions& decisions,
                                  const data::ProtocolConfig& protocol, int threads) {
  QuantCandidate c;
  c.label = bits.label;
  c.bits = bits.bits;
  c.model = quant::post_training_quantize(detector, dataset, decisions.calibration, decisions.threshold, bits.bits,
                                          protocol, threads);
  return c;
}

}  // namespace gaitlstm::explore
