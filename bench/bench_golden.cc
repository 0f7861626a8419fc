// Golden model throughput: integer LSTM windows per second on one core,
// H = 32, 128-step windows, 3 and 9 inputs (issue target: >= 20 000/s).
#include <benchmark/benchmark.h>

#include "quant/qlstm.h"
#include "util/rng.h"

namespace {

using gaitlstm::quant::LstmFormats;
using gaitlstm::quant::QuantizedLstm;

void BM_GoldenLstmWindow(benchmark::State& state) {
  const int inputs = static_cast<int>(state.range(0));
  const int steps = 128;
  gaitlstm::model::LstmParams<float> params({inputs, 32});
  gaitlstm::Rng rng(1);
  for (Eigen::Index i = 0; i < params.values.size(); ++i) params.values[i] = static_cast<float>(rng.uniform(-0.5, 0.5));
  const QuantizedLstm lstm(params, LstmFormats{});
  std::vector<int64_t> window(static_cast<size_t>(steps * inputs));
  for (auto& v : window) v = rng.uniform_int(-100, 100);
  for (auto _ : state) benchmark::DoNotOptimize(lstm.run(window.data(), steps));
  state.SetItemsProcessed(state.iterations());
  state.counters["windows/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GoldenLstmWindow)->Arg(3)->Arg(9)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
