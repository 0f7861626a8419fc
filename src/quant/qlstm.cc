#include "quant/qlstm.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include <fmt/format.h>

#include "quant/qlstm_fast.h"

namespace gaitlstm::quant {

namespace {

int64_t aligned(int64_t value, int from_frac, int to_frac) { return value * (int64_t{1} << (to_frac - from_frac)); }

int64_t magnitude(const QFormat& f) { return -f.min_raw(); }

std::vector<int64_t> tabulate(const ActivationUnit& unit) {
  std::vector<int64_t> table;
  if (unit.input().bits > 16) return table;
  for (int64_t raw = unit.input().min_raw(); raw <= unit.input().max_raw(); ++raw) table.push_back(unit(raw));
  return table;
}

}  // namespace

int bits_for_magnitude(int64_t bound) {
  int bits = 1;
  while (bits < 63 && ((int64_t{1} << (bits - 1)) - 1) < bound) ++bits;
  return bits;
}

QuantizedLstm::QuantizedLstm(const model::LstmParams<float>& params, const LstmFormats& formats)
    : shape_(params.shape),
      formats_(formats),
      sigmoid_(Function::kSigmoid, formats.sigmoid_unit, formats.gate, formats.sigmoid),
      tanh_(Function::kTanh, formats.tanh_unit, formats.gate, formats.tanh),
      cell_tanh_(Function::kTanh, formats.cell_tanh_unit, formats.cell, formats.tanh) {
  for (const QFormat* f : {&formats.input, &formats.input_weight, &formats.recurrent_weight, &formats.gate_bias,
                           &formats.gate, &formats.sigmoid, &formats.tanh, &formats.cell, &formats.hidden,
                           &formats.output_weight, &formats.output_bias, &formats.score})
    validate(*f);
  quantize_weights(params);
  size_accumulators();
  sigmoid_table_ = tabulate(sigmoid_);
  tanh_table_ = tabulate(tanh_);
  cell_tanh_table_ = tabulate(cell_tanh_);
  fast_ = detail::prepare_fast_lstm(*this);
}

int64_t QuantizedLstm::activation(const ActivationUnit& unit, const std::vector<int64_t>& table, int64_t raw) const {
  return table.empty() ? unit(raw) : table[static_cast<size_t>(raw - unit.input().min_raw())];
}

void QuantizedLstm::quantize_weights(const model::LstmParams<float>& params) {
  const int rows = 4 * shape_.hidden, f = shape_.inputs, h = shape_.hidden;
  wx_.resize(static_cast<size_t>(rows * f));
  wh_.resize(static_cast<size_t>(rows * h));
  bias_.resize(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < f; ++j) wx_[static_cast<size_t>(r * f + j)] = quantize(params.input_weights()(r, j), formats_.input_weight);
    for (int k = 0; k < h; ++k)
      wh_[static_cast<size_t>(r * h + k)] = quantize(params.recurrent_weights()(r, k), formats_.recurrent_weight);
    bias_[static_cast<size_t>(r)] = quantize(params.gate_bias()(r), formats_.gate_bias);
  }
  w_out_.resize(static_cast<size_t>(h));
  for (int k = 0; k < h; ++k) w_out_[static_cast<size_t>(k)] = quantize(params.output_weights()(k), formats_.output_weight);
  b_out_ = quantize(params.output_bias(), formats_.output_bias);
}

// Accumulator widths from the actual weights and the largest input codes:
// the worst case of any order of additions fits, so no overflow can occur.
void QuantizedLstm::size_accumulators() {
  const LstmFormats& q = formats_;
  gate_frac_ = std::max({q.gate_bias.frac, q.input_weight.frac + q.input.frac, q.recurrent_weight.frac + q.hidden.frac});
  const int rows = 4 * shape_.hidden, f = shape_.inputs, h = shape_.hidden;
  int64_t worst = 0;
  for (int r = 0; r < rows; ++r) {
    int64_t bound = std::abs(aligned(bias_[static_cast<size_t>(r)], q.gate_bias.frac, gate_frac_));
    for (int j = 0; j < f; ++j)
      bound += std::abs(wx_[static_cast<size_t>(r * f + j)]) * magnitude(q.input) << (gate_frac_ - q.input_weight.frac - q.input.frac);
    for (int k = 0; k < h; ++k)
      bound += std::abs(wh_[static_cast<size_t>(r * h + k)]) * magnitude(q.hidden)
               << (gate_frac_ - q.recurrent_weight.frac - q.hidden.frac);
    worst = std::max(worst, bound);
  }
  gate_bits_ = bits_for_magnitude(worst);

  score_frac_ = std::max(q.output_bias.frac, q.output_weight.frac + q.hidden.frac);
  int64_t score_bound = std::abs(aligned(b_out_, q.output_bias.frac, score_frac_));
  for (int64_t w : w_out_) score_bound += std::abs(w) * magnitude(q.hidden) << (score_frac_ - q.output_weight.frac - q.hidden.frac);
  score_bits_ = bits_for_magnitude(score_bound);
  if (gate_bits_ > 62 || score_bits_ > 62) throw std::invalid_argument("accumulators would exceed 62 bits");
}

