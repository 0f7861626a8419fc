// Golden model throughput: integer LSTM windows per second on one core,
// H = 32, 128-step windows, 3 and 9 inputs (issue target: >= 20 000/s), one
// window at a time and in batches; and the golden detector scoring every
// decision of the shared recordings (skipped without them).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "data/dataset.h"
#include "data/load.h"
#include "data/protocol.h"
#include "model/detector.h"
#include "quant/golden.h"
#include "quant/qlstm.h"
#include "util/rng.h"

namespace {

using gaitlstm::quant::LstmFormats;
using gaitlstm::quant::LstmKernel;
using gaitlstm::quant::QuantizedLstm;

constexpr int kHidden = 32;
constexpr int kSteps = 128;

QuantizedLstm random_lstm(int inputs) {
  gaitlstm::model::LstmParams<float> params({inputs, kHidden});
  gaitlstm::Rng rng(1);
  for (Eigen::Index i = 0; i < params.values.size(); ++i) params.values[i] = static_cast<float>(rng.uniform(-0.5, 0.5));
  return QuantizedLstm(params, LstmFormats{});
}

std::vector<int64_t> random_inputs(size_t count) {
  gaitlstm::Rng rng(2);
  std::vector<int64_t> values(count);
  for (auto& v : values) v = rng.uniform_int(-100, 100);
  return values;
}

void count_windows(benchmark::State& state, int64_t per_iteration) {
  state.SetItemsProcessed(state.iterations() * per_iteration);
  state.counters["windows/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * per_iteration), benchmark::Counter::kIsRate);
}

void BM_GoldenLstmWindow(benchmark::State& state) {
  const int inputs = static_cast<int>(state.range(0));
  const QuantizedLstm lstm = random_lstm(inputs);
  const std::vector<int64_t> window = random_inputs(static_cast<size_t>(kSteps * inputs));
  for (auto _ : state) benchmark::DoNotOptimize(lstm.run(window.data(), kSteps));
  count_windows(state, 1);
}
BENCHMARK(BM_GoldenLstmWindow)->Arg(3)->Arg(9)->Unit(benchmark::kMicrosecond);

// Args: inputs, kernel (0 best, 1 portable, 2 reference).  64 windows that
// overlap like consecutive decisions (one step apart).
void BM_GoldenLstmBatch(benchmark::State& state) {
  const int inputs = static_cast<int>(state.range(0));
  const auto kernel = static_cast<LstmKernel>(state.range(1));
  constexpr int kBatch = 64;
  const QuantizedLstm lstm = random_lstm(inputs);
  const std::vector<int64_t> stream = random_inputs(static_cast<size_t>((kSteps + kBatch) * inputs));
  std::vector<const int64_t*> windows;
  for (int w = 0; w < kBatch; ++w) windows.push_back(stream.data() + w * inputs);
  std::vector<int64_t> scores(kBatch);
  for (auto _ : state) {
    lstm.run_batch(windows, kSteps, scores.data(), kernel);
    benchmark::DoNotOptimize(scores.data());
  }
  count_windows(state, kBatch);
}
BENCHMARK(BM_GoldenLstmBatch)->Args({3, 0})->Args({9, 0})->Args({3, 1})->Args({9, 1})->Args({9, 2})
    ->Unit(benchmark::kMillisecond);

// Every decision of the shared recordings on one thread, with a detector of
// the default shape (docs/RESULTS.md: all 9 channels, 12 features, H = 32,
// 32-step history, 8-decision smoothing) and random weights.
gaitlstm::model::Detector default_shaped_detector(const gaitlstm::data::Dataset& dataset) {
  gaitlstm::model::Detector d;
  d.frontend.sample_rate_hz = dataset.sample_rate_hz;
  for (int column : gaitlstm::data::resolve_channels(dataset, "all"))
    d.frontend.channel_names.push_back(dataset.channel_names[static_cast<size_t>(column)]);
  d.frontend.axes_per_sensor = 3;
  d.frontend.baseline_shift = 6;
  gaitlstm::model::design_filters(d.frontend);
  d.frontend.feature_mean.assign(static_cast<size_t>(d.frontend.features()), 10.0);
  d.frontend.feature_std.assign(static_cast<size_t>(d.frontend.features()), 2.0);
  d.output_smoothing = 8;
  d.lstm = gaitlstm::model::LstmParams<float>({d.frontend.features(), kHidden});
  gaitlstm::Rng rng(3);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-0.5, 0.5));
  return d;
}

void BM_GoldenScoreDecisions(benchmark::State& state) {
  const std::filesystem::path data = GAITLSTM_SHARED_DATA;
  if (!std::filesystem::exists(data)) {
    state.SkipWithError("no shared data");
    return;
  }
  const gaitlstm::data::Dataset dataset = gaitlstm::data::load_dataset(data);
  const gaitlstm::model::Detector detector = default_shaped_detector(dataset);
  const gaitlstm::quant::GoldenDetector golden(detector, gaitlstm::quant::QuantConfig{});
  const auto decisions = gaitlstm::data::make_decisions(dataset, golden.protocol());
  for (auto _ : state) benchmark::DoNotOptimize(golden.score_decisions(dataset, decisions, 1));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(decisions.size()));
  state.counters["decisions/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * static_cast<int64_t>(decisions.size())), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GoldenScoreDecisions)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
