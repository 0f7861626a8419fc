// The report's FPGA section (target "fpga"): rows of the design points that
// have FPGA figures (report.cc renders them as html and markdown).
#pragma once

#include <string>
#include <vector>

#include "explore/report.h"

namespace gaitlstm::explore {

extern const std::vector<std::string> kFpgaHeader;
std::vector<std::vector<std::string>> fpga_rows(const ReportData& data);
// What the figures are and how they were made ("" = no point has FPGA figures).
std::string fpga_summary(const ReportData& data);

}  // namespace gaitlstm::explore
