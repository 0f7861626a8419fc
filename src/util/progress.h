// A terminal progress bar for long work, drawn on stderr only when stderr is
// a terminal (logs and CI stay clean).  Not thread-safe: one owner updates it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gaitlstm {

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total);
  ~ProgressBar();  // finishes the line
  void advance(int64_t steps = 1, const std::string& note = "");
  void set(int64_t done, const std::string& note = "");

 private:
  void draw(const std::string& note);
  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace gaitlstm
