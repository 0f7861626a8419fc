#include "quant/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "model/metrics.h"
#include "model/sequences.h"
#include "util/parallel.h"
#include "util/pareto.h"

namespace gaitlstm::quant {

namespace {

// A width the search may narrow: a tensor width or an activation unit's
// address bits.
struct Knob {
  const char* name;   // short name in tables
  int TensorBits::*width = nullptr;
  ActivationConfig TensorBits::*unit = nullptr;
  int floor = 0;      // 0: SearchOptions::min_bits / min_index_bits
  bool frontend = false;

  int& value(TensorBits& bits) const { return width ? bits.*width : (bits.*unit).index_bits; }
  int value(const TensorBits& bits) const { return width ? bits.*width : (bits.*unit).index_bits; }
  bool fixed(const SearchOptions& options) const {
    return std::any_of(options.fixed.begin(), options.fixed.end(),
                       [&](const std::string& f) { return f == name || (frontend && f == "frontend"); });
  }
  int minimum(const SearchOptions& options) const {
    if (fixed(options)) return value(options.start);
    return floor > 0 ? floor : (width ? options.min_bits : options.min_index_bits);
  }
};

const std::vector<Knob>& knobs() {
  static const std::vector<Knob> all = {
      {"x", &TensorBits::input},           {"wx", &TensorBits::input_weight},
      {"wh", &TensorBits::recurrent_weight}, {"b", &TensorBits::gate_bias},
      {"z", &TensorBits::gate},            {"sig", &TensorBits::sigmoid},
      {"tanh", &TensorBits::tanh},         {"c", &TensorBits::cell},
      {"h", &TensorBits::hidden},          {"wo", &TensorBits::output_weight},
      {"bo", &TensorBits::output_bias},    {"y", &TensorBits::score},
      {"smp", &TensorBits::sample, nullptr, 8, true}, {"coef", &TensorBits::coefficient, nullptr, 4, true},
      {"st", &TensorBits::state, nullptr, 4, true}, {"E", &TensorBits::energy, nullptr, 4, true},
      {"L", &TensorBits::log_energy, nullptr, 0, true}, {"istd", &TensorBits::inv_std, nullptr, 0, true},
      {"sigA", nullptr, &TensorBits::sigmoid_unit}, {"tanhA", nullptr, &TensorBits::tanh_unit},
      {"ctanhA", nullptr, &TensorBits::cell_tanh_unit},
  };
  return all;
}

std::string key_of(const TensorBits& bits) { return to_json(bits).dump(); }

class Evaluator {
 public:
  Evaluator(const data::Dataset& dataset, const std::vector<SearchModel>& models, const SearchOptions& options,
            SearchResult& result)
      : dataset_(dataset), models_(models), options_(options), result_(result) {
    if (!options.segment_level.empty() && options.segment_level.size() != dataset.segments.size())
      throw std::invalid_argument("search: segment_level has " + std::to_string(options.segment_level.size()) +
                                  " entries for " + std::to_string(dataset.segments.size()) + " segments");
    std::vector<double> pooled_scores;
    for (const SearchModel& m : models) {
      ranges_.push_back(observe_ranges(m.detector, dataset, m.calibration, options.protocol));
      labels_.push_back(model::decision_labels(m.validation));
      pooled_labels_.insert(pooled_labels_.end(), labels_.back().begin(), labels_.back().end());
      for (const data::Decision& d : m.validation) levels_.push_back(level_of(d));
      const std::vector<double> scores = model::score_dataset(m.detector, dataset, m.validation, options.threads);
      pooled_scores.insert(pooled_scores.end(), scores.begin(), scores.end());
      result.float_auc.push_back(model::roc_auc(scores, labels_.back()));
    }
    level_count_ = levels_.empty() ? 1 : *std::max_element(levels_.begin(), levels_.end()) + 1;
    float_level_auc_ = level_aucs(pooled_scores);
    result.pooled_float_auc = float_level_auc_.front();
  }

