// Switching activity counted inside a Verilator gate-level simulation,
// instead of tracing every net to a VCD and reading it back (the 14k-cell
// headline netlist's 4-decision VCD was 357 MB).  The testbench samples the
// settled value of each watched net after every evaluation (each half clock
// period: the falling edge with the inputs, then the rising edge), as a VCD
// holds one settled value per net and time step, and counts toggles and the
// samples spent at 1.  eda/gate_activity.h turns the counts into per-pin
// activity for OpenSTA.
#pragma once

#include <string>

namespace gaitlstm::rtl {

// C++ source of class NetActivity (load a nets file, sample() after each
// eval, write the counts), for inclusion in the Verilator testbench.
std::string net_activity_cpp();

// A Verilator configuration file making every variable of module `top`
// public (readable through the model's scope table, kept in memory).
std::string net_activity_config(const std::string& top);

}  // namespace gaitlstm::rtl
