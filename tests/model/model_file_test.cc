// Model files: bit-identical round trip; one test per kind of bad file.
#include "model/model_file.h"

#include <gtest/gtest.h>

#include "model/train.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::model {
namespace {

Detector example_detector() {
  Detector d;
  d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
  d.frontend.axes_per_sensor = 3;
  d.frontend.baseline_shift = 6;
  design_filters(d.frontend);
  d.frontend.feature_mean = {1.0 / 3, 2.5, -0.1, 7};
  d.frontend.feature_std = {0.7, 1e-3, 2, 1.0 / 7};
  d.training.hidden = 5;
  d.training.history_steps = d.history_steps = 24;
  d.training.min_epochs = 2;
  d.lstm = initial_params(LstmShape{4, 5}, 99);
  d.lstm.values[3] = 1.17549435e-38f;  // smallest normal float
  d.lstm.values[4] = -0.1f;
  d.threshold = 0.123456789012345678;
  d.metrics = {{"validation", {{"auc", 0.9}}}};
  return d;
}

class ModelFile : public ::testing::Test {
 protected:
  // Writes the example's JSON after `edit`, loads it, returns the error text.
  std::string load_error(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = detector_to_json(example_detector());
    edit(j);
    return load_error_of_text(j.dump());
  }
  std::string load_error_of_text(const std::string& text) {
    const std::string path = dir.write("bad.json", text);
    try {
      load_detector(path);
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), path);
      return e.what();
    }
    ADD_FAILURE() << "no error for bad file";
    return "";
  }
  testing::TempDir dir;
};

TEST_F(ModelFile, RoundTripIsBitIdentical) {
  const Detector original = example_detector();
  const std::string path = dir.file("model.json");
  save_detector(original, path);
  const Detector loaded = load_detector(path);
  ASSERT_EQ(loaded.lstm.values.size(), original.lstm.values.size());
  for (int64_t i = 0; i < original.lstm.values.size(); ++i) {
    EXPECT_EQ(loaded.lstm.values[i], original.lstm.values[i]) << i;
  }
  EXPECT_EQ(loaded.threshold, original.threshold);
  EXPECT_EQ(loaded.frontend.feature_mean, original.frontend.feature_mean);
  EXPECT_EQ(loaded.frontend.feature_std, original.frontend.feature_std);
  EXPECT_EQ(loaded.frontend.filters[1][0].coefficients, original.frontend.filters[1][0].coefficients);
  EXPECT_EQ(detector_to_json(loaded).dump(), detector_to_json(original).dump());
}

TEST_F(ModelFile, ChannelGroupRoundTripsAndIsOptional) {
  Detector grouped = example_detector();
  grouped.frontend.channel_group = "ankle";
  const std::string path = dir.file("grouped.json");
  save_detector(grouped, path);
  EXPECT_EQ(load_detector(path).frontend.channel_group, "ankle");
  nlohmann::json j = detector_to_json(grouped);
  EXPECT_EQ(j["frontend"]["channel_group"], "ankle");
  j["frontend"].erase("channel_group");  // a file written before channel groups
  EXPECT_EQ(load_detector(dir.write("old.json", j.dump())).frontend.channel_group, "");
  EXPECT_FALSE(detector_to_json(example_detector())["frontend"].contains("channel_group"));
  EXPECT_NE(load_error([](nlohmann::json& bad) { bad["frontend"]["channel_group"] = 3; }).find("channel_group"),
            std::string::npos);
}

TEST_F(ModelFile, CalibrationRoundTripsAndIsOffWhenAbsent) {
  Detector d = example_detector();
  EXPECT_FALSE(detector_to_json(d).contains("calibration"));
  d.output_smoothing = d.training.output_smoothing = 4;
  d.calibration = CalibrationConfig{5, 0.5, 0.3, 0.123456789, 0.0625};
  save_detector(d, dir.file("m.json"));
  EXPECT_EQ(load_detector(dir.file("m.json")).calibration, d.calibration);
  // Without output smoothing the statistic is a logit: refused.
  EXPECT_NE(load_error([](nlohmann::json& j) { j["calibration"] = nlohmann::json::object(); }).find("output_smoothing > 1"),
            std::string::npos);
  EXPECT_NE(load_error([](nlohmann::json& j) { j["calibration"] = {{"k", 0.1}}; }).find("calibration"), std::string::npos);
}

TEST_F(ModelFile, FileWithoutMinEpochsLoadsWithOne) {  // written before the option existed
  nlohmann::json j = detector_to_json(example_detector());
  EXPECT_EQ(j["training"]["min_epochs"], 2);
  j["training"].erase("min_epochs");
  EXPECT_EQ(load_detector(dir.write("old.json", j.dump())).training.min_epochs, 1);
}

