// Inputs at the limits (issue 17, item 5), as a user hands them to the
// executable: each either works or fails with an error naming the file and
// the reason, never with an allocation failure or a crash.  The heavy cases
// (a 2 GB recording, 10 million rows) are bench/hostile_inputs.sh, with
// their measured memory and time in docs/RESULTS.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/atomic_file.h"

namespace gaitlstm {
namespace {

using ::testing::HasSubstr;

// Largest resident set of any child process so far, in MB (Linux: ru_maxrss in kB).
double peak_child_rss_mb() {
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// A CSV spec for `channels` channels named c0, c1, ... at 64 Hz.
std::string csv_spec(int channels, const std::string& files = "*.csv") {
  nlohmann::json names = nlohmann::json::array();
  for (int c = 0; c < channels; ++c) names.push_back(fmt::format("c{}", c));
  return nlohmann::json{{"format", "csv"},          {"files", files},      {"sample_rate_hz", 64},
                        {"channels", names},         {"label_column", "l"}, {"positive_labels", {2}},
                        {"ignore_labels", {0}},      {"subject_regex", "pt([0-9]+)"}}
      .dump();
}

// `rows` rows of `channels` channels; a freeze (label 2) in the middle third.
std::string csv_rows(int channels, int rows, const std::string& line_end = "\n") {
  std::string text;
  for (int c = 0; c < channels; ++c) text += fmt::format("c{},", c);
  text += "l" + line_end;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < channels; ++c) text += fmt::format("{},", (r * 7 + c * 13) % 200 - 100);
    text += (r > rows / 3 && r < 2 * rows / 3 ? "2" : "1") + line_end;
  }
  return text;
}

class HostileInputs : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

TEST_F(HostileInputs, ModelWithA100000UnitLayerIsRefusedNotAllocated) {
  // Only the architecture is given: a reader that allocated the weights
  // first (4 x 100000 x 100000 floats = 160 GB) would fail in the allocator.
  const std::string model = dir_.write(
      "huge.json",
      R"({"format":"gaitlstm-model","version":1,"architecture":{"type":"lstm","layers":1,"inputs":12,)"
      R"("hidden":100000,"gate_order":"ifgo","history_steps":8,"output_smoothing":1,"parameters":40004900001}})");
  dir_.write("data/pt01.csv", csv_rows(3, 400));
  const std::string spec = dir_.write("spec.json", csv_spec(3));
  const auto r = testing::run_gaitlstm("eval --model " + model + " --data " + dir_.file("data") + " --spec " + spec);
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr(model));
  EXPECT_THAT(r.output, HasSubstr("hidden"));
  EXPECT_THAT(r.output, HasSubstr("100000"));
  EXPECT_LT(peak_child_rss_mb(), 1024) << r.output;
}

