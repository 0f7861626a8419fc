#include "cli/data_flags.h"

namespace gaitlstm::cli {

void add_data_flags(CLI::App* cmd, DataFlags& flags) {
  flags.app = cmd;
  cmd->add_option("--data", flags.dirs,
                  "Directory of recordings (Daphnet SxxRyy.txt, or as --spec says); repeat for several recording "
                  "sets (subjects are then numbered set*1000 + own number, channels picked by --channels in each)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--spec", flags.specs,
                  "JSON dataset description for CSV recordings; describes the --data given just before it")
      ->check(CLI::ExistingFile);
}

std::vector<data::DataSource> DataFlags::sources() const {
  std::vector<data::DataSource> out;
  for (const std::string& dir : dirs) out.push_back({dir, "", ""});
  if (specs.empty()) return out;
  if (dirs.size() == 1 && specs.size() == 1) {  // `--spec F --data D` as well as `--data D --spec F`
    out[0].spec_path = specs[0];
    return out;
  }
  // CLI11 records every occurrence of an option in parse_order(), and an
  // option's values in the order given, so the k-th --spec seen is specs[k].
  size_t data_seen = 0, spec_seen = 0;
  std::vector<bool> has_spec(dirs.size(), false);
  for (const CLI::Option* option : app->parse_order()) {
    if (option->get_name() == "--data") {
      ++data_seen;
    } else if (option->get_name() == "--spec") {
      if (data_seen == 0) throw CLI::ValidationError("--spec", specs[spec_seen] + " follows no --data (give it after the --data it describes)");
      const size_t k = data_seen - 1;
      if (has_spec[k]) throw CLI::ValidationError("--spec", "two --spec after --data " + dirs[k]);
      has_spec[k] = true;
      out[k].spec_path = specs[spec_seen++];
    }
  }
  return out;
}

nlohmann::json sources_json(const std::vector<data::DataSource>& sources) {
  if (sources.size() == 1 && sources[0].spec_path.empty()) return sources[0].dir;
  nlohmann::json out = nlohmann::json::array();
  for (const data::DataSource& s : sources)
    out.push_back({{"name", data::source_name(s)}, {"dir", s.dir}, {"spec", s.spec_path}});
  return out;
}

}  // namespace gaitlstm::cli