  // Indices of the points of `candidates` (evaluated in parallel, cached);
  // -1 for a configuration the golden model cannot build.
  std::vector<int> evaluate(const std::vector<TensorBits>& candidates) {
    std::vector<int> indices(candidates.size(), -2);
    std::vector<size_t> todo;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const auto it = cache_.find(key_of(candidates[i]));
      if (it != cache_.end()) {
        indices[i] = it->second;
      } else if (std::none_of(todo.begin(), todo.end(), [&](size_t j) { return candidates[j] == candidates[i]; })) {
        todo.push_back(i);
      }
    }
    std::vector<std::optional<SearchPoint>> computed(todo.size());
    parallel_for(options_.threads, todo.size(), [&](size_t k) { computed[k] = evaluate_one(candidates[todo[k]]); });
    for (size_t k = 0; k < todo.size(); ++k) {  // fixed order: deterministic point indices
      int index = -1;
      if (computed[k]) {
        index = static_cast<int>(result_.points.size());
        result_.points.push_back(*computed[k]);
      }
      cache_[key_of(candidates[todo[k]])] = index;
      ++result_.evaluations;
    }
    for (size_t i = 0; i < candidates.size(); ++i)
      if (indices[i] == -2) indices[i] = cache_.at(key_of(candidates[i]));
    return indices;
  }

  // The point of `bits` with each model's LSTM replaced (QAT), appended.
  int evaluate_with(const TensorBits& bits, const std::vector<model::Detector>& detectors) {
    std::optional<SearchPoint> point = evaluate_one(bits, &detectors);
    if (!point) return -1;
    point->qat = true;
    result_.points.push_back(*point);
    ++result_.evaluations;
    return static_cast<int>(result_.points.size()) - 1;
  }

  QuantConfig config(size_t model, const TensorBits& bits) const {
    return config_for_bits(models_[model].detector, ranges_[model], bits);
  }

 private:
  std::optional<SearchPoint> evaluate_one(const TensorBits& bits,
                                          const std::vector<model::Detector>* replaced = nullptr) const {
    SearchPoint point;
    point.bits = bits;
    std::array<double, kCostFeatureCount> feature_sum{};
    const double n = static_cast<double>(models_.size());
    std::vector<double> pooled_scores;
    try {
      for (size_t m = 0; m < models_.size(); ++m) {
        const model::Detector& detector = replaced ? (*replaced)[m] : models_[m].detector;
        const GoldenDetector golden(detector, config(m, bits), options_.protocol);
        const std::vector<double> scores = golden.statistic_values(
            golden.score_decisions(dataset_, models_[m].validation, 1, frontend_features(m, golden).get()));
        point.model_auc.push_back(model::roc_auc(scores, labels_[m]));
        pooled_scores.insert(pooled_scores.end(), scores.begin(), scores.end());
        const auto values = cost_features(golden).values();
        for (int k = 0; k < kCostFeatureCount; ++k) feature_sum[k] += values[k] / n;
      }
    } catch (const std::invalid_argument&) {
      return std::nullopt;  // e.g. an activation unit wider than its input format
    }
    // Pooled like the leave-one-subject-out figure: a format that shifts
    // each model's scores differently (a 2-bit output bias) leaves every
    // model's own AUC intact but mixes the subjects' scores up.
    const std::vector<double> golden_level_auc = level_aucs(pooled_scores);
    point.validation_auc = golden_level_auc.front();
    point.loss = -std::numeric_limits<double>::infinity();
    for (size_t l = 0; l < golden_level_auc.size(); ++l)
      point.loss = std::max(point.loss, float_level_auc_[l] - golden_level_auc[l]);
    point.features = {feature_sum[0], feature_sum[1], feature_sum[2], feature_sum[3], feature_sum[4], feature_sum[5]};
    point.cost = options_.cost.cost(point.features);
    return point;
  }