TEST_F(HostileInputs, SpecWith512ChannelsLoads) {
  dir_.write("data/pt01.csv", csv_rows(512, 1200));
  dir_.write("data/pt02.csv", csv_rows(512, 1200));
  const std::string spec = dir_.write("spec.json", csv_spec(512));
  const auto r = testing::run_gaitlstm("data summary --data " + dir_.file("data") + " --spec " + spec + " --json " +
                                       dir_.file("summary.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_file(dir_.file("summary.json")));
  EXPECT_EQ(summary["channels"].size(), 512u);
  EXPECT_EQ(summary["subjects"].size(), 2u);
  EXPECT_EQ(summary["total"]["label2_samples"].get<int64_t>(), 2 * (2 * 1200 / 3 - 1200 / 3 - 1));
}

TEST_F(HostileInputs, TenThousandTinyFilesLoad) {
  // 10 000 recordings of 3 rows each (no decision fits in one): they load,
  // and the summary counts every run.
  const std::string tiny = csv_rows(3, 3);
  for (int f = 0; f < 10000; ++f) dir_.write(fmt::format("data/pt{:02d}_{:04d}.csv", f % 50 + 1, f), tiny);
  const std::string spec = dir_.write("spec.json", csv_spec(3));
  const auto r = testing::run_gaitlstm("data summary --data " + dir_.file("data") + " --spec " + spec + " --json " +
                                       dir_.file("summary.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_file(dir_.file("summary.json")));
  ASSERT_EQ(summary["subjects"].size(), 50u);
  int64_t runs = 0;
  for (const auto& s : summary["subjects"]) runs += s["runs"].get<int64_t>();
  EXPECT_EQ(runs, 10000);
  EXPECT_EQ(summary["total"]["decisions"], 0);
}

TEST_F(HostileInputs, CrlfLineEndsLoadAsLf) {
  dir_.write("lf/pt01.csv", csv_rows(3, 600, "\n"));
  dir_.write("crlf/pt01.csv", csv_rows(3, 600, "\r\n"));
  std::string spec_crlf = csv_spec(3);
  spec_crlf.insert(1, "\r\n");  // a spec written on Windows
  const std::string spec = dir_.write("spec.json", spec_crlf);
  for (const char* d : {"lf", "crlf"}) {
    const auto r = testing::run_gaitlstm(fmt::format("data summary --data {} --spec {} --json {}.json",
                                                     dir_.file(d), spec, dir_.file(d)));
    ASSERT_EQ(r.status, 0) << r.output;
  }
  auto lf = nlohmann::json::parse(read_file(dir_.file("lf.json")));
  auto crlf = nlohmann::json::parse(read_file(dir_.file("crlf.json")));
  EXPECT_EQ(lf["total"], crlf["total"]);
  EXPECT_GT(lf["total"]["decisions"].get<int64_t>(), 0);
  // Daphnet files with CRLF: tests/data/daphnet_test.cc (AcceptsCrlfAndTrailingBlankLines).
}

TEST_F(HostileInputs, NonUtf8BytesInARecordingNameTheFileAndLine) {
  std::string text = csv_rows(3, 100);
  text.insert(text.find('\n', text.find('\n', text.find('\n') + 1) + 1) + 1, "\xff\xfe");  // start of line 4
  const std::string path = dir_.write("data/pt01.csv", text);
  const std::string spec = dir_.write("spec.json", csv_spec(3));
  const auto r = testing::run_gaitlstm("data summary --data " + dir_.file("data") + " --spec " + spec);
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr(path + ":4"));
  // The same in a Daphnet file.
  const std::string daphnet = dir_.write("daphnet/S01R01.txt", "0 1 2 3 4 5 6 7 8 9 1\n16 1 2 \xff 4 5 6 7 8 9 1\n");
  const auto d = testing::run_gaitlstm("data summary --data " + dir_.file("daphnet"));
  EXPECT_NE(d.status, 0);
  EXPECT_THAT(d.output, HasSubstr(daphnet + ":2"));
}

TEST_F(HostileInputs, NonUtf8BytesInUnusedColumnsAndPathsStillLoad) {
  // A header column the spec does not use, and directory and spec names that
  // are not UTF-8: the data loads and the JSON summary is written (the bad
  // bytes replaced), not an exception from the JSON library.
  std::string text = csv_rows(3, 600);
  text.insert(0, "caf\xe9,");
  for (size_t at = text.find('\n'); at != std::string::npos && at + 1 < text.size(); at = text.find('\n', at + 1))
    text.insert(at + 1, "x,");
  const std::string dir = dir_.file("d\xe9j\xe0");
  dir_.write("d\xe9j\xe0/pt01.csv", text);
  const std::string spec = dir_.write("sp\xe9" "c.json", csv_spec(3));
  const auto r = testing::run_gaitlstm("data summary --data '" + dir + "' --spec '" + spec + "' --json " +
                                       dir_.file("summary.json"));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_file(dir_.file("summary.json")));
  EXPECT_GT(summary["total"]["decisions"].get<int64_t>(), 0);
}

}  // namespace
}  // namespace gaitlstm
