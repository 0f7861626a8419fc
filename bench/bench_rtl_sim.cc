// Simulation throughput of the generated accelerators (Verilator, the
// testbench of `gaitlstm verify`): samples per second and simulated clock
// cycles per second for every architecture.  Each design is Verilated once
// (not timed); an iteration streams 4 096 samples (128 decisions) of a real
// recording (the shared Daphnet copy, else a random stream) through it.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "data/load.h"
#include "rtl/design.h"
#include "rtl/verilator_harness.h"
#include "util/process_runner.h"
#include "util/rng.h"

namespace {

using namespace gaitlstm;

// Trunk+thigh+ankle front-end (9 channels, 3 sensors), LSTM H = 16, history
// 32: a mid-size detector with random weights.
model::Detector bench_detector() {
  model::Detector d;
  d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat", "thigh_fwd", "thigh_vert",
                              "thigh_lat", "trunk_fwd", "trunk_vert", "trunk_lat"};
  d.frontend.axes_per_sensor = 3;
  d.frontend.baseline_shift = 6;
  model::design_filters(d.frontend);
  for (int i = 0; i < d.frontend.features(); ++i) {
    d.frontend.feature_mean.push_back(12.0);
    d.frontend.feature_std.push_back(3.0);
  }
  d.history_steps = 32;
  d.lstm = model::LstmParams<float>({d.frontend.features(), 16});
  Rng rng(3);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-0.8, 0.8));
  return d;
}

std::vector<int64_t> stimulus(const quant::GoldenDetector& golden, int64_t samples) {
  const std::string dir = GAITLSTM_SHARED_DATA;
  const int channels = golden.frontend().config().channels();
  if (!dir.empty() && std::filesystem::exists(dir + "/S01R02.txt")) {
    const data::Dataset dataset = data::load_dataset(dir);
    std::vector<int64_t> raw = quant::segment_samples(golden, dataset, 0);
    raw.resize(static_cast<size_t>(std::min<int64_t>(samples * channels, static_cast<int64_t>(raw.size()))));
    return raw;
  }
  Rng rng(5);
  std::vector<int64_t> raw(static_cast<size_t>(samples * channels));
  for (int64_t& v : raw) v = rng.uniform_int(-2000, 2000);
  return raw;
}

struct Bench {
  std::unique_ptr<quant::GoldenDetector> golden;
  std::unique_ptr<rtl::VerilatedDetector> rtl;
  std::vector<int64_t> samples;
  int64_t period = 0;
};

Bench& bench_for(const std::string& architecture) {
  static std::map<std::string, Bench> cache;
  auto it = cache.find(architecture);
  if (it != cache.end()) return it->second;
  Bench b;
  b.golden = std::make_unique<quant::GoldenDetector>(bench_detector(), quant::QuantConfig{});
  std::string name = architecture;  // make and Verilator do not like ':' in paths
  std::replace(name.begin(), name.end(), ':', '_');
  const std::string dir = (std::filesystem::temp_directory_path() / ("gaitlstm-bench-rtl-" + name)).string();
  std::filesystem::remove_all(dir);
  std::vector<rtl::VerilogModule> modules;
  const rtl::DesignSummary design = rtl::write_design(*b.golden, rtl::parse_architecture(architecture), dir);
  rtl::read_design(dir, &modules);
  static ProcessRunner runner;  // Verilator and the built simulation, as real processes
  b.rtl = std::make_unique<rtl::VerilatedDetector>(
      runner, modules,
      rtl::DetectorPorts{design.top, b.golden->frontend().config().channels(),
                         b.golden->frontend().formats().sample.bits, b.golden->statistic_format().bits},
      dir + "/sim");
  b.samples = stimulus(*b.golden, 4096);
  b.period = (design.cycles_per_decision + b.golden->protocol().stride - 1) / b.golden->protocol().stride + 1;
  return cache.emplace(architecture, std::move(b)).first->second;
}

void BM_SimulateDetector(benchmark::State& state, const std::string& architecture) {
  Bench& b = bench_for(architecture);
  const int channels = b.golden->frontend().config().channels();
  int64_t samples = 0, cycles = 0;
  for (auto _ : state) {
    const rtl::DetectorRun run = b.rtl->run(b.samples, b.period);
    samples += static_cast<int64_t>(b.samples.size()) / channels;
    cycles += run.cycles;
  }
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
  state.counters["cycles/s"] = benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_SimulateDetector, serial, std::string("serial"))->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK_CAPTURE(BM_SimulateDetector, gates, std::string("gates"))->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK_CAPTURE(BM_SimulateDetector, lanes_8, std::string("lanes:8"))->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK_CAPTURE(BM_SimulateDetector, mcm, std::string("mcm"))->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
