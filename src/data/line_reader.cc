#include "data/line_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/error.h"

namespace gaitlstm::data {

LineReader::LineReader(const std::string& path, size_t chunk_bytes)
    : path_(path), in_(path, std::ios::binary), capacity_(std::max<size_t>(chunk_bytes, 1)) {
  // Same messages as util's read_file, which the loaders used before.
  if (!in_) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  buffer_.reset(new char[capacity_]);
  fill();
  // A sample, not the whole chunk: counting a chunk per file cost a few
  // percent of the loading time.
  constexpr size_t kSampleBytes = size_t{64} << 10;
  const size_t sample = std::min(end_, kSampleBytes);
  const auto newlines = static_cast<int64_t>(std::count(buffer_.get(), buffer_.get() + sample, '\n'));
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  file_bytes_ = static_cast<int64_t>(error ? end_ : size);  // not a regular file: what was read
  if (at_eof_ && sample == end_) {
    estimated_lines_ = newlines + (end_ > 0 && buffer_[end_ - 1] != '\n' ? 1 : 0);
  } else {
    const double per_byte = static_cast<double>(newlines) / static_cast<double>(sample);
    estimated_lines_ = static_cast<int64_t>(static_cast<double>(file_bytes_) * per_byte * 1.125) + 1;
  }
}

void LineReader::fill() {
  // Keep the unfinished line: move it to the front, and grow the buffer
  // only when that line alone fills it.
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    std::unique_ptr<char[]> larger(new char[2 * capacity_]);
    std::memcpy(larger.get(), buffer_.get(), end_);
    buffer_ = std::move(larger);
    capacity_ *= 2;
  }
  in_.read(buffer_.get() + end_, static_cast<std::streamsize>(capacity_ - end_));
  if (in_.bad()) throw InputError(path_, 0, "read error");
  const auto got = static_cast<size_t>(in_.gcount());
  end_ += got;
  if (got == 0 || in_.eof()) at_eof_ = true;
}

bool LineReader::next_across_chunks(std::string_view& line) {
  // No '\n' in the bytes read: read more, or end with what is left.
  while (true) {
    const size_t scanned = end_ - begin_;  // known to hold no '\n'
    if (at_eof_) {
      if (scanned == 0) return false;
      take(scanned, line);
      return true;
    }
    fill();
    const char* start = buffer_.get() + begin_;
    const void* newline = std::memchr(start + scanned, '\n', end_ - begin_ - scanned);
    if (newline) {
      take(static_cast<size_t>(static_cast<const char*>(newline) - start) + 1, line);
      return true;
    }
  }
}

}  // namespace gaitlstm::data
