// The golden model: the whole detector in integer arithmetic, exactly as the
// chip computes it (docs/GOLDEN.md).  Front-end (qfrontend.h) -> a ring of
// the last `history_steps` feature vectors -> at every protocol decision
// (every `stride` samples once `label_window` samples have arrived) the LSTM
// (qlstm.h) runs over the newest min(available, history_steps) vectors from
// h = c = 0 -> logit (score format).  With output smoothing K = 1 the
// decision statistic is that logit; with K > 1 it is the mean of the last
// n = min(K, decisions so far in the segment) probabilities
//   p = sigmoid_unit(logit)                       (probability format)
//   s = requantize(sum p * reciprocal[n], probability)   reciprocal[n] = 1/n
// FoG when the statistic >= threshold T_n: the stored threshold, or with
// self-calibration on (quant/calibration.h, model/calibration.h) the
// calibration's threshold from its state before this decision, after which
// the statistic updates that state (restarted at every segment); the cue (quant/cue.h, model/cue.h)
// turns the statistic and the threshold into the alarm (== FoG with the cue
// off).  No floating point on this path.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/detector.h"
#include "quant/calibration.h"
#include "quant/cue.h"
#include "quant/qfrontend.h"
#include "quant/qlstm.h"

namespace gaitlstm::quant {

// The output stage, used only with output smoothing (K > 1).
struct OutputFormats {
  ActivationConfig unit{ActivationKind::kLut, 8, 3};  // sigmoid; input = LSTM score format
  QFormat probability{10, 9};
  QFormat reciprocal{10, 8};                         // 1/n, n = 1..K
  bool operator==(const OutputFormats&) const = default;
};

struct QuantConfig {
  FrontEndFormats frontend;
  LstmFormats lstm;
  OutputFormats output;
  bool operator==(const QuantConfig&) const = default;
};

nlohmann::json to_json(const QuantConfig& config);
QuantConfig quant_config_from_json(const nlohmann::json& json);  // throws std::invalid_argument

class GoldenDetector {
 public:
  // Throws std::invalid_argument if the detector cannot be built in integer
  // arithmetic (e.g. output smoothing, decimation not a power of two).
  GoldenDetector(const model::Detector& detector, const QuantConfig& config, const data::ProtocolConfig& protocol = {});

  const QuantizedFrontEnd& frontend() const { return frontend_; }
  const QuantizedLstm& lstm() const { return lstm_; }
  int history_steps() const { return history_steps_; }
  int smoothing() const { return smoothing_; }
  // The decision statistic's format: probability (K > 1) or score (K = 1).
  const QFormat& statistic_format() const;
  const ActivationUnit& output_unit() const { return output_unit_; }
  const std::vector<int64_t>& reciprocals() const { return reciprocals_; }  // [n-1] = 1/n
  const OutputFormats& output_formats() const { return output_; }
  // The statistic from the newest min(K, count) probabilities (oldest first).
  int64_t smooth(const int64_t* probabilities, int count) const;
  const data::ProtocolConfig& protocol() const { return protocol_; }
  int64_t threshold() const { return threshold_; }  // raw, statistic format
  void set_threshold(int64_t raw) { threshold_ = raw; }
  const QuantizedCue& cue() const { return cue_; }
  // Throws std::invalid_argument if the hysteresis does not fit statistic_format().
  void set_cue(const QuantizedCue& cue);
  const std::optional<QuantizedCalibration>& calibration() const { return calibration_; }
  // Self-calibration on (or off with nullopt).  Throws std::invalid_argument
  // without output smoothing (K = 1) or if a field does not fit statistic_format().
  void set_calibration(const std::optional<QuantizedCalibration>& calibration);

  // One decision as the chip outputs it.
  struct Output {
    int64_t score = 0;      // the decision statistic s_n, raw (statistic_format())
    int64_t threshold = 0;  // T_n, raw (statistic_format()): the threshold in force at this decision
    bool fog = false;       // s_n >= T_n
    bool alarm = false;     // the cue's output (== fog with the cue off)
  };

  // Streaming, one segment: samples in, an output at every decision.
  class Stream {
   public:
    explicit Stream(const GoldenDetector& detector);
    // `sample`: raw sample-format integers, one per front-end channel.
    std::optional<Output> push(const int64_t* sample);

   private:
    const GoldenDetector& d_;
    QuantizedFrontEnd::Stream frontend_;
    std::deque<std::vector<int64_t>> history_;
    std::deque<int64_t> probabilities_;
    GoldenCue cue_;
    std::optional<model::IntegerCalibrationLogic> calibration_;
    std::vector<int64_t> features_, window_;
    int64_t samples_ = 0;
  };

  // Decision statistics of the given decisions (raw), using `threads`.
  // Smoothing looks at the protocol's earlier decisions of the same segment.
  // `features` (from segment_features of a detector with the same front-end
  // and input formats) skips the front-end.
  using SegmentFeatures = std::vector<std::vector<int64_t>>;
  std::vector<int64_t> score_decisions(const data::Dataset& dataset, const std::vector<data::Decision>& decisions,
                                       int threads = 1, const SegmentFeatures* features = nullptr) const;
  // Threshold, FoG flag and alarm of consecutive protocol decisions from their
  // statistics (score_decisions): what Stream outputs, for the batch path.  The
  // cue and the self-calibration restart at every segment; a segment's
  // decisions must be consecutive.
  std::vector<Output> decide(const std::vector<data::Decision>& decisions, const std::vector<int64_t>& statistics) const;
  // Raw decision statistics as real values (raw x 2^-frac of statistic_format()):
  // comparable across detectors whose formats differ, e.g. pooled over folds.
  std::vector<double> statistic_values(const std::vector<int64_t>& raw) const;
  // Front-end output (steps x F raws) of every segment `decisions` touch; empty for the others.
  SegmentFeatures segment_features(const data::Dataset& dataset, const std::vector<data::Decision>& decisions) const;

  // LSTM logit of one decision from a segment's feature vectors (steps x F raws).
  int64_t logit_at(const std::vector<int64_t>& features, int64_t end) const;
  // The same for decisions ending at `ends`, run in batches (faster).
  std::vector<int64_t> logits_at(const std::vector<int64_t>& features, const std::vector<int64_t>& ends) const;

 private:
  QuantizedFrontEnd frontend_;
  QuantizedLstm lstm_;
  int history_steps_;
  int smoothing_;
  OutputFormats output_;
  ActivationUnit output_unit_;
  std::vector<int64_t> reciprocals_;
  data::ProtocolConfig protocol_;
  int64_t threshold_ = 0;
  QuantizedCue cue_;
  std::optional<QuantizedCalibration> calibration_;
};

// Sample-format raws of one segment's front-end channels (for streaming).
std::vector<int64_t> segment_samples(const GoldenDetector& detector, const data::Dataset& dataset, int segment);

}  // namespace gaitlstm::quant
