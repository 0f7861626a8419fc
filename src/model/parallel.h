// Static data parallelism: [0, n) is cut into `threads` contiguous chunks, a
// fixed function of n and threads, so results reduced in chunk order are
// identical from run to run.
#pragma once

#include <algorithm>
#include <thread>
#include <vector>

namespace gaitlstm::model {

// Calls work(chunk, begin, end) for every non-empty chunk; chunk 0 runs on
// the calling thread.
template <typename Work>
void parallel_chunks(int threads, int n, Work&& work) {
  threads = std::max(1, std::min(threads, n));
  auto bounds = [&](int chunk) { return static_cast<int>(static_cast<long long>(n) * chunk / threads); };
  std::vector<std::thread> workers;
  for (int chunk = 1; chunk < threads; ++chunk) {
    workers.emplace_back([&, chunk] { work(chunk, bounds(chunk), bounds(chunk + 1)); });
  }
  if (n > 0) work(0, bounds(0), bounds(1));
  for (std::thread& worker : workers) worker.join();
}

}  // namespace gaitlstm::model
