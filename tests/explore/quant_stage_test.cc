#include "explore/quant_stage.h"

#include <gtest/gtest.h>

#include "quant/cost_model.h"

namespace gaitlstm::explore {
namespace {

using nlohmann::json;

quant::TensorBits weights(int w) {
  quant::TensorBits b;
  b.input_weight = w;
  b.recurrent_weight = w;
  return b;
}

// A search JSON as quant::search_to_json writes it: point 0 is the start.
json search_json() {
  json points = json::array();
  for (int w : {8, 6, 5, 4, 3, 6}) points.push_back({{"bits", quant::to_json(weights(w))}});
  return {{"points", points},
          {"pareto", {4, 3, 2, 1, 0}},  // ascending cost
          {"survivors", {{{"budget", 0.01}, {"point", 2}}, {{"budget", 0.03}, {"point", 3}}, {{"budget", 0.1}, {"point", -1}}}}};
}

TEST(CandidatesFromSearch, StartSurvivorsThenSpreadParetoPointsWithoutRepeats) {
  SearchConfig config;
  config.pareto_points = 3;
  const std::vector<BitsCandidate> c = candidates_from_search(search_json(), config, "cal-");
  std::vector<std::string> labels;
  for (const BitsCandidate& b : c) labels.push_back(b.label);
  // Pareto picks: cheapest (point 4, 3 bits), middle (point 2: already the 1 pp survivor), costliest (the start).
  EXPECT_EQ(labels, (std::vector<std::string>{"cal-start", "cal-within1pp", "cal-within3pp", "cal-pareto1"}));
  EXPECT_EQ(c[0].bits, weights(8));
  EXPECT_EQ(c[1].bits, weights(5));
  EXPECT_EQ(c[2].bits, weights(4));
  EXPECT_EQ(c[3].bits, weights(3));
}

TEST(CandidatesFromSearch, NoParetoPointsKeepsStartAndSurvivors) {
  SearchConfig config;
  config.pareto_points = 0;
  EXPECT_EQ(candidates_from_search(search_json(), config, "").size(), 3u);
}

quant::CostFeatures features(double w, double m, double s) {
  quant::CostFeatures f;
  f.weight_bits = w;
  f.multiplier_bits = m;
  f.state_bits = s;
  f.accumulator_bits = 40;
  f.table_bits = 600;
  f.history_bits = 200;
  return f;
}

TEST(CostCalibration, FitsMeasuredAreasAndReportsHeldOutError) {
  quant::CostModel truth;
  truth.intercept = 20000;
  truth.coefficients = {30, 45, 150, 15, 95, 110};
  std::vector<quant::CostSample> samples;
  for (double w : {500.0, 900.0, 1500.0})
    for (double m : {300.0, 700.0})
      for (double s : {200.0, 450.0}) samples.push_back({features(w, m, s), truth.cost(features(w, m, s))});
  const Calibration c = calibrate_cost_model(samples, quant::CostModel{});
  EXPECT_EQ(c.samples, samples.size());
  EXPECT_GT(c.prior_error, 0.05);        // the default model is off for these areas
  EXPECT_LT(c.fitted_error, 0.01);       // a linear truth is recovered
  EXPECT_LT(c.leave_one_out_error, 0.02);
  EXPECT_GE(c.fitted_max_error, c.fitted_error);
  const json j = c.to_json();
  EXPECT_EQ(j.at("samples").get<size_t>(), samples.size());
  EXPECT_TRUE(j.contains("leave_one_out_mean_abs_relative_error"));
}

TEST(CostCalibration, NeedsThreeDesigns) {
  const std::vector<quant::CostSample> two{{features(1, 1, 1), 1000}, {features(2, 2, 2), 2000}};
  EXPECT_THROW(calibrate_cost_model(two, quant::CostModel{}), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::explore
