#include "data/load.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/csv_loader.h"
#include "data/daphnet.h"
#include "data/dataset_spec.h"
#include "util/error.h"

namespace gaitlstm::data {

Dataset load_dataset(const std::string& dir, const LoadOptions& options) {
  if (options.spec_path.empty()) return load_daphnet(dir, options.target_rate_hz);
  return load_csv_dataset(dir, parse_dataset_spec_file(options.spec_path), options.target_rate_hz);
}

std::string source_name(const DataSource& source) {
  if (!source.name.empty()) return source.name;
  std::filesystem::path dir(source.dir);
  if (dir.filename().empty()) dir = dir.parent_path();  // "a/b/" -> "b"
  const std::string name = dir.filename().string();
  return name.empty() || name == "." ? source.dir : name;
}

namespace {

std::vector<std::string> unique_names(const std::vector<DataSource>& sources) {
  std::vector<std::string> names;
  for (const DataSource& source : sources) {
    const std::string base = source_name(source);
    std::string name = base;
    for (int k = 2; std::find(names.begin(), names.end(), name) != names.end(); ++k) name = fmt::format("{}-{}", base, k);
    names.push_back(name);
  }
  return names;
}

// The selected channels of one set, or an InputError naming the set.
std::vector<int> set_channels(const Dataset& set, const std::string& channels, const DataSource& source,
                              const std::string& name) {
  try {
    return resolve_channels(set, channels);
  } catch (const std::invalid_argument& e) {
    throw InputError(source.spec_path.empty() ? source.dir : source.spec_path, 0,
                     fmt::format("recording set '{}' ({}): {}", name, source.dir, e.what()));
  }
}

}  // namespace

Dataset load_datasets(const std::vector<DataSource>& sources, double target_rate_hz, const std::string& channels) {
  if (sources.empty()) throw std::invalid_argument("load_datasets: no recording set given");
  const std::vector<std::string> names = unique_names(sources);
  if (sources.size() == 1) {
    Dataset dataset = load_dataset(sources[0].dir, {sources[0].spec_path, target_rate_hz});
    dataset.set_names = names;
    return dataset;
  }
  Dataset merged;
  for (size_t k = 0; k < sources.size(); ++k) {
    const DataSource& source = sources[k];
    const Dataset set = load_dataset(source.dir, {source.spec_path, target_rate_hz});
    const std::vector<int> columns = set_channels(set, channels, source, names[k]);
    Dataset selected = select_channels(set, columns);
    if (k == 0) {
      merged.sample_rate_hz = selected.sample_rate_hz;
      merged.channel_names = selected.channel_names;
      merged.channel_groups = selected.channel_groups;
      merged.name = names[k];
    } else {
      if (selected.channel_names.size() != merged.channel_names.size())
        throw InputError(source.spec_path.empty() ? source.dir : source.spec_path, 0,
                         fmt::format("recording set '{}': channels '{}' are {} channels ({}), but {} in set '{}' ({})",
                                     names[k], channels, selected.channel_names.size(),
                                     fmt::join(selected.channel_names, ", "), merged.channel_names.size(), names[0],
                                     fmt::join(merged.channel_names, ", ")));
      merged.name += "+" + names[k];
    }
    const int offset = static_cast<int>(k + 1) * kSubjectsPerSet;
    auto renumber = [&](int subject, const std::string& path) {
      if (subject < 0 || subject >= kSubjectsPerSet)
        throw InputError(path, 0, fmt::format("subject {} of recording set '{}': with several sets subject numbers "
                                              "must be 0..{}", subject, names[k], kSubjectsPerSet - 1));
      return offset + subject;
    };
    for (Segment& segment : selected.segments) {
      segment.subject = renumber(segment.subject, segment.source);
      merged.segments.push_back(std::move(segment));
    }
    for (SourceFile& file : selected.sources) {
      file.subject = renumber(file.subject, file.path);
      merged.sources.push_back(std::move(file));
    }
  }
  merged.set_names = names;
  return merged;
}

Dataset load_for_channels(const std::vector<DataSource>& sources, double rate_hz, const std::string& selection,
                          const std::vector<std::string>& channel_names) {
  const std::string pick = selection.empty() ? fmt::format("{}", fmt::join(channel_names, ",")) : selection;
  Dataset dataset = load_datasets(sources, rate_hz, pick);
  if (selection.empty() && sources.size() == 1) return dataset;  // as before channel groups
  try {
    return select_channels_as(dataset, pick, channel_names);
  } catch (const std::invalid_argument& e) {
    const DataSource& first = sources.front();
    throw InputError(first.spec_path.empty() ? first.dir : first.spec_path, 0,
                     fmt::format("recording set '{}' ({}): the model's channels ({}): {}", dataset.set_names.front(),
                                 first.dir, selection.empty() ? "by name" : "group '" + selection + "'", e.what()));
  }
}

}  // namespace gaitlstm::data
