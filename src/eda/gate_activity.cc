#include "eda/gate_activity.h"

#include <cctype>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "util/error.h"

namespace gaitlstm::eda {

namespace {

bool plain_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// "[12]" at the start of `rest` (spaces allowed) -> 12; anything else -> -2.
int bit_select(std::string_view rest) {
  size_t at = 0;
  while (at < rest.size() && std::isspace(static_cast<unsigned char>(rest[at]))) ++at;
  if (at == rest.size()) return -1;
  if (rest[at] != '[') return -2;
  size_t end = rest.find(']', at);
  if (end == std::string_view::npos || end == at + 1) return -2;
  int bit = 0;
  for (size_t i = at + 1; i < end; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(rest[i])) || bit > 1000000) return -2;
    bit = bit * 10 + (rest[i] - '0');
  }
  for (size_t i = end + 1; i < rest.size(); ++i)
    if (!std::isspace(static_cast<unsigned char>(rest[i]))) return -2;
  return bit;
}

}  // namespace

NetRef resolve_connection(std::string_view text) {
  NetRef ref;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return ref;
  // Constants: 0, 1, 1'b0, 1'h1, 1'd1.
  if (text == "0" || text == "1") return {NetRef::Kind::constant, "", -1, text == "1"};
  if (text.size() == 4 && text.substr(0, 2) == "1'" && (text[2] == 'b' || text[2] == 'h' || text[2] == 'd') &&
      (text[3] == '0' || text[3] == '1'))
    return {NetRef::Kind::constant, "", -1, text[3] == '1'};
  size_t end = 0;
  if (text.front() == '\\') {
    end = 1;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    ref.name = std::string(text.substr(1, end - 1));
  } else {
    if (std::isdigit(static_cast<unsigned char>(text.front()))) return ref;
    while (end < text.size() && plain_identifier_char(text[end])) ++end;
    ref.name = std::string(text.substr(0, end));
  }
  const int bit = bit_select(text.substr(end));
  if (ref.name.empty() || bit == -2) return {};
  ref.kind = NetRef::Kind::net;
  ref.bit = bit;
  return ref;
}

NetWatchList net_watch_list(const std::map<std::string, NetlistInstance>& instances) {
  NetWatchList list;
  std::unordered_map<std::string, int64_t> index;
  for (const auto& [name, inst] : instances) {
    list.netlist_pins += static_cast<int64_t>(inst.pins.size());
    for (size_t i = 0; i < inst.pins.size(); ++i) {
      NetWatchList::Pin pin;
      pin.pin = name + "/" + inst.pins[i];
      const NetRef ref = resolve_connection(i < inst.nets.size() ? inst.nets[i] : "");
      pin.kind = ref.kind;
      pin.value = ref.value;
      if (ref.kind == NetRef::Kind::net) {
        auto [it, added] = index.emplace(fmt::format("{} {}", ref.name, ref.bit), static_cast<int64_t>(list.nets.size()));
        if (added) list.nets.push_back(ref);
        pin.net = it->second;
      }
      list.pins.push_back(std::move(pin));
    }
  }
  return list;
}

std::string nets_file_text(const NetWatchList& list) {
  std::string text;
  for (const NetRef& n : list.nets) text += fmt::format("{} {}\n", n.name, n.bit);
  return text;
}

VcdActivity counted_pin_activity(const NetWatchList& list, std::string_view counts, const std::string& file,
                                 double clock_ns) {
  std::istringstream in{std::string(counts)};
  std::string word;
  int64_t samples = 0;
  if (!(in >> word >> samples) || word != "samples")
    throw InputError(file, 1, "activity counts do not start with 'samples K'");
  if (samples < 1) throw InputError(file, 1, fmt::format("activity of {} samples covers no time", samples));
  const double intervals = static_cast<double>(samples);  // each sample holds half a clock period
  std::vector<std::pair<int64_t, int64_t>> per_net(list.nets.size());
  for (size_t n = 0; n < per_net.size(); ++n) {
    if (!(in >> per_net[n].first >> per_net[n].second)) per_net[n] = {-2, -2};
    const bool not_counted = per_net[n].first == -1 && per_net[n].second == -1;  // the model lacks that net
    if (!not_counted && (per_net[n].first < 0 || per_net[n].second < 0 || per_net[n].second > samples))
      throw InputError(file, static_cast<int64_t>(n) + 2,
                       fmt::format("expected 'toggles high' for net {} of {}", n + 1, per_net.size()));
  }
  if (in >> word) throw InputError(file, static_cast<int64_t>(per_net.size()) + 2, "more counts than watched nets");
  VcdActivity activity;
  activity.dut_scope = "counted in the simulation";
  activity.cycles = intervals / 2;  // two samples per clock cycle
  activity.simulated_ns = activity.cycles * clock_ns;
  activity.netlist_pins = list.netlist_pins;
  for (const NetWatchList::Pin& p : list.pins) {
    if (p.kind == NetRef::Kind::unknown) continue;
    if (p.kind == NetRef::Kind::constant) {
      activity.pins.push_back({p.pin, 0.0, static_cast<double>(p.value)});
      continue;
    }
    const auto& [toggles, high] = per_net[static_cast<size_t>(p.net)];
    if (toggles < 0) continue;  // not counted: the pin stays unannotated
    activity.pins.push_back({p.pin, static_cast<double>(toggles) / activity.cycles, static_cast<double>(high) / intervals});
  }
  return activity;
}

}  // namespace gaitlstm::eda
