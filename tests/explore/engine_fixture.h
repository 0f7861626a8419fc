// A tiny exploration on the fake runner, for the engine and executor tests:
// synthetic recordings, one 2-unit model on one channel, two bit widths x
// two architectures = 4 design points; no verification, power or layout.
// Yosys and OpenSTA are replayed from captured logs (every point gets the
// same 687 cells and 192.69 MHz), so a sweep takes seconds and a test
// decides exactly which tool run fails or times out.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "explore/config.h"
#include "explore/explore.h"
#include "eda/fpga.h"
#include "explore/store.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"
#include "util/fake_runner.h"

namespace gaitlstm::explore::engine_test {

using nlohmann::json;

inline std::string captured(const std::string& name) {
  return read_file(std::string(GAITLSTM_SOURCE_DIR) + "/tests/eda/fixtures/captured/" + name);
}

inline json tiny_config_json() {
  const json front_end = {{"sample", 12}, {"coefficient", 12}, {"state", 16}, {"energy", 20}};
  json w4 = front_end;
  w4["input_weight"] = 4;
  w4["recurrent_weight"] = 4;
  return {{"data", {{"synthetic", {{"seed", 3}, {"subjects", 3}, {"minutes", 2.0}}}}},
          {"models", {{{"label", "h2"}, {"hidden", 2}, {"history", 4}, {"epochs", 1}, {"patience", 1},
                       {"channels", "ankle_vert"}, {"axes_per_sensor", 1}, {"bands", "0.5-3"},
                       {"baseline_shift", 0}}}},
          {"quant", {{"bits", {{{"label", "8bit"}, {"bits", front_end}}, {{"label", "w4"}, {"bits", w4}}}}}},
          {"architectures", {"serial", "lanes:2"}},
          {"clock_ns", 10},  // the captured OpenSTA report's clock
          {"threads", 1},
          {"verify", {{"enabled", false}}},
          {"power", {{"enabled", false}}},
          {"layout", {{"enabled", false}}}};
}

inline constexpr int kPlanned = 4;  // 1 model x 2 bit widths x 2 architectures

// Answers yosys and sta like the real tools did on a small design, and the
// iCE40 flow (yosys in a point's fpga work directory, nextpnr-ice40, icepack,
// icetime) like it did on a board top: 3 075 logic cells, 13.51 MHz.
// `yosys_fail(n)` / `sta_timeout(n)` / `fpga_nofit(n)` pick the n-th run
// (from 1) to fail, or not to fit.
struct FakeTools {
  FakeRunner runner;
  std::atomic<int> yosys_runs{0}, sta_runs{0}, nextpnr_runs{0};
  std::function<bool(int)> yosys_fail = [](int) { return false; };
  std::function<bool(int)> sta_timeout = [](int) { return false; };
  std::function<bool(int)> fpga_nofit = [](int) { return false; };

  FakeTools() {
    const std::string yosys_log = captured("mac_fsm.yosys.log");
    const std::string sta_log = captured("mac_fsm.sta.log");
    const std::string ice40_log = captured("ice40_board.yosys.log");
    runner.respond("yosys", [this, yosys_log, ice40_log](const ToolCommand& c) {
      if (c.working_dir.find("/fpga.partial-") != std::string::npos)
        return ReplayedRun{0, false, 1.0, "", {{"yosys.log", ice40_log}}};
      if (yosys_fail(++yosys_runs)) return ReplayedRun{1, false, 0.2, "ERROR: replayed failure\n", {}};
      return ReplayedRun{0, false, 1.5, "", {{"yosys.log", yosys_log}}};
    });
    const std::string pnr_log = captured("ice40_board.nextpnr.log");
    const std::string nofit_log = captured("ice40_nofit.nextpnr.log");
    runner.respond("nextpnr-ice40", [this, pnr_log, nofit_log](const ToolCommand&) {
      if (fpga_nofit(++nextpnr_runs)) return ReplayedRun{255, false, 1.0, "", {{"nextpnr.log", nofit_log}}};
      return ReplayedRun{0, false, 3.0, "", {{"nextpnr.log", pnr_log}, {"gaitlstm_board.routed.json", "{}"}}};
    });
    runner.respond("icepack", [](const ToolCommand&) {
      return ReplayedRun{0, false, 0.5, "", {{"gaitlstm_board.bin", std::string(1000, 'x')}}};
    });
    const std::string icetime_log = captured("ice40_board.icetime.log");
    runner.respond("icetime", [icetime_log](const ToolCommand&) { return ReplayedRun{0, false, 0.5, icetime_log, {}}; });
    runner.respond("sta", [this, sta_log](const ToolCommand&) {
      if (sta_timeout(++sta_runs)) return ReplayedRun{137, true, 300, "", {}};
      return ReplayedRun{0, false, 0.1, sta_log, {}};
    });
  }
};

inline ExploreOptions options_for(const std::string& out, int jobs = 1) {
  ExploreOptions o;
  o.out_dir = out;
  o.jobs = jobs;
  return o;
}

// Thrown by a test hook: the coordinator "crashes" here.
struct SimulatedCrash : std::runtime_error {
  SimulatedCrash() : std::runtime_error("simulated crash") {}
};

inline std::function<void(const std::string&, int64_t)> crash_at(const std::string& event, int64_t count) {
  return [event, count](const std::string& e, int64_t n) {
    if (e == event && n == count) throw SimulatedCrash();
  };
}

}  // namespace gaitlstm::explore::engine_test
