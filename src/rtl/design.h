// A generated accelerator on disk: one .v file per module plus design.json
// (architecture, top module, ports, cycle model), written by `gaitlstm rtl`
// and read by `gaitlstm verify` and the physical flow.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "quant/golden.h"
#include "rtl/detector_rtl.h"

namespace gaitlstm::rtl {

// "serial", "gates", "lanes:P" or "mcm" -> core configuration; throws
// std::invalid_argument naming the accepted forms.
CoreConfig parse_architecture(const std::string& name);
std::string architecture_name(const CoreConfig& core);

struct DesignSummary {
  std::string architecture;
  std::string top;
  std::vector<std::string> files;
  int64_t cycles_per_decision = 0;   // full history window, sample to output
  int64_t core_cycles = 0;           // LSTM core alone, full window
  int64_t frontend_cycles_per_sample = 0;
  double mac_utilization = 0;        // of the core, full window (0 for mcm)
  int lanes = 0;                     // MAC units (0 for mcm)
};

// Generates the detector into `dir` (created) and returns what was written.
DesignSummary write_design(const quant::GoldenDetector& golden, const CoreConfig& core, const std::string& dir,
                           const std::string& top = "gaitlstm_detector");

nlohmann::json to_json(const DesignSummary& design);
// Reads dir/design.json and the Verilog files it names.  Throws InputError.
DesignSummary read_design(const std::string& dir, std::vector<VerilogModule>* modules = nullptr);

}  // namespace gaitlstm::rtl
