// The site-shift battery on a tiny synthetic data set: the identity shift
// reproduces the plain cross-validation exactly, real shifts reach the
// models, and the JSON has the documented shape.
#include "model/shift_battery.h"

#include <gtest/gtest.h>

#include "data/shift.h"
#include "support/synthetic.h"

namespace gaitlstm::model {
namespace {

class ShiftBattery : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset = new data::Dataset(testing::synthetic_dataset(3, 2, 0));
    decisions = new std::vector<data::Decision>(data::make_decisions(*dataset));
    FrontEndConfig frontend;
    for (int c : data::resolve_channels(*dataset, "ankle")) frontend.channel_names.push_back(dataset->channel_names[c]);
    frontend.axes_per_sensor = 3;
    TrainConfig config;
    config.hidden = 4;
    config.history_steps = 8;
    config.max_epochs = 1;
    config.threads = 2;
    CvOptions options;
    options.keep_models = true;
    cv = new CvOutcome(cross_validate_lstm(*dataset, *decisions, frontend, config, options, nullptr));
  }
  static void TearDownTestSuite() {
    delete cv;
    delete decisions;
    delete dataset;
  }
  static data::Dataset* dataset;
  static std::vector<data::Decision>* decisions;
  static CvOutcome* cv;
};
data::Dataset* ShiftBattery::dataset = nullptr;
std::vector<data::Decision>* ShiftBattery::decisions = nullptr;
CvOutcome* ShiftBattery::cv = nullptr;

TEST_F(ShiftBattery, IdentityShiftEqualsThePlainCrossValidation) {
  const std::vector<ShiftOutcome> battery =
      run_shift_battery(*cv, *dataset, data::parse_shifts("none"), {}, 1, 2);
  ASSERT_EQ(battery.size(), 1u);
  const CvOutcome& none = battery[0].transferred;
  ASSERT_EQ(none.folds.size(), cv->folds.size());
  for (size_t f = 0; f < cv->folds.size(); ++f) {
    EXPECT_EQ(none.folds[f].scores, cv->folds[f].scores) << f;
    EXPECT_EQ(none.folds[f].labels, cv->folds[f].labels) << f;
    EXPECT_EQ(none.folds[f].test.threshold, cv->folds[f].test.threshold) << f;
  }
  EXPECT_EQ(none.pooled.auc, cv->pooled.auc);
  EXPECT_EQ(none.pooled.sensitivity, cv->pooled.sensitivity);
  EXPECT_EQ(none.pooled.specificity, cv->pooled.specificity);
  EXPECT_EQ(none.mean_fold_auc, cv->mean_fold_auc);
}

TEST_F(ShiftBattery, ShiftsReachTheModelsAndWarpChangesTheDecisions) {
  const std::vector<ShiftOutcome> battery =
      run_shift_battery(*cv, *dataset, data::parse_shifts("gain:4,warp:0.8"), {}, 1, 2);
  ASSERT_EQ(battery.size(), 2u);
  size_t plain = 0, gained = 0, warped = 0;
  for (size_t f = 0; f < cv->folds.size(); ++f) {
    plain += cv->folds[f].labels.size();
    gained += battery[0].transferred.folds[f].labels.size();
    warped += battery[1].transferred.folds[f].labels.size();
    EXPECT_NE(battery[0].transferred.folds[f].scores, cv->folds[f].scores) << f;
  }
  EXPECT_EQ(gained, plain);
  EXPECT_NEAR(static_cast<double>(warped), plain / 0.8, 0.05 * plain);
}

TEST_F(ShiftBattery, JsonShape) {
  const std::vector<ShiftOutcome> battery =
      run_shift_battery(*cv, *dataset, data::parse_shifts("none,noise:30"), {}, 1, 2);
  const nlohmann::json json = shifts_to_json(battery, *cv);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["shift"], "none");
  EXPECT_EQ(json[1]["shift"], "noise:30");
  EXPECT_EQ(json[0]["delta_auc"].get<double>(), 0.0);
  for (const nlohmann::json& entry : json) {
    for (const char* key : {"pooled", "mean_fold_auc", "delta_auc", "delta_mean_fold_auc", "folds"})
      EXPECT_TRUE(entry.contains(key)) << key;
    for (const char* key : {"auc", "sensitivity", "specificity", "confusion"})
      EXPECT_TRUE(entry["pooled"].contains(key)) << key;
    ASSERT_EQ(entry["folds"].size(), cv->folds.size());
    EXPECT_TRUE(entry["folds"][0].contains("threshold"));
    EXPECT_TRUE(entry["folds"][0].contains("subject"));
  }
}

TEST_F(ShiftBattery, NeedsTheFoldModels) {
  CvOutcome without = *cv;
  for (FoldOutcome& fold : without.folds) fold.detector.reset();
  EXPECT_THROW(run_shift_battery(without, *dataset, data::standard_shifts(), {}, 1, 2), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::model
