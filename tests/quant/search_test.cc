// Cost model, bit-width search and quantization-aware training on a small
// detector trained on synthetic recordings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "data/load.h"
#include "data/protocol.h"
#include "model/detector.h"
#include "model/metrics.h"
#include "model/sequences.h"
#include "quant/cost_model.h"
#include "quant/qat.h"
#include "quant/search.h"
#include "support/frontend.h"
#include "support/synthetic.h"
#include "util/rng.h"

namespace gaitlstm::quant {
namespace {

class QuantSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = new data::Dataset(testing::synthetic_dataset(3, 2, 0));
    decisions_ = new std::vector<data::Decision>(data::make_decisions(*dataset_));
    model::FrontEndConfig frontend;
    frontend.channel_names = {"ankle_fwd", "ankle_vert", "ankle_lat"};
    frontend.axes_per_sensor = 3;
    model::TrainConfig config;
    config.hidden = 4;
    config.history_steps = 8;
    config.max_epochs = 3;
    config.threads = 2;
    detector_ = new model::Detector(
        model::fit_detector(*dataset_, *decisions_, frontend, config, {1, 2}, 3, nullptr).detector);
  }
  static void TearDownTestSuite() {
    delete detector_;
    delete decisions_;
    delete dataset_;
  }
  static SearchModel search_model() {
    return {*detector_, data::filter_subjects(*decisions_, {1, 2}), data::filter_subjects(*decisions_, {3}), {}, "test"};
  }
  static data::Dataset* dataset_;
  static std::vector<data::Decision>* decisions_;
  static model::Detector* detector_;
};
data::Dataset* QuantSearchTest::dataset_ = nullptr;
std::vector<data::Decision>* QuantSearchTest::decisions_ = nullptr;
model::Detector* QuantSearchTest::detector_ = nullptr;

TEST_F(QuantSearchTest, CostFeaturesCountTheDatapath) {
  const SearchModel m = search_model();
  TensorBits bits;
  const GoldenDetector golden(*detector_, configure(m, *dataset_, bits), {});
  const CostFeatures f = cost_features(golden);
  const int H = 4, F = golden.lstm().shape().inputs;
  const double lstm_weights = 4.0 * H * F * bits.input_weight + 4.0 * H * H * bits.recurrent_weight +
                              4.0 * H * bits.gate_bias + H * bits.output_weight + bits.output_bias;
  const double frontend_constants = 2 * 2 * 5.0 * bits.coefficient + F * (bits.log_energy + bits.inv_std);
  EXPECT_DOUBLE_EQ(f.weight_bits, lstm_weights + frontend_constants);
  EXPECT_DOUBLE_EQ(f.history_bits, (8 + 1) * F * bits.input);
  EXPECT_EQ(f.accumulator_bits, golden.lstm().gate_accumulator_bits() + golden.lstm().score_accumulator_bits() +
                                    bits.energy);
  // Narrower weights cost less, and nothing else changes the weight count.
  TensorBits narrow = bits;
  narrow.recurrent_weight = 4;
  const CostFeatures g = cost_features(GoldenDetector(*detector_, configure(m, *dataset_, narrow), {}));
  EXPECT_DOUBLE_EQ(f.weight_bits - g.weight_bits, 4.0 * H * H * 4);
  EXPECT_LT(CostModel{}.cost(g), CostModel{}.cost(f));
}

// The cue adds its comparator and counter (accumulator bits) and its state
// (on, alarm, counter); off, it adds nothing.
TEST_F(QuantSearchTest, CostFeaturesCountTheCue) {
  GoldenDetector golden(*detector_, configure(search_model(), *dataset_, TensorBits{}), {});
  const CostFeatures off = cost_features(golden);
  golden.set_cue({3, 4, 9});  // counter holds max(3, 9): 4 bits
  const CostFeatures on = cost_features(golden);
  EXPECT_DOUBLE_EQ(on.accumulator_bits - off.accumulator_bits, golden.statistic_format().bits + 1 + 4);
  EXPECT_DOUBLE_EQ(on.state_bits - off.state_bits, 2 + 4);
  EXPECT_DOUBLE_EQ(on.weight_bits, off.weight_bits);
  golden.set_cue({0, 2, 0});  // no hysteresis comparator, a 1-bit counter
  EXPECT_DOUBLE_EQ(cost_features(golden).accumulator_bits - off.accumulator_bits, 1);
  golden.set_cue({});
  EXPECT_EQ(cost_features(golden).values(), off.values());
}

