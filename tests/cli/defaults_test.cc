// Options whose default depends on another option follow it: giving only the
// other one never contradicts a default the user did not choose.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;

class DefaultsFollow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    // The smallest synthetic set: two subjects (both must freeze), 30 s each.
    const auto r = testing::run_gaitlstm("data synth --out " + data() + " --subjects 2 --minutes 0.5");
    ASSERT_EQ(r.status, 0) << r.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string data() { return dir_->file("data"); }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static nlohmann::json training_of(const std::string& model) {
    return nlohmann::json::parse(read_file(model))["training"];
  }
  static testing::TempDir* dir_;
};
testing::TempDir* DefaultsFollow::dir_ = nullptr;

TEST_F(DefaultsFollow, SynthWithoutFreezeFollowsSubjects) {
  // --without-freeze defaults to 1, which would leave one freezing subject of two.
  const auto r = testing::run_gaitlstm("data synth --out " + file("two") + " --subjects 2 --minutes 0.5");
  ASSERT_EQ(r.status, 0) << r.output;
  const auto summary = testing::run_gaitlstm("data summary --data " + file("two") + " --json " + file("two.json"));
  ASSERT_EQ(summary.status, 0) << summary.output;
  // Parsed into a variable: a range-for over a member of a temporary reads freed memory (C++20).
  const nlohmann::json parsed = nlohmann::json::parse(read_file(file("two.json")));
  ASSERT_EQ(parsed["subjects"].size(), 2u) << parsed.dump();
  for (const auto& subject : parsed["subjects"])
    EXPECT_GT(subject["label2_samples"].get<int64_t>(), 0) << subject.dump();
  // Given explicitly, a contradiction is still the user's error.
  EXPECT_NE(testing::run_gaitlstm("data synth --out " + file("bad") + " --subjects 2 --without-freeze 1").status, 0);
}

TEST_F(DefaultsFollow, MinEpochsFollowsEpochs) {
  // --min-epochs defaults to 3: `--epochs 2` alone must train (2 epochs).
  const auto r = testing::run_gaitlstm("train --data " + data() + " --out " + file("e2.json") +
                                       " --epochs 2 --hidden 2 --history 4");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(training_of(file("e2.json"))["min_epochs"], 2);
  EXPECT_EQ(training_of(file("e2.json"))["max_epochs"], 2);
  const auto contradiction = testing::run_gaitlstm("train --data " + data() + " --out " + file("bad.json") +
                                                   " --epochs 2 --min-epochs 3 --hidden 2 --history 4");
  EXPECT_NE(contradiction.status, 0);
  EXPECT_THAT(contradiction.output, HasSubstr("min_epochs 3"));
}

TEST_F(DefaultsFollow, AxesPerSensorFollowsChannels) {
  // --axes-per-sensor defaults to 3, which does not divide two channels.
  const auto r = testing::run_gaitlstm("train --data " + data() + " --out " + file("c2.json") +
                                       " --channels ankle_fwd,ankle_vert --epochs 1 --hidden 2 --history 4");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(nlohmann::json::parse(read_file(file("c2.json")))["frontend"]["axes_per_sensor"], 1);
  EXPECT_NE(testing::run_gaitlstm("train --data " + data() + " --out " + file("bad.json") +
                                  " --channels ankle_fwd,ankle_vert --axes-per-sensor 3 --epochs 1")
                .status,
            0);
}

}  // namespace
}  // namespace gaitlstm
