// Deterministic random numbers, identical on every platform and standard
// library (std:: distributions are implementation-defined, so we avoid them).
#pragma once

#include <cstdint>

namespace gaitlstm {

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t next_u64();
  double uniform();                          // [0, 1)
  double uniform(double low, double high);   // [low, high)
  int64_t uniform_int(int64_t low, int64_t high);  // [low, high]
  double normal();                           // mean 0, sd 1 (Box-Muller)
  double normal(double mean, double sd) { return mean + sd * normal(); }
  bool bernoulli(double p) { return uniform() < p; }

 private:
  uint64_t state_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace gaitlstm
