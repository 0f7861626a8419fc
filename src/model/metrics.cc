#include "model/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace gaitlstm::model {
namespace {

void check_sizes(const std::vector<double>& scores, const std::vector<uint8_t>& labels) {
  if (scores.size() != labels.size()) {
    throw std::invalid_argument("metrics: scores and labels differ in length");
  }
}

// Indices of `scores` sorted by ascending score (stable, so deterministic).
std::vector<size_t> ascending_order(const std::vector<double>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  return order;
}

}  // namespace

double roc_auc(const std::vector<double>& scores, const std::vector<uint8_t>& labels) {
  check_sizes(scores, labels);
  const std::vector<size_t> order = ascending_order(scores);
  // AUC = (sum of positive ranks - P(P+1)/2) / (P N), ranks averaged over ties.
  double positive_rank_sum = 0;
  int64_t positives = 0;
  size_t start = 0;
  while (start < order.size()) {
    size_t end = start;
    while (end < order.size() && scores[order[end]] == scores[order[start]]) ++end;
    const double average_rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2;
    for (size_t j = start; j < end; ++j) {
      if (labels[order[j]]) {
        positive_rank_sum += average_rank;
        ++positives;
      }
    }
    start = end;
  }
  const int64_t negatives = static_cast<int64_t>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1) / 2) / (p * static_cast<double>(negatives));
}

Confusion confusion_at(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                       double threshold) {
  check_sizes(scores, labels);
  Confusion confusion;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool predicted = scores[i] >= threshold;
    if (labels[i]) {
      (predicted ? confusion.true_positives : confusion.false_negatives)++;
    } else {
      (predicted ? confusion.false_positives : confusion.true_negatives)++;
    }
  }
  return confusion;
}

namespace {

double ratio(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

BinaryMetrics evaluate_scores(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                              double threshold) {
  BinaryMetrics metrics;
  metrics.threshold = threshold;
  metrics.auc = roc_auc(scores, labels);
  const Confusion c = confusion_at(scores, labels, threshold);
  metrics.confusion = c;
  metrics.sensitivity = ratio(c.true_positives, c.true_positives + c.false_negatives);
  metrics.specificity = ratio(c.true_negatives, c.true_negatives + c.false_positives);
  metrics.precision = ratio(c.true_positives, c.true_positives + c.false_positives);
  const double sum = metrics.precision + metrics.sensitivity;
  metrics.f1 = sum == 0 ? 0.0 : 2 * metrics.precision * metrics.sensitivity / sum;
  return metrics;
}

namespace {

// Walks the thresholds from the highest score down; at each distinct score s
// the rule "score >= s" predicts everything seen so far as positive.
// Returns the s whose merit(true positive rate, false positive rate) ranks
// highest (pairs lexicographically); among equals the highest s wins.
template <typename Merit>
double best_threshold(const std::vector<double>& scores, const std::vector<uint8_t>& labels, Merit merit) {
  check_sizes(scores, labels);
  const int64_t positives = std::count(labels.begin(), labels.end(), uint8_t{1});
  const int64_t negatives = static_cast<int64_t>(labels.size()) - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  std::vector<size_t> order = ascending_order(scores);
  std::reverse(order.begin(), order.end());
  int64_t true_positives = 0, false_positives = 0;
  bool first = true;
  decltype(merit(0.0, 0.0)) best{};
  double best_threshold = 0.5;
  size_t start = 0;
  while (start < order.size()) {
    size_t end = start;
    while (end < order.size() && scores[order[end]] == scores[order[start]]) {
      (labels[order[end]] ? true_positives : false_positives)++;
      ++end;
    }
    const auto value = merit(ratio(true_positives, positives), ratio(false_positives, negatives));
    if (first || value > best) {
      first = false;
      best = value;
      best_threshold = scores[order[start]];
    }
    start = end;
  }
  return best_threshold;
}

}  // namespace

double youden_threshold(const std::vector<double>& scores, const std::vector<uint8_t>& labels) {
  return best_threshold(scores, labels, [](double tpr, double fpr) { return tpr - fpr; });  // Youden's J
}

double balanced_threshold(const std::vector<double>& scores, const std::vector<uint8_t>& labels) {
  // The lower of sensitivity and specificity first, then Youden's J.
  return best_threshold(scores, labels, [](double tpr, double fpr) {
    const double specificity = 1 - fpr;
    return std::pair{std::min(tpr, specificity), tpr + specificity - 1};
  });
}

double choose_threshold(const std::vector<double>& scores, const std::vector<uint8_t>& labels,
                        ThresholdRule rule) {
  switch (rule) {
    case ThresholdRule::kYouden: return youden_threshold(scores, labels);
    case ThresholdRule::kBalanced: return balanced_threshold(scores, labels);
  }
  throw std::invalid_argument("choose_threshold: unknown rule");
}

const char* threshold_rule_name(ThresholdRule rule) {
  return rule == ThresholdRule::kYouden ? "youden" : "balanced";
}

}  // namespace gaitlstm::model
