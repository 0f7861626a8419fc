// The cueing logic: what turns the detector's per-decision statistic into the
// cue the wearer feels (docs/GOLDEN.md, "Cue").  One state machine per
// segment, stepped once per decision with the decision statistic s_n and the
// threshold T_n in force at that decision (fixed today; moving once the chip
// calibrates itself to its wearer):
//
//   off, blocked > 0:  blocked -= 1                          (refractory)
//   off, otherwise:    s_n >= T_n           -> on, held = min_on - 1
//   on,  held > 0:     held -= 1                             (minimum duration)
//   on,  otherwise:    s_n < T_n - hysteresis -> off, blocked = refractory
//   alarm_n = on (after the step)
//
// So an alarm starts when the FoG flag (s_n >= T_n) rises, lasts at least
// `min_on` decisions, then ends at the first decision whose statistic falls
// more than `hysteresis` below the threshold; after it ends, `refractory`
// further decisions cannot start a new one.  The parameters
// (hysteresis 0, min_on 1, refractory 0) give alarm_n == (s_n >= T_n): the
// cue off.  The same template runs on doubles (float model: statistic =
// FoG probability) and on raw integers (golden model, quant/cue.h); the RTL
// (rtl/cue_rtl.h) is bit-exact with the integer one.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/protocol.h"

namespace gaitlstm::model {

inline constexpr int kMaxCueDecisions = 1 << 16;  // bound of min_on and refractory

struct CueConfig {
  double hysteresis = 0;  // statistic units below the threshold an alarm may fall and stay on (>= 0)
  int min_on = 1;         // decisions an alarm lasts at least (>= 1)
  int refractory = 0;     // decisions after an alarm ends that cannot start a new one (>= 0)
  bool active() const { return hysteresis != 0 || min_on != 1 || refractory != 0; }
  bool operator==(const CueConfig&) const = default;
};

// The cue that `--cue` turns on: the most frequent choice of `cv --choose-cue`
// over the 15 folds of the chip-sized detector, seeds 1-3 (docs/RESULTS.md,
// issue 14): a hysteresis of 0.05 in FoG probability, no minimum duration or
// refractory time.
inline CueConfig default_cue() { return {0.05, 1, 0}; }

// Throws std::invalid_argument naming the bad parameter.
void check_cue(double hysteresis, int min_on, int refractory);

// {"hysteresis": x, "min_on": n, "refractory": n}; from_json checks ranges and
// unknown fields (std::invalid_argument).
nlohmann::json to_json(const CueConfig& cue);
CueConfig cue_config_from_json(const nlohmann::json& json);

template <typename Value>
class CueLogic {
 public:
  CueLogic(Value hysteresis, int min_on, int refractory)
      : hysteresis_(hysteresis), min_on_(min_on), refractory_(refractory) {
    check_cue(static_cast<double>(hysteresis), min_on, refractory);
  }

  // The alarm at a decision with statistic s and threshold t (see above).
  bool step(Value s, Value t) {
    if (on_) {
      if (count_ > 0) {
        --count_;
      } else if (s < t - hysteresis_) {
        on_ = false;
        count_ = refractory_;
      }
    } else if (count_ > 0) {
      --count_;
    } else if (s >= t) {
      on_ = true;
      count_ = min_on_ - 1;
    }
    return on_;
  }
  void reset() {
    on_ = false;
    count_ = 0;
  }

 private:
  Value hysteresis_;
  int min_on_, refractory_;
  bool on_ = false;
  int count_ = 0;  // held decisions (on) or blocked decisions (off) still to go
};

// Alarms of protocol decisions with a fixed threshold: the state starts off at
// every segment's first decision.  The decisions of a segment must be
// consecutive (end advancing by `protocol.stride`): a cue has no meaning over
// a gap.  Throws std::invalid_argument otherwise or on a size mismatch.
std::vector<uint8_t> cue_alarms(const CueConfig& cue, const std::vector<data::Decision>& decisions,
                                const std::vector<double>& statistics, double threshold,
                                const data::ProtocolConfig& protocol = {});

// True where decision i starts a new segment (i == 0 or another segment);
// throws std::invalid_argument where a segment's decisions are not consecutive.
std::vector<uint8_t> segment_starts(const std::vector<data::Decision>& decisions, const data::ProtocolConfig& protocol);

}  // namespace gaitlstm::model
