#include "rtl/detector_rtl.h"

#include <fmt/format.h>

#include "rtl/calibration_rtl.h"
#include "rtl/cue_rtl.h"
#include "rtl/frontend_rtl.h"

namespace gaitlstm::rtl {

namespace {

// Output smoothing (K > 1): p = sigmoid(score) into a K-entry shift register
// (zero at a segment start), then mean = sum * reciprocal[n] one cycle later.
std::string output_stage(const quant::GoldenDetector& golden, const std::string& top) {
  const int k = golden.smoothing();
  if (k == 1) return "";
  const quant::OutputFormats& o = golden.output_formats();
  const int pb = o.probability.bits, rb = o.reciprocal.bits;
  const int n_bits = count_bits(k + 1);
  const int sum_bits = pb + count_bits(k) + 1;
  const int product_bits = sum_bits + rb;
  std::string v = fmt::format(
      "  // output smoothing over the last {k} decisions\n"
      "  wire signed [{pt}:0] probability;\n"
      "  {top}_output_sigmoid output_unit (.x(core_score), .y(probability));\n"
      "  reg signed [{pt}:0] recent [0:{kl}];\n"
      "  reg [{nt}:0] count;\n"
      "  reg smooth_valid_next;\n"
      "  reg smooth_valid;\n"
      "  reg signed [{rt}:0] reciprocal;\n"
      "  always @(*) begin\n    case (count)\n",
      fmt::arg("k", k), fmt::arg("pt", pb - 1), fmt::arg("top", top), fmt::arg("kl", k - 1), fmt::arg("nt", n_bits - 1),
      fmt::arg("rt", rb - 1));
  for (int n = 1; n <= k; ++n)
    v += fmt::format("      {}'d{}: reciprocal = {};\n", n_bits, n, signed_literal(golden.reciprocals()[static_cast<size_t>(n - 1)], rb));
  v += fmt::format("      default: reciprocal = {};\n    endcase\n  end\n", signed_literal(0, rb));
  v += fmt::format("  wire signed [{}:0] recent_sum = {}", sum_bits - 1, sign_extend("recent[0]", pb, sum_bits));
  for (int i = 1; i < k; ++i) v += " + " + sign_extend(fmt::format("recent[{}]", i), pb, sum_bits);
  v += ";\n";
  v += fmt::format("  wire signed [{}:0] recent_sum_wide = {};\n", product_bits - 1, sign_extend("recent_sum", sum_bits, product_bits));
  v += fmt::format("  wire signed [{}:0] reciprocal_wide = {};\n", product_bits - 1, sign_extend("reciprocal", rb, product_bits));
  v += fmt::format("  wire signed [{}:0] mean_product = recent_sum_wide * reciprocal_wide;\n", product_bits - 1);
  v += requantize_function("rq_mean", product_bits, o.probability.frac + o.reciprocal.frac, o.probability);
  v += fmt::format("  wire signed [{}:0] smoothed = rq_mean(mean_product);\n", pb - 1);
  v += fmt::format(
      "  integer j;\n"
      "  always @(posedge clk) begin\n"
      "    if (rst) begin\n"
      "      for (j = 0; j < {k}; j = j + 1) recent[j] <= {pz};\n"
      "      count <= {nz}; smooth_valid <= 1'b0; smooth_valid_next <= 1'b0;\n"
      "    end else begin\n"
      "      smooth_valid <= smooth_valid_next;\n"
      "      smooth_valid_next <= 1'b0;\n"
      "      if (core_done) begin\n"
      "        recent[0] <= probability;\n"
      "        for (j = 1; j < {k}; j = j + 1) recent[j] <= recent[j - 1];\n"
      "        if (count != {nk}) count <= count + {n1};\n"
      "        smooth_valid_next <= 1'b1;\n"
      "      end\n"
      "    end\n"
      "  end\n",
      fmt::arg("k", k), fmt::arg("pz", signed_literal(0, pb)), fmt::arg("nz", fmt::format("{}'d0", n_bits)),
      fmt::arg("nk", fmt::format("{}'d{}", n_bits, k)), fmt::arg("n1", fmt::format("{}'d1", n_bits)));
  return v;
}

// The cue after the threshold comparator (rtl/cue_rtl.h), registered beside
// out_fog; with the cue off the alarm is the FoG flag itself (no logic).
std::string cue_instance(const quant::GoldenDetector& golden, const std::string& top) {
  if (!golden.cue().active()) return "  assign out_alarm = out_fog;\n";
  const bool smoothed = golden.smoothing() > 1;
  return fmt::format(
      "  // cue: alarm from the statistic and the threshold of each decision\n"
      "  wire cue_alarm;\n"
      "  reg alarm;\n"
      "  {top}_cue cue (.clk(clk), .rst(rst), .decide({valid}), .statistic({s}), .threshold(threshold), .alarm(cue_alarm));\n"
      "  assign out_alarm = alarm;\n",
      fmt::arg("top", top), fmt::arg("valid", smoothed ? "smooth_valid" : "core_done"),
      fmt::arg("s", smoothed ? "smoothed" : "core_score"));
}

// T_n: the stored threshold, or with self-calibration on the calibration
// unit's output, advanced by each decision's statistic (calibration_rtl.h).
std::string threshold_source(const quant::GoldenDetector& golden, const std::string& top, const std::string& valid,
                             const std::string& statistic) {
  const int ob = golden.statistic_format().bits;
  if (!golden.calibration())
    return fmt::format("  // T_n, the threshold in force at a decision: the stored one\n"
                       "  wire signed [{}:0] threshold = {};\n"
                       "  assign out_threshold = threshold;\n",
                       ob - 1, signed_literal(golden.threshold(), ob));
  return fmt::format(
      "  // T_n, the threshold in force at a decision: the wearer's self-calibration (state before this decision)\n"
      "  wire signed [{ot}:0] threshold;\n"
      "  {top}_calibration calibration (.clk(clk), .rst(rst), .decide({valid}), .statistic({s}), .threshold(threshold));\n"
      "  // out_threshold: the T_n the output decision was compared with (the state has moved on since)\n"
      "  reg signed [{ot}:0] used_threshold;\n"
      "  always @(posedge clk) if (rst) used_threshold <= {zero}; else if ({valid}) used_threshold <= threshold;\n"
      "  assign out_threshold = used_threshold;\n",
      fmt::arg("zero", signed_literal(0, ob)),
      fmt::arg("ot", ob - 1), fmt::arg("top", top), fmt::arg("valid", valid), fmt::arg("s", statistic));
}

std::string top_module(const quant::GoldenDetector& golden, const DetectorConfig& config) {
  const std::string statistic_valid = golden.smoothing() > 1 ? "smooth_valid" : "core_done";
  const std::string statistic = golden.smoothing() > 1 ? "smoothed" : "core_score";
  const auto& fe = golden.frontend();
  const auto& q = golden.lstm().formats();
  const int channels = fe.config().channels(), sample_bits = fe.formats().sample.bits;
  const int f = fe.features(), xb = q.input.bits, sb = q.score.bits;
  const int ob = golden.statistic_format().bits;  // width of out_score
  const int history = golden.history_steps();
  const int ring = history + 1;  // one vector may arrive while the core reads the others
  const int ring_bits = count_bits(ring);
  const int step_bits = count_bits(history + 1);  // as the core's (max_steps = history)
  const int d = fe.config().decimation;
  const int first_blocks = golden.protocol().label_window / d, stride_blocks = golden.protocol().stride / d;
  const int counter_bits = count_bits(std::max(first_blocks, stride_blocks) + 1);
  const int avail_bits = count_bits(history + 1);
  return fmt::format(
      "// Generated by gaitlstm (src/rtl/detector_rtl.cc) - do not edit.\n"
      "// FoG detector: {c} channels, {f} features, history {hist} steps, decision every {stride} samples\n"
      "// after the first {lw}; FoG when the statistic >= {thr_text} (raw, {sfmt}).\n"
      "module {top} (\n"
      "  input  wire clk,\n"
      "  input  wire rst,\n"
      "  input  wire in_valid,\n"
      "  output wire in_ready,\n"
      "  input  wire [{iw}:0] in_sample,\n"
      "  output reg  out_valid,\n"
      "  output reg  signed [{ot}:0] out_score,\n"
      "  output reg  out_fog,\n"
      "  output wire signed [{ot}:0] out_threshold,\n"
      "  output wire out_alarm,\n"
      "  output reg  overrun\n"
      ");\n"
      "  wire fe_valid;\n"
      "  wire [{vt}:0] fe_features;\n"
      "  {top}_frontend frontend (.clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready),\n"
      "    .in_sample(in_sample), .out_valid(fe_valid), .out_features(fe_features));\n"
      "  reg [{vt}:0] ring [0:{rl}];\n"
      "  reg [{rt}:0] wptr;\n"
      "  reg [{at}:0] available;\n"
      "  reg [{ct}:0] until_decision;\n"
      "  reg pending;\n"
      "  reg [{tt}:0] run_steps;\n"
      "  reg [{rt}:0] run_first;\n"
      "  wire [{tt}:0] x_step;\n"
      "  wire [{rt1}:0] read_sum = {{1'b0, run_first}} + {xs};\n"
      "  wire [{rt1}:0] read_wrapped = (read_sum >= {rb1}'d{ring}) ? read_sum - {rb1}'d{ring} : read_sum;\n"
      "  wire [{vt}:0] x_vec = ring[read_wrapped[{rt}:0]];\n"
      "  wire unused_read = read_wrapped[{rt1}];\n"
      "  wire core_done, core_busy, core_mac;\n"
      "  wire signed [{st}:0] core_score;\n"
      "  {top}_core core (.clk(clk), .rst(rst), .start(pending), .steps(run_steps), .x_step(x_step), .x_vec(x_vec),\n"
      "    .done(core_done), .score(core_score), .busy(core_busy), .mac_active(core_mac));\n"
      "  wire unused_core = core_mac;\n"
      "{threshold_source}"
      "  wire [{at}:0] available_next = (available == {ab}'d{hist}) ? available : available + {ab}'d1;\n"
      "  wire [{rt}:0] wptr_next = (wptr == {rb}'d{rl}) ? {rb}'d0 : wptr + {rb}'d1;\n"
      "  // first ring slot of the window: wptr_next - steps (mod ring)\n"
      "  wire [{rt1}:0] first_sum = {{1'b0, wptr_next}} + {rb1}'d{ring} - {avx};\n"
      "  wire [{rt1}:0] first_wrapped = (first_sum >= {rb1}'d{ring}) ? first_sum - {rb1}'d{ring} : first_sum;\n"
      "  always @(posedge clk) begin\n"
      "    if (rst) begin\n"
      "      wptr <= {rb}'d0; available <= {ab}'d0; until_decision <= {cb}'d{first};\n"
      "      pending <= 1'b0; run_steps <= {tb}'d0; run_first <= {rb}'d0;\n"
      "      out_valid <= 1'b0; out_score <= {oz}; out_fog <= 1'b0; overrun <= 1'b0;{alarm_reset}\n"
      "    end else begin\n"
      "      pending <= 1'b0;\n"
      "      out_valid <= 1'b0;\n"
      "      if (fe_valid) begin\n"
      "        ring[wptr] <= fe_features;\n"
      "        wptr <= wptr_next;\n"
      "        available <= available_next;\n"
      "        if (until_decision == {cb}'d1) begin\n"
      "          until_decision <= {cb}'d{stride_blocks};\n"
      "          if (core_busy) overrun <= 1'b1;\n"
      "          else begin pending <= 1'b1; run_steps <= {avt}; run_first <= first_wrapped[{rt}:0]; end\n"
      "        end else until_decision <= until_decision - {cb}'d1;\n"
      "      end\n"
      "{output_logic}"
      "    end\n"
      "  end\n"
      "{output_stage}"
      "{cue}"
      "  wire unused_first = first_wrapped[{rt1}];\n"
      "endmodule\n",
      fmt::arg("c", channels), fmt::arg("f", f), fmt::arg("hist", history), fmt::arg("stride", golden.protocol().stride),
      fmt::arg("lw", golden.protocol().label_window), fmt::arg("thr_text", golden.calibration() ? std::string("the self-calibrated threshold") : std::to_string(golden.threshold())),
      fmt::arg("sfmt", quant::to_string(golden.statistic_format())),
      fmt::arg("threshold_source", threshold_source(golden, config.top, statistic_valid, statistic)),
      fmt::arg("top", config.top), fmt::arg("iw", channels * sample_bits - 1),
      fmt::arg("st", sb - 1), fmt::arg("vt", f * xb - 1), fmt::arg("rl", ring - 1), fmt::arg("rt", ring_bits - 1),
      fmt::arg("rt1", ring_bits), fmt::arg("rb", ring_bits), fmt::arg("rb1", ring_bits + 1), fmt::arg("ring", ring),
      fmt::arg("at", avail_bits - 1), fmt::arg("ab", avail_bits), fmt::arg("ct", counter_bits - 1), fmt::arg("cb", counter_bits),
      fmt::arg("tt", step_bits - 1), fmt::arg("tb", step_bits),
      fmt::arg("xs", resize_unsigned("x_step", step_bits, ring_bits + 1)),
      fmt::arg("avx", resize_unsigned("available_next", avail_bits, ring_bits + 1)),
      fmt::arg("avt", resize_unsigned("available_next", avail_bits, step_bits)),
      fmt::arg("first", first_blocks), fmt::arg("stride_blocks", stride_blocks), fmt::arg("sz", signed_literal(0, sb)),
      fmt::arg("ot", ob - 1), fmt::arg("oz", signed_literal(0, ob)),
      fmt::arg("output_logic", fmt::format("      if ({valid}) begin\n"
                                           "        out_valid <= 1'b1; out_score <= {s}; out_fog <= {s} >= threshold;{alarm}\n"
                                           "      end\n",
                                           fmt::arg("valid", statistic_valid), fmt::arg("s", statistic),
                                           fmt::arg("alarm", golden.cue().active() ? " alarm <= cue_alarm;" : ""))),
      fmt::arg("output_stage", output_stage(golden, config.top)), fmt::arg("cue", cue_instance(golden, config.top)),
      fmt::arg("alarm_reset", golden.cue().active() ? " alarm <= 1'b0;" : ""));
}

}  // namespace

std::vector<VerilogModule> generate_detector(const quant::GoldenDetector& golden, const DetectorConfig& config) {
  CoreConfig core = config.core;
  core.module_name = config.top + "_core";
  core.max_steps = golden.history_steps();
  std::vector<VerilogModule> modules = generate_frontend(golden.frontend(), config.top + "_frontend");
  for (VerilogModule& m : generate_lstm_core(golden.lstm(), core)) modules.push_back(std::move(m));
  if (golden.smoothing() > 1) modules.push_back(activation_module(config.top + "_output_sigmoid", golden.output_unit()));
  if (golden.calibration())
    modules.push_back(generate_calibration(*golden.calibration(), golden.statistic_format(), config.top + "_calibration"));
  if (golden.cue().active())
    modules.push_back(generate_cue(golden.cue(), golden.statistic_format().bits, config.top + "_cue"));
  modules.push_back({config.top, top_module(golden, config)});
  return modules;
}

int64_t decision_latency_cycles(const quant::GoldenDetector& golden, const CoreConfig& core, int steps) {
  const int smoothing_cycles = golden.smoothing() > 1 ? 2 : 0;  // sigmoid into the register, then the mean
  return frontend_block_end_cycles(golden.frontend()) + 3 + core_cycles(golden.lstm().shape(), core, steps) +
         smoothing_cycles;
}

}  // namespace gaitlstm::rtl