TEST(CostModelTest, JsonRoundTripAndErrors) {
  CostModel model;
  model.intercept = 1234;
  model.coefficients[2] = 7;
  const CostModel back = cost_model_from_json(to_json(model));
  EXPECT_EQ(back.intercept, 1234);
  EXPECT_EQ(back.coefficients, model.coefficients);
  EXPECT_THROW(cost_model_from_json({{"slope", 1}}), std::invalid_argument);
  EXPECT_THROW(cost_model_from_json({{"coefficients", {{"luts", 1}}}}), std::invalid_argument);
  EXPECT_THROW(cost_model_from_json({{"coefficients", {{"weight_bits", -1}}}}), std::invalid_argument);
}

TEST(CostModelTest, FitRecoversALinearAreaModel) {
  CostModel truth;
  truth.intercept = 50000;
  truth.coefficients = {12, 80, 200, 10, 95, 130};
  Rng rng(5);
  std::vector<CostSample> samples;
  for (int i = 0; i < 40; ++i) {
    CostFeatures f{rng.uniform(2e3, 5e4), rng.uniform(100, 900), rng.uniform(30, 90),
                   rng.uniform(200, 3000), rng.uniform(200, 2000), rng.uniform(1e3, 6e3)};
    samples.push_back({f, truth.cost(f)});
  }
  const CostFit fit = fit_cost_model(samples);
  EXPECT_LT(fit.mean_abs_relative_error, 0.01);
  EXPECT_LT(fit.max_abs_relative_error, 0.03);
  EXPECT_THROW(fit_cost_model({samples[0]}), std::invalid_argument);
}

TEST_F(QuantSearchTest, SearchFindsCheaperBitsWithinTheBudgetDeterministically) {
  SearchOptions options;
  options.budgets = {0.02};
  options.threads = 2;
  const std::vector<SearchModel> models{search_model()};
  const SearchResult a = search_bit_widths(*dataset_, models, options);
  ASSERT_FALSE(a.points.empty());
  EXPECT_EQ(a.points[0].bits, options.start);
  ASSERT_EQ(a.survivors.size(), 1u);
  ASSERT_GE(a.survivors[0].point, 0);
  const SearchPoint& survivor = a.points[static_cast<size_t>(a.survivors[0].point)];
  EXPECT_LE(survivor.loss, 0.02 + 1e-12);
  EXPECT_LT(survivor.cost, a.points[0].cost);
  EXPECT_GT(a.evaluations, 20);
  // The survivor is the cheapest evaluated point within the budget, and the
  // Pareto flags mark exactly the non-dominated points.
  for (const SearchPoint& p : a.points) {
    if (p.loss <= 0.02) {
      EXPECT_GE(p.cost, survivor.cost);
    }
    bool dominated = false;
    for (const SearchPoint& q : a.points)
      dominated |= q.cost <= p.cost && q.validation_auc >= p.validation_auc &&
                   (q.cost < p.cost || q.validation_auc > p.validation_auc);
    EXPECT_EQ(p.pareto, !dominated);
  }
  // The reported validation AUC is the golden model's on the validation decisions.
  const GoldenDetector golden(*detector_, configure(models[0], *dataset_, survivor.bits), {});
  const std::vector<int64_t> raw = golden.score_decisions(*dataset_, models[0].validation);
  EXPECT_DOUBLE_EQ(survivor.validation_auc, model::roc_auc(std::vector<double>(raw.begin(), raw.end()),
                                                           model::decision_labels(models[0].validation)));
  const SearchResult b = search_bit_widths(*dataset_, models, options);
  EXPECT_EQ(search_to_json(a, options.cost)["points"], search_to_json(b, options.cost)["points"]);
}

