#include "data/csv_loader.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "data/line_reader.h"
#include "data/segments.h"
#include "data/text_lines.h"
#include "util/error.h"

namespace gaitlstm::data {

namespace fs = std::filesystem;

namespace {

// Fills `fields` (cleared first, so one vector serves every row).
void split(std::string_view line, char delimiter, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  while (true) {
    const size_t end = line.find(delimiter, start);
    fields.push_back(line.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

std::string unquote(std::string_view field) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
  return std::string(field);
}

// Column positions the spec needs, looked up in the header.
struct Columns {
  int time = -1;
  std::vector<int> channels;
  int label = -1;
  size_t count = 0;
};

Columns find_columns(std::string_view header, const DatasetSpec& spec, const std::string& path) {
  std::map<std::string, int> position;
  std::vector<std::string_view> names;
  split(header, spec.delimiter, names);
  for (size_t i = 0; i < names.size(); ++i) position.emplace(unquote(names[i]), static_cast<int>(i));
  auto find = [&](const std::string& name) {
    const auto it = position.find(name);
    if (it == position.end()) {
      std::string have;
      for (const auto& n : names) have += (have.empty() ? "" : ", ") + unquote(n);
      throw InputError(path, 1, fmt::format("column '{}' named in {} is missing (the header has: {})", name,
                                            spec.origin, have));
    }
    return it->second;
  };
  Columns columns;
  columns.count = names.size();
  if (!spec.time_column.empty()) columns.time = find(spec.time_column);
  for (const std::string& c : spec.channels) columns.channels.push_back(find(c));
  columns.label = find(spec.label_column);
  return columns;
}

double field_value(const std::vector<std::string_view>& fields, int column, const std::string& name,
                   const std::string& path, int64_t line) {
  const auto value = parse_finite(fields[static_cast<size_t>(column)]);
  if (!value)
    throw InputError(path, line, fmt::format("column '{}': '{}' is not a finite number", name,
                                             trim(fields[static_cast<size_t>(column)])));
  return *value;
}

enum class LabelKind { kPositive, kNegative, kIgnored };

LabelKind classify_label(double value, const DatasetSpec& spec, const std::string& path, int64_t line) {
  if (value != std::floor(value))
    throw InputError(path, line, fmt::format("label {} is not an integer", value));
  // Past 2^53 a double skips integers, past 2^63 the cast below is undefined
  // (found by fuzzing: a label 1.8e20).
  constexpr double kLargestLabel = 9007199254740992.0;  // 2^53
  if (std::fabs(value) > kLargestLabel)
    throw InputError(path, line, fmt::format("label {} is out of range (at most 2^53 in magnitude)", value));
  const auto label = static_cast<int64_t>(value);
  auto in = [label](const std::vector<int64_t>& set) { return std::count(set.begin(), set.end(), label) > 0; };
  if (in(spec.positive_labels)) return LabelKind::kPositive;
  if (in(spec.ignore_labels)) return LabelKind::kIgnored;
  if (spec.negative_labels && !in(*spec.negative_labels))
    throw InputError(path, line, fmt::format("unknown label {} (not in positive_labels, negative_labels or "
                                             "ignore_labels of {})", label, spec.origin));
  return LabelKind::kNegative;
}

int number_from_name(const std::string& filename, const std::string& pattern, const char* what,
                     const std::string& path) {
  std::smatch match;
  const std::regex re(pattern);
  if (!std::regex_search(filename, match, re))
    throw InputError(path, 0, fmt::format("file name does not match {} '{}'", what, pattern));
  try {
    return std::stoi(match[1].str());
  } catch (const std::exception&) {
    throw InputError(path, 0, fmt::format("{} '{}' captured '{}', not a number", what, pattern, match[1].str()));
  }
}

// The rate of a file: given by the spec, or estimated from the mean time
// step outside gaps (timestamps are often rounded, e.g. 15/16 ms at 64 Hz,
// so a median would be biased) and snapped to whole Hz when within 1 %.
double file_rate(const std::vector<double>& all_times, const DatasetSpec& spec, const std::string& path) {
  if (spec.sample_rate_hz > 0) return spec.sample_rate_hz;
  if (all_times.size() < 2) throw InputError(path, 0, "too few rows to estimate the sample rate");
  std::vector<double> steps(all_times.size() - 1);
  for (size_t i = 0; i + 1 < all_times.size(); ++i) steps[i] = all_times[i + 1] - all_times[i];
  std::vector<double> sorted = steps;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<ptrdiff_t>(sorted.size() / 2), sorted.end());
  const double median = sorted[sorted.size() / 2];
  if (!(median > 0)) throw InputError(path, 0, "time column does not increase");
  double sum = 0;
  int64_t count = 0;
  for (double step : steps) {
    if (step > kGapFactor * median) continue;
    sum += step;
    ++count;
  }
  const double rate = static_cast<double>(count) / sum;
  const double whole = std::round(rate);
  return std::abs(rate - whole) <= 0.01 * rate ? whole : rate;
}

struct ParsedFile {
  RowTable table;
  SourceFile info;
};

ParsedFile read_csv_file(const std::string& path, const DatasetSpec& spec) {
  LineReader reader(path);
  std::string_view line;
  if (!reader.next(line) || is_blank(reader.raw_line())) throw InputError(path, 0, "empty file");
  const Columns columns = find_columns(line, spec, path);

  ParsedFile parsed;
  RowTable& table = parsed.table;
  table.source = path;
  table.channels = static_cast<int>(spec.channels.size());
  // A row has at least a delimiter or newline a column (unused ones may be empty).
  const int64_t rows_estimate =
      std::max<int64_t>(reader.estimated_lines(static_cast<int64_t>(columns.count)) - 1, 0);
  table.reserve(rows_estimate);
  // Every data row's time, for the rate estimate; not kept when the spec
  // gives the rate.
  const bool estimate_rate = !(spec.sample_rate_hz > 0);
  std::vector<double> all_times;
  if (estimate_rate) all_times.reserve(static_cast<size_t>(rows_estimate));
  std::vector<std::string_view> fields;
  std::vector<float> sample;
  int64_t row = 0, blank_line = 0;
  while (reader.next(line)) {
    const int64_t number = reader.line_number();
    if (is_blank(line)) {
      if (!blank_line) blank_line = number;
      continue;
    }
    if (blank_line) throw InputError(path, blank_line, "empty line inside the data");
    split(line, spec.delimiter, fields);
    if (fields.size() != columns.count)
      throw InputError(path, number, fmt::format("expected {} columns (as the header), found {}", columns.count,
                                                 fields.size()));
    const double time = columns.time >= 0
                            ? field_value(fields, columns.time, spec.time_column, path, number) * spec.time_unit_s
                            : static_cast<double>(row) / spec.sample_rate_hz;
    ++row;
    if (estimate_rate) all_times.push_back(time);
    sample.clear();
    for (size_t c = 0; c < columns.channels.size(); ++c)
      sample.push_back(static_cast<float>(field_value(fields, columns.channels[c], spec.channels[c], path, number) *
                                          spec.scale));
    const LabelKind kind =
        classify_label(field_value(fields, columns.label, spec.label_column, path, number), spec, path, number);
    if (kind == LabelKind::kIgnored) {
      ++parsed.info.ignored_rows;
      continue;
    }
    table.time_s.push_back(time);
    table.line.push_back(number);
    table.values.insert(table.values.end(), sample.begin(), sample.end());
    table.freeze.push_back(kind == LabelKind::kPositive ? 1 : 0);
  }
  if (row == 0) throw InputError(path, 0, "no data rows after the header");
  parsed.info.path = path;
  parsed.info.rows = row;
  parsed.info.file_rate_hz = file_rate(all_times, spec, path);
  if (!(parsed.info.file_rate_hz > 0) || !std::isfinite(parsed.info.file_rate_hz)) {
    // Steps that cancel out or run back leave no rate (infinite or negative).
    // Refused here, naming the row where time runs back as splitting would,
    // not by the resampler (which crashed on an infinite rate).
    check_times_increase(table);
    throw InputError(path, 0, "time column does not increase");
  }
  return parsed;
}

std::vector<std::string> matching_files(const std::string& dir, const DatasetSpec& spec) {
  if (!fs::is_directory(dir)) throw InputError(dir, 0, "not a directory");
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), dir).string();
    if (::fnmatch(spec.files.c_str(), relative.c_str(), FNM_PATHNAME) == 0) files.push_back(entry.path().string());
  }
  if (files.empty())
    throw InputError(dir, 0, fmt::format("no files match '{}' (from {})", spec.files, spec.origin));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Dataset load_csv_dataset(const std::string& dir, const DatasetSpec& spec, double target_rate_hz) {
  Dataset dataset;
  dataset.name = "csv:" + spec.origin;
  dataset.sample_rate_hz = target_rate_hz;
  dataset.channel_names = spec.channels;
  for (const auto& [group, members] : spec.groups)
    for (const std::string& m : members)
      dataset.channel_groups[group].push_back(
          static_cast<int>(std::find(spec.channels.begin(), spec.channels.end(), m) - spec.channels.begin()));

  std::vector<ParsedFile> parsed;
  std::map<int, int> files_of_subject;
  for (const std::string& path : matching_files(dir, spec)) {
    const std::string name = fs::path(path).filename().string();
    ParsedFile file = read_csv_file(path, spec);
    file.table.subject = file.info.subject = number_from_name(name, spec.subject_regex, "subject_regex", path);
    file.table.run = file.info.run = spec.run_regex.empty() ? ++files_of_subject[file.info.subject]
                                                            : number_from_name(name, spec.run_regex, "run_regex", path);
    parsed.push_back(std::move(file));
  }
  std::stable_sort(parsed.begin(), parsed.end(), [](const ParsedFile& a, const ParsedFile& b) {
    return std::tie(a.info.subject, a.info.run) < std::tie(b.info.subject, b.info.run);
  });
  // Moved: each file's rows are freed as soon as they are segments.
  for (ParsedFile& file : parsed) append_recording(dataset, std::move(file.table), std::move(file.info));
  return dataset;
}

}  // namespace gaitlstm::data
