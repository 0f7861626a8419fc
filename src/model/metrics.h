// Per-decision detection metrics shared by every model and baseline.
#pragma once

#include <cstdint>
#include <vector>

namespace gaitlstm::model {

// Area under the ROC curve = P(score of a random positive > score of a random
// negative) + 0.5 P(equal).  Ties are handled by average ranks (Mann-Whitney
// U).  Returns NaN when either class is empty.
double roc_auc(const std::vector<double>& scores, const std::vector<uint8_t>& labels);

struct Confusion {
  int64_t true_positives = 0;
  int64_t false_positives = 0;
  int64_t true_negatives = 0;
  int64_t false_negatives = 0;
};

// Decision rule: predicted FoG when score >= threshold.
Confusion confusion_at(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                       double threshold);

struct BinaryMetrics {
  double threshold = 0.5;
  double auc = 0;
  double sensitivity = 0;  // TP / (TP + FN)
  double specificity = 0;  // TN / (TN + FP)
  double precision = 0;    // TP / (TP + FP); 0 when nothing is predicted positive
  double f1 = 0;           // 2 precision sensitivity / (precision + sensitivity)
  Confusion confusion;
};

// AUC plus the threshold-dependent figures at `threshold`.
BinaryMetrics evaluate_scores(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                              double threshold);

// Threshold maximizing Youden's J = sensitivity + specificity - 1 over all
// distinct scores (rule score >= threshold).  Among equal J the highest
// threshold wins.  Returns 0.5 when either class is empty.
double youden_threshold(const std::vector<double>& scores, const std::vector<uint8_t>& labels);

// Threshold maximizing min(sensitivity, specificity) over all distinct scores
// (rule score >= threshold): the operating point closest to equal error.
// Among equal minima the larger J wins, then the highest threshold.  Returns
// 0.5 when either class is empty.
double balanced_threshold(const std::vector<double>& scores, const std::vector<uint8_t>& labels);

// How a threshold is chosen on validation scores.
enum class ThresholdRule { kYouden, kBalanced };
double choose_threshold(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                        ThresholdRule rule);
const char* threshold_rule_name(ThresholdRule rule);  // "youden", "balanced"

}  // namespace gaitlstm::model