  // The front-end's output depends only on its formats and the input
  // format: most candidates change neither, so it is computed once per model
  // and front-end configuration.
  std::shared_ptr<const GoldenDetector::SegmentFeatures> frontend_features(size_t model,
                                                                           const GoldenDetector& golden) const {
    const std::string key = std::to_string(model) + to_json(golden.frontend().formats()).dump() +
                            to_json(golden.lstm().formats().input).dump();
    {
      std::lock_guard lock(features_mutex_);
      const auto it = features_.find(key);
      if (it != features_.end()) return it->second;
    }
    auto features = std::make_shared<const GoldenDetector::SegmentFeatures>(
        golden.segment_features(dataset_, models_[model].validation));
    std::lock_guard lock(features_mutex_);
    if (features_.size() >= 256) features_.clear();  // bounded memory
    features_.emplace(key, features);
    return features;
  }

  int level_of(const data::Decision& d) const {
    return options_.segment_level.empty() ? 0 : options_.segment_level.at(static_cast<size_t>(d.segment));
  }

  // The AUC of the pooled scores (in pooled_labels_ order) at each level.
  std::vector<double> level_aucs(const std::vector<double>& pooled_scores) const {
    if (level_count_ == 1) return {model::roc_auc(pooled_scores, pooled_labels_)};
    std::vector<std::vector<double>> scores(static_cast<size_t>(level_count_));
    std::vector<std::vector<uint8_t>> labels(static_cast<size_t>(level_count_));
    for (size_t i = 0; i < pooled_scores.size(); ++i) {
      scores[static_cast<size_t>(levels_[i])].push_back(pooled_scores[i]);
      labels[static_cast<size_t>(levels_[i])].push_back(pooled_labels_[i]);
    }
    std::vector<double> aucs;
    for (int l = 0; l < level_count_; ++l)
      aucs.push_back(model::roc_auc(scores[static_cast<size_t>(l)], labels[static_cast<size_t>(l)]));
    return aucs;
  }

