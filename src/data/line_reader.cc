#include "data/line_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/error.h"

namespace gaitlstm::data {

LineReader::LineReader(const std::string& path, size_t chunk_bytes)
    : path_(path), in_(path, std::ios::binary), buffer_(std::max<size_t>(chunk_bytes, 1)) {
  // Same messages as util's read_file, which the loaders used before.
  if (!in_) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  fill();
  const auto newlines = static_cast<int64_t>(std::count(buffer_.begin(), buffer_.begin() + static_cast<ptrdiff_t>(end_), '\n'));
  if (at_eof_) {
    estimated_lines_ = newlines + (end_ > 0 && buffer_[end_ - 1] != '\n' ? 1 : 0);
  } else {
    std::error_code error;
    const auto bytes = static_cast<double>(std::filesystem::file_size(path, error));
    const double per_byte = static_cast<double>(newlines) / static_cast<double>(end_);
    estimated_lines_ = error ? newlines : static_cast<int64_t>(bytes * per_byte * 1.125) + 1;
  }
}

void LineReader::fill() {
  // Keep the unfinished line: move it to the front, and grow the buffer
  // only when that line alone fills it.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
  if (in_.bad()) throw InputError(path_, 0, "read error");
  const auto got = static_cast<size_t>(in_.gcount());
  end_ += got;
  if (got == 0 || in_.eof()) at_eof_ = true;
}

bool LineReader::next(std::string_view& line) {
  size_t length = 0;
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start + scanned_, '\n', end_ - begin_ - scanned_);
    if (newline) {
      length = static_cast<size_t>(static_cast<const char*>(newline) - start) + 1;
      break;
    }
    scanned_ = end_ - begin_;
    if (at_eof_) {
      if (scanned_ == 0) return false;
      length = scanned_;
      break;
    }
    fill();
  }
  raw_ = std::string_view(buffer_.data() + begin_, length);
  begin_ += length;
  scanned_ = 0;
  line = raw_;
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++number_;
  return true;
}

}  // namespace gaitlstm::data
