// fuzz_replay <target> <file or directory>... : feeds each file to the fuzz
// target's entry (fuzz/<target>.cc) in the normal build, without libFuzzer.
// A target aborts on anything but a clean rejection (fuzz_support.h), so a
// crash input in fuzz/regressions fails this test until it is fixed.
// Directories that do not exist are skipped (a target with no crash found
// has no regressions folder); at least one input must be replayed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#define GAITLSTM_FUZZ_TARGET(name) extern "C" int gaitlstm_fuzz_##name(const uint8_t* data, size_t size);
#include "fuzz_targets.inc"
#undef GAITLSTM_FUZZ_TARGET

namespace {

using Entry = int (*)(const uint8_t*, size_t);

const std::map<std::string, Entry> kTargets = {
#define GAITLSTM_FUZZ_TARGET(name) {#name, gaitlstm_fuzz_##name},
#include "fuzz_targets.inc"
#undef GAITLSTM_FUZZ_TARGET
};

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path))
      if (entry.is_regular_file()) files.push_back(entry.path());
  } else if (std::filesystem::exists(path)) {
    files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || !kTargets.count(argv[1])) {
    std::fprintf(stderr, "usage: fuzz_replay <target> <file or directory>...\ntargets:");
    for (const auto& [name, entry] : kTargets) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  const Entry entry = kTargets.at(argv[1]);
  int replayed = 0;
  for (int i = 2; i < argc; ++i) {
    for (const auto& file : inputs_of(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::printf("%s\n", file.c_str());
      std::fflush(stdout);  // the last name printed is the input that crashed
      entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  std::printf("fuzz_replay %s: %d inputs, no finding\n", argv[1], replayed);
  return replayed > 0 ? 0 : 1;
}
