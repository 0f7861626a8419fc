#include "quant/quantized_cv.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/metrics.h"
#include "model/sequences.h"
#include "quant/golden.h"

namespace gaitlstm::quant {

namespace {

// Real values, not raw integers: each fold's statistic format is sized from
// its own ranges, and the pooled AUC compares scores across folds.
std::vector<double> golden_scores(const model::Detector& detector, const QuantConfig& config,
                                  const data::ProtocolConfig& protocol, const data::Dataset& dataset,
                                  const std::vector<data::Decision>& decisions, int threads) {
  const GoldenDetector golden(detector, config, protocol);
  return golden.statistic_values(golden.score_decisions(dataset, decisions, threads));
}

FoldQuantizer recipe(const std::vector<SearchModel>& models, const data::Dataset& dataset,
                     std::function<QuantConfig(size_t)> config_of, const data::ProtocolConfig& protocol,
                     int qat_epochs, const QatOptions& qat) {
  return [&models, &dataset, config_of, protocol, qat_epochs, qat](size_t fold, const model::Detector& detector) {
    const QuantConfig config = config_of(fold);
    if (qat_epochs <= 0) return std::make_pair(detector, config);
    QatOptions options = qat;
    options.epochs = qat_epochs;
    const SearchModel& m = models.at(fold);
    return std::make_pair(
        quantization_aware_finetune(detector, config, dataset, m.calibration, m.qat_validation(), protocol, options).detector,
        config);
  };
}

}  // namespace

std::vector<SearchModel> search_models(const model::CvOutcome& float_cv, const std::vector<data::Decision>& decisions,
                                       SearchScope scope) {
  std::vector<SearchModel> models;
  for (const model::FoldOutcome& fold : float_cv.folds) {
    if (!fold.detector) throw std::invalid_argument("the float cross-validation did not keep its models");
    SearchModel m;
    m.detector = *fold.detector;
    m.calibration = data::filter_subjects(decisions, fold.train_subjects);
    m.validation = data::filter_subjects(decisions, {fold.fold.validation_subject});
    if (scope == SearchScope::kNonTest) {
      m.early_stopping = m.validation;
      std::vector<int> subjects = fold.train_subjects;
      subjects.push_back(fold.fold.validation_subject);
      m.validation = data::filter_subjects(decisions, subjects);
    }
    const std::string& name = fold.fold.name;  // a subject number (one set), or "set/S05", or a set's name
    const bool number = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
    m.name = (number ? "fold S" : "fold ") + name;
    models.push_back(std::move(m));
  }
  return models;
}

FoldQuantizer bits_recipe(const std::vector<SearchModel>& models, const data::Dataset& dataset, const TensorBits& bits,
                          const data::ProtocolConfig& protocol, int qat_epochs, const QatOptions& qat) {
  return recipe(
      models, dataset,
      [&models, &dataset, bits, protocol](size_t fold) { return configure(models.at(fold), dataset, bits, protocol); },
      protocol, qat_epochs, qat);
}

FoldQuantizer config_recipe(const std::vector<SearchModel>& models, const data::Dataset& dataset,
                            const QuantConfig& config, const data::ProtocolConfig& protocol, int qat_epochs,
                            const QatOptions& qat) {
  return recipe(models, dataset, [config](size_t) { return config; }, protocol, qat_epochs, qat);
}

model::CvOutcome quantized_cv(const model::CvOutcome& float_cv, const data::Dataset& dataset,
                              const std::vector<data::Decision>& decisions, const FoldQuantizer& quantizer,
                              const data::ProtocolConfig& protocol, int threads, const model::FoldAlarmRule& rule_of,
                              const std::optional<model::CalibrationConfig>& calibration) {
  model::CvOutcome outcome;
  for (size_t f = 0; f < float_cv.folds.size(); ++f) {
    const model::FoldOutcome& source = float_cv.folds[f];
    if (!source.detector) throw std::invalid_argument("the float cross-validation did not keep its models");
    const auto [detector, config] = quantizer(f, *source.detector);
    const std::vector<data::Decision> validation = data::filter_subjects(decisions, {source.fold.validation_subject});
    const std::vector<data::Decision> test = data::filter_subjects(decisions, source.fold.test_subjects);
    model::FoldOutcome fold;
    fold.fold = source.fold;
    const std::vector<double> validation_scores = golden_scores(detector, config, protocol, dataset, validation, threads);
    double threshold = model::choose_fold_threshold(fold, {{source.fold.validation_subject, 0, 0, 0}},
                                                          {validation_scores}, {model::decision_labels(validation)},
                                                          model::ThresholdRule::kYouden);
    fold.validation_auc = fold.threshold_subjects.front().auc;
    GoldenDetector golden(detector, config, protocol);
    const std::vector<int64_t> raw = golden.score_decisions(dataset, test, threads);
    fold.scores = golden.statistic_values(raw);
    fold.labels = model::decision_labels(test);
    if (rule_of) {  // the chip's alarms: integer threshold (score >= t on raws) and cue
      const model::AlarmRule rule = rule_of(f, fold);
      threshold += rule.threshold_offset;
      fold.threshold_offset = rule.threshold_offset;
      const QFormat& statistic = golden.statistic_format();
      golden.set_threshold(static_cast<int64_t>(std::ceil(std::ldexp(threshold, statistic.frac))));
      golden.set_cue({std::clamp<int64_t>(quantize(rule.cue.hysteresis, statistic), 0, statistic.max_raw()),
                      rule.cue.min_on, rule.cue.refractory});
      fold.cue = dequantize_cue(golden.cue(), statistic);
      for (const GoldenDetector::Output& out : golden.decide(test, raw)) fold.alarms.push_back(out.alarm ? 1 : 0);
    }
    if (calibration) {  // the chip's self-calibration, seeded from its own statistic on the validation subject
      const QFormat& statistic = golden.statistic_format();
      golden.set_calibration(quantize_calibration(model::seed_calibration(*calibration, validation_scores), statistic,
                                                  golden.smoothing()));
      fold.calibration = dequantize_calibration(*golden.calibration(), statistic);
      for (const GoldenDetector::Output& out : golden.decide(test, raw))
        fold.calibrated_thresholds.push_back(dequantize(out.threshold, statistic));
    }
    fold.test = model::evaluate_scores(fold.scores, fold.labels, threshold);
    fold.detector = detector;
    fold.train_subjects = source.train_subjects;
    outcome.folds.push_back(std::move(fold));
  }
  model::summarize(outcome);
  return outcome;
}

}  // namespace gaitlstm::quant
