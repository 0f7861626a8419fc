// The bit-width search with shifted copies of its data (SearchOptions::
// segment_level, `--search-shift`): the loss is the worst level's, so the
// survivor holds its budget on every copy, where the survivor of the
// recordings alone does not.  The front end's fixed-point positions come
// from its widths alone (quant/calibrate.cc), so only the loss can keep the
// widths a louder or quieter sensor needs.
#include <gtest/gtest.h>

#include <algorithm>

#include "data/protocol.h"
#include "data/shift.h"
#include "model/detector.h"
#include "model/metrics.h"
#include "model/sequences.h"
#include "quant/golden.h"
#include "quant/search.h"
#include "support/synthetic.h"

namespace gaitlstm::quant {
namespace {

TEST(SearchLevels, TheSurvivorHoldsItsBudgetAtEveryLevel) {
  const data::Dataset dataset = testing::synthetic_dataset(3, 2, 0);
  const std::vector<data::Decision> decisions = data::make_decisions(dataset);
  model::FrontEndConfig frontend;
  frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
  frontend.axes_per_sensor = 3;
  model::TrainConfig training;
  training.hidden = 4;
  training.history_steps = 8;
  training.max_epochs = 3;
  training.threads = 2;
  const model::Detector detector =
      model::fit_detector(dataset, decisions, frontend, training, {1, 2}, 3, nullptr).detector;

  // Each recording followed by its copies at x0.5 and x2 (levels 1 and 2).
  const data::Dataset copies = data::with_shifted_copies(
      dataset, {{data::ShiftKind::kGain, 0.5}, {data::ShiftKind::kGain, 2}}, 1);
  const std::vector<data::Decision> all = data::make_decisions(copies);
  std::vector<int> level(copies.segments.size());
  for (size_t i = 0; i < level.size(); ++i) level[i] = static_cast<int>(i % 3);

  SearchOptions options;
  options.budgets = {0.02};
  options.threads = 2;
  const SearchResult plain = search_bit_widths(
      dataset, {{detector, data::filter_subjects(decisions, {1, 2}), data::filter_subjects(decisions, {3}), {}, "m"}},
      options);
  const SearchModel with_copies{detector, data::filter_subjects(all, {1, 2}), data::filter_subjects(all, {3}), {}, "m"};
  options.segment_level = level;
  const SearchResult levels = search_bit_widths(copies, {with_copies}, options);
  ASSERT_GE(plain.survivors.front().point, 0);
  ASSERT_GE(levels.survivors.front().point, 0);
  const SearchPoint& p = plain.points[static_cast<size_t>(plain.survivors.front().point)];
  const SearchPoint& c = levels.points[static_cast<size_t>(levels.survivors.front().point)];
  EXPECT_LE(c.loss, 0.02 + 1e-12);

  // Each survivor's loss at each level, measured directly: float AUC -
  // golden AUC on that level's validation decisions.
  auto worst_level_loss = [&](const TensorBits& bits) {
    const GoldenDetector golden(detector, configure(with_copies, copies, bits), {});
    double worst = -1;
    for (int l = 0; l < 3; ++l) {
      std::vector<data::Decision> at_level;
      for (const data::Decision& d : with_copies.validation)
        if (level[static_cast<size_t>(d.segment)] == l) at_level.push_back(d);
      const std::vector<uint8_t> labels = model::decision_labels(at_level);
      const double float_auc = model::roc_auc(model::score_dataset(detector, copies, at_level, 2), labels);
      const double golden_auc =
          model::roc_auc(golden.statistic_values(golden.score_decisions(copies, at_level)), labels);
      worst = std::max(worst, float_auc - golden_auc);
    }
    return worst;
  };
  EXPECT_NEAR(worst_level_loss(c.bits), c.loss, 1e-9);
  EXPECT_GT(worst_level_loss(p.bits), 0.02)
      << "the recordings' survivor holds at every level: the test no longer shows what levels are for";
  // The reported validation AUC is the recordings' own (level 0).
  EXPECT_NEAR(levels.pooled_float_auc, plain.pooled_float_auc, 1e-12);
}

TEST(SearchLevels, ASegmentLevelListOfTheWrongSizeIsRefused) {
  const data::Dataset dataset = testing::synthetic_dataset(2, 1, 0);
  SearchOptions options;
  options.segment_level = {0};
  EXPECT_THROW(search_bit_widths(dataset, {}, options), std::invalid_argument);
}

}  // namespace
}  // namespace gaitlstm::quant