  const data::Dataset& dataset_;
  const std::vector<SearchModel>& models_;
  const SearchOptions& options_;
  SearchResult& result_;
  std::vector<Ranges> ranges_;
  std::vector<std::vector<uint8_t>> labels_;
  std::vector<uint8_t> pooled_labels_;
  std::vector<int> levels_;              // level of each pooled decision (0: the recordings as they are)
  int level_count_ = 1;
  std::vector<double> float_level_auc_;  // the float models' pooled AUC at each level
  std::map<std::string, int> cache_;
  mutable std::mutex features_mutex_;
  mutable std::map<std::string, std::shared_ptr<const GoldenDetector::SegmentFeatures>> features_;
};

bool within(const SearchResult& result, int point, double budget) {
  return point >= 0 && result.points[static_cast<size_t>(point)].loss <= budget + 1e-12;
}

// Phase 1: every knob alone, the others at `start`: its narrowest width
// within the budget, by bisection (all knobs' probes of a step evaluated
// together).
TensorBits independent_minimums(Evaluator& evaluator, const SearchResult& result, const TensorBits& start,
                                double budget, const SearchOptions& options) {
  const size_t n = knobs().size();
  std::vector<int> infeasible(n), feasible(n);
  for (size_t k = 0; k < n; ++k) {
    feasible[k] = knobs()[k].value(start);
    infeasible[k] = knobs()[k].minimum(options) - 1;
  }
  for (;;) {
    std::vector<size_t> probing;
    std::vector<TensorBits> candidates;
    for (size_t k = 0; k < n; ++k) {
      if (feasible[k] - infeasible[k] <= 1) continue;
      TensorBits bits = start;
      knobs()[k].value(bits) = (feasible[k] + infeasible[k]) / 2;
      probing.push_back(k);
      candidates.push_back(bits);
    }
    if (probing.empty()) break;
    const std::vector<int> indices = evaluator.evaluate(candidates);
    for (size_t i = 0; i < probing.size(); ++i) {
      const int width = knobs()[probing[i]].value(candidates[i]);
      (within(result, indices[i], budget) ? feasible : infeasible)[probing[i]] = width;
    }
  }
  TensorBits combined = start;
  for (size_t k = 0; k < n; ++k) knobs()[k].value(combined) = feasible[k];
  return combined;
}

// Phase 2: the knobs' minimums together usually lose more than each alone;
// widen one knob by a bit at a time (most loss recovered per cost) until the
// point is within the budget again.
int repair(Evaluator& evaluator, SearchResult& result, const TensorBits& combined, const TensorBits& start,
           double budget, std::ostream* progress) {
  int current = evaluator.evaluate({combined})[0];
  while (!within(result, current, budget)) {
    const TensorBits here = current >= 0 ? result.points[static_cast<size_t>(current)].bits : combined;
    std::vector<TensorBits> candidates;
    for (const Knob& knob : knobs()) {
      if (knob.value(here) >= knob.value(start)) continue;
      TensorBits bits = here;
      ++knob.value(bits);
      candidates.push_back(bits);
    }
    if (candidates.empty()) return evaluator.evaluate({start})[0];
    const std::vector<int> indices = evaluator.evaluate(candidates);
    int best = -1;
    double best_ratio = 0;
    for (int index : indices) {
      if (index < 0) continue;
      const SearchPoint& p = result.points[static_cast<size_t>(index)];
      if (current < 0) {  // not buildable: take the first buildable widening
        best = index;
        break;
      }
      const SearchPoint& cur = result.points[static_cast<size_t>(current)];
      const double ratio = (cur.loss - p.loss) / (std::max(0.0, p.cost - cur.cost) + 1.0);
      if (best < 0 || ratio > best_ratio) {
        best = index;
        best_ratio = ratio;
      }
    }
    if (best < 0) return evaluator.evaluate({start})[0];
    current = best;
    if (progress) {
      const SearchPoint& p = result.points[static_cast<size_t>(current)];
      *progress << fmt::format("search (budget {:.1f} pp) repair: cost {:.0f}, loss {:+.2f} pp, {} evaluations\n",
                               100 * budget, p.cost, 100 * p.loss, result.evaluations);
    }
  }
  return current;
}

// Phase 3: greedy descent within `budget` from point `start`; returns the end point.
int descend(Evaluator& evaluator, SearchResult& result, int start, double budget, const SearchOptions& options,
            std::ostream* progress) {
  int current = start;
  std::vector<bool> active(knobs().size(), true);
  for (int round = 1;; ++round) {
    struct Move {
      size_t knob;
      int step;
    };
    std::vector<Move> moves;
    std::vector<TensorBits> candidates;
    const TensorBits here = result.points[static_cast<size_t>(current)].bits;
    for (size_t k = 0; k < knobs().size(); ++k) {
      if (!active[k]) continue;
      const int width = knobs()[k].value(here);
      for (int step : {1, 4}) {
        if (step == 4 && width < 12) continue;
        if (width - step < knobs()[k].minimum(options)) continue;
        TensorBits bits = here;
        knobs()[k].value(bits) -= step;
        moves.push_back({k, step});
        candidates.push_back(bits);
      }
    }
    const std::vector<int> indices = evaluator.evaluate(candidates);
    const SearchPoint& cur = result.points[static_cast<size_t>(current)];
    int best = -1;
    double best_ratio = 0;
    std::vector<bool> one_bit_feasible(knobs().size(), false);
    for (size_t i = 0; i < moves.size(); ++i) {
      if (indices[i] < 0) continue;
      const SearchPoint& p = result.points[static_cast<size_t>(indices[i])];
      if (p.loss > budget + 1e-12) continue;
      if (moves[i].step == 1) one_bit_feasible[moves[i].knob] = true;
      const double ratio = (cur.cost - p.cost) / (std::max(0.0, p.loss - cur.loss) + 1e-3);
      if (p.cost < cur.cost && (best < 0 || ratio > best_ratio)) {
        best = static_cast<int>(i);
        best_ratio = ratio;
      }
    }
    for (size_t k = 0; k < knobs().size(); ++k) active[k] = active[k] && one_bit_feasible[k];
    if (best < 0) break;
    current = indices[static_cast<size_t>(best)];
    if (progress) {
      const SearchPoint& p = result.points[static_cast<size_t>(current)];
      *progress << fmt::format("search (budget {:.1f} pp) round {}: {} -{} -> cost {:.0f}, loss {:+.2f} pp, "
                               "{} evaluations\n",
                               100 * budget, round, knobs()[moves[static_cast<size_t>(best)].knob].name,
                               moves[static_cast<size_t>(best)].step, p.cost, 100 * p.loss, result.evaluations);
    }
  }
  return current;
}

// Pareto set over (cost, AUC): util/pareto.h, the exploration's front too.
void mark_pareto(SearchResult& result) {
  std::vector<std::vector<double>> costs;
  for (const SearchPoint& p : result.points) costs.push_back({p.cost, -p.validation_auc});
  for (SearchPoint& p : result.points) p.pareto = false;
  for (size_t i : pareto_front(costs)) result.points[i].pareto = true;
}

int cheapest_within(const SearchResult& result, double budget, bool qat) {
  int best = -1;
  for (size_t i = 0; i < result.points.size(); ++i) {
    const SearchPoint& p = result.points[i];
    if (p.qat != qat || p.loss > budget + 1e-12) continue;
    if (best < 0 || p.cost < result.points[static_cast<size_t>(best)].cost) best = static_cast<int>(i);
  }
  return best;
}

}  // namespace

