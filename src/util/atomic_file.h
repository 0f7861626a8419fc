// Outputs are written atomically: a reader (or a crash) sees either the old
// file or the complete new one, never a half-written file.
#pragma once

#include <string>
#include <string_view>

namespace gaitlstm {

// Writes `contents` to `path` via a temporary file in the same directory,
// fsync and rename.  Creates missing parent directories.  Throws
// std::runtime_error naming the path and the system error.
void write_file_atomic(const std::string& path, std::string_view contents);

// Reads a whole file.  Throws InputError (line 0) if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace gaitlstm
