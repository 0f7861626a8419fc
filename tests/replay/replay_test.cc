// gaitlstm replay: the page is self-contained and opens in headless Chromium
// without page errors; with --rtl the chip's alarms equal the golden model's,
// and a difference is an error naming the decision.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "model/model_file.h"
#include "quant/calibrate.h"
#include "quant/qmodel_file.h"
#include "replay/replay.h"
#include "replay/replay_html.h"
#include "rtl/design.h"
#include "support/busiest_threshold.h"
#include "support/synthetic.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/rng.h"
#include "util/process_runner.h"

namespace gaitlstm::replay {
namespace {

// Verilator and the simulations it builds run as real processes.
ProcessRunner tools;

using ::testing::HasSubstr;

class ReplayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dataset_ = new data::Dataset(testing::synthetic_dataset(2, 1.5, 0)); }
  static void TearDownTestSuite() { delete dataset_; }

  // Random weights, ankle sensor, smoothing 2; the threshold where the FoG flag
  // toggles most, so alarms come and go; a cue that changes some of them.
  static ReplayModel quantized_model() {
    model::Detector d;
    d.frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
    d.frontend.axes_per_sensor = 3;
    model::design_filters(d.frontend);
    d.frontend.feature_mean.assign(static_cast<size_t>(d.frontend.features()), 10.0);
    d.frontend.feature_std.assign(static_cast<size_t>(d.frontend.features()), 2.0);
    d.history_steps = 4;
    d.output_smoothing = 2;
    d.lstm = model::LstmParams<float>({d.frontend.features(), 3});
    Rng rng(5);
    for (Eigen::Index i = 0; i < d.lstm.values.size(); ++i) d.lstm.values[i] = static_cast<float>(rng.uniform(-1.5, 1.5));
    const auto decisions = data::make_decisions(*dataset_);
    quant::QuantizedModel q = quant::post_training_quantize(d, *dataset_, decisions, decisions, quant::TensorBits{});
    q.threshold = testing::busiest_threshold(quant::make_golden(q).score_decisions(*dataset_, decisions));
    q.cue = {3, 3, 2};
    ReplayModel m;
    m.path = "model.json";
    m.detector = q.detector;
    m.quantized = q;
    return m;
  }
  static data::Dataset* dataset_;
};
data::Dataset* ReplayTest::dataset_ = nullptr;

TEST_F(ReplayTest, PageIsSelfContainedAndHasEverySegment) {
  ReplayOptions options;
  options.subjects = {2};
  const Replay replay = build_replay(tools, quantized_model(), *dataset_, "synthetic", options);
  ASSERT_FALSE(replay.segments.empty());
  for (const SegmentTrace& s : replay.segments) EXPECT_EQ(s.subject, 2);
  EXPECT_GT(replay.episodes.alarms, 0);
  const std::string html = replay_html(replay);
  EXPECT_THAT(html, HasSubstr("id=\"replay-data\""));
  EXPECT_THAT(html, HasSubstr(replay.segments.front().recording));
  // Nothing is fetched: no external scripts, styles, images or links.
  for (const char* fetch : {"src=\"http", "href=\"http", "@import", "url(http"}) EXPECT_THAT(html, ::testing::Not(HasSubstr(fetch)));
}

TEST_F(ReplayTest, UnknownSubjectOrRecordingIsAnInputError) {
  ReplayOptions options;
  options.subjects = {42};
  EXPECT_THROW(build_replay(tools, quantized_model(), *dataset_, "synthetic", options), InputError);
  options.subjects.clear();
  options.recordings = {"S09R09"};
  EXPECT_THROW(build_replay(tools, quantized_model(), *dataset_, "synthetic", options), InputError);
}

// bench/replay_screenshot.sh fails on page errors: the real page passes, a
// page with a script error does not (so the check can fail).
TEST_F(ReplayTest, PageOpensInHeadlessChromiumWithoutPageErrors) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) GTEST_SKIP() << "chromium not installed";
  testing::TempDir dir;
  const std::string page =
      dir.write("replay.html", replay_html(build_replay(tools, quantized_model(), *dataset_, "synthetic", {})));
  const std::string script = std::string(GAITLSTM_SOURCE_DIR) + "/bench/replay_screenshot.sh";
  EXPECT_EQ(std::system((script + " " + page + " " + dir.file("shot.png") + " >/dev/null 2>&1").c_str()), 0);
  EXPECT_TRUE(std::filesystem::exists(dir.file("shot.png")));
  const std::string broken = dir.write("broken.html", "<!DOCTYPE html><html><body><script>notAFunction();</script></body></html>");
  EXPECT_NE(std::system((script + " " + broken + " " + dir.file("broken.png") + " >/dev/null 2>&1").c_str()), 0);
}

TEST_F(ReplayTest, ChipAlarmsEqualTheGoldenModelAndADifferenceNamesTheDecision) {
  const ReplayModel model = quantized_model();
  testing::TempDir dir;
  rtl::write_design(quant::make_golden(*model.quantized), rtl::parse_architecture("serial"), dir.file("rtl"));
  ReplayOptions options;
  options.subjects = {1};
  options.rtl_dir = dir.file("rtl");
  const Replay replay = build_replay(tools, model, *dataset_, "synthetic", options);
  EXPECT_TRUE(replay.rtl_checked);
  size_t decisions = 0, cued = 0;
  for (const SegmentTrace& s : replay.segments)
    for (const DecisionTrace& d : s.decisions) {
      ++decisions;
      cued += d.alarm != d.fog;
    }
  EXPECT_EQ(replay.rtl_decisions, static_cast<int64_t>(decisions));
  EXPECT_GT(cued, 0u) << "the cue never acted: the check would not see a wrong cue";
  // The chip holds the old cue; the model file now says otherwise.
  ReplayModel changed = model;
  changed.quantized->cue.min_on = 6;
  try {
    build_replay(tools, changed, *dataset_, "synthetic", options);
    FAIL() << "a chip that differs from the golden model passed";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("differs from the golden model at decision"));
  }
}

}  // namespace
}  // namespace gaitlstm::replay
