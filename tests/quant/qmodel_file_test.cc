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

TEST_F(QuantizedModelFileTest, CueIsStoredAndCheckedAgainstTheStatisticFormat) {
  const auto decisions = data::make_decisions(*dataset_);
  model::Detector detector = small_detector();
  detector.cue = {0.1, 3, 4};  // probability statistic (smoothing 2): hysteresis 0.1 quantized
  QuantizedModel q = post_training_quantize(detector, *dataset_, decisions, decisions, TensorBits{});
  const QFormat statistic = make_golden(q).statistic_format();  // a copy: the golden model is a temporary
  EXPECT_EQ(q.cue, (QuantizedCue{quantize(0.1, statistic), 3, 4}));
  testing::TempDir dir;
  save_qmodel(q, dir.file("q.json"));
  EXPECT_EQ(load_qmodel(dir.file("q.json")).cue, q.cue);
  EXPECT_EQ(make_golden(load_qmodel(dir.file("q.json"))).cue(), q.cue);
  nlohmann::json j = qmodel_to_json(q);
  j["cue"]["hysteresis"] = statistic.max_raw() + 1;
  const std::string path = dir.write("bad.json", j.dump());
  try {
    load_qmodel(path);
    FAIL() << "hysteresis outside the statistic format accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("cue: cue hysteresis"));
  }
  q.cue = {};
  EXPECT_FALSE(qmodel_to_json(q).contains("cue"));  // off: files as before the cue existed
}

TEST_F(QuantizedModelFileTest, CalibrationIsStoredAndCheckedAgainstTheStatisticFormat) {
  const auto decisions = data::make_decisions(*dataset_);
  model::Detector detector = small_detector();
  detector.calibration = model::CalibrationConfig{4, 0.75, 0.3, 0.4, 0.1};
  QuantizedModel q = post_training_quantize(detector, *dataset_, decisions, decisions, TensorBits{});
  const QFormat statistic = make_golden(q).statistic_format();  // a copy: the golden model is a temporary
  ASSERT_TRUE(q.calibration.has_value());
  EXPECT_EQ(*q.calibration, (QuantizedCalibration{4, 12, quantize(0.3, statistic), quantize(0.4, statistic),
                                                  quantize(0.1, statistic)}));
  testing::TempDir dir;
  save_qmodel(q, dir.file("q.json"));
  EXPECT_EQ(load_qmodel(dir.file("q.json")).calibration, q.calibration);
  EXPECT_EQ(make_golden(load_qmodel(dir.file("q.json"))).calibration(), q.calibration);
  nlohmann::json j = qmodel_to_json(q);
  j["calibration"]["floor"] = statistic.max_raw() + 1;
  const std::string path = dir.write("bad.json", j.dump());
  try {
    load_qmodel(path);
    FAIL() << "floor outside the statistic format accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("calibration: calibration floor"));
  }
  q.calibration.reset();
  EXPECT_FALSE(qmodel_to_json(q).contains("calibration"));  // off: files as before it existed
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
  j["format"] = 1;  // a JSON type error escaped before (fuzz/regressions/qmodel)
  expect_error(j.dump(), "not a quantized gaitlstm model");
  j = qmodel_to_json(q);
  j["protocol"]["freeze_share"] = "half";
  expect_error(j.dump(), "protocol 'freeze_share' must be a number");
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
  // Episode figures, pooled and per subject (docs/PROTOCOL.md, "Episodes").
  for (const char* key : {"count", "detected", "sensitivity", "latency_median_s", "latency_p90_s", "false_alarms_per_hour",
                          "coverage", "per_subject"})
    EXPECT_TRUE(report["pooled"]["episodes"].contains(key)) << key;
  int64_t episodes = 0;
  for (const auto& subject : report["subjects"]) episodes += subject["episodes"]["count"].get<int64_t>();
  EXPECT_EQ(episodes, report["pooled"]["episodes"]["count"].get<int64_t>());
  EXPECT_GT(episodes, 0);
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

  EXPECT_TRUE(report["pooled"]["episodes"].contains("false_alarms_per_hour"));
  EXPECT_TRUE(report["folds"][0]["episodes"].contains("sensitivity"));
  EXPECT_EQ(report["folds"][0]["cue"]["min_on"], 1);  // no --cue-* flags: off

  // A quantized model file as the recipe of every fold; the cue from train flows into it
  // (--cue's default hysteresis 0.05, its minimum duration replaced whatever the order).
  run = testing::run_gaitlstm("train" + model_flags + " --cue-min-on 3 --cue --out " + dir.file("m.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  run = testing::run_gaitlstm("quantize --model " + dir.file("m.json") + " --data " + dir.file("data") +
                              " --search --max-loss 0.02 --out " + dir.file("q.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Survivors"));
  const QuantizedModel q = load_qmodel(dir.file("q.json"));
  EXPECT_EQ(q.cue.min_on, 3);
  EXPECT_EQ(q.cue.hysteresis, quantize(0.05, make_golden(q).statistic_format()));
  EXPECT_LE(q.metrics["search"]["survivors"][0]["point"].get<int>(), q.metrics["search"]["evaluations"].get<int>());
  run = testing::run_gaitlstm("cv" + model_flags + " --choose-cue --qmodel " + dir.file("q.json") + " --json " +
                              dir.file("cvq.json"));
  ASSERT_EQ(run.status, 0) << run.output;
  const auto cvq = nlohmann::json::parse(read_file(dir.file("cvq.json")));
  EXPECT_TRUE(cvq["quantized"]["qmodel"]["pooled"].contains("auc"));
  // Golden-model alarms of every fold, with the cue chosen on its validation subject.
  EXPECT_TRUE(cvq["quantized"]["qmodel"]["pooled"]["episodes"].contains("sensitivity"));
  EXPECT_TRUE(cvq["quantized"]["qmodel"]["folds"][0].contains("cue"));
  EXPECT_TRUE(cvq["pooled"]["episodes"].contains("coverage"));

  run = testing::run_gaitlstm("cv" + model_flags + " --model freeze-index --quant-search");
  EXPECT_NE(run.status, 0);
  EXPECT_THAT(run.output, HasSubstr("needs --model lstm"));
}

}  // namespace
}  // namespace gaitlstm::quant
