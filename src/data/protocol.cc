#include "data/protocol.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace gaitlstm::data {

std::vector<Decision> make_decisions(const Dataset& dataset, const ProtocolConfig& config) {
  if (config.stride <= 0 || config.label_window <= 0)
    throw std::invalid_argument("protocol stride and label window must be positive");
  std::vector<Decision> decisions;
  std::vector<int64_t> freeze_before;  // freeze_before[t] = freeze samples in [0, t)
  for (size_t s = 0; s < dataset.segments.size(); ++s) {
    const Segment& segment = dataset.segments[s];
    freeze_before.assign(static_cast<size_t>(segment.samples()) + 1, 0);
    for (int64_t t = 0; t < segment.samples(); ++t)
      freeze_before[static_cast<size_t>(t + 1)] = freeze_before[static_cast<size_t>(t)] + segment.freeze[static_cast<size_t>(t)];
    for (int64_t end = config.label_window; end <= segment.samples(); end += config.stride) {
      const int64_t freeze = freeze_before[static_cast<size_t>(end)] -
                             freeze_before[static_cast<size_t>(end - config.label_window)];
      decisions.push_back({static_cast<int>(s), end, segment.subject,
                           static_cast<double>(freeze) >= config.freeze_share * config.label_window});
    }
  }
  return decisions;
}

bool Fold::is_test(int subject) const {
  return std::binary_search(test_subjects.begin(), test_subjects.end(), subject);
}

std::vector<Fold> make_loso_folds(const std::vector<Decision>& decisions, const Dataset* dataset) {
  std::set<int> all, with_freeze;
  for (const Decision& d : decisions) {
    all.insert(d.subject);
    if (d.freeze) with_freeze.insert(d.subject);
  }
  const std::vector<int> testable(with_freeze.begin(), with_freeze.end());
  std::vector<Fold> folds;
  if (testable.size() < 2) return folds;  // no validation subject possible
  for (size_t i = 0; i < testable.size(); ++i) {
    Fold fold;
    fold.name = dataset ? subject_label(*dataset, testable[i]) : std::to_string(testable[i]);
    fold.test_subjects = {testable[i]};
    fold.validation_subject = testable[(i + 1) % testable.size()];
    for (int subject : all)
      if (!fold.is_test(subject) && subject != fold.validation_subject) fold.train_subjects.push_back(subject);
    folds.push_back(std::move(fold));
  }
  return folds;
}

std::vector<Fold> make_dataset_folds(const Dataset& dataset, const std::vector<Decision>& decisions) {
  if (!dataset.several_sets())
    throw std::invalid_argument("leave-one-dataset-out folds need at least two recording sets (give --data twice)");
  std::map<int, int64_t> freezes;  // subject -> freeze decisions (every subject with decisions)
  for (const Decision& d : decisions) freezes[d.subject] += d.freeze ? 1 : 0;
  std::vector<Fold> folds;
  for (size_t set = 0; set < dataset.set_names.size(); ++set) {
    Fold fold;
    fold.name = dataset.set_names[set];
    int64_t most = 0;
    for (const auto& [subject, count] : freezes) {
      if (set_of_subject(dataset, subject) == static_cast<int>(set)) {
        fold.test_subjects.push_back(subject);
      } else if (count > most) {  // ascending order: ties keep the lowest number
        most = count;
        fold.validation_subject = subject;
      }
    }
    if (fold.test_subjects.empty())
      throw std::invalid_argument("leave-one-dataset-out: recording set '" + fold.name + "' has no decisions");
    if (most == 0)
      throw std::invalid_argument("leave-one-dataset-out: no freeze decision outside recording set '" + fold.name +
                                  "' (nothing to validate on)");
    for (const auto& [subject, count] : freezes)
      if (!fold.is_test(subject) && subject != fold.validation_subject) fold.train_subjects.push_back(subject);
    folds.push_back(std::move(fold));
  }
  return folds;
}

std::vector<Decision> filter_subjects(const std::vector<Decision>& decisions,
                                      const std::vector<int>& subjects) {
  std::vector<Decision> kept;
  for (const Decision& d : decisions)
    if (std::find(subjects.begin(), subjects.end(), d.subject) != subjects.end()) kept.push_back(d);
  return kept;
}

}  // namespace gaitlstm::data
