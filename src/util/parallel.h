// The project's one way to run work on threads.  Every parallel loop (model
// training and scoring, golden-model scoring, the bit-width search, the
// exploration's design points) goes through run_on_threads(), so there is
// one place that starts, joins and propagates errors of worker threads.
//
//   parallel_for     dynamic: each free thread takes the next index; for
//                    jobs of uneven length (design points, search candidates,
//                    recording segments).  Results must be written by index.
//   parallel_chunks  static: [0, n) cut into `threads` contiguous chunks, a
//                    fixed function of n and threads, so results reduced in
//                    chunk order are identical from run to run (training).
//
// With threads <= 1 everything runs on the calling thread, in index order.
// A job that throws stops the hand-out of further indices; the first
// exception is rethrown on the calling thread after every worker has joined.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>

namespace gaitlstm {

// Calls worker(w) for w in [0, threads) on `threads` threads (w = 0 on the
// calling thread) and joins them; rethrows the first exception.
void run_on_threads(int threads, const std::function<void(int worker)>& worker);

// Calls job(i) for every i in [0, count), at most `threads` at a time.
void parallel_for(int threads, size_t count, const std::function<void(size_t index)>& job);

// Calls work(chunk, begin, end) for every non-empty chunk of [0, n).
template <typename Work>
void parallel_chunks(int threads, int n, Work&& work) {
  if (n <= 0) return;
  threads = std::max(1, std::min(threads, n));
  auto bounds = [&](int chunk) { return static_cast<int>(static_cast<long long>(n) * chunk / threads); };
  run_on_threads(threads, [&](int chunk) { work(chunk, bounds(chunk), bounds(chunk + 1)); });
}

}  // namespace gaitlstm
