#include "rtl/net_activity_harness.h"

namespace gaitlstm::rtl {

// Kept as plain text (not a fmt format string): it is compiled into the
// Verilator testbench of gate_level_sim.cc.  Reading the model's memory
// directly is what makes it cheap: the watched nets are public (the .vlt of
// net_activity_config()), so Verilator keeps each in a member of the model,
// all of them in one object; comparing that span 8 bytes at a time after
// every evaluation finds the bits that changed without visiting the 10-20 k
// nets that did not, and each changed bit maps to its net directly.
std::string net_activity_cpp() {
  return R"CPP(
// ---- switching activity of the netlist's nets (rtl/net_activity_harness.cc)
// Written for speed without the optimizer's help (this file is built at
// -O0 with the model: no inlining): raw pointers, no calls in the loop.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>
#include "verilated_syms.h"

class NetActivity {
 public:
  // `path`: one net a line, "name bit" (bit -1: the whole 1-bit variable),
  // names as the scope `scope_name` of the Verilated model knows them.
  bool load(const VerilatedContext& context, const std::string& scope_name, const char* path) {
    const VerilatedScope* scope = context.scopeFind(scope_name.c_str());
    if (!scope) return fail("no scope " + scope_name + " (nets not public?)");
    std::FILE* in = std::fopen(path, "r");
    if (!in) return fail(std::string("cannot open ") + path);
    char name[8192];
    int bit = 0;
    std::vector<const unsigned char*> bytes;
    std::vector<int> bits;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    while (std::fscanf(in, "%8191s %d", name, &bit) == 2) {
      // A net the model does not know under that name (or a bit it does not
      // have) is left out, reported, and written as "-1 -1": its pins stay
      // unannotated, which the power report's coverage shows.
      const VerilatedVar* var = scope->varFind(name);
      const VerilatedRange* range = var ? &var->packed() : nullptr;
      const int offset = !range || bit < 0 ? 0 : bit - range->low();
      if (!var || var->udims() != 0 || offset < 0 || offset >= range->elements() ||
          (bit < 0 && range->elements() != 1)) {
        std::fprintf(stderr, "activity: net %s bit %d not found in the model: not counted\n", name, bit);
        missing_.push_back(bytes.size() + missing_.size());
        continue;
      }
      const auto* data = static_cast<const unsigned char*>(var->datap());
      bytes.push_back(data + offset / 8);
      bits.push_back(offset % 8);
      lo = std::min(lo, reinterpret_cast<uintptr_t>(data));
      hi = std::max(hi, reinterpret_cast<uintptr_t>(data) + var->entSize());
    }
    std::fclose(in);
    if (bytes.empty()) return fail(std::string("no nets in ") + path);
    // Whole aligned words: the model object holds every net and is itself
    // 8-aligned, so the rounded span stays inside it.
    lo &= ~uintptr_t{7};
    hi = (hi + 7) & ~uintptr_t{7};
    if (hi - lo > (64u << 20)) return fail("the watched nets are spread over more than 64 MB: not one object");
    words_ = (hi - lo) / 8;
    lo_ = reinterpret_cast<const Word*>(lo);
    last_.assign(words_, 0);
    net_of_bit_.assign(words_ * 64, -1);
    for (size_t n = 0; n < bytes.size(); ++n)
      net_of_bit_[(reinterpret_cast<uintptr_t>(bytes[n]) - lo) * 8 + static_cast<size_t>(bits[n])] = static_cast<int32_t>(n);
    toggles_.assign(bytes.size(), 0);
    high_.assign(bytes.size(), 0);
    since_.assign(bytes.size(), 0);
    value_.assign(bytes.size(), 0);
    return true;
  }

  // The settled values after an evaluation; each holds until the next
  // sample.  Only the bits that changed since the last sample are visited.
  void sample() {
    const Word* now = lo_;
    uint64_t* last = last_.data();
    const int32_t* net_of_bit = net_of_bit_.data();
    long long* toggles = toggles_.data();
    long long* high = high_.data();
    long long* since = since_.data();
    const long long k = samples_++;
    const size_t words = words_;
    if (k == 0) {
      for (size_t w = 0; w < words; ++w) last[w] = now[w];
      for (size_t b = 0; b < words * 64; ++b)
        if (net_of_bit[b] >= 0) value_[static_cast<size_t>(net_of_bit[b])] = (last[b / 64] >> (b % 64)) & 1;
      return;
    }
    for (size_t w = 0; w < words; ++w) {
      const uint64_t v = now[w];
      uint64_t diff = v ^ last[w];
      if (!diff) continue;
      last[w] = v;
      do {
        const int b = __builtin_ctzll(diff);
        diff &= diff - 1;
        const int32_t n = net_of_bit[w * 64 + static_cast<size_t>(b)];
        if (n < 0) continue;
        ++toggles[n];
        if (!((v >> b) & 1)) high[n] += k - since[n];  // fell: it was 1 since its last change
        since[n] = k;
      } while (diff);
    }
  }

  // "samples K", then "toggles high" per net in the order of the nets file,
  // high = samples at 1 (each sample holds half a clock period, the last
  // one too: to the end of the testbench's last step, where a VCD ends).
  bool write(const char* path) {
    std::FILE* out = std::fopen(path, "w");
    if (!out) return fail(std::string("cannot write ") + path);
    std::fprintf(out, "samples %lld\n", samples_);
    size_t skipped = 0;
    for (size_t line = 0; line < toggles_.size() + missing_.size(); ++line) {
      if (skipped < missing_.size() && missing_[skipped] == line) {
        std::fprintf(out, "-1 -1\n");
        ++skipped;
        continue;
      }
      const size_t n = line - skipped;
      // Its value now: the first sample's, flipped by every toggle.
      const bool at_one = (value_[n] ^ (toggles_[n] & 1)) != 0;
      const long long high = high_[n] + (at_one ? samples_ - since_[n] : 0);
      std::fprintf(out, "%lld %lld\n", toggles_[n], high);
    }
    return std::fclose(out) == 0;
  }
  const std::string& error() const { return error_; }

 private:
  typedef uint64_t __attribute__((may_alias)) Word;  // reads the model's bytes
  bool fail(const std::string& why) { error_ = why; return false; }
  const Word* lo_ = nullptr;
  size_t words_ = 0;
  std::vector<uint64_t> last_;
  std::vector<int32_t> net_of_bit_;
  std::vector<long long> toggles_, high_, since_;
  std::vector<unsigned char> value_;  // at the first sample
  std::vector<size_t> missing_;       // lines of the nets file not counted, ascending
  long long samples_ = 0;
  std::string error_;
};
)CPP";
}

std::string net_activity_config(const std::string& top) {
  return "`verilator_config\n"
         "// Generated by gaitlstm (rtl/net_activity_harness.cc): every net of the netlist readable,\n"
         "// so the testbench can count its switching activity.\n"
         "public_flat_rd -module \"" + top + "\" -var \"*\"\n";
}

}  // namespace gaitlstm::rtl
