// Text pieces of the exploration report that its html rendering (report.cc)
// and its markdown rendering (report_markdown.cc) share: figures, the
// headline sentence, the design-point table's rows and header.
#pragma once

#include <string>
#include <vector>

#include "explore/report.h"

namespace gaitlstm::explore {

// "1.23 s", "4.56 ms", "7.8 us"; "-" for none.
std::string seconds_text(double seconds);
// The headline pair in one sentence (or why there is none).
std::string headline_text(const std::vector<DesignPoint>& points, const Headline& h, double delta, double saving);
// A layout's post-route f_max, or why it has none.
std::string post_route_fmax_text(const LayoutFigures& layout);
// The run's time and jobs (or that a --report-only run built nothing).
std::string run_text(const RunInfo& run);

// The design-point table: header and one row per point.
extern const std::vector<std::string> kPointHeader;
std::vector<std::string> point_row(const DesignPoint& p);
// What the episode columns mean.
extern const char* const kEpisodeNote;

// The cost-model calibration table and its summary sentence.
extern const std::vector<std::string> kCalibrationHeader;
std::vector<std::vector<std::string>> calibration_rows(const CalibrationReport& c);
std::string calibration_summary(const CalibrationReport& c);

// The weight bits a quantized candidate is plotted by.
int weight_bits(const quant::TensorBits& bits);

}  // namespace gaitlstm::explore
