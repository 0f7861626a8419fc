#include "data/dataset.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <stdexcept>

namespace gaitlstm::data {

std::vector<int> Dataset::subjects() const {
  std::set<int> unique;
  for (const Segment& segment : segments) unique.insert(segment.subject);
  return {unique.begin(), unique.end()};
}

int64_t Dataset::total_samples() const {
  int64_t total = 0;
  for (const Segment& segment : segments) total += segment.samples();
  return total;
}

int set_of_subject(const Dataset& dataset, int subject) {
  return dataset.several_sets() ? subject / kSubjectsPerSet - 1 : 0;
}

std::string subject_label(const Dataset& dataset, int subject) {
  if (!dataset.several_sets()) return std::to_string(subject);
  const int set = set_of_subject(dataset, subject);
  const std::string name = set >= 0 && set < static_cast<int>(dataset.set_names.size())
                               ? dataset.set_names[static_cast<size_t>(set)]
                               : "set" + std::to_string(set + 1);
  const int own = subject % kSubjectsPerSet;
  return name + "/S" + (own < 10 ? "0" : "") + std::to_string(own);
}

namespace {
std::string available(const Dataset& dataset) {
  std::string out = "groups: all";
  for (const auto& [name, _] : dataset.channel_groups) out += ", " + name;
  out += "; channels: ";
  for (size_t i = 0; i < dataset.channel_names.size(); ++i)
    out += (i ? ", " : "") + dataset.channel_names[i];
  return out;
}
}  // namespace

std::vector<int> resolve_channels(const Dataset& dataset, const std::string& selection) {
  if (selection == "all") {
    std::vector<int> all(dataset.channel_names.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    return all;
  }
  if (auto group = dataset.channel_groups.find(selection); group != dataset.channel_groups.end())
    return group->second;

  std::vector<int> chosen;
  std::stringstream list(selection);
  std::string name;
  while (std::getline(list, name, ',')) {
    const auto it = std::find(dataset.channel_names.begin(), dataset.channel_names.end(), name);
    if (it == dataset.channel_names.end())
      throw std::invalid_argument("unknown channel or group '" + name + "' (" + available(dataset) + ")");
    chosen.push_back(static_cast<int>(it - dataset.channel_names.begin()));
  }
  if (chosen.empty()) throw std::invalid_argument("empty channel selection (" + available(dataset) + ")");
  return chosen;
}

Dataset select_channels(const Dataset& dataset, const std::vector<int>& channels) {
  Dataset out;
  out.name = dataset.name;
  out.sample_rate_hz = dataset.sample_rate_hz;
  out.sources = dataset.sources;
  out.set_names = dataset.set_names;
  for (int c : channels) out.channel_names.push_back(dataset.channel_names.at(static_cast<size_t>(c)));
  for (const auto& [group, members] : dataset.channel_groups) {
    std::vector<int> mapped;  // keep a group only if all its members survive
    for (int m : members) {
      const auto it = std::find(channels.begin(), channels.end(), m);
      if (it != channels.end()) mapped.push_back(static_cast<int>(it - channels.begin()));
    }
    if (mapped.size() == members.size()) out.channel_groups[group] = mapped;
  }
  const auto width = static_cast<int>(channels.size());
  for (const Segment& segment : dataset.segments) {
    Segment copy = segment;
    copy.channels = width;
    copy.values.resize(static_cast<size_t>(segment.samples() * width));
    for (int64_t t = 0; t < segment.samples(); ++t)
      for (int k = 0; k < width; ++k)
        copy.values[static_cast<size_t>(t * width + k)] = segment.at(t, channels[static_cast<size_t>(k)]);
    out.segments.push_back(std::move(copy));
  }
  return out;
}

Dataset select_channels_as(const Dataset& dataset, const std::string& selection,
                           const std::vector<std::string>& names) {
  const std::vector<int> columns = resolve_channels(dataset, selection);
  if (columns.size() != names.size()) {
    std::string wanted;
    for (const std::string& n : names) wanted += (wanted.empty() ? "" : ", ") + n;
    throw std::invalid_argument("channel selection '" + selection + "' gives " + std::to_string(columns.size()) +
                                " channels here, the model needs " + std::to_string(names.size()) + " (" + wanted +
                                ")");
  }
  Dataset out = select_channels(dataset, columns);
  out.channel_names = names;
  return out;
}

}  // namespace gaitlstm::data
