// Automatic bit-width search: the cheapest TensorBits (by the hardware cost
// model, quant/cost_model.h) whose golden model loses at most `max_loss`
// AUC against the float model on validation data.
//
// Evaluation of a configuration: for every model under study (one per
// leave-one-subject-out fold, or a single model), the formats are sized from
// that model's ranges observed once on its calibration decisions
// (observe_ranges + config_for_bits), the golden model scores the validation
// decisions, and the loss is float AUC - golden AUC, both pooled over every
// model's validation decisions (as the leave-one-subject-out AUC pools the
// folds); its cost is the mean cost.
//
// Search, per budget (ascending), from `start` (which must meet it):
//   1. every knob (tensor width or activation-unit address width) alone,
//      the others at `start`: its narrowest width whose loss stays within
//      start loss + alone_share x (budget - start loss), by bisection
//      (losses grow as widths shrink, and roughly add up across knobs);
//   2. all knobs at those widths together usually lose more: widen one knob
//      by a bit at a time, most loss recovered per cost, until within budget;
//   3. greedy descent: each round tries every knob one bit narrower (four
//      for widths >= 12), keeps the feasible move with the largest cost
//      saving per loss increase, and retires a knob once one bit less breaks
//      the budget.
// Every evaluated configuration is kept (evaluations are cached and shared
// between budgets); the Pareto set (cost vs validation AUC) is taken over
// all of them.
// Survivors (the cheapest point within each budget) may then be fine-tuned
// with QAT (quant/qat.h), which can only raise their validation AUC.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"
#include "model/detector.h"
#include "quant/calibrate.h"
#include "quant/cost_model.h"
#include "quant/qat.h"
#include "quant/qmodel_file.h"

namespace gaitlstm::quant {

// One trained float model and its data.
struct SearchModel {
  model::Detector detector;
  std::vector<data::Decision> calibration;  // ranges; QAT training data
  std::vector<data::Decision> validation;   // the accuracy constraint
  std::vector<data::Decision> early_stopping;  // QAT's early stopping (empty: `validation`)
  const std::vector<data::Decision>& qat_validation() const { return early_stopping.empty() ? validation : early_stopping; }
  std::string name;                         // e.g. "fold S01"
};

struct SearchOptions {
  std::vector<double> budgets{0.01};  // AUC losses; the cheapest point within each is a survivor
  TensorBits start;                   // defaults: 8-bit LSTM
  CostModel cost;
  int min_bits = 2;
  int min_index_bits = 2;
  double alone_share = 0.25;          // share of the budget's slack one knob may spend alone (step 1)
  int qat_epochs = 0;                 // > 0: fine-tune the survivors with QAT
  QatOptions qat;
  data::ProtocolConfig protocol;
  int threads = 2;
  // Shifted copies in the search's data (cv --quant-search --search-shift):
  // the level of every segment of the dataset searched, 0 = a recording as it
  // is, k = its copy under the k-th shift.  The loss is then the worst
  // level's (float AUC - golden AUC, each pooled over the models at that
  // level): bits that hold on the recordings but saturate a louder copy or
  // round a quieter one away do not qualify.  validation_auc stays level 0's.
  // Empty: one level.
  std::vector<int> segment_level;
  // Knobs the search leaves at their `start` width, by the short names of the
  // search tables (x, wx, ..., smp, coef, st, E, L, istd, sigA, ...), or
  // "frontend" for the six front-end widths (smp coef st E L istd).  The
  // front-end's integer widths are sized to the training set's levels; narrowed,
  // they hold the validation loss and lose the ranking on another site's
  // levels (docs/RESULTS.md, "Which widths break the transfer").
  std::vector<std::string> fixed;
};

// Throws std::invalid_argument naming the valid names if one of `names` is
// not a knob or "frontend".
void check_fixed_knobs(const std::vector<std::string>& names);

struct SearchPoint {
  TensorBits bits;
  CostFeatures features;        // mean over the models
  double cost = 0;
  double validation_auc = 0;    // pooled over the models' validation decisions (real-valued scores)
  double loss = 0;              // float AUC - golden AUC, both pooled over the models (the worst level's)
  std::vector<double> model_auc;
  bool qat = false;             // after QAT fine-tuning (of the point with the same bits)
  bool pareto = false;
};

struct Survivor {
  double budget = 0;
  int point = -1;               // index into SearchResult::points (-1: none within the budget)
  int qat_point = -1;           // the same bits after QAT (-1: no QAT)
  std::vector<model::Detector> qat_detectors;  // per model, when QAT ran
};

struct SearchResult {
  std::vector<double> float_auc;        // per model, validation
  double pooled_float_auc = 0;         // the float models' validation decisions pooled
  std::vector<SearchPoint> points;      // every evaluation, in order
  std::vector<Survivor> survivors;      // per budget, ascending
  int evaluations = 0;
  double seconds = 0;
};

SearchResult search_bit_widths(const data::Dataset& dataset, const std::vector<SearchModel>& models,
                               const SearchOptions& options, std::ostream* progress = nullptr);

// Formats of `bits` for one model (ranges from its calibration decisions).
QuantConfig configure(const SearchModel& model, const data::Dataset& dataset, const TensorBits& bits,
                      const data::ProtocolConfig& protocol = {});

// {float_auc, points: [{bits, cost, features, validation_auc, loss, qat, pareto}],
//  pareto: [indices by cost], survivors: [{budget, point, qat_point}], evaluations, seconds}
nlohmann::json search_to_json(const SearchResult& result, const CostModel& cost);

// A Markdown table of the Pareto set and the survivors, bits per tensor.
std::string search_table(const SearchResult& result);

// One-line bits of every tensor: "x8 wx6 wh6 b8 z8 s8 t8 c10 h8 wo8 bo8 y12 | ..."
std::string bits_summary(const TensorBits& bits);

}  // namespace gaitlstm::quant