int64_t QuantizedLstm::run_reference(const int64_t* inputs, int steps, std::vector<LstmStepTrace>* trace) const {
  const LstmFormats& q = formats_;
  const int h = shape_.hidden, f = shape_.inputs, rows = 4 * h;
  const int x_shift = gate_frac_ - q.input_weight.frac - q.input.frac;
  const int h_shift = gate_frac_ - q.recurrent_weight.frac - q.hidden.frac;
  const int b_shift = gate_frac_ - q.gate_bias.frac;
  // c update: f c (frac s + c) and i g (frac s + t) aligned to the larger.
  const int fc_frac = q.sigmoid.frac + q.cell.frac, ig_frac = q.sigmoid.frac + q.tanh.frac;
  const int cell_frac = std::max(fc_frac, ig_frac);
  const int hidden_product_frac = q.sigmoid.frac + q.tanh.frac;

  std::vector<int64_t> hidden(static_cast<size_t>(h), 0), cell(static_cast<size_t>(h), 0), z(static_cast<size_t>(rows));
  for (int t = 0; t < steps; ++t) {
    const int64_t* x = inputs + static_cast<ptrdiff_t>(t) * f;
    for (int r = 0; r < rows; ++r) {
      const int64_t* wx = &wx_[static_cast<size_t>(r * f)];
      const int64_t* wh = &wh_[static_cast<size_t>(r * h)];
      int64_t sum_x = 0, sum_h = 0;
      for (int j = 0; j < f; ++j) sum_x += wx[j] * x[j];
      for (int k = 0; k < h; ++k) sum_h += wh[k] * hidden[static_cast<size_t>(k)];
      const int64_t acc = (bias_[static_cast<size_t>(r)] << b_shift) + (sum_x << x_shift) + (sum_h << h_shift);
      z[static_cast<size_t>(r)] = requantize(acc, gate_frac_, q.gate);
    }
    for (int k = 0; k < h; ++k) {
      const int64_t i = activation(sigmoid_, sigmoid_table_, z[static_cast<size_t>(k)]);
      const int64_t fg = activation(sigmoid_, sigmoid_table_, z[static_cast<size_t>(h + k)]);
      const int64_t g = activation(tanh_, tanh_table_, z[static_cast<size_t>(2 * h + k)]);
      const int64_t o = activation(sigmoid_, sigmoid_table_, z[static_cast<size_t>(3 * h + k)]);
      const int64_t c_sum = aligned(fg * cell[static_cast<size_t>(k)], fc_frac, cell_frac) + aligned(i * g, ig_frac, cell_frac);
      const int64_t c = requantize(c_sum, cell_frac, q.cell);
      cell[static_cast<size_t>(k)] = c;
      hidden[static_cast<size_t>(k)] = requantize(o * activation(cell_tanh_, cell_tanh_table_, c), hidden_product_frac, q.hidden);
    }
    if (trace) trace->push_back({z, cell, hidden});
  }
  return score_of(hidden.data());
}

int64_t QuantizedLstm::score_of(const int64_t* hidden) const {
  const LstmFormats& q = formats_;
  int64_t acc = aligned(b_out_, q.output_bias.frac, score_frac_);
  const int w_shift = score_frac_ - q.output_weight.frac - q.hidden.frac;
  for (int k = 0; k < shape_.hidden; ++k) acc += (w_out_[static_cast<size_t>(k)] * hidden[k]) << w_shift;
  return requantize(acc, score_frac_, q.score);
}

int64_t QuantizedLstm::run(const int64_t* inputs, int steps, std::vector<LstmStepTrace>* trace) const {
  if (trace || !fast_) return run_reference(inputs, steps, trace);
  int64_t score = 0;
  run_batch({&inputs, 1}, steps, &score);
  return score;
}