TEST_F(ModelFile, MissingFile) {
  EXPECT_THROW(load_detector(dir.file("absent.json")), InputError);
}

TEST_F(ModelFile, NotJson) {
  EXPECT_NE(load_error_of_text("hello").find("not valid JSON"), std::string::npos);
}

TEST_F(ModelFile, Truncated) {
  const std::string text = detector_to_json(example_detector()).dump();
  EXPECT_NE(load_error_of_text(text.substr(0, text.size() / 2)).find("truncated"), std::string::npos);
}

TEST_F(ModelFile, WrongFormatOrVersion) {
  EXPECT_NE(load_error([](auto& j) { j["format"] = "other"; }).find("not a gaitlstm model"),
            std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["version"] = 2; }).find("unsupported version 2"), std::string::npos);
}

TEST_F(ModelFile, MissingField) {
  EXPECT_NE(load_error([](auto& j) { j["weights"].erase("gate_bias"); }).find("missing field 'gate_bias'"),
            std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j.erase("threshold"); }).find("missing field 'threshold'"),
            std::string::npos);
}

TEST_F(ModelFile, WrongWeightCount) {
  const std::string error = load_error([](auto& j) { j["weights"]["recurrent_weights"].erase(0); });
  EXPECT_NE(error.find("weights.recurrent_weights: has 99 values, expected 100"), std::string::npos) << error;
}

TEST_F(ModelFile, InputsDisagreeWithFrontEnd) {
  const std::string error = load_error([](auto& j) {
    j["frontend"]["baseline_shift"] = 0;  // 2 features, weights for 4
  });
  EXPECT_NE(error.find("!= architecture.inputs 4"), std::string::npos) << error;
}

// Files from before the level-free features have neither key: both off.
TEST_F(ModelFile, LevelFreeFeaturesRoundTripAndDefaultOff) {
  Detector d = example_detector();
  d.frontend.energy_smoothing_shift = 3;
  d.frontend.ratios = true;
  d.frontend.keep_levels = false;  // R_0 R_1 Q_1
  d.frontend.feature_mean = {0.5, 1.5, -2};
  d.frontend.feature_std = {1, 2, 3};
  d.lstm = initial_params(LstmShape{3, 5}, 7);
  const std::string path = dir.file("ratios.json");
  save_detector(d, path);
  const Detector loaded = load_detector(path);
  EXPECT_EQ(loaded.frontend.energy_smoothing_shift, 3);
  EXPECT_TRUE(loaded.frontend.ratios);
  EXPECT_EQ(loaded.frontend.features(), 3);
  nlohmann::json old = detector_to_json(example_detector());
  old["frontend"].erase("energy_smoothing_shift");
  old["frontend"].erase("ratios");
  const Detector previous = load_detector(dir.write("old.json", old.dump()));
  EXPECT_EQ(previous.frontend.energy_smoothing_shift, 0);
  EXPECT_FALSE(previous.frontend.ratios);
  EXPECT_NE(load_error([](auto& j) { j["frontend"]["ratios"] = 1; }).find("frontend.ratios: expected true or false"),
            std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["frontend"]["energy_smoothing_shift"] = 17; }).find("outside"), std::string::npos);
}

TEST_F(ModelFile, ParameterCountDisagrees) {
  EXPECT_NE(load_error([](auto& j) { j["architecture"]["parameters"] = 1; }).find("architecture.parameters"),
            std::string::npos);
}

TEST_F(ModelFile, BadValues) {
  EXPECT_NE(load_error([](auto& j) { j["weights"]["gate_bias"][0] = "x"; }).find("non-numeric"),
            std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["frontend"]["feature_std"][1] = -1; }).find("must be positive"),
            std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["frontend"]["decimation"] = 12; }).find("power of two"),
            std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["frontend"]["filters"].erase(0); }).find("one filter pair per band"),
            std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["architecture"]["hidden"] = 0; }).find("outside"), std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["frontend"]["keep_levels"] = 1; }).find("expected true or false"),
            std::string::npos);
}

TEST_F(ModelFile, TrainingConfigDisagrees) {
  EXPECT_NE(load_error([](auto& j) { j["training"]["hidden"] = 6; }).find("disagree"), std::string::npos);
  EXPECT_NE(load_error([](auto& j) { j["training"].erase("seed"); }).find("training"), std::string::npos);
  // std::invalid_argument escaped load_detector before (fuzz/regressions/model).
  const std::string error =
      load_error([](auto& j) { j["training"]["augmentation"] = {{"transforms", "sideways"}}; });
  EXPECT_NE(error.find("training: augmentation 'sideways'"), std::string::npos) << error;
}

}  // namespace
}  // namespace gaitlstm::model
