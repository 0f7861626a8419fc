// Shared by the fuzz targets (fuzz/README.md): what counts as a clean
// rejection, the input as text or JSON, and a private scratch directory for
// parsers that read files.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace gaitlstm::fuzz {

// The exceptions a parser's header promises besides InputError.
enum class Contract {
  kInputError,       // InputError only (the parser names the file)
  kInvalidArgument,  // InputError or std::invalid_argument (the caller names the file)
};

// Runs `parse`.  A promised exception is a clean rejection; anything else
// escaping (a JSON type error, std::out_of_range, bad_alloc, ...) is a gap in
// the validation: the user would see an error without file or reason.  It
// aborts so that libFuzzer records the input as a crash.
template <typename F>
void expect_clean(Contract contract, F&& parse) {
  try {
    parse();
  } catch (const InputError&) {
  } catch (const std::invalid_argument& e) {
    if (contract != Contract::kInvalidArgument) {
      std::fprintf(stderr, "fuzz: std::invalid_argument escaped the parser: %s\n", e.what());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: %s escaped the parser: %s\n", typeid(e).name(), e.what());
    std::abort();
  }
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input as JSON, or nullopt if it is not JSON (the JSON library is not
// under test; what reads the parsed document is).
inline std::optional<nlohmann::json> as_json(const uint8_t* data, size_t size) {
  nlohmann::json json = nlohmann::json::parse(as_text(data, size), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

// A directory of this process, emptied on every call (for loaders that read
// every file of a directory), removed at exit.
inline const std::filesystem::path& fresh_scratch_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d =
        std::filesystem::temp_directory_path() / ("gaitlstm-fuzz-" + std::to_string(::getpid()));
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                      ("gaitlstm-fuzz-" + std::to_string(::getpid())),
                                  ec);
    });
    return d;
  }();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace gaitlstm::fuzz