void QuantizedLstm::run_batch(std::span<const int64_t* const> windows, int steps, int64_t* scores,
                              LstmKernel kernel) const {
  if (!fast_ || kernel == LstmKernel::kReference) {
    for (size_t w = 0; w < windows.size(); ++w) scores[w] = run_reference(windows[w], steps);
    return;
  }
  const auto h = static_cast<size_t>(shape_.hidden);
  std::vector<int64_t> hidden(windows.size() * h);
  if (kernel == LstmKernel::kBest && detail::avx2_supported())
    detail::run_fast_avx2(*fast_, windows, steps, hidden.data());
  else
    detail::run_fast_portable(*fast_, windows, steps, hidden.data());
  for (size_t w = 0; w < windows.size(); ++w) scores[w] = score_of(&hidden[w * h]);
}

model::LstmParams<float> QuantizedLstm::dequantized() const {
  model::LstmParams<float> p(shape_);
  const int rows = 4 * shape_.hidden, f = shape_.inputs, h = shape_.hidden;
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < f; ++j) p.input_weights()(r, j) = static_cast<float>(dequantize(wx_[static_cast<size_t>(r * f + j)], formats_.input_weight));
    for (int k = 0; k < h; ++k)
      p.recurrent_weights()(r, k) = static_cast<float>(dequantize(wh_[static_cast<size_t>(r * h + k)], formats_.recurrent_weight));
    p.gate_bias()(r) = static_cast<float>(dequantize(bias_[static_cast<size_t>(r)], formats_.gate_bias));
  }
  for (int k = 0; k < h; ++k) p.output_weights()(k) = static_cast<float>(dequantize(w_out_[static_cast<size_t>(k)], formats_.output_weight));
  p.output_bias() = static_cast<float>(dequantize(b_out_, formats_.output_bias));
  return p;
}

nlohmann::json to_json(const LstmFormats& q) {
  return {{"input", to_json(q.input)},
          {"input_weight", to_json(q.input_weight)},
          {"recurrent_weight", to_json(q.recurrent_weight)},
          {"gate_bias", to_json(q.gate_bias)},
          {"gate", to_json(q.gate)},
          {"sigmoid", to_json(q.sigmoid)},
          {"tanh", to_json(q.tanh)},
          {"cell", to_json(q.cell)},
          {"hidden", to_json(q.hidden)},
          {"output_weight", to_json(q.output_weight)},
          {"output_bias", to_json(q.output_bias)},
          {"score", to_json(q.score)},
          {"sigmoid_unit", to_json(q.sigmoid_unit)},
          {"tanh_unit", to_json(q.tanh_unit)},
          {"cell_tanh_unit", to_json(q.cell_tanh_unit)}};
}

LstmFormats lstm_formats_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("LSTM formats must be a JSON object");
  LstmFormats q;
  const std::pair<const char*, QFormat*> tensors[] = {
      {"input", &q.input},   {"input_weight", &q.input_weight}, {"recurrent_weight", &q.recurrent_weight},
      {"gate_bias", &q.gate_bias}, {"gate", &q.gate},           {"sigmoid", &q.sigmoid},
      {"tanh", &q.tanh},     {"cell", &q.cell},                 {"hidden", &q.hidden},
      {"output_weight", &q.output_weight}, {"output_bias", &q.output_bias}, {"score", &q.score}};
  const std::pair<const char*, ActivationConfig*> units[] = {
      {"sigmoid_unit", &q.sigmoid_unit}, {"tanh_unit", &q.tanh_unit}, {"cell_tanh_unit", &q.cell_tanh_unit}};
  for (const auto& [key, _] : json.items()) {
    // [&name = key]: clang 14 (the fuzz build) cannot capture a structured binding.
    const bool known =
        std::any_of(std::begin(tensors), std::end(tensors), [&name = key](auto& t) { return name == t.first; }) ||
        std::any_of(std::begin(units), std::end(units), [&name = key](auto& u) { return name == u.first; });
    if (!known) throw std::invalid_argument("unknown LSTM tensor '" + key + "'");
  }
  for (const auto& [name, format] : tensors) {
    if (!json.contains(name)) throw std::invalid_argument(fmt::format("missing format of tensor '{}'", name));
    try {
      *format = format_from_json(json[name]);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("tensor '{}': {}", name, e.what()));
    }
  }
  for (const auto& [name, unit] : units) {
    if (!json.contains(name)) throw std::invalid_argument(fmt::format("missing activation unit '{}'", name));
    try {
      *unit = activation_from_json(json[name]);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("'{}': {}", name, e.what()));
    }
  }
  return q;
}

}  // namespace gaitlstm::quant
