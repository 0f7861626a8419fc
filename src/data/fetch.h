// Fetches the official Daphnet archive, verifies it and unpacks the
// recordings, so users without ../shared get the real data set by one
// command.  Network access is only used here and only when asked to.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace gaitlstm::data {

// Official release of the UCI Machine Learning Repository (data set #245).
inline constexpr const char* kDaphnetArchiveUrl =
    "https://archive.ics.uci.edu/static/public/245/daphnet+freezing+of+gait.zip";

struct FetchOptions {
  std::string url = kDaphnetArchiveUrl;  // http(s):// or file://
  std::string dest;                      // directory the SxxRyy.txt files go to
  std::string sha256;                    // expected archive digest (hex); empty = report only
  long timeout_s = 600;
  // Called with (bytes so far, total or 0) while downloading.
  std::function<void(long long, long long)> on_progress;
};

struct FetchResult {
  std::string archive_path;         // kept in dest as daphnet-archive.zip
  std::string sha256;               // of the archive, hex
  long long archive_bytes = 0;
  std::vector<std::string> recordings;  // unpacked SxxRyy.txt paths, sorted
};

// Downloads (libcurl), checks the digest, unpacks every SxxRyy.txt at any
// depth of the archive (also from a nested zip, as the official archive
// has one) into dest, then loads them with the Daphnet loader to prove they
// parse.  Throws std::runtime_error with the URL / file and the reason.
FetchResult fetch_daphnet(const FetchOptions& options);

// Hex SHA-256 of a file.
std::string sha256_file(const std::string& path);

}  // namespace gaitlstm::data
