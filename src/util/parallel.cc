#include "util/parallel.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace gaitlstm {

void run_on_threads(int threads, const std::function<void(int worker)>& worker) {
  threads = std::max(1, threads);
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto guarded = [&](int w) {
    try {
      worker(w);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads - 1));
  for (int w = 1; w < threads; ++w) pool.emplace_back(guarded, w);
  guarded(0);
  for (std::thread& t : pool) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

void parallel_for(int threads, size_t count, const std::function<void(size_t index)>& job) {
  if (count == 0) return;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  const int n = std::max(1, std::min<int>(threads, static_cast<int>(std::min<size_t>(count, 1 << 20))));
  run_on_threads(n, [&](int) {
    for (size_t i = next++; i < count && !failed; i = next++) {
      try {
        job(i);
      } catch (...) {
        failed = true;  // no new indices once a job failed
        throw;
      }
    }
  });
}

}  // namespace gaitlstm
