// Private to the data layer: reads a text file line by line in fixed-size
// chunks, so a recording of any size is parsed without ever being held
// whole in memory (a 2 GB file costs one chunk, not 2 GB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace gaitlstm::data {

class LineReader {
 public:
  static constexpr size_t kChunkBytes = size_t{1} << 20;

  // Opens `path`; throws InputError(path, 0, "cannot open: <reason>").
  // `chunk_bytes` is only small in tests, to put lines across chunk edges.
  explicit LineReader(const std::string& path, size_t chunk_bytes = kChunkBytes);

  // Next line without its terminator ("\n" or "\r\n"; a last line may have
  // none); false at the end.  The view is valid until the next call.
  // Throws InputError(path, 0, "read error").
  bool next(std::string_view& line);
  // The last line with its terminator: "empty file" means the whole file is
  // blank, which the first line tells only when it has no "\n".
  std::string_view raw_line() const { return raw_; }
  int64_t line_number() const { return number_; }  // 1-based, of the last line returned

  // Lines in the file, from the newline density of its first chunk (exact
  // when the file fits in one), so loaders can reserve their row tables
  // instead of growing them by doubling.  Rounded up by 1/8 so that lines
  // slightly shorter later on do not force a regrowth.
  int64_t estimated_lines() const { return estimated_lines_; }

 private:
  void fill();  // reads the next chunk behind the unread bytes

  std::string path_;
  std::ifstream in_;
  std::vector<char> buffer_;
  size_t begin_ = 0;    // first unread byte
  size_t scanned_ = 0;  // bytes from begin_ on known to hold no '\n'
  size_t end_ = 0;      // end of the bytes read
  bool at_eof_ = false;
  std::string_view raw_;
  int64_t number_ = 0;
  int64_t estimated_lines_ = 0;
};

}  // namespace gaitlstm::data
