#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "data/csv_loader.h"
#include "data/dataset_spec.h"
#include "data/load.h"
#include "data/protocol.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::data {
namespace {

using ::testing::HasSubstr;

// The issue's example description.
const char* kSpec = R"J({"format":"csv","files":"*.csv","time_column":"time_s","time_unit":"s",
"channels":["ax","ay","az"],"scale":101.97,"label_column":"freeze_label",
"positive_labels":[1],"ignore_labels":[],"subject_regex":"pt([0-9]+)"})J";

class CsvLoaderTest : public ::testing::Test {
 protected:
  std::string spec_file(const std::string& json = kSpec) { return dir_.write("spec.json", json); }
  Dataset load(const std::string& spec_json = kSpec) {
    return load_dataset(dir_.file("rec"), {spec_file(spec_json), 64});
  }
  void expect_load_error(const std::string& csv, int64_t line, const std::string& reason,
                         const std::string& spec_json = kSpec) {
    const std::string path = dir_.write("rec/pt01.csv", csv);
    try {
      load(spec_json);
      FAIL() << "no error for: " << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), path) << e.what();
      EXPECT_EQ(e.line(), line) << e.what();
      EXPECT_THAT(e.reason(), HasSubstr(reason));
    }
  }
  void expect_spec_error(const std::string& json, const std::string& reason, int64_t line = 0) {
    try {
      parse_dataset_spec(json, "my-spec.json");
      FAIL() << "no error for: " << reason;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), "my-spec.json");
      EXPECT_EQ(e.line(), line) << e.what();
      EXPECT_THAT(e.reason(), HasSubstr(reason));
    }
  }
  testing::TempDir dir_;
};

const char* kHeader = "time_s,ax,ay,az,freeze_label\n";

// Acceptance: a 128 Hz recording in m/s^2 loads as 64 Hz windows in mg.
TEST_F(CsvLoaderTest, Loads128HzMetresPerSecondSquaredAs64HzMilliG) {
  std::string csv = kHeader;
  const int rows = 128 * 20;  // 20 s
  for (int i = 0; i < rows; ++i) {
    const double t = i / 128.0;
    const double ax = 1.0 * std::sin(2 * std::numbers::pi * 2.0 * t);  // 1 m/s^2 at 2 Hz
    const int label = (t >= 8 && t < 14) ? 1 : 0;
    csv += fmt::format("{:.6f},{:.6f},{:.6f},{:.6f},{}\n", t, ax, -9.81, 0.5, label);
  }
  dir_.write("rec/pt07_session.csv", csv);
  const Dataset dataset = load();
  ASSERT_EQ(dataset.segments.size(), 1u);
  const Segment& segment = dataset.segments[0];
  EXPECT_EQ(segment.subject, 7);
  EXPECT_EQ(segment.run, 1);
  EXPECT_EQ(dataset.sample_rate_hz, 64);
  EXPECT_NEAR(dataset.sources[0].file_rate_hz, 128, 1e-6);
  EXPECT_EQ(segment.samples(), (rows - 1) / 2 + 1);
  EXPECT_EQ(dataset.channel_names, (std::vector<std::string>{"ax", "ay", "az"}));
  // Away from the edges: the 2 Hz wave keeps its amplitude, scaled to mg.
  double peak = 0;
  for (int64_t t = 64; t < segment.samples() - 64; ++t) {
    peak = std::max(peak, static_cast<double>(std::abs(segment.at(t, 0))));
    EXPECT_NEAR(segment.at(t, 1), -9.81 * 101.97, 0.5);
    const double expected = 101.97 * std::sin(2 * std::numbers::pi * 2.0 * t / 64.0);
    ASSERT_NEAR(segment.at(t, 0), expected, 0.5) << "sample " << t;
  }
  EXPECT_NEAR(peak, 101.97, 0.5);
  // Labels follow time: freeze from 8 s to 14 s = samples 512..895 at 64 Hz.
  EXPECT_EQ(segment.freeze[511], 0);
  EXPECT_EQ(segment.freeze[512], 1);
  EXPECT_EQ(segment.freeze[895], 1);
  EXPECT_EQ(segment.freeze[896], 0);
  // Windows at 64 Hz: a decision every 32 samples after the first 128.
  const auto decisions = make_decisions(dataset);
  EXPECT_EQ(decisions.size(), static_cast<size_t>((segment.samples() - 128) / 32 + 1));
  EXPECT_EQ(decisions[0].end, 128);
}

