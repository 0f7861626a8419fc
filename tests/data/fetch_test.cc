#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "data/fetch.h"
#include "data/synthetic.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::data {
namespace {

using ::testing::HasSubstr;

// Builds a zip in memory from (path, contents) entries.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<char> buffer(64 << 20);
  size_t used = 0;
  archive* writer = archive_write_new();
  archive_write_set_format_zip(writer);
  archive_write_open_memory(writer, buffer.data(), buffer.size(), &used);
  for (const auto& [path, contents] : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, path.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(contents.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(writer, entry);
    archive_write_data(writer, contents.data(), contents.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  return std::string(buffer.data(), used);
}

class FetchTest : public ::testing::Test {
 protected:
  std::string recording(int subject) {
    SyntheticConfig config;
    config.minutes_per_run = 0.5;
    config.subjects = 3;
    return synthesize_daphnet_recording(config, subject, 1);
  }
  FetchOptions options_for(const std::string& archive_path) {
    FetchOptions options;
    options.url = "file://" + archive_path;
    options.dest = dir_.file("dest");
    return options;
  }
  testing::TempDir dir_;
};

// The official archive nests the recordings in folders (and the newer
// release wraps that zip in another zip): both layouts must unpack.
TEST_F(FetchTest, UnpacksRecordingsFromALocalArchive) {
  const std::string archive = dir_.write(
      "fog.zip", make_zip({{"dataset_fog_release/dataset/S01R01.txt", recording(1)},
                           {"dataset_fog_release/dataset/S02R01.txt", recording(2)},
                           {"dataset_fog_release/README.txt", "readme"}}));
  const FetchResult result = fetch_daphnet(options_for(archive));
  ASSERT_EQ(result.recordings.size(), 2u);
  EXPECT_THAT(result.recordings[0], HasSubstr("S01R01.txt"));
  EXPECT_EQ(read_file(result.recordings[1]), recording(2));
  EXPECT_EQ(result.sha256, sha256_file(archive));
  EXPECT_EQ(result.archive_bytes, static_cast<long long>(std::filesystem::file_size(archive)));
}

TEST_F(FetchTest, UnpacksANestedZip) {
  const std::string inner = make_zip({{"dataset_fog_release/dataset/S03R02.txt", recording(3)}});
  const std::string archive = dir_.write("outer.zip", make_zip({{"dataset_fog_release.zip", inner}}));
  const FetchResult result = fetch_daphnet(options_for(archive));
  ASSERT_EQ(result.recordings.size(), 1u);
  EXPECT_THAT(result.recordings[0], HasSubstr("S03R02.txt"));
}

TEST_F(FetchTest, ChecksTheDigest) {
  const std::string archive = dir_.write("fog.zip", make_zip({{"S01R01.txt", recording(1)}}));
  FetchOptions options = options_for(archive);
  options.sha256 = sha256_file(archive);
  for (char& c : options.sha256) c = static_cast<char>(std::toupper(c));  // case does not matter
  EXPECT_NO_THROW(fetch_daphnet(options));
  options.sha256 = std::string(64, '0');
  try {
    fetch_daphnet(options);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("does not match the expected"));
  }
}

TEST_F(FetchTest, SHA256OfKnownText) {
  const std::string path = dir_.write("abc.txt", "abc");
  EXPECT_EQ(sha256_file(path), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(FetchTest, RejectsMissingCorruptOrEmptyArchives) {
  EXPECT_THROW(fetch_daphnet(options_for(dir_.file("absent.zip"))), std::runtime_error);
  const std::string junk = dir_.write("junk.zip", std::string(5000, 'x'));
  EXPECT_THROW(fetch_daphnet(options_for(junk)), std::runtime_error);
  const std::string empty = dir_.write("empty.zip", make_zip({{"README.txt", "nothing"}}));
  try {
    fetch_daphnet(options_for(empty));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no SxxRyy.txt recordings"));
  }
}

TEST_F(FetchTest, RejectsRecordingsThatDoNotParse) {
  const std::string archive = dir_.write("bad.zip", make_zip({{"S01R01.txt", "0 1 2 3\n"}}));
  EXPECT_THROW(fetch_daphnet(options_for(archive)), InputError);
}

}  // namespace
}  // namespace gaitlstm::data
