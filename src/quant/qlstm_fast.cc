#include "quant/qlstm_fast.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "quant/qlstm.h"

namespace gaitlstm::quant::detail {

namespace {

constexpr int64_t kInt32Max = INT32_MAX;

int64_t magnitude(const QFormat& f) { return -f.min_raw(); }

}  // namespace

std::optional<Requantizer32> make_requantizer32(int64_t bound, int from_frac, const QFormat& to) {
  if (to.bits > 32 || bound > kInt32Max) return std::nullopt;
  Requantizer32 q;
  const int shift = from_frac - to.frac;
  if (shift <= 0) {
    if (-shift > 30 || bound > (kInt32Max >> -shift)) return std::nullopt;
    q.left = -shift;  // exact: shift_round multiplies, no rounding
  } else {
    if (shift > 30 || bound > kInt32Max - (int64_t{1} << (shift - 1))) return std::nullopt;
    q.right = shift;
    // floor(v / 2^s + 1/2) = (v + half) >> s; ties to even need half - 1
    // plus the lowest bit of floor(v / 2^s) (odd floors round up on a tie).
    const int32_t half = int32_t{1} << (shift - 1);
    q.offset = to.rounding == Rounding::kTruncate ? 0 : (to.rounding == Rounding::kHalfUp ? half : half - 1);
    q.half_even = to.rounding == Rounding::kHalfEven;
  }
  q.saturate = to.overflow == Overflow::kSaturate;
  q.min = static_cast<int32_t>(to.min_raw());
  q.max = static_cast<int32_t>(to.max_raw());
  q.unused_bits = 32 - to.bits;
  return q;
}

namespace {

std::vector<int32_t> tabulate32(const ActivationUnit& unit) {
  std::vector<int32_t> table;
  for (int64_t raw = unit.input().min_raw(); raw <= unit.input().max_raw(); ++raw)
    table.push_back(static_cast<int32_t>(unit(raw)));
  return table;
}

bool fits16(const std::vector<int64_t>& values) {
  return std::all_of(values.begin(), values.end(), [](int64_t v) { return v >= INT16_MIN && v <= INT16_MAX; });
}

int32_t pair_word(int16_t low, int16_t high) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint16_t>(low)) |
                              (static_cast<uint32_t>(static_cast<uint16_t>(high)) << 16));
}

// Row-major int16 weights (`cols` real columns) into padded rows and their pair words.
void lay_out(const std::vector<int64_t>& w, int hidden, int cols, int padded_hidden, int padded_cols,
             std::vector<int16_t>& rows_major, std::vector<int32_t>& pairs) {
  const int rows = 4 * padded_hidden;
  rows_major.assign(static_cast<size_t>(rows * padded_cols), 0);
  for (int gate = 0; gate < 4; ++gate)
    for (int unit = 0; unit < hidden; ++unit)
      for (int c = 0; c < cols; ++c)
        rows_major[static_cast<size_t>((gate * padded_hidden + unit) * padded_cols + c)] =
            static_cast<int16_t>(w[static_cast<size_t>((gate * hidden + unit) * cols + c)]);
  pairs.assign(static_cast<size_t>(padded_cols / 2 * rows), 0);
  for (int p = 0; p < padded_cols / 2; ++p)
    for (int r = 0; r < rows; ++r) {
      const int16_t* row = &rows_major[static_cast<size_t>(r * padded_cols)];
      pairs[static_cast<size_t>(p * rows + r)] = pair_word(row[2 * p], row[2 * p + 1]);
    }
}

// The bounds that decide whether int32 suffices; false if not.
bool plan_arithmetic(const QuantizedLstm& lstm, FastLstm& m) {
  const LstmFormats& q = lstm.formats();
  for (const QFormat* f : {&q.input, &q.hidden, &q.gate, &q.cell})
    if (f->bits > 16) return false;  // int16 operands, 16-bit table addresses
  if (!fits16(lstm.input_weights()) || !fits16(lstm.recurrent_weights())) return false;
  // Every partial sum of the gate accumulator is within its width.
  const int a = lstm.gate_accumulator_frac();
  const int64_t gate_bound = (int64_t{1} << (lstm.gate_accumulator_bits() - 1)) - 1;
  const auto gate = make_requantizer32(gate_bound, a, q.gate);
  // c sum: f c_prev and i g aligned to the larger fraction.
  const int fc_frac = q.sigmoid.frac + q.cell.frac, ig_frac = q.sigmoid.frac + q.tanh.frac;
  const int cell_frac = std::max(fc_frac, ig_frac);
  m.fc_shift = cell_frac - fc_frac;
  m.ig_shift = cell_frac - ig_frac;
  if (m.fc_shift > 30 || m.ig_shift > 30) return false;
  const int64_t s = magnitude(q.sigmoid), t = magnitude(q.tanh), c = magnitude(q.cell);
  if (s > kInt32Max || t > kInt32Max) return false;  // products below stay in int64
  if (s * c > (kInt32Max >> m.fc_shift) || s * t > (kInt32Max >> m.ig_shift)) return false;
  const int64_t cell_bound = ((s * c) << m.fc_shift) + ((s * t) << m.ig_shift);
  const auto cell = make_requantizer32(cell_bound, cell_frac, q.cell);
  const auto hidden = make_requantizer32(s * t, q.sigmoid.frac + q.tanh.frac, q.hidden);
  if (!gate || !cell || !hidden) return false;
  m.gate = *gate;
  m.cell = *cell;
  m.hidden_out = *hidden;
  m.x_shift = a - q.input_weight.frac - q.input.frac;
  m.h_shift = a - q.recurrent_weight.frac - q.hidden.frac;
  return true;
}

}  // namespace

