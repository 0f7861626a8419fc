// --search-shift: the bit-width search (quantize --search, cv --quant-search)
// also scores its data under the given shifts, so the widths it keeps hold
// for sensors at other levels (docs/QUANT-SEARCH.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class SearchShift : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    auto r = testing::run_gaitlstm("data synth --out " + data() + " --subjects 3 --minutes 1");
    ASSERT_EQ(r.status, 0) << r.output;
    // Absolute levels kept: a gain moves this model's float scores, so the
    // search's float reference shows which data it scored.
    r = testing::run_gaitlstm("train --data " + data() + " --out " + file("m.json") +
                              " --hidden 2 --history 4 --epochs 1 --channels ankle");
    ASSERT_EQ(r.status, 0) << r.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string data() { return dir_->file("data"); }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static json read_json(const std::string& name) { return json::parse(read_file(file(name))); }
  static testing::TempDir* dir_;
};
testing::TempDir* SearchShift::dir_ = nullptr;

TEST_F(SearchShift, QuantizeSearchScoresTheShiftedCopiesToo) {
  const std::string q = "quantize --model " + file("m.json") + " --data " + data() + " --search --max-loss 0.5";
  auto r = testing::run_gaitlstm(q + " --out " + file("plain.q.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  r = testing::run_gaitlstm(q + " --search-shift gain:4 --out " + file("shifted.q.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const json plain = read_json("plain.q.json")["metrics"]["search"];
  const json shifted = read_json("shifted.q.json")["metrics"]["search"];
  EXPECT_FALSE(plain.contains("validation_shifts"));
  EXPECT_EQ(shifted["validation_shifts"], "gain:4");
  // The float reference AUC is over the validation decisions: with the
  // copies it covers other data than without.
  EXPECT_NE(plain["float_auc"].dump(), shifted["float_auc"].dump());
}

TEST_F(SearchShift, NeedsASearchAndAKnownShift) {
  auto r = testing::run_gaitlstm("quantize --model " + file("m.json") + " --data " + data() + " --out " +
                                 file("x.q.json") + " --search-shift gain:2");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("needs --search or --preset"));
  r = testing::run_gaitlstm("cv --data " + data() + " --hidden 2 --epochs 1 --search-shift gain:2");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("--quant-search"));
  r = testing::run_gaitlstm("cv --data " + data() + " --hidden 2 --epochs 1 --quant-search --search-shift gain");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("gain"));
}

// --search-fixed (same file: it shares the trained model): the named knobs
// keep the start's widths in every configuration the search tried.
TEST_F(SearchShift, FixedKnobsKeepTheStartWidthsAndUnknownOnesAreRefused) {
  const std::string q = "quantize --model " + file("m.json") + " --data " + data() + " --search --max-loss 0.5";
  auto r = testing::run_gaitlstm(q + " --search-fixed frontend,y --out " + file("fixed.q.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const json search = read_json("fixed.q.json")["metrics"]["search"];
  EXPECT_EQ(search["fixed"], (json{"frontend", "y"}));
  const json& points = search["points"];
  ASSERT_GT(points.size(), 1u);
  for (const json& p : points)
    for (const char* knob : {"sample", "coefficient", "state", "energy", "log_energy", "inv_std", "score"})
      EXPECT_EQ(p["bits"][knob], points[0]["bits"][knob]) << knob;
  r = testing::run_gaitlstm(q + " --search-fixed frontend,sideways --out " + file("x.q.json"));
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("'sideways' is not a knob"));
  r = testing::run_gaitlstm("cv --data " + data() + " --hidden 2 --epochs 1 --search-fixed frontend");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("--quant-search"));
}

TEST_F(SearchShift, CvSearchRecordsItsShifts) {
  const auto r = testing::run_gaitlstm("cv --data " + data() +
                                       " --channels ankle --hidden 2 --history 4 --epochs 1 --threshold-from validation"
                                       " --quant-search --budgets 0.5 --search-shift gain:0.5,gain:2 --json " +
                                       file("cv.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const json search = read_json("cv.json")["quantized"]["search"];
  EXPECT_EQ(search["validation_shifts"], "gain:0.5,gain:2");
  EXPECT_EQ(search["survivors"].size(), 1u);
}

}  // namespace
}  // namespace gaitlstm
