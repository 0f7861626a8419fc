// A JSON description of a directory of CSV recordings, so recordings other
// than Daphnet load without code changes.  Example:
//   {"format":"csv","files":"*.csv","time_column":"time_s","time_unit":"s",
//    "channels":["ax","ay","az"],"scale":101.97,"label_column":"freeze_label",
//    "positive_labels":[1],"ignore_labels":[],"subject_regex":"pt([0-9]+)"}
// Fields: see docs/DATA.md.  Unknown fields are errors (they are usually typos).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gaitlstm::data {

struct DatasetSpec {
  std::string origin;                 // file the spec came from (for messages)
  std::string format = "csv";
  std::string files = "*.csv";        // glob on names relative to the data directory
  char delimiter = ',';
  std::string time_column;            // empty: rows are sample_rate_hz apart
  double time_unit_s = 1.0;           // seconds per unit of the time column
  double sample_rate_hz = 0;          // 0: estimated from the time column
  std::vector<std::string> channels;
  std::map<std::string, std::vector<std::string>> groups;  // optional channel groups
  double scale = 1.0;                 // multiplies every channel (e.g. m/s^2 -> mg: 101.97)
  std::string label_column;
  std::vector<int64_t> positive_labels;              // freeze
  std::vector<int64_t> ignore_labels;                // rows dropped (like Daphnet's 0)
  std::optional<std::vector<int64_t>> negative_labels;  // if given, any other label is an error
  std::string subject_regex;          // first capture group of a match in the file name
  std::string run_regex;              // optional; default: run = order among the subject's files
};

// Parses and validates a spec.  Throws InputError(path, line, reason).
DatasetSpec parse_dataset_spec_file(const std::string& path);
DatasetSpec parse_dataset_spec(const std::string& json_text, const std::string& origin);

}  // namespace gaitlstm::data
