// The project's thread pool (util/parallel.h): every index runs once, chunks
// are a fixed function of n and threads, and a failing job surfaces on the
// caller after the others joined, without new jobs being handed out.
#include "util/parallel.h"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace gaitlstm {
namespace {

TEST(ParallelFor, EveryIndexExactlyOnce) {
  for (int threads : {1, 2, 7}) {
    std::vector<std::atomic<int>> hits(1000);
    parallel_for(threads, hits.size(), [&](size_t i) { ++hits[i]; });
    for (const auto& h : hits) EXPECT_EQ(h.load(), 1) << threads << " threads";
  }
  parallel_for(4, 0, [](size_t) { FAIL() << "no job for an empty range"; });
}

TEST(ParallelFor, OneThreadRunsInOrderOnTheCaller) {
  std::vector<size_t> order;
  const std::thread::id caller = std::this_thread::get_id();
  parallel_for(1, 5, [&](size_t i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
  });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(ParallelFor, FirstErrorIsRethrownAndStopsTheHandOut) {
  std::vector<size_t> ran;
  EXPECT_THROW(parallel_for(1, 10,
                            [&](size_t i) {
                              ran.push_back(i);
                              if (i == 3) throw std::runtime_error("job 3");
                            }),
               std::runtime_error);
  EXPECT_EQ(ran, (std::vector<size_t>{0, 1, 2, 3}));
  std::atomic<int> jobs{0};
  try {
    parallel_for(2, 1000, [&](size_t) {
      ++jobs;
      throw std::invalid_argument("every job fails");
    });
    FAIL();
  } catch (const std::invalid_argument&) {
  }
  EXPECT_LE(jobs.load(), 2);  // each thread stops after its first failure
}

TEST(ParallelChunks, FixedContiguousChunks) {
  std::vector<std::pair<int, int>> chunks(3);
  parallel_chunks(3, 10, [&](int chunk, int begin, int end) { chunks[static_cast<size_t>(chunk)] = {begin, end}; });
  EXPECT_EQ(chunks, (std::vector<std::pair<int, int>>{{0, 3}, {3, 6}, {6, 10}}));
  std::atomic<int> calls{0};
  parallel_chunks(8, 2, [&](int, int begin, int end) {
    EXPECT_EQ(end - begin, 1);
    ++calls;
  });
  EXPECT_EQ(calls.load(), 2);  // no more chunks than items
  parallel_chunks(2, 0, [&](int, int, int) { FAIL(); });
}

}  // namespace
}  // namespace gaitlstm
