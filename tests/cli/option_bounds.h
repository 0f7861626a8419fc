// Numeric option bounds of a subcommand, for the smallest-values tests
// (issue 17, item 4): the smallest legal value of every option at once must
// work, and one step below each must be refused with a message, not a
// crash, a hang or a silent nonsense result.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/run_command.h"

namespace gaitlstm::testing {

// One numeric option: its smallest legal value and, where one exists, the
// next value below it, which must be refused.  (A seed has none: "-1" is
// read as the unsigned 2^64 - 1, itself a seed.)
struct Bound {
  std::string option, smallest, below;
};

// The options at their smallest values, `except` at `value` instead.
inline std::string with_bounds(const std::vector<Bound>& bounds, const std::string& except = "",
                               const std::string& value = "") {
  std::string args;
  for (const Bound& b : bounds) args += " " + b.option + " " + (b.option == except ? value : b.smallest);
  return args;
}

// Each option one step below its smallest value (the others at theirs) is
// refused: exit 1 (or CLI11's parse error codes) with a message, never a
// signal or a sanitizer report.  `names_option`: the message names the
// option (a refusal by the command line's own checks, before any work).
inline void expect_each_below_refused(const std::string& command, const std::vector<Bound>& bounds,
                                      bool names_option = false) {
  using ::testing::HasSubstr;
  using ::testing::Not;
  for (const Bound& b : bounds) {
    if (b.below.empty()) continue;
    const std::string args = command + with_bounds(bounds, b.option, b.below);
    const auto refused = run_gaitlstm(args);
    EXPECT_GT(refused.status, 0) << "accepted: gaitlstm " << args << "\n" << refused.output;
    EXPECT_LT(refused.status, 128) << "gaitlstm " << args << "\n" << refused.output;
    EXPECT_THAT(refused.output, Not(HasSubstr("Sanitizer"))) << args;
    EXPECT_THAT(refused.output, Not(HasSubstr("runtime error"))) << args;
    EXPECT_THAT(refused.output, Not(HasSubstr("terminate called"))) << args;
    EXPECT_FALSE(refused.output.empty()) << "no message: gaitlstm " << args;
    if (names_option) {
      EXPECT_THAT(refused.output, HasSubstr(b.option)) << args;
    }
  }
}

// All bounds at their smallest value work; each one below is refused.
inline void expect_smallest_work_and_below_refused(const std::string& command, const std::vector<Bound>& bounds,
                                                   bool names_option = false) {
  const auto r = run_gaitlstm(command + with_bounds(bounds));
  EXPECT_EQ(r.status, 0) << "gaitlstm " << command << with_bounds(bounds) << "\n" << r.output;
  expect_each_below_refused(command, bounds, names_option);
}

}  // namespace gaitlstm::testing
