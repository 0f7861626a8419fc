// The site-shift battery's shifts (docs/PROTOCOL.md): fixed transforms of
// test recordings that imitate another wearer, sensor or site, built from
// the augmentation's primitives (data/augment.h).  A model that holds scores
// the shifted recordings about as well as the originals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace gaitlstm::data {

enum class ShiftKind {
  kNone,      // identity (the unshifted reference, through the same path)
  kRotation,  // each sensor of each segment turned by its own rotation uniform on SO(3)
  kGain,      // every channel x parameter
  kOffset,    // each sensor + a DC vector of `parameter` mg, direction uniform per segment
  kRate,      // recorded at `parameter` Hz and resampled to the dataset rate by the loader's resampler
  kNoise,     // + white Gaussian noise of sd `parameter` mg
  kAdc,       // rounded to an LSB of `parameter` mg
  kWarp,      // cadence x parameter (the time axis and labels stretched by 1/parameter)
};

struct Shift {
  ShiftKind kind = ShiftKind::kNone;
  double parameter = 0;  // unused by none and rotation

  std::string name() const;  // as parse_shifts reads it, e.g. "gain:0.5", "rotation"
};

// The battery: rotation, gain:0.5, gain:2, rate:128, rate:100,
// noise, warp:0.8, warp:1.2.
const std::vector<Shift>& standard_shifts();

// "all" (standard_shifts) or a comma list of none, rotation, gain:G,
// offset[:MG], rate:HZ, noise[:MG], adc[:MG], warp:F (defaults: offset 200
// mg, noise 20 mg, adc 16 mg).  Throws std::invalid_argument naming the bad
// entry and the valid forms.
std::vector<Shift> parse_shifts(const std::string& text);

// `segment` (at `sample_rate_hz`) under `shift`; random draws (rotation,
// offset direction, noise) from `seed`.
Segment apply_shift(const Segment& segment, const Shift& shift, double sample_rate_hz, uint64_t seed);

// The segments of `subjects` under `shift` (segment s draws from a seed
// mixed from `seed` and s); other subjects are left out.
Dataset apply_shift(const Dataset& dataset, const std::vector<int>& subjects, const Shift& shift,
                    uint64_t seed);

// `dataset` with, right after each segment, its copy under each of
// `shifts` (same subject and run, so subject filters pick the copies too;
// segment s under shift k draws from a seed mixed from `seed`, k and s).
// E.g. the bit-width search's data at other sensor gains
// (`cv --quant-search --search-shift`).
Dataset with_shifted_copies(const Dataset& dataset, const std::vector<Shift>& shifts, uint64_t seed);

}  // namespace gaitlstm::data
