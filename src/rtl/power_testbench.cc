#include "rtl/power_testbench.h"

#include <algorithm>

#include <filesystem>

#include <fmt/format.h>

#include "rtl/frontend_rtl.h"
#include "util/atomic_file.h"

namespace gaitlstm::rtl {

namespace fs = std::filesystem;

std::string packed_sample_hex(const std::vector<int64_t>& samples, int channels, int bits) {
  std::string hex;
  const int64_t count = static_cast<int64_t>(samples.size()) / channels;
  const int digits = (channels * bits + 3) / 4;
  for (int64_t t = 0; t < count; ++t) {
    std::string word(static_cast<size_t>(digits), '0');
    for (int c = 0; c < channels; ++c) {
      const uint64_t field = static_cast<uint64_t>(samples[static_cast<size_t>(t * channels + c)]) & ((1ULL << bits) - 1);
      for (int b = 0; b < bits; ++b) {
        if (!((field >> b) & 1)) continue;
        const int at = c * bits + b;
        char& digit = word[static_cast<size_t>(digits - 1 - at / 4)];
        const int value = (digit <= '9' ? digit - '0' : digit - 'a' + 10) | (1 << (at % 4));
        digit = static_cast<char>(value < 10 ? '0' + value : 'a' + value - 10);
      }
    }
    hex += word + "\n";
  }
  return hex;
}

int64_t power_sample_period(const quant::GoldenDetector& golden, const DesignSummary& design) {
  // The block end (log2, normalization) may take longer than the margin.
  return std::max({design.frontend_cycles_per_sample + 32, frontend_block_end_cycles(golden.frontend()) + 2,
                   design.cycles_per_decision / golden.protocol().stride + 2});
}

void keep_first_decisions(const quant::GoldenDetector& golden, int64_t decisions, std::vector<int64_t>& samples) {
  const size_t channels = static_cast<size_t>(golden.frontend().config().channels());
  const int64_t wanted = golden.protocol().label_window + (decisions - 1) * golden.protocol().stride;
  if (static_cast<int64_t>(samples.size() / channels) > wanted) samples.resize(static_cast<size_t>(wanted) * channels);
}

}  // namespace gaitlstm::rtl
