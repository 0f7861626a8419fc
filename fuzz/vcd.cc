// A gate-level VCD and the mapped netlist it belongs to (eda/power.h):
// "<netlist Verilog>\n%%\n<VCD>".  The netlist's instances select which VCD
// variables are pins, so both halves are mutated together.
#include "eda/power.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const std::string_view input = fuzz::as_text(data, size);
  const size_t split = input.find("\n%%\n");
  if (split == std::string_view::npos) return 0;
  const auto& dir = fuzz::fresh_scratch_dir();
  fuzz::write_bytes(dir / "power.vcd", input.substr(split + 4));
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] {
    const auto instances = eda::parse_netlist_instances(input.substr(0, split), "design.netlist.v");
    const eda::VcdActivity activity = eda::vcd_pin_activity((dir / "power.vcd").string(), instances, 10.0);
    eda::activity_tcl(activity);
  });
  return 0;
}