TEST_F(QuantSearchTest, FixedKnobsStayAtTheirStartWidth) {
  SearchOptions options;
  options.budgets = {0.02};
  options.threads = 2;
  options.fixed = {"frontend", "y"};
  const std::vector<SearchModel> models{search_model()};
  const SearchResult result = search_bit_widths(*dataset_, models, options);
  ASSERT_GE(result.survivors.at(0).point, 0);
  // Something else was narrowed, the fixed widths never were.
  EXPECT_LT(result.points[static_cast<size_t>(result.survivors[0].point)].cost, result.points[0].cost);
  for (const SearchPoint& p : result.points) {
    EXPECT_EQ(p.bits.sample, options.start.sample);
    EXPECT_EQ(p.bits.coefficient, options.start.coefficient);
    EXPECT_EQ(p.bits.state, options.start.state);
    EXPECT_EQ(p.bits.energy, options.start.energy);
    EXPECT_EQ(p.bits.log_energy, options.start.log_energy);
    EXPECT_EQ(p.bits.inv_std, options.start.inv_std);
    EXPECT_EQ(p.bits.score, options.start.score);
  }
  options.fixed = {"frontend", "sideways"};
  try {
    search_bit_widths(*dataset_, models, options);
    FAIL() << "an unknown knob was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("'sideways' is not a knob"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("smp"));
  }
}

// Two models whose scores need different formats (the second's logit is 8x
// the first's): the search's AUC pools both models' real-valued scores, as
// the leave-one-subject-out figure pools the folds; pooling raw integers of
// different formats would rank the second model's decisions wrongly.
TEST_F(QuantSearchTest, ValidationAucPoolsTheModelsRealValuedScores) {
  model::Detector scaled = *detector_;
  const int64_t out = scaled.lstm.offset_output_weights();
  scaled.lstm.values.segment(out, scaled.lstm.shape.hidden + 1) *= 8;
  SearchModel second = search_model();
  second.detector = scaled;
  const std::vector<SearchModel> models{search_model(), second};
  SearchOptions options;
  options.budgets = {0.05};
  options.threads = 2;
  const SearchResult result = search_bit_widths(*dataset_, models, options);
  ASSERT_FALSE(result.points.empty());
  std::vector<double> pooled_float, pooled_golden;
  std::vector<uint8_t> labels;
  std::vector<int> fracs;
  for (const SearchModel& m : models) {
    const std::vector<double> f = model::score_dataset(m.detector, *dataset_, m.validation, 2);
    pooled_float.insert(pooled_float.end(), f.begin(), f.end());
    const GoldenDetector golden(m.detector, configure(m, *dataset_, options.start), {});
    fracs.push_back(golden.statistic_format().frac);
    for (int64_t raw : golden.score_decisions(*dataset_, m.validation))
      pooled_golden.push_back(dequantize(raw, golden.statistic_format()));
    const std::vector<uint8_t> l = model::decision_labels(m.validation);
    labels.insert(labels.end(), l.begin(), l.end());
  }
  EXPECT_NE(fracs[0], fracs[1]);
  EXPECT_DOUBLE_EQ(result.pooled_float_auc, model::roc_auc(pooled_float, labels));
  EXPECT_DOUBLE_EQ(result.points[0].validation_auc, model::roc_auc(pooled_golden, labels));
  EXPECT_DOUBLE_EQ(result.points[0].loss, result.pooled_float_auc - result.points[0].validation_auc);
  ASSERT_EQ(result.points[0].model_auc.size(), 2u);
}

