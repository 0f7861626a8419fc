// Throughput of the float LSTM detector on the shapes: H = 32,
// 128-step windows, 3 or 9 inputs, 2 threads.  Items are windows, so
// items_per_second is windows/s; bench/compare_torch.py runs PyTorch on the
// same shapes and prints the ratio.
#include <benchmark/benchmark.h>

#include "model/lstm.h"
#include "util/parallel.h"
#include "model/train.h"

namespace {

using namespace gaitlstm::model;
using gaitlstm::parallel_chunks;

constexpr int kHidden = 32;
constexpr int kSteps = 128;
constexpr int kBatch = 64;
constexpr int kThreads = 2;

SequenceBatch<float> random_batch(int inputs, int size) {
  SequenceBatch<float> batch;
  for (int t = 0; t < kSteps; ++t) batch.steps.push_back(Eigen::MatrixXf::Random(inputs, size));
  return batch;
}

// One training step: forward + BPTT over a batch of 64 (split over 2 threads)
// and an Adam-sized parameter update.
void BM_TrainBatch64(benchmark::State& state) {
  const int inputs = static_cast<int>(state.range(0));
  LstmParams<float> params = initial_params(LstmShape{inputs, kHidden}, 1);
  const SequenceBatch<float> batch = random_batch(inputs, kBatch);
  std::vector<float> labels(kBatch), weights(kBatch, 1.0f);
  for (int b = 0; b < kBatch; ++b) labels[b] = static_cast<float>(b % 2);
  Eigen::VectorXf m = Eigen::VectorXf::Zero(params.values.size()), v = m;
  for (auto _ : state) {
    LstmParams<float> gradient(params.shape);
    benchmark::DoNotOptimize(batch_loss_and_gradient(params, batch, labels, weights, kThreads, gradient));
    m = 0.9f * m + 0.1f * gradient.values;
    v = 0.999f * v + 0.001f * gradient.values.cwiseProduct(gradient.values);
    params.values.array() -= 1e-4f * m.array() / (v.array().sqrt() + 1e-8f);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_TrainBatch64)->Arg(3)->Arg(9)->Unit(benchmark::kMillisecond)->UseRealTime();

// Inference, batch of 64 windows split over 2 threads.
void BM_InferBatch64(benchmark::State& state) {
  const int inputs = static_cast<int>(state.range(0));
  const LstmParams<float> params = initial_params(LstmShape{inputs, kHidden}, 1);
  std::vector<SequenceBatch<float>> halves = {random_batch(inputs, kBatch / 2),
                                              random_batch(inputs, kBatch / 2)};
  for (auto _ : state) {
    parallel_chunks(kThreads, kThreads, [&](int, int begin, int end) {
      for (int h = begin; h < end; ++h) benchmark::DoNotOptimize(lstm_forward(params, halves[h], nullptr));
    });
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_InferBatch64)->Arg(3)->Arg(9)->Unit(benchmark::kMillisecond)->UseRealTime();

// Inference one window at a time (128 streaming steps from h = c = 0), as a
// detector sees a single wearer.
void BM_InferOneWindow(benchmark::State& state) {
  const int inputs = static_cast<int>(state.range(0));
  const LstmParams<float> params = initial_params(LstmShape{inputs, kHidden}, 1);
  const Eigen::MatrixXf window = Eigen::MatrixXf::Random(inputs, kSteps);
  LstmStream stream(params);
  for (auto _ : state) {
    stream.reset();
    float y = 0;
    for (int t = 0; t < kSteps; ++t) y = stream.step(window.col(t).data());
    benchmark::DoNotOptimize(y);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InferOneWindow)->Arg(3)->Arg(9)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