TEST_F(CsvLoaderTest, SampleRateReplacesTimeColumnAndIgnoredLabelsSplit) {
  const std::string spec = R"J({"format":"csv","files":"*.csv","sample_rate_hz":64,"channels":["ax"],
    "label_column":"lab","positive_labels":[2],"ignore_labels":[0],"negative_labels":[1],
    "subject_regex":"s([0-9]+)","run_regex":"r([0-9]+)","groups":{"shank":["ax"]}})J";
  std::string csv = "ax,lab\n";
  for (int i = 0; i < 10; ++i) csv += fmt::format("{},{}\n", i, i == 4 ? 0 : (i > 6 ? 2 : 1));
  dir_.write("rec/s3_r2.csv", csv);
  const Dataset dataset = load(spec);
  ASSERT_EQ(dataset.segments.size(), 2u);  // the ignored row makes a gap
  EXPECT_EQ(dataset.segments[0].subject, 3);
  EXPECT_EQ(dataset.segments[0].run, 2);
  EXPECT_EQ(dataset.segments[0].samples(), 4);
  EXPECT_EQ(dataset.segments[1].first_row, 7);
  EXPECT_EQ(dataset.segments[1].freeze, (std::vector<uint8_t>{0, 0, 1, 1, 1}));
  EXPECT_EQ(dataset.sources[0].ignored_rows, 1);
  EXPECT_EQ(resolve_channels(dataset, "shank"), (std::vector<int>{0}));
}

TEST_F(CsvLoaderTest, RunsNumberedInFileOrderWithoutRunRegex) {
  const std::string row = "0.0,1,2,3,0\n0.015625,1,2,3,0\n";
  dir_.write("rec/pt2_b.csv", std::string(kHeader) + row);
  dir_.write("rec/pt2_a.csv", std::string(kHeader) + row);
  dir_.write("rec/pt1_a.csv", std::string(kHeader) + row);
  const Dataset dataset = load();
  ASSERT_EQ(dataset.sources.size(), 3u);
  EXPECT_EQ(dataset.sources[0].subject, 1);
  EXPECT_EQ(dataset.sources[1].subject, 2);
  EXPECT_THAT(dataset.sources[1].path, HasSubstr("pt2_a"));
  EXPECT_EQ(dataset.sources[1].run, 1);
  EXPECT_EQ(dataset.sources[2].run, 2);
}

TEST_F(CsvLoaderTest, RejectsEmptyFile) { expect_load_error("", 0, "empty file"); }
TEST_F(CsvLoaderTest, RejectsFileOfBlanks) { expect_load_error("\t ", 0, "empty file"); }
TEST_F(CsvLoaderTest, RejectsHeaderOnly) { expect_load_error(kHeader, 0, "no data rows"); }
TEST_F(CsvLoaderTest, RejectsMissingColumn) {
  expect_load_error("time_s,ax,ay,freeze_label\n0,1,2,0\n", 1, "column 'az' named in");
}
TEST_F(CsvLoaderTest, RejectsWrongColumnCount) {
  expect_load_error(std::string(kHeader) + "0,1,2,3,0\n0.1,1,2,0\n", 3, "expected 5 columns (as the header), found 4");
}
TEST_F(CsvLoaderTest, RejectsNonNumericField) {
  expect_load_error(std::string(kHeader) + "0,1,abc,3,0\n", 2, "column 'ay': 'abc' is not a finite number");
}
TEST_F(CsvLoaderTest, RejectsNaN) { expect_load_error(std::string(kHeader) + "0,NaN,2,3,0\n", 2, "'NaN' is not a finite number"); }
TEST_F(CsvLoaderTest, RejectsInf) { expect_load_error(std::string(kHeader) + "0,1,2,inf,0\n", 2, "'inf' is not a finite number"); }
TEST_F(CsvLoaderTest, RejectsNonMonotonicTime) {
  expect_load_error(std::string(kHeader) + "0,1,2,3,0\n0.1,1,2,3,0\n0.05,1,2,3,0\n", 4, "is not after");
}
// The mean step outside gaps is 0 (an infinite rate: SIGFPE in the
// resampler) or negative (std::invalid_argument without the file): the row
// where time runs back is named, or, when only ignored rows run back, the
// column.
TEST_F(CsvLoaderTest, RejectsTimeStepsThatCancelOrRunBack) {
  expect_load_error(std::string(kHeader) + "0,1,2,3,0\n1,1,2,3,0\n0,1,2,3,0\n", 4,
                    "time 0 is not after the previous row's time 1");
  expect_load_error(std::string(kHeader) + "0,1,2,3,0\n1,1,2,3,0\n2,1,2,3,0\n-10,1,2,3,0\n", 5,
                    "time -10 is not after the previous row's time 2");
  const std::string ignoring_7 = R"J({"format":"csv","time_column":"time_s","channels":["ax","ay","az"],
    "label_column":"freeze_label","positive_labels":[1],"ignore_labels":[7],"subject_regex":"pt([0-9]+)"})J";
  expect_load_error(std::string(kHeader) + "0,1,2,3,0\n1,1,2,3,7\n0,1,2,3,7\n", 0, "time column does not increase",
                    ignoring_7);
}
// An estimated rate the resampler cannot reach with a short ratio (0.564 Hz
// to 64 Hz is 16000/141) is the recording's problem: the error names the
// file (before, the resampler's std::invalid_argument escaped without it).
TEST_F(CsvLoaderTest, RejectsARateTheResamplerCannotReach) {
  expect_load_error(std::string(kHeader) + "0,1,2,3,0\n1.773,1,2,3,0\n3.546,1,2,3,0\n", 0,
                    "the recording's rate: resampling 0.564016 Hz -> 64 Hz needs a ratio with terms over 1000");
}
TEST_F(CsvLoaderTest, RejectsNonIntegerLabel) {
  expect_load_error(std::string(kHeader) + "0,1,2,3,0.5\n", 2, "label 0.5 is not an integer");
}
// Found by fuzzing: a label beyond int64 was cast to it (undefined behaviour).
TEST_F(CsvLoaderTest, RejectsALabelBeyondTheIntegersADoubleHolds) {
  expect_load_error(std::string(kHeader) + "0,1,2,3,18446744073709551616\n", 2,
                    "label 1.8446744073709552e+19 is out of range (at most 2^53 in magnitude)");
}
TEST_F(CsvLoaderTest, RejectsUnknownLabelWhenNegativesAreListed) {
  const std::string spec = R"J({"format":"csv","time_column":"time_s","channels":["ax","ay","az"],
    "label_column":"freeze_label","positive_labels":[1],"negative_labels":[0],"subject_regex":"pt([0-9]+)"})J";
  expect_load_error(std::string(kHeader) + "0,1,2,3,0\n0.1,1,2,3,7\n", 3, "unknown label 7", spec);
}
TEST_F(CsvLoaderTest, RejectsFileNameWithoutSubject) {
  dir_.write("rec/patient.csv", std::string(kHeader) + "0,1,2,3,0\n0.1,1,2,3,0\n");
  try {
    load();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("does not match subject_regex"));
  }
}
TEST_F(CsvLoaderTest, RejectsDirectoryWithoutMatchingFiles) {
  dir_.write("rec/notes.txt", "x");
  try {
    load();
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), dir_.file("rec"));
    EXPECT_THAT(e.reason(), HasSubstr("no files match '*.csv'"));
  }
}

