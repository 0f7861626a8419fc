// Several recording sets on the command line (issue 13): --data/--spec
// pairing, a model trained on one set's channel group scored on a set whose
// columns are named, ordered and scaled differently, and leave-one-dataset-out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// The spec of the converted set: the ankle axes as another site names them
// (AP, SI, ML), stored in another column order, in g, tab-separated.
const char* kSpec = R"J({"format":"csv","files":"*.txt","delimiter":"\t","time_column":"t","time_unit":"ms",
"channels":["AP","SI","ML"],"groups":{"ankle":["AP","SI","ML"]},"scale":1000,"label_column":"flag",
"positive_labels":[2],"ignore_labels":[0],"subject_regex":"SUB([0-9]+)_","run_regex":"_([0-9]+)\\.txt"})J";

// Rewrites the Daphnet files of `from` as the other site's files in `to`.
void convert(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    const std::string name = entry.path().filename().string();  // SxxRyy.txt
    std::istringstream in(read_file(entry.path().string()));
    std::string out = "ML\tt\tAP\tflag\tSI\n", line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      long v[11];
      for (long& x : v) fields >> x;
      out += fmt::format("{:.3f}\t{}\t{:.3f}\t{}\t{:.3f}\n", v[3] / 1000.0, v[0], v[1] / 1000.0, v[10], v[2] / 1000.0);
    }
    write_file_atomic(fs::path(to) / fmt::format("SUB{}_{}.txt", name.substr(1, 2), std::stoi(name.substr(4, 2))), out);
  }
}

class Sites : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    const auto r = testing::run_gaitlstm("data synth --out " + lab() + " --subjects 3 --minutes 1");
    ASSERT_EQ(r.status, 0) << r.output;
    convert(lab(), site());
    dir_->write("site.json", kSpec);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string lab() { return dir_->file("lab"); }
  static std::string site() { return dir_->file("site"); }
  static std::string spec() { return dir_->file("site.json"); }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static nlohmann::json json_of(const std::string& path) { return nlohmann::json::parse(read_file(path)); }
  static testing::TempDir* dir_;
};
testing::TempDir* Sites::dir_ = nullptr;

TEST_F(Sites, SpecBelongsToTheDataBeforeIt) {
  auto r = testing::run_gaitlstm("data summary --data " + lab() + " --data " + site() + " --spec " + spec() +
                                 " --channels ankle --json " + file("sum.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("lab/S01"));
  EXPECT_THAT(r.output, HasSubstr("site/S03"));
  const nlohmann::json summary = json_of(file("sum.json"));
  EXPECT_EQ(summary["channels"], (nlohmann::json{"ankle_fwd", "ankle_vert", "ankle_lat"}));
  ASSERT_EQ(summary["subjects"].size(), 6u);
  EXPECT_EQ(summary["subjects"][3]["subject"], 2001);
  // Each set holds the same recordings: the same decisions per subject.
  for (int s = 0; s < 3; ++s)
    EXPECT_EQ(summary["subjects"][s]["decisions"], summary["subjects"][s + 3]["decisions"]) << s;

  r = testing::run_gaitlstm("data summary --data " + site() + " --spec " + spec() + " --data " + lab() +
                            " --channels ankle");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("site/S01"));
  EXPECT_THAT(r.output, HasSubstr("lab/S03"));

  r = testing::run_gaitlstm("data summary --spec " + spec() + " --data " + site() + " --data " + lab());
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("follows no --data"));
  r = testing::run_gaitlstm("data summary --data " + lab() + " --data " + site() + " --channels ankle");
  EXPECT_NE(r.status, 0);  // the site read as Daphnet files: it has none
  EXPECT_THAT(r.output, HasSubstr("no Daphnet recordings"));
  r = testing::run_gaitlstm("data summary --data " + lab() + " --data " + site() + " --spec " + spec() +
                            " --channels thigh");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("recording set 'site'"));
}

TEST_F(Sites, ModelRunsOnAnotherSetThroughItsChannelGroup) {
  const std::string model = file("ankle.json");
  auto r = testing::run_gaitlstm("train --data " + lab() + " --channels ankle --epochs 1 --hidden 2 --history 4 --out " +
                                 model);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(json_of(model)["frontend"]["channel_group"], "ankle");
  r = testing::run_gaitlstm("eval --model " + model + " --data " + lab() + " --json " + file("lab-eval.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  r = testing::run_gaitlstm("eval --model " + model + " --data " + site() + " --spec " + spec() + " --json " +
                            file("site-eval.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json on_lab = json_of(file("lab-eval.json")), on_site = json_of(file("site-eval.json"));
  ASSERT_EQ(on_lab["subjects"].size(), on_site["subjects"].size());
  EXPECT_GT(on_lab["pooled"]["confusion"]["tp"].get<int>() + on_lab["pooled"]["confusion"]["fn"].get<int>(), 0);
  // Same axes, same values once scaled: the same figures.
  EXPECT_EQ(on_lab["pooled"]["auc"], on_site["pooled"]["auc"]);
  EXPECT_EQ(on_lab["pooled"]["confusion"], on_site["pooled"]["confusion"]);

  // A model file without a group (before channel groups) finds its channels by name only.
  nlohmann::json old = json_of(model);
  old["frontend"].erase("channel_group");
  write_file_atomic(file("old.json"), old.dump());
  EXPECT_EQ(testing::run_gaitlstm("eval --model " + file("old.json") + " --data " + lab()).status, 0);
  r = testing::run_gaitlstm("eval --model " + file("old.json") + " --data " + site() + " --spec " + spec());
  EXPECT_NE(r.status, 0);
  // ... unless --channels names the group.
  r = testing::run_gaitlstm("eval --model " + file("old.json") + " --data " + site() + " --spec " + spec() +
                            " --channels ankle --json " + file("old-eval.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(json_of(file("old-eval.json"))["pooled"]["auc"], on_lab["pooled"]["auc"]);
}

TEST_F(Sites, LeaveOneDatasetOutHoldsOutEachSet) {
  const std::string flags = " --channels ankle --epochs 1 --hidden 2 --history 4 --threshold-from validation";
  auto r = testing::run_gaitlstm("cv --data " + lab() + " --data " + site() + " --spec " + spec() + flags +
                                 " --folds dataset --json " + file("lodo.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("test set"));
  const nlohmann::json cv = json_of(file("lodo.json"));
  ASSERT_EQ(cv["folds"].size(), 2u);
  EXPECT_EQ(cv["folds"][0]["fold"], "lab");
  EXPECT_EQ(cv["folds"][0]["test_subjects"], (nlohmann::json{1001, 1002, 1003}));
  EXPECT_GE(cv["folds"][0]["validation_subject"].get<int>(), 2000);
  EXPECT_EQ(cv["folds"][1]["fold"], "site");
  EXPECT_LT(cv["folds"][1]["validation_subject"].get<int>(), 2000);
  EXPECT_EQ(cv["params"]["folds"], "dataset");

  r = testing::run_gaitlstm("cv --data " + lab() + flags + " --folds dataset");
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("at least two recording sets"));
}

}  // namespace
}  // namespace gaitlstm
