// The fast path with AVX2 intrinsics, compiled for AVX2 function by function
// (the rest of the binary stays portable) and used only when the CPU has it.
// Same arithmetic as run_fast_portable: eight int32 lanes are eight rows
// (gate pass) or eight units (cell pass); every lane operation is exact for
// the same reason (qlstm_fast.h).
#include "quant/qlstm_fast.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GAITLSTM_AVX2 1
#endif

namespace gaitlstm::quant::detail {

#ifdef GAITLSTM_AVX2

bool avx2_supported() { return __builtin_cpu_supports("avx2"); }

namespace {

#define AVX2_FN __attribute__((target("avx2"))) inline

AVX2_FN __m256i load(const int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
AVX2_FN void store(int32_t* p, __m256i v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }

// A Requantizer32 with its constants in registers (loaded once per group,
// not after every store that might alias them).
struct VectorRequantizer {
  __m128i left, right, unused;
  __m256i offset, one, min, max;
  bool half_even, saturate;
};

AVX2_FN VectorRequantizer vectorized(const Requantizer32& q) {
  return {_mm_cvtsi32_si128(q.left),      _mm_cvtsi32_si128(q.right),  _mm_cvtsi32_si128(q.unused_bits),
          _mm256_set1_epi32(q.offset),    _mm256_set1_epi32(1),        _mm256_set1_epi32(q.min),
          _mm256_set1_epi32(q.max),       q.half_even,                 q.saturate};
}

AVX2_FN __m256i requantize(const VectorRequantizer& q, __m256i v) {
  v = _mm256_sll_epi32(v, q.left);
  __m256i round = q.offset;
  if (q.half_even) round = _mm256_add_epi32(round, _mm256_and_si256(_mm256_sra_epi32(v, q.right), q.one));
  const __m256i r = _mm256_sra_epi32(_mm256_add_epi32(v, round), q.right);
  if (q.saturate) return _mm256_min_epi32(_mm256_max_epi32(r, q.min), q.max);
  return _mm256_sra_epi32(_mm256_sll_epi32(r, q.unused), q.unused);
}

AVX2_FN __m256i lookup(const std::vector<int32_t>& table, __m256i raw, int32_t min_raw) {
  return _mm256_i32gather_epi32(table.data(), _mm256_sub_epi32(raw, _mm256_set1_epi32(min_raw)), 4);
}

// Elements 2i and 2i + 1 as one int32 word (the operand pmaddwd pairs with a weight pair).
int32_t pair_at(const std::vector<int16_t>& v, size_t i) {
  int32_t word;
  std::memcpy(&word, &v[2 * i], sizeof word);
  return word;
}

// Per-window state of one group; h as int16 so a pair of units is one int32 word.
struct GroupState {
  std::vector<int16_t> x, h;
  std::vector<int32_t> z, c;
  GroupState(const FastLstm& m, int windows)
      : x(static_cast<size_t>(windows * 2 * m.x_pairs)),
        h(static_cast<size_t>(windows * m.padded_hidden)),
        z(static_cast<size_t>(windows * m.rows)),
        c(h.size()) {}
};

// acc[g][v] = sum_p weight_pairs[p][r0 + 8v ..] * operand pair p of window g
// (pmaddwd: two int16 products summed into each int32 lane), for G windows
// and R row vectors: each weight vector loaded once serves all G windows.
template <int G, int R>
AVX2_FN void dot_block(const std::vector<int32_t>& weight_pairs, int rows, int r0,
                       const std::vector<int16_t>& operands, int pairs, __m256i (&acc)[G][R]) {
  for (auto& window : acc)
    for (auto& a : window) a = _mm256_setzero_si256();
  for (int p = 0; p < pairs; ++p) {
    __m256i w[R];
    for (int v = 0; v < R; ++v) w[v] = load(&weight_pairs[static_cast<size_t>(p * rows + r0 + 8 * v)]);
    for (int g = 0; g < G; ++g) {
      const __m256i x = _mm256_set1_epi32(pair_at(operands, static_cast<size_t>(g * pairs + p)));
      for (int v = 0; v < R; ++v) acc[g][v] = _mm256_add_epi32(acc[g][v], _mm256_madd_epi16(w[v], x));
    }
  }
}

// Row vectors per block: G x R accumulators stay in registers; rows / 8 is a
// multiple of 4.
template <int G>
constexpr int kRowVectors = G == 1 ? 4 : 2;

// z = b << .. + (sum Wx x) << x_shift, for G windows.
template <int G>
AVX2_FN void input_pass(const FastLstm& m, GroupState& s) {
  constexpr int R = kRowVectors<G>;
  const __m128i x_shift = _mm_cvtsi32_si128(m.x_shift);
  for (int r0 = 0; r0 < m.rows; r0 += 8 * R) {
    __m256i acc[G][R];
    dot_block(m.wx_pairs, m.rows, r0, s.x, m.x_pairs, acc);
    for (int g = 0; g < G; ++g)
      for (int v = 0; v < R; ++v) {
        const __m256i bias = load(&m.bias[static_cast<size_t>(r0 + 8 * v)]);
        const __m256i z = _mm256_add_epi32(bias, _mm256_sll_epi32(acc[g][v], x_shift));
        store(&s.z[static_cast<size_t>(g * m.rows + r0 + 8 * v)], z);
      }
  }
}

// z = requantize(z + (sum Wh h) << h_shift, gate), for G windows.
template <int G>
AVX2_FN void recurrent_pass(const FastLstm& m, const VectorRequantizer& gate, GroupState& s) {
  constexpr int R = kRowVectors<G>;
  const __m128i h_shift = _mm_cvtsi32_si128(m.h_shift);
  for (int r0 = 0; r0 < m.rows; r0 += 8 * R) {
    __m256i acc[G][R];
    dot_block(m.wh_pairs, m.rows, r0, s.h, m.padded_hidden / 2, acc);
    for (int g = 0; g < G; ++g)
      for (int v = 0; v < R; ++v) {
        int32_t* z = &s.z[static_cast<size_t>(g * m.rows + r0 + 8 * v)];
        store(z, requantize(gate, _mm256_add_epi32(load(z), _mm256_sll_epi32(acc[g][v], h_shift))));
      }
  }
}

// c and h of one window from its gate values, eight units at a time.
AVX2_FN void cell_pass(const FastLstm& m, const VectorRequantizer& cell_rq, const VectorRequantizer& hidden_rq,
                       const int32_t* z, int32_t* c, int16_t* h) {
  const int hp = m.padded_hidden;
  const __m128i fc_shift = _mm_cvtsi32_si128(m.fc_shift), ig_shift = _mm_cvtsi32_si128(m.ig_shift);
  for (int k = 0; k < hp; k += 8) {
    const __m256i i = lookup(m.sigmoid, load(z + k), m.gate_min);
    const __m256i f = lookup(m.sigmoid, load(z + hp + k), m.gate_min);
    const __m256i g = lookup(m.tanh, load(z + 2 * hp + k), m.gate_min);
    const __m256i o = lookup(m.sigmoid, load(z + 3 * hp + k), m.gate_min);
    const __m256i fc = _mm256_sll_epi32(_mm256_mullo_epi32(f, load(c + k)), fc_shift);
    const __m256i ig = _mm256_sll_epi32(_mm256_mullo_epi32(i, g), ig_shift);
    const __m256i cell = requantize(cell_rq, _mm256_add_epi32(fc, ig));
    store(c + k, cell);
    const __m256i hidden = requantize(hidden_rq, _mm256_mullo_epi32(o, lookup(m.cell_tanh, cell, m.cell_min)));
    // hidden is within int16 (hidden format <= 16 bits): the saturating pack is exact.
    const __m128i packed = _mm_packs_epi32(_mm256_castsi256_si128(hidden), _mm256_extracti128_si256(hidden, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(h + k), packed);
  }
}

template <int G>
AVX2_FN void run_group(const FastLstm& m, const int64_t* const* windows, int steps, int64_t* hidden) {
  GroupState s(m, G);
  const VectorRequantizer gate = vectorized(m.gate), cell = vectorized(m.cell), hidden_rq = vectorized(m.hidden_out);
  for (int t = 0; t < steps; ++t) {
    for (int g = 0; g < G; ++g) {
      const int64_t* step = windows[g] + static_cast<ptrdiff_t>(t) * m.inputs;
      int16_t* x = &s.x[static_cast<size_t>(g * 2 * m.x_pairs)];
      for (int j = 0; j < m.inputs; ++j) x[j] = static_cast<int16_t>(step[j]);
    }
    input_pass<G>(m, s);
    recurrent_pass<G>(m, gate, s);
    for (int g = 0; g < G; ++g) {
      const auto units = static_cast<size_t>(g * m.padded_hidden);
      cell_pass(m, cell, hidden_rq, &s.z[static_cast<size_t>(g * m.rows)], &s.c[units], &s.h[units]);
    }
  }
  for (int g = 0; g < G; ++g)
    std::copy_n(&s.h[static_cast<size_t>(g * m.padded_hidden)], m.hidden, hidden + g * m.hidden);
}

#undef AVX2_FN

}  // namespace

void run_fast_avx2(const FastLstm& m, std::span<const int64_t* const> windows, int steps, int64_t* hidden) {
  constexpr size_t kGroup = 4;  // 4 windows x 2 row vectors of accumulators: half the registers
  size_t w = 0;
  for (; w + kGroup <= windows.size(); w += kGroup) run_group<kGroup>(m, &windows[w], steps, hidden + w * m.hidden);
  for (; w < windows.size(); ++w) run_group<1>(m, &windows[w], steps, hidden + w * m.hidden);
}

#else

bool avx2_supported() { return false; }

void run_fast_avx2(const FastLstm&, std::span<const int64_t* const>, int, int64_t*) {
  throw std::logic_error("AVX2 fast path called on a build without it");
}

#endif

}  // namespace gaitlstm::quant::detail