TEST_F(CsvLoaderTest, SpecErrorsNameTheProblem) {
  expect_spec_error("{\"format\": \"csv\",\n \"channels\": [\"ax\",\n}", "malformed JSON", 3);
  expect_spec_error("[1, 2]", "must be a JSON object");
  expect_spec_error(R"J({"format":"csv","channels":["ax"],"label_column":"l","positive_labels":[1],"sample_rate_hz":64})J",
                    "missing required field 'subject_regex'");
  expect_spec_error(R"J({"format":"csv","channel":["ax"]})J", "unknown field 'channel'");
  expect_spec_error(R"J({"format":"csv","channels":"ax","label_column":"l","positive_labels":[1],"subject_regex":"s(1)"})J",
                    "field 'channels' must be an array of strings");
  expect_spec_error(R"J({"format":"csv","time_column":"t","time_unit":"min","channels":["ax"],"label_column":"l",
                       "positive_labels":[1],"subject_regex":"s(1)"})J", "time_unit");
  expect_spec_error(R"J({"format":"csv","time_column":"t","channels":["ax"],"label_column":"l",
                       "positive_labels":[1],"subject_regex":"s[0-9"})J", "not a valid regular expression");
  expect_spec_error(R"J({"format":"csv","time_column":"t","channels":["ax"],"label_column":"l",
                       "positive_labels":[1],"subject_regex":"s[0-9]+"})J", "capture group");
  expect_spec_error(R"J({"format":"csv","channels":["ax"],"label_column":"l","positive_labels":[1],"subject_regex":"s(1)"})J",
                    "give 'time_column' or a positive 'sample_rate_hz'");
  expect_spec_error(R"J({"format":"csv","time_column":"t","channels":["ax"],"groups":{"g":["ay"]},"label_column":"l",
                       "positive_labels":[1],"subject_regex":"s(1)"})J", "group 'g' names 'ay'");
  expect_spec_error(R"J({"format":"parquet"})J", "field 'format' must be \"csv\"");
}

}  // namespace
}  // namespace gaitlstm::data

namespace gaitlstm::data {
namespace {

TEST(CsvExampleTest, ShippedExampleDescriptionParses) {
  const DatasetSpec spec = parse_dataset_spec_file(std::string(GAITLSTM_SOURCE_DIR) + "/examples/csv-dataset.json");
  EXPECT_EQ(spec.channels.size(), 3u);
  EXPECT_DOUBLE_EQ(spec.scale, 101.97);
  EXPECT_EQ(spec.groups.at("ankle").size(), 3u);
}

}  // namespace
}  // namespace gaitlstm::data
