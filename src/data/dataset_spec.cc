#include "data/dataset_spec.h"

#include <algorithm>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::data {

using nlohmann::json;

namespace {

int64_t line_of_byte(const std::string& text, size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(byte), '\n');
}

class SpecReader {
 public:
  SpecReader(const json& root, const std::string& origin) : root_(root), origin_(origin) {}

  [[noreturn]] void fail(const std::string& reason) const { throw InputError(origin_, 0, reason); }

  bool has(const char* key) const { return root_.contains(key); }

  const json& field(const char* key, json::value_t type, const char* type_name) const {
    if (!root_.contains(key)) fail(fmt::format("missing required field '{}'", key));
    const json& value = root_.at(key);
    const bool number_ok = type == json::value_t::number_float && value.is_number();
    if (value.type() != type && !number_ok) fail(fmt::format("field '{}' must be {}", key, type_name));
    return value;
  }
  std::string string(const char* key) const { return field(key, json::value_t::string, "a string").get<std::string>(); }
  double number(const char* key) const { return field(key, json::value_t::number_float, "a number").get<double>(); }

  std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    for (const json& item : field(key, json::value_t::array, "an array of strings")) {
      if (!item.is_string()) fail(fmt::format("field '{}' must be an array of strings", key));
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  std::vector<int64_t> integers(const char* key) const {
    std::vector<int64_t> out;
    for (const json& item : field(key, json::value_t::array, "an array of integers")) {
      if (!item.is_number_integer()) fail(fmt::format("field '{}' must be an array of integers", key));
      out.push_back(item.get<int64_t>());
    }
    return out;
  }

 private:
  const json& root_;
  const std::string& origin_;
};

double seconds_per_unit(const std::string& unit, const SpecReader& reader) {
  if (unit == "s") return 1.0;
  if (unit == "ms") return 1e-3;
  if (unit == "us") return 1e-6;
  reader.fail("field 'time_unit' must be \"s\", \"ms\" or \"us\", not \"" + unit + "\"");
}

void check_regex(const std::string& key, const std::string& pattern, const SpecReader& reader) {
  try {
    const std::regex compiled(pattern);
    if (compiled.mark_count() < 1) reader.fail(fmt::format("field '{}' needs a capture group for the number", key));
  } catch (const std::regex_error& e) {
    reader.fail(fmt::format("field '{}' is not a valid regular expression: {}", key, e.what()));
  }
}

void check_consistency(const DatasetSpec& spec, const SpecReader& reader) {
  if (spec.channels.empty()) reader.fail("field 'channels' must name at least one column");
  std::set<std::string> seen;
  for (const std::string& c : spec.channels)
    if (!seen.insert(c).second) reader.fail("channel '" + c + "' is listed twice");
  for (const auto& [group, members] : spec.groups)
    for (const std::string& m : members)
      if (!seen.count(m)) reader.fail(fmt::format("group '{}' names '{}', which is not in 'channels'", group, m));
  if (spec.time_column.empty() && spec.sample_rate_hz <= 0)
    reader.fail("give 'time_column' or a positive 'sample_rate_hz'");
  if (spec.positive_labels.empty()) reader.fail("field 'positive_labels' must not be empty");
  for (int64_t label : spec.positive_labels)
    if (std::count(spec.ignore_labels.begin(), spec.ignore_labels.end(), label))
      reader.fail(fmt::format("label {} is both positive and ignored", label));
  if (!(spec.scale != 0)) reader.fail("field 'scale' must not be zero");
}

}  // namespace

DatasetSpec parse_dataset_spec(const std::string& text, const std::string& origin) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(origin, line_of_byte(text, e.byte), std::string("malformed JSON: ") + e.what());
  } catch (const json::exception& e) {  // out_of_range: a number beyond double (1e400)
    throw InputError(origin, 0, std::string("malformed JSON: ") + e.what());
  }
  SpecReader reader(root, origin);
  if (!root.is_object()) reader.fail("a dataset description must be a JSON object");

  static const std::set<std::string> known = {
      "format", "files", "delimiter", "time_column", "time_unit", "sample_rate_hz", "channels", "groups",
      "scale", "label_column", "positive_labels", "ignore_labels", "negative_labels", "subject_regex",
      "run_regex", "description"};
  for (const auto& [key, _] : root.items())
    if (!known.count(key)) reader.fail("unknown field '" + key + "'");

  DatasetSpec spec;
  spec.origin = origin;
  spec.format = reader.string("format");
  if (spec.format != "csv") reader.fail("field 'format' must be \"csv\" (Daphnet files need no description)");
  if (reader.has("files")) spec.files = reader.string("files");
  if (reader.has("delimiter")) {
    const std::string d = reader.string("delimiter");
    if (d.size() != 1) reader.fail("field 'delimiter' must be one character");
    spec.delimiter = d[0];
  }
  if (reader.has("time_column")) spec.time_column = reader.string("time_column");
  if (reader.has("time_unit")) spec.time_unit_s = seconds_per_unit(reader.string("time_unit"), reader);
  if (reader.has("sample_rate_hz")) spec.sample_rate_hz = reader.number("sample_rate_hz");
  spec.channels = reader.strings("channels");
  if (reader.has("groups")) {
    const json& groups = reader.field("groups", json::value_t::object, "an object of name -> channel list");
    for (const auto& [name, members] : groups.items()) {
      if (!members.is_array()) reader.fail("group '" + name + "' must be an array of channel names");
      for (const json& m : members) {
        if (!m.is_string()) reader.fail("group '" + name + "' must be an array of channel names");
        spec.groups[name].push_back(m.get<std::string>());
      }
    }
  }
  if (reader.has("scale")) spec.scale = reader.number("scale");
  spec.label_column = reader.string("label_column");
  spec.positive_labels = reader.integers("positive_labels");
  if (reader.has("ignore_labels")) spec.ignore_labels = reader.integers("ignore_labels");
  if (reader.has("negative_labels")) spec.negative_labels = reader.integers("negative_labels");
  spec.subject_regex = reader.string("subject_regex");
  check_regex("subject_regex", spec.subject_regex, reader);
  if (reader.has("run_regex")) {
    spec.run_regex = reader.string("run_regex");
    check_regex("run_regex", spec.run_regex, reader);
  }
  check_consistency(spec, reader);
  return spec;
}

DatasetSpec parse_dataset_spec_file(const std::string& path) {
  return parse_dataset_spec(read_file(path), path);
}

}  // namespace gaitlstm::data
