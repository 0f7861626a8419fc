// The int32 fast path of QuantizedLstm (private to quant/).  It computes
// exactly what QuantizedLstm::run_reference() computes: prepare_fast_lstm()
// accepts a model only when every intermediate of the specification (qlstm.h)
// provably fits int32 — bounds from the formats and the actual weights — and
// within int32 the same additions, shifts and roundings give the same
// integers.  Rounding and overflow are resolved once per tensor
// (Requantizer32), the activation units are tables, and the gate rows are
// int16 x int16 -> int32 dot products laid out for pmaddwd.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "quant/fixed_point.h"

namespace gaitlstm::quant {
class QuantizedLstm;
}

namespace gaitlstm::quant::detail {

// requantize(v, from_frac, to) for |v| <= the bound it was built for; the
// bound keeps v << left and v + offset inside int32.
struct Requantizer32 {
  int left = 0;            // exact left shift (from_frac < to.frac)
  int right = 0;           // rounding right shift (from_frac > to.frac)
  int32_t offset = 0;      // added before the right shift: 0, half, or half - 1 ...
  bool half_even = false;  // ... plus the lowest kept bit (ties to even)
  bool saturate = true;
  int32_t min = 0, max = 0;  // saturate
  int unused_bits = 0;       // wrap: 32 - bits

  int32_t operator()(int32_t v) const {
    v = static_cast<int32_t>(static_cast<uint32_t>(v) << left);
    const int32_t round = offset + (half_even ? (v >> right) & 1 : 0);
    const int32_t r = (v + round) >> right;
    if (saturate) return r < min ? min : (r > max ? max : r);
    return static_cast<int32_t>(static_cast<uint32_t>(r) << unused_bits) >> unused_bits;
  }
};

// The requantizer of values |v| <= bound, if int32 holds every intermediate.
std::optional<Requantizer32> make_requantizer32(int64_t bound, int from_frac, const QFormat& to);

struct FastLstm {
  int inputs = 0, hidden = 0;
  int padded_hidden = 0;  // multiple of 8: every gate's rows start on a vector boundary
  int rows = 0;           // 4 * padded_hidden; row = gate * padded_hidden + unit
  int x_pairs = 0;        // ceil(inputs / 2); x is padded with a zero column
  // Weights of the padding (rows, columns) are zero, so padding never
  // reaches a real unit.  Row-major int16 (portable) and the same weights as
  // [column pair][row] int32 words holding the pair (AVX2 pmaddwd).
  std::vector<int16_t> wx, wh;              // rows x 2 x_pairs, rows x padded_hidden
  std::vector<int32_t> wx_pairs, wh_pairs;  // x_pairs x rows, padded_hidden / 2 x rows
  std::vector<int32_t> bias;                // b << (A - f_b), rows
  int x_shift = 0, h_shift = 0;             // A - f_wx - f_x, A - f_wh - f_h
  int fc_shift = 0, ig_shift = 0;           // aligning f c and i g in the cell sum
  Requantizer32 gate, cell, hidden_out;
  // Activation units over every input code: table[raw - min_raw].
  int32_t gate_min = 0, cell_min = 0;
  std::vector<int32_t> sigmoid, tanh, cell_tanh;
};

// Null when some intermediate might not fit int32 (or a table would be
// larger than 16-bit inputs allow): the caller uses the reference path.
std::shared_ptr<const FastLstm> prepare_fast_lstm(const QuantizedLstm& lstm);

// Final hidden state (raw, `hidden` per window) of each window run from
// h = c = 0 over `steps` step-major input vectors.
void run_fast_portable(const FastLstm& m, std::span<const int64_t* const> windows, int steps, int64_t* hidden);
void run_fast_avx2(const FastLstm& m, std::span<const int64_t* const> windows, int steps, int64_t* hidden);
bool avx2_supported();

}  // namespace gaitlstm::quant::detail
