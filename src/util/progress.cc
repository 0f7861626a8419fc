#include "util/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace gaitlstm {

ProgressBar::ProgressBar(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(std::max<int64_t>(total, 1)),
      enabled_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (!enabled_) return;
  draw("");
  std::fputc('\n', stderr);
}

void ProgressBar::advance(int64_t steps, const std::string& note) { set(done_ + steps, note); }

void ProgressBar::set(int64_t done, const std::string& note) {
  done_ = std::clamp<int64_t>(done, 0, total_);
  if (!enabled_) return;
  // Redraw at most ~10 times a second, and always at the end.
  const auto now = std::chrono::steady_clock::now();
  if (done_ < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(note);
}

void ProgressBar::draw(const std::string& note) {
  constexpr int kWidth = 30;
  const double fraction = static_cast<double>(done_) / static_cast<double>(total_);
  const int filled = static_cast<int>(fraction * kWidth);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  fmt::print(stderr, "\r{} [{}] {:3.0f}% {}/{} {:.1f}s {}\x1b[K", label_, bar, 100 * fraction,
             done_, total_, elapsed, note);
  std::fflush(stderr);
}

}  // namespace gaitlstm