std::shared_ptr<const FastLstm> prepare_fast_lstm(const QuantizedLstm& lstm) {
  auto m = std::make_shared<FastLstm>();
  if (!plan_arithmetic(lstm, *m)) return nullptr;
  const LstmFormats& q = lstm.formats();
  m->inputs = lstm.shape().inputs;
  m->hidden = lstm.shape().hidden;
  m->padded_hidden = (m->hidden + 7) / 8 * 8;
  m->rows = 4 * m->padded_hidden;
  m->x_pairs = (m->inputs + 1) / 2;
  lay_out(lstm.input_weights(), m->hidden, m->inputs, m->padded_hidden, 2 * m->x_pairs, m->wx, m->wx_pairs);
  lay_out(lstm.recurrent_weights(), m->hidden, m->hidden, m->padded_hidden, m->padded_hidden, m->wh, m->wh_pairs);
  m->bias.assign(static_cast<size_t>(m->rows), 0);
  const int b_shift = lstm.gate_accumulator_frac() - q.gate_bias.frac;
  for (int gate = 0; gate < 4; ++gate)
    for (int unit = 0; unit < m->hidden; ++unit)
      m->bias[static_cast<size_t>(gate * m->padded_hidden + unit)] =
          static_cast<int32_t>(lstm.gate_bias()[static_cast<size_t>(gate * m->hidden + unit)] << b_shift);
  m->gate_min = static_cast<int32_t>(q.gate.min_raw());
  m->cell_min = static_cast<int32_t>(q.cell.min_raw());
  m->sigmoid = tabulate32(lstm.sigmoid_unit());
  m->tanh = tabulate32(lstm.tanh_unit());
  m->cell_tanh = tabulate32(lstm.cell_tanh_unit());
  return m;
}

namespace {

int32_t dot16(const int16_t* w, const int16_t* v, int n) {
  int32_t sum = 0;  // exact: every partial sum is within the gate bound
  for (int i = 0; i < n; ++i) sum += int32_t{w[i]} * int32_t{v[i]};
  return sum;
}

void gate_rows(const FastLstm& m, const int16_t* x, const int16_t* h, int32_t* z) {
  const int x_cols = 2 * m.x_pairs;
  for (int r = 0; r < m.rows; ++r) {
    const int32_t sum_x = dot16(&m.wx[static_cast<size_t>(r * x_cols)], x, x_cols);
    const int32_t sum_h = dot16(&m.wh[static_cast<size_t>(r * m.padded_hidden)], h, m.padded_hidden);
    const int32_t acc = m.bias[static_cast<size_t>(r)] + (sum_x << m.x_shift) + (sum_h << m.h_shift);
    z[r] = m.gate(acc);
  }
}

void update_cells(const FastLstm& m, const int32_t* z, int32_t* c, int16_t* h) {
  const int hp = m.padded_hidden;
  auto sigmoid = [&](int32_t raw) { return m.sigmoid[static_cast<size_t>(raw - m.gate_min)]; };
  for (int k = 0; k < hp; ++k) {
    const int32_t i = sigmoid(z[k]), f = sigmoid(z[hp + k]), o = sigmoid(z[3 * hp + k]);
    const int32_t g = m.tanh[static_cast<size_t>(z[2 * hp + k] - m.gate_min)];
    c[k] = m.cell(((f * c[k]) << m.fc_shift) + ((i * g) << m.ig_shift));
    h[k] = static_cast<int16_t>(m.hidden_out(o * m.cell_tanh[static_cast<size_t>(c[k] - m.cell_min)]));
  }
}

}  // namespace

void run_fast_portable(const FastLstm& m, std::span<const int64_t* const> windows, int steps, int64_t* hidden) {
  std::vector<int16_t> x(static_cast<size_t>(2 * m.x_pairs), 0), h(static_cast<size_t>(m.padded_hidden));
  std::vector<int32_t> c(h.size()), z(static_cast<size_t>(m.rows));
  for (size_t w = 0; w < windows.size(); ++w) {
    std::fill(h.begin(), h.end(), 0);
    std::fill(c.begin(), c.end(), 0);
    for (int t = 0; t < steps; ++t) {
      const int64_t* step = windows[w] + static_cast<ptrdiff_t>(t) * m.inputs;
      for (int j = 0; j < m.inputs; ++j) x[static_cast<size_t>(j)] = static_cast<int16_t>(step[j]);
      gate_rows(m, x.data(), h.data(), z.data());
      update_cells(m, z.data(), c.data(), h.data());
    }
    std::copy(h.begin(), h.begin() + m.hidden, hidden + w * static_cast<size_t>(m.hidden));
  }
}

}  // namespace gaitlstm::quant::detail
