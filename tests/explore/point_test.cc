// The typed records of a design point and a layout: one to_json /
// from_json pair each, exact round trips, and a misspelt, missing or
// mistyped key is an error naming it (never a silent default).
#include "explore/point.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "explore/sample_points.h"
#include "util/error.h"

namespace gaitlstm::explore {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Parses `j` and expects an InputError mentioning every part of `what`.
template <typename Parse>
void expect_rejected(Parse parse, const json& j, const std::vector<std::string>& what) {
  try {
    parse(j, "rec.json");
    FAIL() << "accepted " << j.dump();
  } catch (const InputError& e) {
    for (const std::string& w : what) EXPECT_THAT(e.what(), HasSubstr(w));
  }
}

TEST(PointJson, ResultRoundTripsExactly) {
  for (const PointResult& r : {samples::sample_result(), samples::sample_result("lanes:4", 0.8, 0.5, 1e-4, 0)}) {
    const json j = to_json(r);
    const PointResult back = point_result_from_json(j, "rec.json");
    EXPECT_EQ(to_json(back), j);
    EXPECT_EQ(back.power.has_value(), r.power.has_value());
    ASSERT_TRUE(back.episodes.has_value());
    EXPECT_EQ(back.episodes->latency_median_s.has_value(), r.episodes->latency_median_s.has_value());
    EXPECT_EQ(back.episodes->false_alarms_per_hour, r.episodes->false_alarms_per_hour);
    EXPECT_EQ(back.episodes->cue, r.episodes->cue);
    EXPECT_EQ(back.power_error, r.power_error);
    EXPECT_EQ(back.synthesis.cell_types.size(), 2u);
    EXPECT_DOUBLE_EQ(back.area_mm2(), r.area_mm2());
    EXPECT_EQ(back.bits, r.bits);
    // Through text too, as the store and the outcome files keep it.
    EXPECT_EQ(to_json(point_result_from_json(json::parse(j.dump()), "rec.json")), j);
  }
}

TEST(PointJson, OutcomesAndSpecsRoundTrip) {
  const PointOutcome done = samples::sample_outcome("k1", samples::sample_result());
  EXPECT_EQ(to_json(point_outcome_from_json(to_json(done), "o.json")), to_json(done));
  const PointOutcome failed = samples::failed_outcome("k2", "yosys failed");
  const PointOutcome back = point_outcome_from_json(to_json(failed), "o.json");
  EXPECT_FALSE(back.done());
  EXPECT_EQ(back.error, "yosys failed");
  EXPECT_FALSE(back.result.has_value());
  PointSpec spec{"k", "h4", "w6", "serial", "f", "q", "/out/models/q.json", 0.81, 0.83, {}};
  spec.bits.cell = 12;
  EXPECT_EQ(to_json(point_spec_from_json(to_json(spec), "s.json")), to_json(spec));
  EXPECT_FALSE(point_spec_from_json(to_json(spec), "s.json").episodes.has_value());
  spec.episodes = samples::sample_episodes();
  const PointSpec with = point_spec_from_json(to_json(spec), "s.json");
  ASSERT_TRUE(with.episodes.has_value());
  EXPECT_EQ(with.episodes->detected_within, 9);
  EXPECT_EQ(to_json(with), to_json(spec));
}

// A record written before episodes were measured reads back without them.
TEST(PointJson, EpisodesAreOptionalAndStrict) {
  json j = to_json(samples::sample_result());
  j.erase("episodes");
  EXPECT_FALSE(point_result_from_json(j, "rec.json").episodes.has_value());
  j = to_json(samples::sample_result());
  j["episodes"]["false_alarms_per_hr"] = 3.0;
  expect_rejected(point_result_from_json, j, {"episodes.false_alarms_per_hr", "unknown key"});
  j = to_json(samples::sample_result());
  j["episodes"].erase("count");
  expect_rejected(point_result_from_json, j, {"episodes.count", "missing"});
  j = to_json(samples::sample_result());
  j["episodes"]["cue"]["min_on"] = "2";
  expect_rejected(point_result_from_json, j, {"episodes.cue.min_on", "must be an integer"});
}

TEST(PointJson, LayoutRoundTripsWithAndWithoutOptionals) {
  LayoutOutcome o{"l1", "k1", "h8/8bit/serial", 0.6, 1.0, "done", samples::sample_layout(), "", 420};
  EXPECT_EQ(to_json(layout_outcome_from_json(to_json(o), "l.json")), to_json(o));
  o.figures->post_route_fmax_mhz.reset();
  o.figures->post_route_slack_ns.reset();
  o.figures->post_route_timing_error = "vesta: net x! not found";
  o.figures->drc_errors.reset();
  const LayoutOutcome back = layout_outcome_from_json(to_json(o), "l.json");
  EXPECT_FALSE(back.figures->post_route_fmax_mhz.has_value());
  EXPECT_EQ(*back.figures->post_route_timing_error, "vesta: net x! not found");
  EXPECT_EQ(to_json(back), to_json(o));
}

TEST(PointJson, MissingKeyIsAnError) {
  json j = to_json(samples::sample_result());
  j.erase("auc");
  expect_rejected(point_result_from_json, j, {"rec.json", "auc", "missing"});
  j = to_json(samples::sample_result());
  j["synthesis"].erase("cells");
  expect_rejected(point_result_from_json, j, {"synthesis.cells", "missing"});
}

TEST(PointJson, UnknownOrMisspeltKeyIsAnError) {
  json j = to_json(samples::sample_result());
  j["area_mm"] = 1.0;
  expect_rejected(point_result_from_json, j, {"area_mm", "unknown key"});
  j = to_json(samples::sample_result());
  j["timing"]["fmax_mhzz"] = j["timing"]["fmax_mhz"];
  expect_rejected(point_result_from_json, j, {"timing.fmax_mhzz", "unknown key"});
  json l = to_json(LayoutOutcome{"l1", "k1", "d", 0.6, 1, "done", samples::sample_layout(), "", 1});
  l["figures"]["die_area"] = 1;
  expect_rejected(layout_outcome_from_json, l, {"die_area", "unknown key"});
}

TEST(PointJson, WrongTypeOrStatusIsAnError) {
  json j = to_json(samples::sample_result());
  j["synthesis"]["cells"] = "1000";
  expect_rejected(point_result_from_json, j, {"synthesis.cells", "must be an integer"});
  json o = to_json(samples::failed_outcome("k", "e"));
  o["status"] = "crashed";
  expect_rejected(point_outcome_from_json, o, {"status"});
  o = to_json(samples::sample_outcome("k", samples::sample_result()));
  o.erase("result");
  expect_rejected(point_outcome_from_json, o, {"result", "missing"});
}

}  // namespace
}  // namespace gaitlstm::explore
