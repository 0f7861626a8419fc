// The error table of docs/ACTIVATIONS.md, generated (never typed) by
// `gaitlstm activations --md docs/ACTIVATIONS.md`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gaitlstm::quant {

struct ActivationReport {
  std::string markdown;
  nlohmann::json json;
};

// Every kind and size for sigmoid and tanh, at two input/output widths.
ActivationReport activation_error_report();

}  // namespace gaitlstm::quant
