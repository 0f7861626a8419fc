// --calibration (model/calibration.h) through the CLI: train stores the
// seeded calibration, eval reports self-calibrated figures beside the fixed
// ones (float and quantized), quantize keeps, drops or re-seeds it, cv writes
// calibrated{...}; without output smoothing it is refused.
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

class CalibrationCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    const auto r = testing::run_gaitlstm("data synth --out " + file("data") + " --subjects 3 --minutes 1");
    ASSERT_EQ(r.status, 0) << r.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static json read(const std::string& name) { return json::parse(read_file(file(name))); }
  static std::string model_flags() {
    return " --data " + file("data") + " --hidden 4 --history 4 --smoothing 4 --epochs 1 --channels ankle";
  }
  static testing::TempDir* dir_;
};
testing::TempDir* CalibrationCli::dir_ = nullptr;

TEST_F(CalibrationCli, TrainEvalQuantizeCarryIt) {
  auto r = testing::run_gaitlstm("train" + model_flags() +
                                 " --calibration on --calibration-rate 4 --calibration-k 0.75 --out " + file("m.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const json m = read("m.json");
  ASSERT_TRUE(m.contains("calibration"));
  EXPECT_EQ(m["calibration"]["rate_shift"], 4);
  EXPECT_EQ(m["calibration"]["k"], 0.75);
  EXPECT_GT(m["calibration"]["seed_mean"].get<double>(), 0.0);  // the validation statistic's mean
  EXPECT_LT(m["calibration"]["seed_mean"].get<double>(), 1.0);

  r = testing::run_gaitlstm("eval --model " + file("m.json") + " --data " + file("data") + " --json " + file("e.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("self-calibrated"));
  const json e = read("e.json");
  EXPECT_TRUE(e["pooled"]["calibrated"].contains("sensitivity"));
  EXPECT_TRUE(e["subjects"][0].contains("calibrated"));

  r = testing::run_gaitlstm("quantize --model " + file("m.json") + " --data " + file("data") + " --out " + file("q.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(read("q.json")["calibration"]["k16"], 12);
  r = testing::run_gaitlstm("eval --model " + file("q.json") + " --data " + file("data") + " --json " + file("eq.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(read("eq.json")["pooled"]["calibrated"].contains("specificity"));
  r = testing::run_gaitlstm("quantize --model " + file("m.json") + " --data " + file("data") + " --calibration off --out " +
                            file("q0.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_FALSE(read("q0.json").contains("calibration"));
  r = testing::run_gaitlstm("eval --model " + file("q0.json") + " --data " + file("data") + " --json " + file("e0.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_FALSE(read("e0.json")["pooled"].contains("calibrated"));
}

TEST_F(CalibrationCli, CvWritesCalibratedFiguresAndNeedsSmoothing) {
  auto r = testing::run_gaitlstm("cv" + model_flags() + " --threshold-from validation --calibration on --json " +
                                 file("cv.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const json cv = read("cv.json");
  ASSERT_TRUE(cv.contains("calibrated"));
  EXPECT_TRUE(cv["calibrated"]["pooled"].contains("sensitivity"));
  EXPECT_EQ(cv["calibrated"]["folds"].size(), cv["folds"].size());
  EXPECT_EQ(cv["calibrated"]["params"]["rate_shift"], 5);
  r = testing::run_gaitlstm("train --data " + file("data") + " --hidden 4 --history 4 --smoothing 1 --epochs 1 "
                            "--calibration on --out " + file("bad.json"));
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("smoothing"));
}

}  // namespace
}  // namespace gaitlstm
