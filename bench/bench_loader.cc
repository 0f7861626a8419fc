// Loader throughput: MB/s parsing the shared Daphnet recordings (or, where
// they are absent, a synthetic data set of similar size written to /tmp).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "data/daphnet.h"
#include "data/synthetic.h"

namespace {

namespace fs = std::filesystem;
using gaitlstm::data::load_daphnet;

std::string data_dir() {
  static const std::string dir = [] {
    if (fs::is_directory(GAITLSTM_SHARED_DATA)) return std::string(GAITLSTM_SHARED_DATA);
    const std::string tmp = (fs::temp_directory_path() / "gaitlstm-bench-synthetic").string();
    gaitlstm::data::SyntheticConfig config;
    config.minutes_per_run = 15;
    gaitlstm::data::write_synthetic_dataset(tmp, config);
    return tmp;
  }();
  return dir;
}

int64_t bytes_of_recordings(const std::string& dir) {
  int64_t bytes = 0;
  for (const auto& entry : fs::directory_iterator(dir))
    if (gaitlstm::data::parse_daphnet_name(entry.path().filename().string()))
      bytes += static_cast<int64_t>(entry.file_size());
  return bytes;
}

void BM_LoadDaphnetDirectory(benchmark::State& state) {
  const std::string dir = data_dir();
  const int64_t bytes = bytes_of_recordings(dir);
  int64_t samples = 0;
  for (auto _ : state) {
    const auto dataset = load_daphnet(dir);
    samples = dataset.total_samples();
    benchmark::DoNotOptimize(samples);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["samples"] = static_cast<double>(samples);
  state.SetLabel(dir);
}
BENCHMARK(BM_LoadDaphnetDirectory)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_LoadAndResampleTo32Hz(benchmark::State& state) {
  const std::string dir = data_dir();
  const int64_t bytes = bytes_of_recordings(dir);
  for (auto _ : state) benchmark::DoNotOptimize(load_daphnet(dir, 32.0).total_samples());
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_LoadAndResampleTo32Hz)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
