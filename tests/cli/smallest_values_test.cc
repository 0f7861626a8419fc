// Every subcommand run with the smallest legal value of each of its numeric
// options at once (issue 17, item 4): the edge of what the command line
// accepts must work, and one step below it must be refused with a message,
// not a crash, a hang or a silent nonsense result.  The subcommands that run
// external tools are in smallest_values_tools_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/option_bounds.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;

using testing::Bound;

class SmallestValues : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    // The smallest synthetic set the generator makes: two subjects, 30 s each.
    run_ok("data synth --out " + file("data") + " --subjects 2 --minutes 0.5");
    // Cross-validation's smallest set: a test, a validation and a training subject.
    run_ok("data synth --out " + file("data3") + " --subjects 3 --minutes 0.5");
    run_ok("train --data " + file("data") + " --out " + file("model.json") + " --hidden 2 --history 4 --epochs 1");
    run_ok("quantize --model " + file("model.json") + " --data " + file("data") + " --out " + file("q.json"));
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string file(const std::string& name) { return dir_->file(name); }
  static void run_ok(const std::string& args) {
    const auto r = testing::run_gaitlstm(args);
    ASSERT_EQ(r.status, 0) << "gaitlstm " << args << "\n" << r.output;
  }
  static void check(const std::string& command, const std::vector<Bound>& bounds) {
    testing::expect_smallest_work_and_below_refused(command, bounds);
  }
  static testing::TempDir* dir_;
};
testing::TempDir* SmallestValues::dir_ = nullptr;

// Shared by train and cv: the model and training options.
const std::vector<Bound> kModelBounds = {
    {"--decimation", "1", "0"},        {"--baseline-shift", "0", "-1"}, {"--axes-per-sensor", "1", "0"},
    {"--hidden", "1", "0"},            {"--history", "1", "0"},         {"--epochs", "1", "0"},
    {"--patience", "0", "-1"},         {"--min-epochs", "1", "0"},      {"--batch", "1", "0"},
    {"--lr", "1e-9", "0"},             {"--weight-decay", "0", "-1"},   {"--clip", "0", "-1"},
    {"--gain-augmentation", "0", "-1"}, {"--weight-averaging", "0", "-0.5"}, {"--smoothing", "1", "0"},
    {"--seed", "0", ""},               {"--threads", "1", "0"},         {"--cue-hysteresis", "0", "-0.1"},
    {"--cue-min-on", "1", "0"},        {"--cue-refractory", "0", "-1"}};

const std::vector<Bound> kEpisodeBounds = {{"--merge-gap", "0", "-1"},
                                           {"--early-tolerance", "0", "-1"},
                                           {"--late-grace", "0", "-1"},
                                           {"--within", "0", "-1"}};

TEST_F(SmallestValues, DataSummary) {
  check("data summary --data " + file("data"), {{"--rate", "1", "0"}, {"--stride", "1", "0"}, {"--label-window", "1", "0"}});
}

TEST_F(SmallestValues, DataSynth) {
  check("data synth --out " + file("synth"), {{"--seed", "0", ""},
                                              {"--subjects", "2", "1"},
                                              {"--without-freeze", "0", "-1"},
                                              {"--runs", "1", "0"},
                                              {"--minutes", "0.5", "0.4"}});
}

TEST_F(SmallestValues, Train) {
  check("train --data " + file("data") + " --out " + file("t.json") + " --channels ankle_fwd", kModelBounds);
}

TEST_F(SmallestValues, Eval) {
  std::vector<Bound> bounds = kEpisodeBounds;
  bounds.push_back({"--threads", "1", "0"});
  check("eval --model " + file("model.json") + " --data " + file("data"), bounds);
  check("eval --model " + file("q.json") + " --data " + file("data"), bounds);
}

TEST_F(SmallestValues, Cv) {
  std::vector<Bound> bounds = kModelBounds;
  bounds.insert(bounds.end(), kEpisodeBounds.begin(), kEpisodeBounds.end());
  bounds.push_back({"--max-false-alarms", "0", "-1"});
  bounds.push_back({"--qat-epochs", "0", "-1"});
  check("cv --data " + file("data3") + " --channels ankle_fwd --qmodel " + file("q.json"), bounds);
  // Two subjects leave a fold nothing to train on: a clear refusal, not a model trained on nothing.
  const auto two = testing::run_gaitlstm("cv --data " + file("data") + " --channels ankle_fwd --epochs 1");
  EXPECT_EQ(two.status, 1) << two.output;
  EXPECT_THAT(two.output, HasSubstr("has no training subject"));
}

TEST_F(SmallestValues, Quantize) {
  check("quantize --model " + file("model.json") + " --data " + file("data") + " --out " + file("q2.json"),
        {{"--threads", "1", "0"}, {"--cue-hysteresis", "0", "-0.1"}, {"--cue-min-on", "1", "0"},
         {"--cue-refractory", "0", "-1"}});
  check("quantize --search --model " + file("model.json") + " --data " + file("data") + " --out " + file("q3.json"),
        {{"--max-loss", "0", "-0.01"}, {"--qat-epochs", "0", "-1"}, {"--threads", "1", "0"}});
}

TEST_F(SmallestValues, Activations) { check("activations --json " + file("act.json"), {}); }

TEST_F(SmallestValues, Rtl) {
  check("rtl --model " + file("q.json") + " --out " + file("rtl"), {});
  check("rtl --model " + file("q.json") + " --out " + file("rtl-board") + " --board icebreaker",
        {{"--sensor-range", "0", "-1"}});
}

TEST_F(SmallestValues, Replay) {
  std::vector<Bound> bounds = kEpisodeBounds;
  bounds.push_back({"--threads", "1", "0"});
  check("replay --model " + file("q.json") + " --data " + file("data") + " --out " + file("replay"), bounds);
}

}  // namespace
}  // namespace gaitlstm
