// The evaluation protocol (docs/PROTOCOL.md): where decisions are taken, how
// they are labelled, and how subjects are split.  Every model, baseline and
// hardware evaluation in gaitlstm uses exactly these functions, so figures
// from different layers are comparable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace gaitlstm::data {

struct ProtocolConfig {
  int stride = 32;        // samples between decisions (0.5 s at 64 Hz)
  int label_window = 128; // samples a decision's label looks back on (2 s)
  double freeze_share = 0.5;  // label = FoG when >= this share of the window is freeze
};

// One decision: taken after sample `end - 1` of segment `segment` has
// arrived.  A model may use samples [0, end) of that segment, never more.
struct Decision {
  int segment = 0;
  int64_t end = 0;     // exclusive sample index in the segment
  int subject = 0;
  bool freeze = false; // the decision's label
};

// All decisions of a dataset: in each segment at end = label_window,
// label_window + stride, ... <= samples().  Segments shorter than the label
// window give none.
std::vector<Decision> make_decisions(const Dataset& dataset, const ProtocolConfig& config = {});

// A train/test split.  The validation subject (early stopping, threshold
// choice) is a training-side subject with freezes; it is in neither list.
struct Fold {
  std::string name;                 // tables and JSON: the test subject's label, or the test set's name
  std::vector<int> test_subjects;   // sorted
  int validation_subject = 0;
  std::vector<int> train_subjects;  // all but the test and validation subjects, sorted
  bool is_test(int subject) const;
};

// Leave-one-subject-out.  Test folds are the subjects with at least one
// freeze decision; subjects without any stay in every training set, as
// negatives only.  The validation subject of a fold is the next freeze
// subject after the test subject, cyclically.  Fold names are
// subject_label(*dataset, subject) (the number without a dataset).
std::vector<Fold> make_loso_folds(const std::vector<Decision>& decisions, const Dataset* dataset = nullptr);

// Leave-one-dataset-out over a dataset of several recording sets
// (load_datasets): one fold per set, named after it; its test subjects are
// every subject of that set with decisions, its training subjects every
// subject of the other sets.  The validation subject is the training
// subject with the most freeze decisions (ties: the lowest number), taken
// out of the training list like a leave-one-subject-out fold's.  Throws
// std::invalid_argument for fewer than two sets, or when the other sets
// have no freeze decision.
std::vector<Fold> make_dataset_folds(const Dataset& dataset, const std::vector<Decision>& decisions);

// Decisions whose subject is in `subjects` (kept in order).
std::vector<Decision> filter_subjects(const std::vector<Decision>& decisions,
                                      const std::vector<int>& subjects);

}  // namespace gaitlstm::data
