// Per-subject counts of a dataset under the protocol: what `gaitlstm data
// summary` prints.  Used to sanity-check a data set before training on it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/protocol.h"

namespace gaitlstm::data {

struct SubjectSummary {
  int subject = 0;
  std::string label;           // "S03"; with several recording sets "daphnet/S03"
  int runs = 0;
  int segments = 0;
  int64_t ignored_rows = 0;    // dropped (label 0 in Daphnet)
  int64_t walk_samples = 0;    // label 1
  int64_t freeze_samples = 0;  // label 2
  int64_t decisions = 0;
  int64_t freeze_decisions = 0;
  double freeze_share() const { return decisions ? static_cast<double>(freeze_decisions) / decisions : 0; }
};

struct DatasetSummary {
  std::string name;
  double sample_rate_hz = 0;
  std::vector<std::string> channel_names;
  ProtocolConfig protocol;
  std::vector<SubjectSummary> subjects;
  SubjectSummary total;        // subject = 0
  std::vector<int> test_subjects;  // subjects that form leave-one-subject-out folds
};

DatasetSummary summarize(const Dataset& dataset, const ProtocolConfig& protocol = {});
std::string format_summary(const DatasetSummary& summary);  // human table
nlohmann::json summary_to_json(const DatasetSummary& summary);

}  // namespace gaitlstm::data
