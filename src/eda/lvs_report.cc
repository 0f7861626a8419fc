#include "eda/lvs_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace gaitlstm::eda {

namespace {

constexpr std::string_view kNoMatch = "(no matching net)";

// One side of a badnets group: [[name, [[cell, pin, count], ...]], ...].
std::vector<std::string> fragment_names(const nlohmann::json& side) {
  std::vector<std::string> names;
  for (const nlohmann::json& fragment : side) {
    const std::string name = fragment.at(0).get<std::string>();
    if (name != kNoMatch) names.push_back(name);
  }
  return names;
}

}  // namespace

LvsComparison parse_netgen_comparison(std::string_view json_text, const std::string& file) {
  LvsComparison comparison;
  bool have_counts = false;
  try {
    const nlohmann::json cells = nlohmann::json::parse(json_text);
    for (const nlohmann::json& cell : cells) {
      if (!cell.is_object() || !cell.contains("nets")) continue;  // subcells carry only "pins"
      const nlohmann::json& nets = cell.at("nets");
      comparison.layout_nets += nets.at(0).get<int64_t>();
      comparison.netlist_nets += nets.at(1).get<int64_t>();
      have_counts = true;
      if (!cell.contains("badnets")) continue;
      for (const nlohmann::json& group : cell.at("badnets"))
        comparison.mismatches.push_back({fragment_names(group.at(0)), fragment_names(group.at(1))});
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file, 0, fmt::format("not netgen's JSON comparison: {}", e.what()));
  }
  if (!have_counts) throw InputError(file, 0, "no cell with net counts in netgen's JSON comparison");
  return comparison;
}

std::vector<std::string> describe_lvs_mismatches(const LvsComparison& comparison) {
  std::vector<std::string> lines;
  for (const LvsNetMismatch& m : comparison.mismatches) {
    const std::string layout = m.layout_nets.empty() ? "nothing" : fmt::format("{}", fmt::join(m.layout_nets, " + "));
    if (m.netlist_nets.size() == 1 && m.layout_nets.size() > 1)
      lines.push_back(fmt::format("netlist net {} is split in the layout into {} (an open)", m.netlist_nets[0], layout));
    else if (m.netlist_nets.size() > 1 && m.layout_nets.size() == 1)
      lines.push_back(fmt::format("netlist nets {} are joined in the layout as {} (a short)",
                                  fmt::join(m.netlist_nets, " + "), layout));
    else
      lines.push_back(fmt::format("netlist {} vs layout {}",
                                  m.netlist_nets.empty() ? "nothing" : fmt::format("{}", fmt::join(m.netlist_nets, " + ")),
                                  layout));
  }
  return lines;
}

}  // namespace gaitlstm::eda
