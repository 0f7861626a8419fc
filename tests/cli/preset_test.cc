// --preset: one named set of detector settings (model/preset.h) that fills
// every flag the user did not give, in train, cv and quantize.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/preset.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class Preset : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    const auto r = testing::run_gaitlstm("data synth --out " + data() + " --subjects 3 --minutes 1");
    ASSERT_EQ(r.status, 0) << r.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string data() { return dir_->file("data"); }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static json model(const std::string& name) { return json::parse(read_file(file(name))); }
  static testing::TempDir* dir_;
};
testing::TempDir* Preset::dir_ = nullptr;

TEST_F(Preset, ChipFillsTheFrontEndAndTheLstm) {
  const auto r = testing::run_gaitlstm("train --data " + data() + " --out " + file("chip.json") +
                                       " --preset chip --epochs 1");
  ASSERT_EQ(r.status, 0) << r.output;
  const json m = model("chip.json");
  const model::DetectorPreset& chip = model::find_preset("chip");
  EXPECT_EQ(m["architecture"]["hidden"], chip.hidden);
  EXPECT_EQ(m["architecture"]["history_steps"], chip.history);
  EXPECT_EQ(m["architecture"]["output_smoothing"], chip.output_smoothing);
  const json& f = m["frontend"];
  EXPECT_EQ(f["channels"], json({"ankle_fwd", "ankle_vert", "ankle_lat"}));
  EXPECT_EQ(f["axes_per_sensor"], 3);
  EXPECT_EQ(f["bands"], json({{0.5, 2.0}, {4.0, 8.0}}));
  EXPECT_EQ(f["keep_levels"], false);
  EXPECT_EQ(f["ratios"], true);
  EXPECT_EQ(f["energy_smoothing_shift"], chip.energy_smoothing_shift);
  EXPECT_EQ(f["baseline_shift"], 0);
  // Ratios only: one feature per sensor and band pair (Q = L_1 - L_0).
  EXPECT_EQ(m["architecture"]["inputs"], 1);
}

TEST_F(Preset, ExplicitFlagsWinOverThePreset) {
  const auto r = testing::run_gaitlstm("train --data " + data() + " --out " + file("h4.json") +
                                       " --preset chip --hidden 4 --keep-levels 1 --epochs 1");
  ASSERT_EQ(r.status, 0) << r.output;
  const json m = model("h4.json");
  EXPECT_EQ(m["architecture"]["hidden"], 4);
  EXPECT_EQ(m["frontend"]["keep_levels"], true);
  EXPECT_EQ(m["frontend"]["ratios"], true);  // still the preset's
  EXPECT_EQ(m["architecture"]["inputs"], 3);  // L_0, L_1 and Q
}

TEST_F(Preset, UnknownPresetNamesTheKnownOnes) {
  const auto r = testing::run_gaitlstm("train --data " + data() + " --out " + file("x.json") + " --preset tiny");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("known: chip"));
}

TEST_F(Preset, QuantizeSearchesWithinThePresetsBudget) {
  ASSERT_EQ(testing::run_gaitlstm("train --data " + data() + " --out " + file("q.json") +
                                  " --preset chip --hidden 2 --epochs 1")
                .status,
            0);
  // --max-loss alone is a search option without a search.
  const auto alone = testing::run_gaitlstm("quantize --model " + file("q.json") + " --data " + data() +
                                           " --out " + file("bad.q.json") + " --max-loss 0.02");
  EXPECT_NE(alone.status, 0);
  EXPECT_THAT(alone.output, HasSubstr("needs --search or --preset"));
  const auto r = testing::run_gaitlstm("quantize --model " + file("q.json") + " --data " + data() + " --out " +
                                       file("q.q.json") + " --preset chip");
  ASSERT_EQ(r.status, 0) << r.output;
  const json q = model("q.q.json");
  ASSERT_TRUE(q["metrics"].contains("search")) << q["metrics"].dump();
  EXPECT_DOUBLE_EQ(q["metrics"]["search"]["survivors"][0]["budget"].get<double>(),
                   model::find_preset("chip").search_max_loss);
}

}  // namespace
}  // namespace gaitlstm
