// Training: determinism, learning on synthetic data, and (when the real
// recordings are present) the freeze-index baseline on the real folds.
#include "model/train.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "data/load.h"
#include "data/protocol.h"
#include "data/synthetic.h"
#include "model/cv.h"
#include "model/detector.h"
#include "support/temp_dir.h"

namespace gaitlstm::model {
namespace {

class SyntheticTraining : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory = new testing::TempDir();
    data::SyntheticConfig config;
    config.subjects = 4;
    config.minutes_per_run = 3;
    data::write_synthetic_dataset(directory->path(), config);
    dataset = new data::Dataset(data::load_dataset(directory->path()));
  }
  static void TearDownTestSuite() {
    delete dataset;
    delete directory;
  }

  static FitResult fit(uint64_t seed, int threads = 2, int min_epochs = 1, const std::string& augment = "none",
                       int copies = 0) {
    FrontEndConfig frontend;
    for (int c : data::resolve_channels(*dataset, "ankle")) {
      frontend.channel_names.push_back(dataset->channel_names[c]);
    }
    frontend.axes_per_sensor = 3;
    frontend.baseline_shift = 6;
    TrainConfig config;
    config.hidden = 8;
    config.history_steps = 16;
    config.max_epochs = 3;
    config.seed = seed;
    config.threads = threads;
    config.weight_averaging = 0.9;
    config.min_epochs = min_epochs;
    config.augmentation = data::parse_augmentation(augment);
    config.augment_copies = copies;
    const std::vector<data::Decision> decisions = data::make_decisions(*dataset);
    return fit_detector(*dataset, decisions, frontend, config, {1, 2, 4}, 3, nullptr);
  }

  static testing::TempDir* directory;
  static data::Dataset* dataset;
};
testing::TempDir* SyntheticTraining::directory = nullptr;
data::Dataset* SyntheticTraining::dataset = nullptr;

TEST_F(SyntheticTraining, SameSeedGivesIdenticalWeights) {
  const FitResult a = fit(7), b = fit(7);
  ASSERT_EQ(a.detector.lstm.values.size(), b.detector.lstm.values.size());
  for (int64_t i = 0; i < a.detector.lstm.values.size(); ++i) {
    ASSERT_EQ(a.detector.lstm.values[i], b.detector.lstm.values[i]) << i;
  }
  EXPECT_EQ(a.detector.threshold, b.detector.threshold);
  EXPECT_NE(fit(8).detector.lstm.values, a.detector.lstm.values);
}

TEST_F(SyntheticTraining, LearnsTheSyntheticFreezes) {
  const FitResult result = fit(1);
  EXPECT_GT(result.validation.auc, 0.8);
  EXPECT_LE(result.training.epochs.size(), 3u);
}

TEST_F(SyntheticTraining, MinEpochsKeepsOnlyLaterEpochs) {
  const FitResult result = fit(1, 2, 3);
  ASSERT_EQ(result.training.epochs.size(), 3u);
  EXPECT_EQ(result.training.best_epoch, 3);
  EXPECT_EQ(result.training.best_validation_auc, result.training.epochs.back().validation_auc);
  EXPECT_THROW(fit(1, 2, 4), std::invalid_argument);  // more than max_epochs
  EXPECT_THROW(fit(1, 2, 0), std::invalid_argument);
}

TEST_F(SyntheticTraining, AugmentedCopiesChangeTrainingDeterministically) {
  const FitResult plain = fit(7), augmented = fit(7, 2, 1, "rotation,gain,warp", 1);
  EXPECT_NE(plain.detector.lstm.values, augmented.detector.lstm.values);
  EXPECT_EQ(fit(7, 2, 1, "rotation,gain,warp", 1).detector.lstm.values, augmented.detector.lstm.values);
  EXPECT_EQ(fit(7, 2, 1, "rotation,gain,warp", 0).detector.lstm.values, plain.detector.lstm.values);  // 0 copies: off
  // The copies are training data only: validation keeps its decisions.
  EXPECT_EQ(plain.training.validation_scores.size(), augmented.training.validation_scores.size());
  // The model file keeps the augmentation.
  const TrainConfig back = train_config_from_json(to_json(augmented.detector.training));
  EXPECT_EQ(data::augmentation_string(back.augmentation), "warp,rotation,gain");
  EXPECT_EQ(back.augment_copies, 1);
  EXPECT_FALSE(to_json(plain.detector.training).contains("augmentation"));
}

TEST(RealData, FreezeIndexBaselineOnTheProtocolFolds) {
  const std::string dir = GAITLSTM_SHARED_DATA;
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no real data at " << dir;
  const data::Dataset dataset = data::load_dataset(dir);
  const std::vector<data::Decision> decisions = data::make_decisions(dataset);
  const CvOutcome outcome = cross_validate_freeze_index(dataset, decisions, {},
                                                        data::resolve_channels(dataset, "ankle"), 2, {});
  ASSERT_EQ(outcome.folds.size(), 5u);
  EXPECT_GT(outcome.pooled.auc, 0.75);
  EXPECT_LT(outcome.pooled.auc, 0.85);
}

}  // namespace
}  // namespace gaitlstm::model
