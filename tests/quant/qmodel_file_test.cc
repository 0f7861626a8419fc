#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "data/protocol.h"
#include "quant/calibrate.h"
#include "quant/qmodel_file.h"
#include "support/run_command.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/rng.h"

namespace gaitlstm::quant {
namespace {

using ::testing::HasSubstr;

model::Detector small_detector() {
  model::Detector d;
  d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
  d.frontend.axes_per_sensor = 3;
  model::design_filters(d.frontend);
  d.frontend.feature_mean.assign(static_cast<size_t>(d.frontend.features()), 12.0);
  d.frontend.feature_std.assign(static_cast<size_t>(d.frontend.features()), 3.0);
  d.history_steps = 8;
  d.output_smoothing = 2;
  d.training.hidden = 4;  // the model file checks training and architecture agree
  d.training.history_steps = 8;
  d.training.output_smoothing = 2;
  d.lstm = model::LstmParams<float>({d.frontend.features(), 4});
  Rng rng(3);
  for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1, 1));
  return d;
}

class QuantizedModelFileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dataset_ = new data::Dataset(testing::synthetic_dataset(3, 1, 1)); }
  static void TearDownTestSuite() { delete dataset_; }
  static data::Dataset* dataset_;
};
data::Dataset* QuantizedModelFileTest::dataset_ = nullptr;

TEST_F(QuantizedModelFileTest, RoundTripKeepsEveryScore) {
  const auto decisions = data::make_decisions(*dataset_);
  const QuantizedModel q = post_training_quantize(small_detector(), *dataset_, decisions, decisions, TensorBits{});
  testing::TempDir dir;
  save_qmodel(q, dir.file("q.json"));
  ASSERT_TRUE(is_qmodel_file(dir.file("q.json")));
  const QuantizedModel back = load_qmodel(dir.file("q.json"));
  EXPECT_EQ(back.config, q.config);
  EXPECT_EQ(back.threshold, q.threshold);
  EXPECT_EQ(make_golden(back).score_decisions(*dataset_, decisions), make_golden(q).score_decisions(*dataset_, decisions));
  // The metrics the quantizer reports are those of the golden model.
  EXPECT_GT(q.metrics["quantized_auc"].get<double>(), 0.0);
}

TEST_F(QuantizedModelFileTest, MalformedFilesGetClearErrors) {
  const auto decisions = data::make_decisions(*dataset_);
  const QuantizedModel q = post_training_quantize(small_detector(), *dataset_, decisions, decisions, TensorBits{});
  testing::TempDir dir;
  auto expect_error = [&](const std::string& text, const std::string& reason) {
    const std::string path = dir.write("bad.json", text);
    try {
      load_qmodel(path);
      FAIL() << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), path);
      EXPECT_THAT(e.reason(), HasSubstr(reason));
    }
  };
  const std::string good = qmodel_to_json(q).dump();
  expect_error(good.substr(0, good.size() / 2), "malformed or truncated JSON");
  nlohmann::json j = qmodel_to_json(q);
  j["format"] = "gaitlstm-model";
  expect_error(j.dump(), "not a quantized gaitlstm model");
  j = qmodel_to_json(q);
  j["quantization"]["lstm"]["gate"]["rounding"] = "upwards";
  expect_error(j.dump(), "rounding must be");
  j = qmodel_to_json(q);
  j["quantization"]["lstm"]["cell_tanh_unit"]["index_bits"] = 20;
  expect_error(j.dump(), "inconsistent model");
  j = qmodel_to_json(q);
  j.erase("threshold");
  expect_error(j.dump(), "missing field 'threshold'");
}

TEST_F(QuantizedModelFileTest, EvalScoresAQuantizedModelWithTheGoldenModel) {
  const auto decisions = data::make_decisions(*dataset_);
  const QuantizedModel q = post_training_quantize(small_detector(), *dataset_, decisions, decisions, TensorBits{});
  testing::TempDir dir;
  save_qmodel(q, dir.file("q.json"));
  data::write_synthetic_dataset(dir.file("data"), [] {
    data::SyntheticConfig c;
    c.subjects = 3;
    c.minutes_per_run = 1;
    return c;
  }());
  const auto run = testing::run_gaitlstm("eval --model " + dir.file("q.json") + " --data " + dir.file("data") +
                                         " --json " + dir.file("eval.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("integer golden model"));
  const auto report = nlohmann::json::parse(read_file(dir.file("eval.json")));
  EXPECT_TRUE(report["quantized"].get<bool>());
  EXPECT_NEAR(report["pooled"]["auc"].get<double>(), q.metrics["quantized_auc"].get<double>(), 1e-12);
}

TEST(QuantizedCvCliTest, SearchesBitsOverTheFoldsAndCrossValidatesTheSurvivors) {
  testing::TempDir dir;
  data::write_synthetic_dataset(dir.file("data"), [] {
    data::SyntheticConfig c;
    c.subjects = 3;
    c.minutes_per_run = 1.5;
    return c;
  }());
  const std::string model_flags = " --data " + dir.file("data") +
                                  " --channels ankle --hidden 4 --history 8 --smoothing 2 --epochs 2 --min-epochs 1"
                                  " --threads 2";
  auto run = testing::run_gaitlstm("cv" + model_flags + " --threshold-from validation --quant-search --budgets 0.02 --json " + dir.file("cv.json") +
                                   " --search-json " + dir.file("search.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  const auto report = nlohmann::json::parse(read_file(dir.file("cv.json")));
  const nlohmann::json& evaluated = report["quantized"]["evaluated"];
  ASSERT_EQ(evaluated.size(), 2u);  // the 8-bit start and the survivor of the 2 pp budget
  EXPECT_EQ(evaluated[0]["folds"].size(), report["folds"].size());
  EXPECT_LE(evaluated[1]["validation_loss"].get<double>(), 0.02 + 1e-12);
  EXPECT_LE(evaluated[1]["cost"].get<double>(), evaluated[0]["cost"].get<double>());
  EXPECT_TRUE(evaluated[1]["pooled"].contains("auc"));
  const auto search = nlohmann::json::parse(read_file(dir.file("search.json")));
  EXPECT_GT(search["points"].size(), 10u);
  EXPECT_FALSE(search["pareto"].empty());

  // A quantized model file as the recipe of every fold.
  run = testing::run_gaitlstm("train" + model_flags + " --out " + dir.file("m.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  run = testing::run_gaitlstm("quantize --model " + dir.file("m.json") + " --data " + dir.file("data") +
                              " --search --max-loss 0.02 --out " + dir.file("q.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Survivors"));
  const QuantizedModel q = load_qmodel(dir.file("q.json"));
  EXPECT_LE(q.metrics["search"]["survivors"][0]["point"].get<int>(), q.metrics["search"]["evaluations"].get<int>());
  run = testing::run_gaitlstm("cv" + model_flags + " --qmodel " + dir.file("q.json") + " --json " + dir.file("cvq.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_TRUE(nlohmann::json::parse(read_file(dir.file("cvq.json")))["quantized"]["qmodel"]["pooled"].contains("auc"));

  run = testing::run_gaitlstm("cv" + model_flags + " --model freeze-index --quant-search");
  EXPECT_NE(run.status, 0);
  EXPECT_THAT(run.output, HasSubstr("needs --model lstm"));
}

}  // namespace
}  // namespace gaitlstm::quant
