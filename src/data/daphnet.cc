#include "data/daphnet.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

#include "data/line_reader.h"
#include "data/segments.h"
#include "data/text_lines.h"
#include "util/error.h"

namespace gaitlstm::data {

namespace fs = std::filesystem;

namespace {

const std::array<std::string, kDaphnetColumns> kColumnNames = {
    "time_ms",    "ankle_fwd", "ankle_vert", "ankle_lat", "thigh_fwd", "thigh_vert",
    "thigh_lat",  "trunk_fwd", "trunk_vert", "trunk_lat", "label"};

// Splits a whitespace-separated line of integers; returns the field count
// (may exceed kDaphnetColumns: only the first ones are stored).
int parse_integers(std::string_view line, std::array<int64_t, kDaphnetColumns>& out,
                   const std::string& path, int64_t line_number) {
  const char* p = line.data();
  const char* end = p + line.size();
  int count = 0;
  while (true) {
    while (p < end && (*p == ' ' || *p == '\t')) ++p;
    if (p == end) return count;
    const char* start = p;
    while (p < end && *p != ' ' && *p != '\t') ++p;
    if (count < kDaphnetColumns) {
      int64_t value = 0;
      const auto [stop, ec] = std::from_chars(start, p, value);
      if (ec != std::errc() || stop != p) {
        throw InputError(path, line_number,
                         fmt::format("column {} ({}): '{}' is not an integer", count + 1,
                                     kColumnNames[static_cast<size_t>(count)],
                                     std::string_view(start, static_cast<size_t>(p - start))));
      }
      out[static_cast<size_t>(count)] = value;
    }
    ++count;
  }
}

RowTable read_daphnet_file(const std::string& path, int subject, int run, SourceFile& info) {
  LineReader reader(path);
  std::string_view line;
  if (!reader.next(line) || is_blank(reader.raw_line())) throw InputError(path, 0, "empty file");

  RowTable table;
  table.source = path;
  table.subject = subject;
  table.run = run;
  table.channels = kDaphnetChannels;
  table.reserve(reader.estimated_lines(2 * kDaphnetColumns));  // a digit and a separator a field

  std::array<int64_t, kDaphnetColumns> field{};
  int64_t blank_line = 0;  // a blank line is only allowed at the very end
  do {
    const int64_t number = reader.line_number();
    if (is_blank(line)) {
      if (blank_line == 0) blank_line = number;
      continue;
    }
    if (blank_line) throw InputError(path, blank_line, "empty line inside the data");
    const int count = parse_integers(line, field, path, number);
    if (count != kDaphnetColumns)
      throw InputError(path, number, fmt::format("expected {} columns, found {}", kDaphnetColumns, count));
    ++info.rows;
    const int64_t label = field[10];
    if (label == 0) {
      ++info.ignored_rows;
      continue;
    }
    if (label != 1 && label != 2)
      throw InputError(path, number, fmt::format("unknown label {} (expected 0, 1 or 2)", label));
    table.time_s.push_back(static_cast<double>(field[0]) * 1e-3);
    table.line.push_back(number);
    for (int c = 1; c <= kDaphnetChannels; ++c)
      table.values.push_back(static_cast<float>(field[static_cast<size_t>(c)]));
    table.freeze.push_back(label == 2 ? 1 : 0);
  } while (reader.next(line));
  return table;
}

}  // namespace

std::optional<std::pair<int, int>> parse_daphnet_name(const std::string& filename) {
  static const std::regex pattern(R"(S(\d{2})R(\d{2})\.txt)");
  std::smatch match;
  if (!std::regex_match(filename, match, pattern)) return std::nullopt;
  return std::make_pair(std::stoi(match[1]), std::stoi(match[2]));
}

void set_daphnet_channels(Dataset& dataset) {
  dataset.channel_names.assign(kColumnNames.begin() + 1, kColumnNames.begin() + 1 + kDaphnetChannels);
  dataset.channel_groups = {{"ankle", {0, 1, 2}}, {"thigh", {3, 4, 5}}, {"trunk", {6, 7, 8}}};
}

Dataset load_daphnet(const std::string& dir, double target_rate_hz) {
  if (!fs::is_directory(dir)) throw InputError(dir, 0, "not a directory");
  struct Found { int subject, run; std::string path; };
  std::vector<Found> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    if (auto id = parse_daphnet_name(entry.path().filename().string()))
      files.push_back({id->first, id->second, entry.path().string()});
  }
  if (files.empty())
    throw InputError(dir, 0, "no Daphnet recordings (SxxRyy.txt) in this directory; "
                             "for other formats give a dataset description with --spec");
  std::sort(files.begin(), files.end(), [](const Found& a, const Found& b) {
    return std::tie(a.subject, a.run) < std::tie(b.subject, b.run);
  });

  Dataset dataset;
  dataset.name = "daphnet";
  dataset.sample_rate_hz = target_rate_hz;
  set_daphnet_channels(dataset);
  for (const Found& file : files) {
    SourceFile info{file.path, file.subject, file.run, 0, 0, kDaphnetRateHz};
    RowTable table = read_daphnet_file(file.path, file.subject, file.run, info);  // fills info first
    append_recording(dataset, std::move(table), std::move(info));
  }
  return dataset;
}

}  // namespace gaitlstm::data
