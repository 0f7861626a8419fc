#include "data/summary.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "util/text_table.h"

namespace gaitlstm::data {

DatasetSummary summarize(const Dataset& dataset, const ProtocolConfig& protocol) {
  std::map<int, SubjectSummary> by_subject;
  std::map<int, std::set<int>> runs;
  for (const SourceFile& source : dataset.sources) {
    SubjectSummary& s = by_subject[source.subject];
    s.subject = source.subject;
    s.ignored_rows += source.ignored_rows;
    runs[source.subject].insert(source.run);
  }
  for (const Segment& segment : dataset.segments) {
    SubjectSummary& s = by_subject[segment.subject];
    s.subject = segment.subject;
    ++s.segments;
    for (uint8_t f : segment.freeze) (f ? s.freeze_samples : s.walk_samples)++;
  }
  for (const Decision& d : make_decisions(dataset, protocol)) {
    SubjectSummary& s = by_subject[d.subject];
    ++s.decisions;
    s.freeze_decisions += d.freeze;
  }

  DatasetSummary summary;
  summary.name = dataset.name;
  summary.sample_rate_hz = dataset.sample_rate_hz;
  summary.channel_names = dataset.channel_names;
  summary.protocol = protocol;
  for (auto& [subject, s] : by_subject) {
    s.runs = static_cast<int>(runs[subject].size());
    s.label = dataset.several_sets() ? subject_label(dataset, subject) : fmt::format("S{:02d}", subject);
    summary.subjects.push_back(s);
    summary.total.runs += s.runs;
    summary.total.segments += s.segments;
    summary.total.ignored_rows += s.ignored_rows;
    summary.total.walk_samples += s.walk_samples;
    summary.total.freeze_samples += s.freeze_samples;
    summary.total.decisions += s.decisions;
    summary.total.freeze_decisions += s.freeze_decisions;
    if (s.freeze_decisions > 0) summary.test_subjects.push_back(subject);
  }
  return summary;
}

namespace {
std::vector<std::string> row(const std::string& name, const SubjectSummary& s) {
  return {name, std::to_string(s.runs), std::to_string(s.segments), std::to_string(s.ignored_rows),
          std::to_string(s.walk_samples), std::to_string(s.freeze_samples), std::to_string(s.decisions),
          std::to_string(s.freeze_decisions), fmt::format("{:.1f}%", 100 * s.freeze_share())};
}
}  // namespace

std::string format_summary(const DatasetSummary& summary) {
  TextTable table({"subject", "runs", "segments", "ignored", "walk", "freeze", "decisions", "FoG dec.", "FoG share"});
  for (const SubjectSummary& s : summary.subjects) table.add_row(row(s.label, s));
  table.add_separator();
  table.add_row(row("total", summary.total));
  std::string tests;
  for (const SubjectSummary& s : summary.subjects)
    if (s.freeze_decisions > 0) tests += " " + s.label;
  return fmt::format(
      "{}: {} channels at {} Hz; decision every {} samples, label window {} samples\n"
      "(samples: walk = label 1, freeze = label 2, ignored = label 0 rows dropped)\n{}"
      "leave-one-subject-out test folds:{}\n",
      summary.name, summary.channel_names.size(), summary.sample_rate_hz, summary.protocol.stride,
      summary.protocol.label_window, table.render(), tests.empty() ? " none (no subject has a freeze)" : tests);
}

nlohmann::json summary_to_json(const DatasetSummary& summary) {
  auto subject_json = [](const SubjectSummary& s) {
    return nlohmann::json{{"subject", s.subject},
                          {"label", s.label},
                          {"runs", s.runs},
                          {"segments", s.segments},
                          {"ignored_rows", s.ignored_rows},
                          {"label1_samples", s.walk_samples},
                          {"label2_samples", s.freeze_samples},
                          {"decisions", s.decisions},
                          {"freeze_decisions", s.freeze_decisions},
                          {"freeze_share", s.freeze_share()}};
  };
  nlohmann::json subjects = nlohmann::json::array();
  for (const SubjectSummary& s : summary.subjects) subjects.push_back(subject_json(s));
  nlohmann::json total = subject_json(summary.total);
  total.erase("subject");
  total.erase("label");
  return {{"dataset", summary.name},
          {"sample_rate_hz", summary.sample_rate_hz},
          {"channels", summary.channel_names},
          {"protocol", {{"stride", summary.protocol.stride},
                        {"label_window", summary.protocol.label_window},
                        {"freeze_share", summary.protocol.freeze_share}}},
          {"subjects", subjects},
          {"total", total},
          {"test_subjects", summary.test_subjects}};
}

}  // namespace gaitlstm::data
