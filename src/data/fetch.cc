#include "data/fetch.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "data/daphnet.h"
#include "util/atomic_file.h"

namespace gaitlstm::data {

namespace fs = std::filesystem;

namespace {

struct Download {
  std::FILE* file;
  const FetchOptions* options;
};

size_t write_chunk(char* data, size_t size, size_t count, void* user) {
  return std::fwrite(data, size, count, static_cast<Download*>(user)->file) * size;
}

int report_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  const auto* download = static_cast<Download*>(user);
  if (download->options->on_progress) download->options->on_progress(now, total);
  return 0;
}

void download(const FetchOptions& options, const std::string& target) {
  const std::string partial = target + ".partial";
  std::FILE* file = std::fopen(partial.c_str(), "wb");
  if (!file) throw std::runtime_error("cannot write " + partial);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  Download state{file, &options};
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, options.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, options.timeout_s);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_chunk);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, report_progress);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(curl.get());
  const bool closed = std::fclose(file) == 0;
  if (code != CURLE_OK) {
    fs::remove(partial);
    throw std::runtime_error(fmt::format("download of {} failed: {}", options.url,
                                         error[0] ? error : curl_easy_strerror(code)));
  }
  if (!closed) throw std::runtime_error("cannot write " + partial);
  fs::rename(partial, target);
}

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

ArchivePtr open_archive() {
  ArchivePtr reader(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_all(reader.get());
  return reader;
}

std::string read_entry(archive* reader) {
  std::string data;
  char buffer[1 << 16];
  la_ssize_t n;
  while ((n = archive_read_data(reader, buffer, sizeof buffer)) > 0) data.append(buffer, static_cast<size_t>(n));
  if (n < 0) throw std::runtime_error(std::string("corrupt archive entry: ") + archive_error_string(reader));
  return data;
}

// Extracts SxxRyy.txt entries; nested zip archives are searched too.
void extract_recordings(ArchivePtr reader, const std::string& origin, const std::string& dest,
                        std::vector<std::string>& written, int depth) {
  archive_entry* entry;
  int status;
  while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    const std::string name = fs::path(archive_entry_pathname(entry)).filename().string();
    if (parse_daphnet_name(name)) {
      const std::string path = (fs::path(dest) / name).string();
      write_file_atomic(path, read_entry(reader.get()));
      written.push_back(path);
    } else if (depth == 0 && fs::path(name).extension() == ".zip") {
      const std::string nested = read_entry(reader.get());
      ArchivePtr inner = open_archive();
      if (archive_read_open_memory(inner.get(), nested.data(), nested.size()) != ARCHIVE_OK)
        throw std::runtime_error(fmt::format("{}: nested archive {} is unreadable", origin, name));
      extract_recordings(std::move(inner), origin + "!" + name, dest, written, depth + 1);
    }
  }
  if (status != ARCHIVE_EOF)
    throw std::runtime_error(fmt::format("{}: corrupt archive: {}", origin, archive_error_string(reader.get())));
}

}  // namespace

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    EVP_DigestUpdate(context.get(), buffer, static_cast<size_t>(in.gcount()));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

FetchResult fetch_daphnet(const FetchOptions& options) {
  if (options.dest.empty()) throw std::runtime_error("fetch needs a destination directory");
  fs::create_directories(options.dest);
  FetchResult result;
  result.archive_path = (fs::path(options.dest) / "daphnet-archive.zip").string();
  download(options, result.archive_path);
  result.archive_bytes = static_cast<long long>(fs::file_size(result.archive_path));
  result.sha256 = sha256_file(result.archive_path);
  std::string expected = options.sha256;
  std::transform(expected.begin(), expected.end(), expected.begin(), ::tolower);
  if (!expected.empty() && expected != result.sha256)
    throw std::runtime_error(fmt::format("{}: SHA-256 {} does not match the expected {}", options.url,
                                         result.sha256, expected));

  ArchivePtr reader = open_archive();
  if (archive_read_open_filename(reader.get(), result.archive_path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw std::runtime_error(fmt::format("{}: not a readable archive: {}", result.archive_path,
                                         archive_error_string(reader.get())));
  extract_recordings(std::move(reader), result.archive_path, options.dest, result.recordings, 0);
  if (result.recordings.empty())
    throw std::runtime_error(fmt::format("{}: the archive holds no SxxRyy.txt recordings", options.url));
  std::sort(result.recordings.begin(), result.recordings.end());
  load_daphnet(options.dest);  // proves every recording parses; throws InputError otherwise
  return result;
}

}  // namespace gaitlstm::data