QuantConfig configure(const SearchModel& model, const data::Dataset& dataset, const TensorBits& bits,
                      const data::ProtocolConfig& protocol) {
  return config_for_bits(model.detector, observe_ranges(model.detector, dataset, model.calibration, protocol), bits);
}

void check_fixed_knobs(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    if (n == "frontend") continue;
    if (std::none_of(knobs().begin(), knobs().end(), [&](const Knob& k) { return n == k.name; })) {
      std::string valid = "frontend";
      for (const Knob& k : knobs()) valid += std::string(", ") + k.name;
      throw std::invalid_argument("search: '" + n + "' is not a knob to keep fixed (one of: " + valid + ")");
    }
  }
}

SearchResult search_bit_widths(const data::Dataset& dataset, const std::vector<SearchModel>& models,
                               const SearchOptions& options, std::ostream* progress) {
  if (models.empty()) throw std::invalid_argument("the bit-width search needs at least one model");
  check_fixed_knobs(options.fixed);
  const auto started = std::chrono::steady_clock::now();
  std::vector<double> budgets = options.budgets;
  std::sort(budgets.begin(), budgets.end());
  SearchResult result;
  Evaluator evaluator(dataset, models, options, result);
  int current = evaluator.evaluate({options.start})[0];
  if (current < 0) throw std::invalid_argument("the search's start configuration cannot be built");
  if (progress)
    *progress << fmt::format("search: float validation AUC {:.4f}; start {} cost {:.0f}, loss {:+.2f} pp\n",
                             result.pooled_float_auc, bits_summary(options.start), result.points[0].cost,
                             100 * result.points[0].loss);
  for (double budget : budgets) {
    if (within(result, 0, budget)) {
      // Alone, a knob may spend only a quarter of the slack: the knobs' losses
      // roughly add up when they are combined.
      const double start_loss = result.points[0].loss;
      const double alone = start_loss + (budget - start_loss) * options.alone_share;
      const TensorBits combined = independent_minimums(evaluator, result, options.start, alone, options);
      if (progress)
        *progress << fmt::format("search (budget {:.1f} pp): every tensor alone -> {} ({} evaluations)\n",
                                 100 * budget, bits_summary(combined), result.evaluations);
      current = repair(evaluator, result, combined, options.start, budget, progress);
      current = descend(evaluator, result, current, budget, options, progress);
    }
    Survivor survivor;
    survivor.budget = budget;
    survivor.point = cheapest_within(result, budget, false);
    result.survivors.push_back(survivor);
  }
  if (options.qat_epochs > 0) {
    QatOptions qat = options.qat;
    qat.epochs = options.qat_epochs;
    qat.threads = options.threads;
    for (Survivor& survivor : result.survivors) {
      if (survivor.point < 0) continue;
      const TensorBits bits = result.points[static_cast<size_t>(survivor.point)].bits;
      for (size_t m = 0; m < models.size(); ++m) {
        if (progress) *progress << fmt::format("QAT: budget {:.1f} pp, {}\n", 100 * survivor.budget, models[m].name);
        survivor.qat_detectors.push_back(quantization_aware_finetune(models[m].detector, evaluator.config(m, bits),
                                                                     dataset, models[m].calibration,
                                                                     models[m].qat_validation(), options.protocol, qat)
                                             .detector);
      }
      survivor.qat_point = evaluator.evaluate_with(bits, survivor.qat_detectors);
    }
  }
  mark_pareto(result);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

std::string bits_summary(const TensorBits& bits) {
  std::string text;
  for (const Knob& knob : knobs()) {
    if (knob.unit && text.find('|') == std::string::npos) text += "|";
    if (!text.empty() && text.back() != '|') text += ' ';
    text += fmt::format("{}{}", knob.name, knob.value(bits));
  }
  return text;
}

nlohmann::json search_to_json(const SearchResult& result, const CostModel& cost) {
  nlohmann::json points = nlohmann::json::array(), pareto = nlohmann::json::array();
  std::vector<size_t> by_cost;
  for (size_t i = 0; i < result.points.size(); ++i) {
    const SearchPoint& p = result.points[i];
    points.push_back({{"bits", to_json(p.bits)},       {"summary", bits_summary(p.bits)},
                      {"cost", p.cost},                {"features", to_json(p.features)},
                      {"validation_auc", p.validation_auc}, {"loss", p.loss},
                      {"model_auc", p.model_auc},      {"qat", p.qat},
                      {"pareto", p.pareto}});
    if (p.pareto) by_cost.push_back(i);
  }
  std::sort(by_cost.begin(), by_cost.end(),
            [&](size_t a, size_t b) { return result.points[a].cost < result.points[b].cost; });
  for (size_t i : by_cost) pareto.push_back(i);
  nlohmann::json survivors = nlohmann::json::array();
  for (const Survivor& s : result.survivors)
    survivors.push_back({{"budget", s.budget}, {"point", s.point}, {"qat_point", s.qat_point}});
  return {{"float_auc", result.float_auc},   {"pooled_float_auc", result.pooled_float_auc},
          {"points", points},                {"pareto", pareto},
          {"survivors", survivors},          {"evaluations", result.evaluations},
          {"seconds", result.seconds},       {"cost_model", to_json(cost)}};
}

std::string search_table(const SearchResult& result) {
  std::string text = "| point | cost (µm²) | validation AUC | loss (pp) | QAT | bits |\n|---|---|---|---|---|---|\n";
  std::vector<size_t> rows;
  for (size_t i = 0; i < result.points.size(); ++i)
    if (result.points[i].pareto) rows.push_back(i);
  std::sort(rows.begin(), rows.end(), [&](size_t a, size_t b) { return result.points[a].cost < result.points[b].cost; });
  for (size_t i : rows) {
    const SearchPoint& p = result.points[i];
    text += fmt::format("| {} | {:.0f} | {:.4f} | {:+.2f} | {} | `{}` |\n", i, p.cost, p.validation_auc, 100 * p.loss,
                        p.qat ? "yes" : "no", bits_summary(p.bits));
  }
  text += "\nSurvivors (cheapest within each budget):\n\n| budget (pp) | point | cost | loss (pp) | after QAT: point, loss (pp) |\n|---|---|---|---|---|\n";
  for (const Survivor& s : result.survivors) {
    if (s.point < 0) {
      text += fmt::format("| {:.1f} | none | | | |\n", 100 * s.budget);
      continue;
    }
    const SearchPoint& p = result.points[static_cast<size_t>(s.point)];
    std::string qat = "—";
    if (s.qat_point >= 0)
      qat = fmt::format("{}, {:+.2f}", s.qat_point, 100 * result.points[static_cast<size_t>(s.qat_point)].loss);
    text += fmt::format("| {:.1f} | {} | {:.0f} | {:+.2f} | {} |\n", 100 * s.budget, s.point, p.cost, 100 * p.loss, qat);
  }
  return text;
}

}  // namespace gaitlstm::quant
