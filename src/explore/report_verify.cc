// The report's sentences on gate-level and RTL verification (report.h).
#include <fmt/format.h>

#include "explore/report.h"

namespace gaitlstm::explore {

// What was simulated against the golden model, bit for bit: the RTL, the
// synthesized netlists and the routed netlists (gate level).
std::string verification_text(const ReportData& d) {
  int64_t rtl = 0, rtl_decisions = 0, netlist = 0, netlist_decisions = 0, routed = 0, routed_decisions = 0, layouts = 0;
  std::string library;
  for (const DesignPoint& p : d.points) {
    if (p.result.verify && p.result.verify->passed) ++rtl, rtl_decisions = p.result.verify->decisions;
    if (p.result.netlist_verify && p.result.netlist_verify->passed)
      ++netlist, netlist_decisions = p.result.netlist_verify->decisions;
    library = p.result.synthesis.technology;
  }
  for (const LayoutOutcome& l : d.layouts) {
    if (!l.done()) continue;
    ++layouts;
    if (l.figures->routed_verify && l.figures->routed_verify->passed)
      ++routed, routed_decisions = l.figures->routed_verify->decisions;
  }
  const int64_t n = static_cast<int64_t>(d.points.size());
  std::string s = fmt::format("Bit-exact against the golden model (every decision's statistic, flag, alarm and "
                              "latency): the RTL of {} of {} points (Verilator, {} real decisions each)",
                              rtl, n, rtl_decisions);
  s += netlist ? fmt::format("; the synthesized netlists of {} of {} points at gate level (Icarus with the {} cell "
                             "models, {} real decisions each)",
                             netlist, n, library, netlist_decisions)
               : "; synthesized netlists not simulated at gate level";
  if (layouts)
    s += routed ? fmt::format("; the routed netlists of {} of {} layouts ({} decisions each)", routed, layouts,
                              routed_decisions)
                : "; routed netlists not simulated";
  return s;
}

std::string routed_verify_text(const LayoutFigures& m) {
  if (!m.routed_verify) return "not simulated";
  return fmt::format("{} decisions {}", m.routed_verify->decisions, m.routed_verify->passed ? "bit-exact" : "MISMATCH");
}

}  // namespace gaitlstm::explore
