#include "explore/quant_stage.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "quant/calibrate.h"
#include "quant/search.h"

namespace gaitlstm::explore {

QuantCandidate quantize_candidate(const model::Detector& detector, const BitsCandidate& bits,
                                  const data::Dataset& dataset, const QuantDecisions& decisions,
                                  const data::ProtocolConfig& protocol, int threads) {
  QuantCandidate c;
  c.label = bits.label;
  c.bits = bits.bits;
  c.model = quant::post_training_quantize(detector, dataset, decisions.calibration, decisions.threshold, bits.bits,
                                          protocol, threads);
  return c;
}

nlohmann::json search_bits(const std::vector<quant::SearchModel>& models, const data::Dataset& dataset,
                           const SearchConfig& search, const quant::CostModel& cost,
                           const data::ProtocolConfig& protocol, int threads, std::ostream* progress) {
  quant::SearchOptions options;
  options.budgets = search.budgets;
  std::sort(options.budgets.begin(), options.budgets.end());
  options.start = search.start;
  options.fixed = search.fixed;
  options.cost = cost;
  options.protocol = protocol;
  options.threads = threads;
  return quant::search_to_json(quant::search_bit_widths(dataset, models, options, progress), cost);
}

std::vector<BitsCandidate> candidates_from_search(const nlohmann::json& search, const SearchConfig& config,
                                                  const std::string& prefix) {
  const nlohmann::json& points = search.at("points");
  std::vector<BitsCandidate> out;
  auto add = [&](const std::string& label, size_t point) {
    const quant::TensorBits bits = quant::tensor_bits_from_json(points.at(point).at("bits"));
    for (const BitsCandidate& c : out)
      if (c.bits == bits) return;
    out.push_back({prefix + label, bits});
  };
  add("start", 0);  // the search evaluates its start first
  for (const nlohmann::json& s : search.at("survivors"))
    if (s.at("point").get<int>() >= 0)
      add(fmt::format("within{:g}pp", 100 * s.at("budget").get<double>()), s.at("point").get<size_t>());
  // Pareto points (ascending cost) evenly spread, ends included.
  const std::vector<size_t> pareto = search.at("pareto").get<std::vector<size_t>>();
  const size_t n = std::min<size_t>(static_cast<size_t>(config.pareto_points), pareto.size());
  for (size_t i = 0; i < n; ++i) {
    const size_t at = n == 1 ? 0 : i * (pareto.size() - 1) / (n - 1);
    add(fmt::format("pareto{}", i + 1), pareto[at]);
  }
  return out;
}

namespace {

double mean_relative_error(const quant::CostModel& model, const std::vector<quant::CostSample>& samples, double* max) {
  double sum = 0, worst = 0;
  for (const quant::CostSample& s : samples) {
    const double e = std::abs(model.cost(s.features) - s.area) / s.area;
    sum += e;
    worst = std::max(worst, e);
  }
  if (max) *max = worst;
  return samples.empty() ? 0 : sum / static_cast<double>(samples.size());
}

}  // namespace

Calibration calibrate_cost_model(const std::vector<quant::CostSample>& samples, const quant::CostModel& prior) {
  if (samples.size() < 3)
    throw std::invalid_argument(fmt::format("cost-model calibration needs at least 3 synthesized designs, got {}",
                                            samples.size()));
  Calibration c;
  c.prior = prior;
  c.samples = samples.size();
  c.prior_error = mean_relative_error(prior, samples, nullptr);
  c.fitted = quant::fit_cost_model(samples, prior).model;
  c.fitted_error = mean_relative_error(c.fitted, samples, &c.fitted_max_error);
  double held_out = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    std::vector<quant::CostSample> rest = samples;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
    const quant::CostModel m = quant::fit_cost_model(rest, prior).model;
    held_out += std::abs(m.cost(samples[i].features) - samples[i].area) / samples[i].area;
  }
  c.leave_one_out_error = held_out / static_cast<double>(samples.size());
  return c;
}

nlohmann::json Calibration::to_json() const {
  return {{"samples", samples},
          {"prior", quant::to_json(prior)},
          {"fitted", quant::to_json(fitted)},
          {"prior_mean_abs_relative_error", prior_error},
          {"fitted_mean_abs_relative_error", fitted_error},
          {"fitted_max_abs_relative_error", fitted_max_error},
          {"leave_one_out_mean_abs_relative_error", leave_one_out_error}};
}

}  // namespace gaitlstm::explore
