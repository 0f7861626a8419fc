// The LSTM of the detector in integer arithmetic: the part of the golden
// model (and of the chip) after the front-end.  Every tensor has its own
// fixed-point format (quant/fixed_point.h); the operations and their order
// are the specification the RTL matches bit for bit (docs/GOLDEN.md):
//
//   gate pre-activation, per row r of the 4H rows (gate order i, f, g, o):
//     acc_r = b_r << (A - f_b) + sum_j Wx_rj x_j << (A - f_wx - f_x)
//                              + sum_k Wh_rk h_k << (A - f_wh - f_h)
//     with A = max(f_b, f_wx + f_x, f_wh + f_h) fraction bits; the
//     accumulator is wide enough that no order of additions can overflow
//     (gate_accumulator_bits(), from the actual weights), so every
//     architecture may add in its own order.
//     z_r = requantize(acc_r, A, gate)                      (round, saturate)
//   i, f, o = sigmoid_unit(z),  g = tanh_unit(z)            (quant/activation.h)
//   c = requantize(f c_prev << .. + i g << .., cell)         exact sum, one rounding
//   h = requantize(o * cell_tanh_unit(c), hidden)            cell_tanh input = cell format
//   score = requantize(b_out << .. + sum_k w_k h_k << .., score)
//
// A decision runs the LSTM over its history window from h = c = 0.
//
// Speed (docs/GOLDEN.md, "Speed"): when every intermediate provably fits 32
// bits (checked once from the formats and the actual weights), run() and
// run_batch() use an int32 fast path (AVX2 when the CPU has it); otherwise
// they use run_reference().  Both give the same results for every input.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/lstm.h"
#include "quant/activation.h"
#include "quant/fixed_point.h"

namespace gaitlstm::quant {

struct LstmFormats {
  QFormat input{8, 5};            // x: normalized front-end features
  QFormat input_weight{8, 6};     // W_x
  QFormat recurrent_weight{8, 6}; // W_h
  QFormat gate_bias{8, 5};        // b
  QFormat gate{8, 4};             // z: pre-activation = input of the gate units
  QFormat sigmoid{8, 7};          // i, f, o
  QFormat tanh{8, 7};             // g and tanh(c)
  QFormat cell{10, 6};            // c (= input of the cell tanh unit)
  QFormat hidden{8, 7};           // h
  QFormat output_weight{8, 5};    // w_out
  QFormat output_bias{8, 5};      // b_out
  QFormat score{12, 6};           // logit of FoG
  ActivationConfig sigmoid_unit{ActivationKind::kLut, 6, 3};
  ActivationConfig tanh_unit{ActivationKind::kLut, 6, 2};
  ActivationConfig cell_tanh_unit{ActivationKind::kLut, 6, 2};
  bool operator==(const LstmFormats&) const = default;
};

nlohmann::json to_json(const LstmFormats& formats);
LstmFormats lstm_formats_from_json(const nlohmann::json& json);  // throws std::invalid_argument

// Per-step values, for debugging and for the RTL's debug ports.
struct LstmStepTrace {
  std::vector<int64_t> gate;    // z, 4H
  std::vector<int64_t> cell;    // c, H
  std::vector<int64_t> hidden;  // h, H
};

namespace detail {
struct FastLstm;  // qlstm_fast.h
}

// Which implementation runs the windows (tests pin one; results never differ).
enum class LstmKernel : uint8_t {
  kBest,       // AVX2 fast path if the CPU has it, else the portable one, else reference
  kPortable,   // fast path in plain C++, else reference
  kReference,  // run_reference
};

class QuantizedLstm {
 public:
  // Quantizes the float weights into the formats (rounding/overflow of each).
  QuantizedLstm(const model::LstmParams<float>& params, const LstmFormats& formats);

  const model::LstmShape& shape() const { return shape_; }
  const LstmFormats& formats() const { return formats_; }

  // Runs `steps` input vectors (raw, `inputs()` each, step-major, within the
  // input format) from h = c = 0 and returns the score (raw, score format).
  // `trace`, if given, receives every step's z, c and h.
  int64_t run(const int64_t* inputs, int steps, std::vector<LstmStepTrace>* trace = nullptr) const;

  // scores[w] = run(windows[w], steps) for every window; faster per window
  // than run() (windows share each weight load and fill the vector lanes).
  void run_batch(std::span<const int64_t* const> windows, int steps, int64_t* scores,
                 LstmKernel kernel = LstmKernel::kBest) const;

  // The arithmetic of the header comment written plainly in int64_t: the
  // specification run() and run_batch() equal bit for bit.  Slow.
  int64_t run_reference(const int64_t* inputs, int steps, std::vector<LstmStepTrace>* trace = nullptr) const;

  // True when the int32 fast path applies to these formats and weights.
  bool has_fast_path() const { return fast_ != nullptr; }

  // Raw weights, row-major per gate row: what the chip's ROM holds.
  const std::vector<int64_t>& input_weights() const { return wx_; }      // 4H x F, row-major
  const std::vector<int64_t>& recurrent_weights() const { return wh_; }  // 4H x H, row-major
  const std::vector<int64_t>& gate_bias() const { return bias_; }        // 4H
  const std::vector<int64_t>& output_weights() const { return w_out_; }  // H
  int64_t output_bias() const { return b_out_; }
  const ActivationUnit& sigmoid_unit() const { return sigmoid_; }
  const ActivationUnit& tanh_unit() const { return tanh_; }
  const ActivationUnit& cell_tanh_unit() const { return cell_tanh_; }

  // Fraction bits and width of the gate and score accumulators.
  int gate_accumulator_frac() const { return gate_frac_; }
  int gate_accumulator_bits() const { return gate_bits_; }
  int score_accumulator_frac() const { return score_frac_; }
  int score_accumulator_bits() const { return score_bits_; }

  // The float weights these raws stand for (for QAT and reports).
  model::LstmParams<float> dequantized() const;

 private:
  void quantize_weights(const model::LstmParams<float>& params);
  void size_accumulators();
  int64_t activation(const ActivationUnit& unit, const std::vector<int64_t>& table, int64_t raw) const;
  int64_t score_of(const int64_t* hidden) const;

  model::LstmShape shape_;
  LstmFormats formats_;
  std::vector<int64_t> wx_, wh_, bias_, w_out_;
  int64_t b_out_ = 0;
  ActivationUnit sigmoid_, tanh_, cell_tanh_;
  int gate_frac_ = 0, gate_bits_ = 0, score_frac_ = 0, score_bits_ = 0;
  // Speed only, same results: each activation unit tabulated over all its
  // input codes (inputs <= 16 bits), and the int32 fast path's data (null
  // when some intermediate might not fit 32 bits).  Immutable, so shared.
  std::vector<int64_t> sigmoid_table_, tanh_table_, cell_tanh_table_;
  std::shared_ptr<const detail::FastLstm> fast_;
};

// Smallest signed width holding every value in [-bound, bound].
int bits_for_magnitude(int64_t bound);

}  // namespace gaitlstm::quant