TEST_F(QuantSearchTest, GoldenModelEqualsTheQatForwardPassBitForBit) {
  model::Detector detector = *detector_;
  detector.output_smoothing = 1;  // the statistic is then the LSTM logit itself
  TensorBits bits;
  bits.input_weight = bits.recurrent_weight = 5;
  bits.input = bits.hidden = 6;
  const SearchModel m{detector, data::filter_subjects(*decisions_, {1, 2}), data::filter_subjects(*decisions_, {3}), {}, ""};
  const QuantConfig config = configure(m, *dataset_, bits);
  QatOptions options;
  options.epochs = 2;
  options.patience = 2;
  options.learning_rate = 3e-3;
  const QatResult qat = quantization_aware_finetune(detector, config, *dataset_, m.calibration, m.validation, {}, options);
  ASSERT_EQ(qat.epochs.size(), 2u);
  EXPECT_GE(qat.validation_auc, qat.ptq_validation_auc);
  // The kept weights are exactly the quantized values.
  const QuantizedLstm lstm(qat.detector.lstm, config.lstm);
  EXPECT_EQ(lstm.dequantized().values, qat.detector.lstm.values);
  // After QAT (weights moved off the PTQ grid or not) the golden scores equal
  // the QAT forward pass on every decision of the recordings.
  for (const model::Detector* d : std::vector<const model::Detector*>{&qat.detector, &detector}) {
    const GoldenDetector golden(*d, config, {});
    EXPECT_EQ(golden.score_decisions(*dataset_, *decisions_), qat_forward_logits(golden, *dataset_, *decisions_));
  }
}

TEST_F(QuantSearchTest, QatKeepsTheBestEpochAndReportsItsGoldenAuc) {
  TensorBits bits;
  bits.input_weight = bits.recurrent_weight = bits.output_weight = 3;
  const SearchModel m = search_model();
  const QuantConfig config = configure(m, *dataset_, bits);
  QatOptions options;
  options.epochs = 3;
  options.learning_rate = 1e-2;
  const QatResult qat = quantization_aware_finetune(*detector_, config, *dataset_, m.calibration, m.validation, {}, options);
  EXPECT_FALSE(qat.epochs.empty());
  const double best_epoch_auc =
      qat.best_epoch > 0 ? qat.epochs[static_cast<size_t>(qat.best_epoch - 1)].validation_auc : qat.ptq_validation_auc;
  EXPECT_DOUBLE_EQ(qat.validation_auc, best_epoch_auc);
  const GoldenDetector golden(qat.detector, config, {});
  const std::vector<int64_t> raw = golden.score_decisions(*dataset_, m.validation);
  EXPECT_DOUBLE_EQ(model::roc_auc(std::vector<double>(raw.begin(), raw.end()), model::decision_labels(m.validation)),
                   qat.validation_auc);
}

// The same on real recordings: a detector normalized on the shared Daphnet
// copy, fine-tuned for one epoch on one subject, then golden == QAT forward
// on every decision of another subject.
TEST(QatSharedDataTest, GoldenModelEqualsTheQatForwardPassOnRealWindows) {
  const std::string dir = GAITLSTM_SHARED_DATA;
  if (dir.empty() || !std::filesystem::exists(dir + "/S01R02.txt")) GTEST_SKIP() << "no shared Daphnet copy";
  const data::Dataset dataset = data::load_dataset(dir);
  const std::vector<data::Decision> decisions = data::make_decisions(dataset);
  model::Detector d;
  d.frontend = testing::fitted_frontend(
      dataset, {"ankle_fwd", "ankle_vert", "ankle_lat", "trunk_fwd", "trunk_vert", "trunk_lat"}, 6);
  d.history_steps = 16;
  d.training.history_steps = 16;
  d.lstm = model::initial_params({d.frontend.features(), 6}, 3);
  TensorBits bits;
  bits.input_weight = bits.recurrent_weight = 5;
  bits.hidden = 5;
  const SearchModel m{d, data::filter_subjects(decisions, {3}), data::filter_subjects(decisions, {1}), {}, ""};
  const QuantConfig config = configure(m, dataset, bits);
  QatOptions options;
  options.epochs = 1;
  const QatResult qat = quantization_aware_finetune(d, config, dataset, m.calibration, m.validation, {}, options);
  ASSERT_EQ(qat.epochs.size(), 1u);
  const std::vector<data::Decision> real = data::filter_subjects(decisions, {2});
  ASSERT_GT(real.size(), 2000u);
  for (const model::Detector* detector : std::vector<const model::Detector*>{&qat.detector, &d}) {
    const GoldenDetector golden(*detector, config, {});
    EXPECT_EQ(golden.score_decisions(dataset, real), qat_forward_logits(golden, dataset, real));
  }
}

}  // namespace
}  // namespace gaitlstm::quant
