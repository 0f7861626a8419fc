// Simulating the placed-and-routed iCE40 netlist (nextpnr's routed JSON
// written as Verilog by Yosys, fpga.h) with Yosys' own iCE40 cell models
// (<yosys datdir>/ice40/cells_sim.v) in Verilator.
//
// Verilator is a two-state simulator; three things in the netlist and the
// models need it spelled out (the logic is unchanged):
//  - nextpnr leaves an input pin unconnected where the silicon supplies a
//    constant: CEN of a logic cell, RCLKE/WCLKE of a block RAM and CE of a
//    DSP read 1, every other unconnected input 0.  The models express that
//    with `pin === 1'bz` pull-ups/downs, which a two-state simulator cannot
//    see; the netlist gets those constants connected explicitly instead, and
//    the models' pull expressions are reduced to the pin itself.  One
//    exception: a carry-enabled logic cell whose CIN nextpnr leaves
//    unconnected while I3 taps the carry (a feed-out cell) reads the chain,
//    which is what its I3 net carries; CIN gets that net, not 0.
//  - SB_IO's PACKAGE_PIN is bidirectional.  The board's IO cells are plain
//    inputs (PIN_TYPE 0000x1) or plain outputs (01100x): they become
//    GAITLSTM_SIM_IO_IN / _OUT, which pass the pin through exactly as the
//    model does for those PIN_TYPEs.  Any other IO cell is an error.
//  - cells_sim.v has no ICESTORM_DSP (nextpnr's packed SB_MAC16 with its
//    buses split into single-bit ports): a shim reassembles the buses and
//    instantiates SB_MAC16 with the same parameters.
// Other cell types (SPRAM, oscillators, PLL, ...) have no model here: an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>


namespace gaitlstm::eda {

// The netlist with every unconnected input of ICESTORM_LC/_RAM/_DSP connected
// and SB_IO replaced (see above).  Throws InputError(file, line) for a cell
// without a simulation model or an unsupported IO cell.
std::string complete_post_route_netlist(std::string_view netlist, const std::string& file);

// cells_sim.v with each `(pin === 1'bz) ? 1'bV : pin` reduced to `pin`.
// Throws InputError(file) if a high-impedance test is left it does not know.
std::string two_state_cell_models(std::string_view cells_sim, const std::string& file);

// GAITLSTM_SIM_IO_IN, GAITLSTM_SIM_IO_OUT and ICESTORM_DSP.
std::string post_route_shims();

struct PostRouteSimulation {
  std::vector<std::string> files;           // netlist, shims, cell models
  std::vector<std::string> verilator_args;  // -DNO_ICE40_DEFAULT_ASSIGNMENTS (Verilator has no port defaults)
};

// Yosys' data directory: <prefix>/share/yosys beside the yosys on PATH.
std::string yosys_share_dir();

// Writes the three files into work_dir (cells_sim.v from yosys_share_dir()).
PostRouteSimulation prepare_post_route_simulation(const std::string& netlist, const std::string& work_dir);

}  // namespace gaitlstm::eda
