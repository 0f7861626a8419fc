// The data stage: recordings (a directory, or the embedded synthetic set
// written under DIR/data), their decisions, and the subjects for training,
// validation and test.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/load.h"
#include "data/synthetic.h"
#include "explore/exploration.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::explore {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string directory_fingerprint(const std::string& dir, const std::string& spec) {
  json files = json::array();
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) files.push_back({p.filename().string(), fs::file_size(p)});
  return hash_key(json{{"files", files}, {"spec", spec.empty() ? "" : read_file(spec)}});
}

}  // namespace

void Exploration::prepare_data() {
  DataStage& d = data_;
  const DataConfig& c = config_.data;
  if (c.dir.empty()) {
    const json key = {{"seed", c.synthetic_seed}, {"subjects", c.synthetic_subjects}, {"minutes", c.synthetic_minutes}};
    d.dir = (fs::path(out_) / "data" / ("synthetic-" + hash_key(key))).string();
    const fs::path done = fs::path(d.dir) / ".complete";
    if (!fs::exists(done)) {
      data::SyntheticConfig s;
      s.seed = c.synthetic_seed;
      s.subjects = c.synthetic_subjects;
      s.minutes_per_run = c.synthetic_minutes;
      data::write_synthetic_dataset(d.dir, s);
      write_file_atomic(done.string(), "");
    }
    d.fingerprint = hash_key(json{{"synthetic", key}});
    log_.line(fmt::format("data: embedded synthetic recordings in {}", d.dir));
  } else if (c.sets.size() > 1) {
    d.dir = c.dir;
    json prints = json::array();
    for (const data::DataSource& set : c.sets) {
      prints.push_back(directory_fingerprint(set.dir, set.spec_path));
      log_.line(fmt::format("data: {}{}", set.dir, set.spec_path.empty() ? "" : " (" + set.spec_path + ")"));
    }
    d.fingerprint = hash_key(json{{"sets", prints}, {"channels", c.channels}});
  } else {
    d.dir = c.dir;
    d.fingerprint = directory_fingerprint(c.dir, c.spec);
    log_.line(fmt::format("data: {}", d.dir));
  }
  d.dataset = data::load_datasets(c.sources(d.dir), config_.realtime.sensor_hz, c.channels);
  d.protocol.stride = config_.realtime.stride;
  d.decisions = data::make_decisions(d.dataset, d.protocol);
  const std::vector<int> subjects = d.dataset.subjects();
  for (int t : c.test_subjects)
    if (std::find(subjects.begin(), subjects.end(), t) == subjects.end())
      throw InputError(config_.source, 0, fmt::format("data.test_subjects: subject {} is not in {}", t, d.dir));
  d.test_subjects = c.test_subjects;
  auto is_test = [&](int s) { return std::find(c.test_subjects.begin(), c.test_subjects.end(), s) != c.test_subjects.end(); };
  d.validation_subject = c.validation_subject;
  if (d.validation_subject == 0) {
    for (const data::Decision& dec : d.decisions)
      if (dec.freeze && !is_test(dec.subject)) d.validation_subject = std::max(d.validation_subject, dec.subject);
    if (d.validation_subject == 0)
      throw InputError(config_.source, 0, "data: no subject outside test_subjects has a freeze decision (validation)");
  }
  for (int s : subjects)
    if (s != d.validation_subject && !is_test(s)) d.train_subjects.push_back(s);
  if (d.train_subjects.empty()) throw InputError(config_.source, 0, "data: no subjects left for training");
  log_.line(fmt::format("data: {} segments, {} decisions; train {}, validation {}, test {}", d.dataset.segments.size(),
                        d.decisions.size(), fmt::join(d.train_subjects, ","), d.validation_subject,
                        d.test_subjects.empty() ? "none (AUC on the validation subject)"
                                                : fmt::format("{}", fmt::join(d.test_subjects, ","))));
}

// Decisions the AUC is reported on: the test subjects', else the validation subject's.
std::vector<data::Decision> Exploration::evaluation_decisions() const {
  return data_.test_subjects.empty() ? data::filter_subjects(data_.decisions, {data_.validation_subject})
                                     : data::filter_subjects(data_.decisions, data_.test_subjects);
}

// How a design's AUC was measured, for the report.
std::string Exploration::auc_measured_on() const {
  if (config_.data.evaluation == "loso")
    return "leave-one-subject-out, pooled over every subject held out once (one float model per fold, quantized with "
           "the design's bits, golden model)";
  return data_.test_subjects.empty()
             ? fmt::format("the validation subject S{:02d} (golden model)", data_.validation_subject)
             : fmt::format("the held-out test subject(s) {} (golden model)", fmt::join(data_.test_subjects, ", "));
}

}  // namespace gaitlstm::explore
