// A CSV/TSV recording loaded with a dataset spec (data/csv_loader.h).  The
// input is "<spec JSON>\n%%\n<recording>": both halves are mutated, so the
// loader sees specs it has never been tested with.  The recording is named
// pt01_run2.csv (and .tsv, .txt: the spec's glob picks).
#include <string>

#include "data/load.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const std::string_view input = fuzz::as_text(data, size);
  const size_t split = input.find("\n%%\n");
  if (split == std::string_view::npos) return 0;
  const auto& dir = fuzz::fresh_scratch_dir();
  fuzz::write_bytes(dir / "spec.json", input.substr(0, split));
  std::filesystem::create_directories(dir / "rec");
  for (const char* name : {"pt01_run2.csv", "pt01_run2.tsv", "SUB01_2.txt"})
    fuzz::write_bytes(dir / "rec" / name, input.substr(split + 4));
  fuzz::expect_clean(fuzz::Contract::kInputError,
                     [&] { data::load_dataset((dir / "rec").string(), {(dir / "spec.json").string(), 40}); });
  return 0;
}
