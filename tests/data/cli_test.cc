// End-to-end: the gaitlstm executable as a user runs it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;

using testing::CommandResult;

CommandResult run(const std::string& arguments) { return testing::run_gaitlstm(arguments); }

TEST(CliTest, HelpForEverySubcommand) {
  for (const char* command : {"--help", "data --help", "data summary --help", "data synth --help", "data fetch --help"}) {
    const CommandResult r = run(command);
    EXPECT_EQ(r.status, 0) << command << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr("Usage")) << command;
  }
}

TEST(CliTest, SynthThenSummaryWritesJson) {
  testing::TempDir dir;
  ASSERT_EQ(run("data synth --out " + dir.file("d") + " --subjects 3 --minutes 1 --seed 9").status, 0);
  const CommandResult r = run("data summary --data " + dir.file("d") + " --json " + dir.file("s.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("S03"));
  EXPECT_THAT(r.output, HasSubstr("leave-one-subject-out test folds: S01 S02"));
  const auto json = nlohmann::json::parse(read_file(dir.file("s.json")));
  EXPECT_EQ(json["subjects"].size(), 3u);
  EXPECT_EQ(json["protocol"]["stride"], 32);
  EXPECT_EQ(json["subjects"][2]["label2_samples"], 0);
  int64_t decisions = 0;
  for (const auto& s : json["subjects"]) decisions += s["decisions"].get<int64_t>();
  EXPECT_EQ(json["total"]["decisions"], decisions);
}

TEST(CliTest, BadInputExitsWithFileAndLine) {
  testing::TempDir dir;
  dir.write("S01R01.txt", "0 1 2 3 4 5 6 7 8 9 1\n16 1 2 3 4 5 6 7 8 9 7\n");
  const CommandResult r = run("data summary --data " + dir.path());
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.output, HasSubstr(dir.file("S01R01.txt") + ":2: unknown label 7"));
}

TEST(CliTest, UnknownSubcommandFails) {
  EXPECT_NE(run("data frobnicate").status, 0);
  EXPECT_NE(run("data summary").status, 0);  // --data is required
}

}  // namespace
}  // namespace gaitlstm
