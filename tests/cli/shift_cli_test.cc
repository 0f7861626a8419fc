// `gaitlstm cv --shift` and `--augment` as a user runs them: the identity
// shift reproduces the plain figures, float and golden, in the JSON; bad
// lists are refused with the entry named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;

class ShiftCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    const auto r = testing::run_gaitlstm("data synth --out " + dir_->file("data") + " --subjects 3 --minutes 1");
    ASSERT_EQ(r.status, 0) << r.output;
    write_file_atomic(dir_->file("bits.json"), "{}\n");
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string cv(const std::string& extra) {
    return "cv --data " + dir_->file("data") + " --channels ankle --epochs 1 --hidden 2 --history 4 " +
           "--threshold-from validation " + extra;
  }
  static testing::TempDir* dir_;
};
testing::TempDir* ShiftCli::dir_ = nullptr;

TEST_F(ShiftCli, IdentityShiftRowsEqualThePlainFiguresFloatAndGolden) {
  const std::string json = dir_->file("cv.json");
  const auto r = testing::run_gaitlstm(cv("--shift none,gain:2,warp:0.8 --augment gain,warp --quant-bits " +
                                          dir_->file("bits.json") + " --json " + json));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("site-shift battery (float model"));
  EXPECT_THAT(r.output, HasSubstr("golden model"));
  const nlohmann::json report = nlohmann::json::parse(read_file(json));
  ASSERT_EQ(report["shifts"].size(), 3u);
  EXPECT_EQ(report["shifts"][0]["shift"], "none");
  nlohmann::json pooled = report["pooled"];
  pooled.erase("episodes");  // the battery reports decision figures only
  EXPECT_EQ(report["shifts"][0]["pooled"], pooled);
  EXPECT_EQ(report["shifts"][2]["shift"], "warp:0.8");
  EXPECT_EQ(report["params"]["shift"], "none,gain:2,warp:0.8");
  EXPECT_EQ(report["params"]["augment"], "warp,gain");
  EXPECT_EQ(report["params"]["augment_copies"], 1);
  const nlohmann::json& golden = report["quantized"]["bits"];
  ASSERT_EQ(golden["shifts"].size(), 3u);
  EXPECT_EQ(golden["shifts"][0]["pooled"]["auc"], golden["pooled"]["auc"]);
  EXPECT_EQ(golden["shifts"][0]["pooled"]["confusion"], golden["pooled"]["confusion"]);
}

// With --calibration on every shift also gets the self-calibrated figures
// (the chip keeps its unshifted seeds); under the identity shift they are
// the plain cross-validation's calibrated figures, float and golden alike.
TEST_F(ShiftCli, IdentityShiftKeepsTheSelfCalibratedFigures) {
  const std::string json = dir_->file("cv-calibrated.json");
  const auto r = testing::run_gaitlstm(cv("--smoothing 4 --calibration on --calibration-rate 2 --shift none,gain:2 "
                                          "--quant-bits " + dir_->file("bits.json") + " --json " + json));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("calibrated sens"));
  const nlohmann::json report = nlohmann::json::parse(read_file(json));
  ASSERT_EQ(report["shifts"].size(), 2u);
  ASSERT_TRUE(report["shifts"][1].contains("calibrated"));
  EXPECT_EQ(report["shifts"][0]["calibrated"]["pooled"], report["calibrated"]["pooled"]);
  EXPECT_EQ(report["shifts"][0]["calibrated"]["folds"], report["calibrated"]["folds"]);
  const nlohmann::json& golden = report["quantized"]["bits"];
  ASSERT_EQ(golden["shifts"].size(), 2u);
  EXPECT_EQ(golden["shifts"][0]["calibrated"]["pooled"], golden["calibrated"]["pooled"]);
  EXPECT_EQ(golden["shifts"][0]["calibrated"]["folds"], golden["calibrated"]["folds"]);
  // Without --calibration the battery has no calibrated figures.
  const std::string plain = dir_->file("cv-plain.json");
  ASSERT_EQ(testing::run_gaitlstm(cv("--shift gain:2 --json " + plain)).status, 0);
  EXPECT_FALSE(nlohmann::json::parse(read_file(plain))["shifts"][0].contains("calibrated"));
}

TEST_F(ShiftCli, BadListsNameTheEntry) {
  const auto shift = testing::run_gaitlstm(cv("--shift gain:2,tilt"));
  EXPECT_NE(shift.status, 0);
  EXPECT_THAT(shift.output, HasSubstr("'tilt'"));
  const auto augment = testing::run_gaitlstm(cv("--augment rotation,spin"));
  EXPECT_NE(augment.status, 0);
  EXPECT_THAT(augment.output, HasSubstr("'spin'"));
  const auto freeze_index = testing::run_gaitlstm(cv("--model freeze-index --shift all"));
  EXPECT_NE(freeze_index.status, 0);
  EXPECT_THAT(freeze_index.output, HasSubstr("--shift needs --model lstm"));
}

}  // namespace
}  // namespace gaitlstm
