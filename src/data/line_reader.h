// Private to the data layer: reads a text file line by line in fixed-size
// chunks, so a recording of any size is parsed without ever being held
// whole in memory (a 2 GB file costs one chunk, not 2 GB).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

namespace gaitlstm::data {

class LineReader {
 public:
  static constexpr size_t kChunkBytes = size_t{1} << 20;

  // Opens `path`; throws InputError(path, 0, "cannot open: <reason>").
  // `chunk_bytes` is only small in tests, to put lines across chunk edges.
  explicit LineReader(const std::string& path, size_t chunk_bytes = kChunkBytes);

  // Next line without its terminator ("\n" or "\r\n"; a last line may have
  // none); false at the end.  The view is valid until the next call.
  // Throws InputError(path, 0, "read error").  Inline: it runs once a row.
  bool next(std::string_view& line) {
    const char* start = buffer_.get() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (!newline) return next_across_chunks(line);
    take(static_cast<size_t>(static_cast<const char*>(newline) - start) + 1, line);
    return true;
  }
  // The last line with its terminator: "empty file" means the whole file is
  // blank, which the first line tells only when it has no "\n".
  std::string_view raw_line() const { return {buffer_.get() + begin_ - raw_length_, raw_length_}; }
  int64_t line_number() const { return number_; }  // 1-based, of the last line returned

  // Lines in the file, from the newline density of its first 64 KiB (exact
  // when the file is no longer), so loaders can reserve their row tables
  // instead of growing them by doubling.  Rounded up by 1/8 so that lines
  // slightly shorter later on do not force a regrowth.  At most the file's
  // bytes / `min_line_bytes` (the format's shortest valid line): a file
  // that starts with blank lines must fail on them, not on a reservation.
  int64_t estimated_lines(int64_t min_line_bytes) const {
    return std::min(estimated_lines_, file_bytes_ / std::max<int64_t>(min_line_bytes, 1) + 1);
  }

 private:
  void fill();  // reads the next chunk behind the unread bytes
  bool next_across_chunks(std::string_view& line);
  void take(size_t length, std::string_view& line) {  // the next `length` bytes are a line
    line = std::string_view(buffer_.get() + begin_, length);
    begin_ += length;
    raw_length_ = length;
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number_;
  }

  std::string path_;
  std::ifstream in_;
  std::unique_ptr<char[]> buffer_;  // not a vector: no zero-filling
  size_t capacity_ = 0;
  size_t begin_ = 0;  // first unread byte
  size_t end_ = 0;    // end of the bytes read
  bool at_eof_ = false;
  size_t raw_length_ = 0;  // of the last line, which ends at begin_
  int64_t number_ = 0;
  int64_t estimated_lines_ = 0;
  int64_t file_bytes_ = 0;
};

}  // namespace gaitlstm::data
