#include "rtl/design.h"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "rtl/frontend_rtl.h"
#include "rtl/verilator_harness.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::rtl {

namespace fs = std::filesystem;

CoreConfig parse_architecture(const std::string& name) {
  CoreConfig core;
  if (name == "serial") {
    core.lanes = 1;
  } else if (name == "gates") {
    core.lanes = 4;
  } else if (name == "mcm") {
    core.multiplierless = true;
  } else if (name.rfind("lanes:", 0) == 0) {
    try {
      size_t used = 0;
      core.lanes = std::stoi(name.substr(6), &used);
      if (used != name.size() - 6 || core.lanes < 1) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw std::invalid_argument("'" + name + "': lanes:P needs a positive integer P");
    }
  } else {
    throw std::invalid_argument("unknown architecture '" + name + "' (serial, gates, lanes:P, mcm)");
  }
  return core;
}

std::string architecture_name(const CoreConfig& core) {
  if (core.multiplierless) return "mcm";
  if (core.lanes == 1) return "serial";
  if (core.lanes == 4) return "gates";
  return fmt::format("lanes:{}", core.lanes);
}

DesignSummary write_design(const quant::GoldenDetector& golden, const CoreConfig& core, const std::string& dir,
                           const std::string& top) {
  const auto modules = generate_detector(golden, {top, core});
  DesignSummary design;
  design.architecture = architecture_name(core);
  design.top = top;
  for (const std::string& path : write_modules(dir, modules)) design.files.push_back(fs::path(path).filename().string());
  const int steps = golden.history_steps();
  design.cycles_per_decision = decision_latency_cycles(golden, core, steps);
  design.core_cycles = core_cycles(golden.lstm().shape(), core, steps);
  design.frontend_cycles_per_sample = frontend_sample_cycles(golden.frontend());
  design.mac_utilization = core_mac_utilization(golden.lstm().shape(), core, steps);
  design.lanes = core.multiplierless ? 0 : core.lanes;
  write_file_atomic((fs::path(dir) / "design.json").string(), to_json(design).dump(2) + "\n");
  return design;
}

nlohmann::json to_json(const DesignSummary& d) {
  return {{"format", "gaitlstm-design"},
          {"architecture", d.architecture},
          {"top", d.top},
          {"files", d.files},
          {"cycles_per_decision", d.cycles_per_decision},
          {"core_cycles", d.core_cycles},
          {"frontend_cycles_per_sample", d.frontend_cycles_per_sample},
          {"mac_utilization", d.mac_utilization},
          {"lanes", d.lanes}};
}

DesignSummary read_design(const std::string& dir, std::vector<VerilogModule>* modules) {
  const std::string path = (fs::path(dir) / "design.json").string();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw InputError(path, 0, std::string("malformed JSON: ") + e.what());
  }
  // value() with a json default: a non-string "format" compares unequal instead of throwing.
  if (!j.is_object() || j.value("format", nlohmann::json()) != "gaitlstm-design") throw InputError(path, 0, "not a gaitlstm design description");
  DesignSummary d;
  try {
    d.architecture = j.at("architecture").get<std::string>();
    d.top = j.at("top").get<std::string>();
    d.files = j.at("files").get<std::vector<std::string>>();
    d.cycles_per_decision = j.at("cycles_per_decision").get<int64_t>();
    d.core_cycles = j.at("core_cycles").get<int64_t>();
    d.frontend_cycles_per_sample = j.at("frontend_cycles_per_sample").get<int64_t>();
    d.mac_utilization = j.at("mac_utilization").get<double>();
    d.lanes = j.at("lanes").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, 0, std::string("incomplete design description: ") + e.what());
  }
  if (modules) {
    modules->clear();
    for (const std::string& file : d.files)
      modules->push_back({fs::path(file).stem().string(), read_file((fs::path(dir) / file).string())});
  }
  return d;
}

}  // namespace gaitlstm::rtl
