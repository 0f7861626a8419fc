#include "explore/config.h"

#include <gtest/gtest.h>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "util/error.h"

namespace gaitlstm::explore {
namespace {

using nlohmann::json;

json minimal() { return {{"models", {{{"label", "h8"}}}}}; }

// The InputError's reason for a config, or "" if it parses.
std::string error_of(const json& j) {
  try {
    parse_config(j, "cfg.json");
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "cfg.json");
    return e.reason();
  }
  return "";
}

TEST(ExploreConfig, MinimalConfigGetsDefaults) {
  const ExploreConfig c = parse_config(minimal(), "cfg.json");
  ASSERT_EQ(c.models.size(), 1u);
  EXPECT_EQ(c.models[0].hidden, 8);
  EXPECT_EQ(c.quant_bits.size(), 1u);  // the default TensorBits
  EXPECT_EQ(c.realtime.deadline, "decision");
  EXPECT_TRUE(c.data.dir.empty());     // synthetic
  EXPECT_EQ(c.architectures_for(c.models[0]), c.architectures);
}

TEST(ExploreConfig, DataMayBeSeveralRecordingSets) {
  // A list of sets, relative to the config file's directory.
  json j = minimal();
  j["data"] = json::array({{{"dir", "daphnet"}}, {{"dir", "pdfe"}, {"spec", "pdfe.json"}, {"name", "turning"}}});
  ExploreConfig c = parse_config(j, "/cfg/explore.json");
  ASSERT_EQ(c.data.sets.size(), 2u);
  EXPECT_EQ(c.data.sets[1].dir, "/cfg/pdfe");
  EXPECT_EQ(c.data.sets[1].spec_path, "/cfg/pdfe.json");
  EXPECT_EQ(c.data.sets[1].name, "turning");
  EXPECT_EQ(c.data.dir, "/cfg/daphnet");  // the first set stands for the data where one directory is named
  EXPECT_EQ(c.data.channels, "ankle");
  EXPECT_EQ(c.data.sources("ignored").size(), 2u);
  // The same inside the data object, with the other data keys.
  j["data"] = {{"sets", j["data"]}, {"channels", "shank"}, {"evaluation", "loso"}};
  c = parse_config(j, "/cfg/explore.json");
  EXPECT_EQ(c.data.sets.size(), 2u);
  EXPECT_EQ(c.data.channels, "shank");
  EXPECT_EQ(c.data.evaluation, "loso");
  // One set is the single-directory form; --data replaces every set.
  j["data"] = json::array({{{"dir", "daphnet"}}});
  c = parse_config(j, "/cfg/explore.json");
  EXPECT_TRUE(c.data.sets.empty());
  EXPECT_EQ(c.data.sources("/cfg/daphnet").front().dir, "/cfg/daphnet");
  j["data"] = json::array({{{"dir", "a"}}, {{"dir", "b"}}});
  c = parse_config(j, "/cfg/explore.json");
  use_data_dir(c, "/elsewhere");
  EXPECT_TRUE(c.data.sets.empty());
  EXPECT_EQ(c.data.sources(c.data.dir).front().dir, "/elsewhere");
  // Errors name the key.
  j["data"] = {{"dir", "a"}, {"sets", json::array({{{"dir", "b"}}})}};
  EXPECT_NE(error_of(j).find("either dir/spec or sets"), std::string::npos) << error_of(j);
  j["data"] = json::array({{{"spec", "x.json"}}});
  EXPECT_NE(error_of(j).find("data.sets[0].dir"), std::string::npos) << error_of(j);
  j["data"] = json::array({{{"dir", "a"}, {"dri", "b"}}});
  EXPECT_NE(error_of(j).find("data.sets[0].dri"), std::string::npos) << error_of(j);
}

TEST(ExploreConfig, PresetGivesDefaultsThatKeysOverride) {
  const json j = {{"models", {{{"label", "h6"}, {"preset", "chip"}, {"hidden", 6}}}}};
  const ExploreConfig c = parse_config(j, "cfg.json");
  const ModelConfig& m = c.models.at(0);
  EXPECT_EQ(m.hidden, 6);  // the key wins
  EXPECT_EQ(m.channels, "ankle");
  EXPECT_EQ(m.bands, "0.5-2,4-8");
  EXPECT_TRUE(m.ratios);
  EXPECT_FALSE(m.keep_levels);
  EXPECT_EQ(m.baseline_shift, 0);
  EXPECT_EQ(m.energy_smoothing_shift, 3);
  EXPECT_EQ(m.smoothing, 4);
  EXPECT_NE(error_of({{"models", {{{"label", "x"}, {"preset", "tiny"}}}}}).find("known: chip"), std::string::npos);
}

TEST(ExploreConfig, UnknownTopLevelKeyNamesIt) {
  json j = minimal();
  j["clok_ns"] = 10;
  const std::string reason = error_of(j);
  EXPECT_NE(reason.find("clok_ns"), std::string::npos) << reason;
  EXPECT_NE(reason.find("unknown key"), std::string::npos) << reason;
  EXPECT_NE(reason.find("clock_ns"), std::string::npos) << "lists the allowed keys: " << reason;
}

TEST(ExploreConfig, UnknownNestedKeyNamesItsPath) {
  json j = minimal();
  j["layout"] = {{"densites", {0.5}}};
  EXPECT_NE(error_of(j).find("layout.densites"), std::string::npos);
  j = minimal();
  j["models"][0]["hiden"] = 4;
  EXPECT_NE(error_of(j).find("models[0].hiden"), std::string::npos);
}

TEST(ExploreConfig, WrongTypeIsRejected) {
  json j = minimal();
  j["clock_ns"] = "fast";
  EXPECT_NE(error_of(j).find("clock_ns: must be a number"), std::string::npos);
  j = minimal();
  j["verify"] = {{"enabled", 1}};
  EXPECT_NE(error_of(j).find("verify.enabled: must be true or false"), std::string::npos);
}

TEST(ExploreConfig, OutOfRangeValueIsRejected) {
  json j = minimal();
  j["layout"] = {{"densities", {0.99}}};
  EXPECT_NE(error_of(j).find("layout.densities: must be in"), std::string::npos);
}

TEST(ExploreConfig, BadArchitectureIsRejected) {
  json j = minimal();
  j["architectures"] = {"serial", "systolic"};
  EXPECT_NE(error_of(j).find("unknown architecture 'systolic'"), std::string::npos);
}

TEST(ExploreConfig, ModelsAreRequiredAndLabelsUnique) {
  EXPECT_NE(error_of(json::object()).find("models"), std::string::npos);
  json j = minimal();
  j["models"].push_back({{"label", "h8"}});
  EXPECT_NE(error_of(j).find("used twice"), std::string::npos);
}

TEST(ExploreConfig, BitsCandidatesParseAndRejectUnknownTensors) {
  json j = minimal();
  j["quant"] = {{"bits", {{{"label", "w6"}, {"bits", {{"input_weight", 6}, {"recurrent_weight", 6}}}}}}};
  const ExploreConfig c = parse_config(j, "cfg.json");
  ASSERT_EQ(c.quant_bits.size(), 1u);
  EXPECT_EQ(c.quant_bits[0].bits.input_weight, 6);
  j["quant"]["bits"][0]["bits"]["weights"] = 6;
  EXPECT_NE(error_of(j).find("quant.bits[0].bits"), std::string::npos);
}

TEST(ExploreConfig, DeadlineModes) {
  json j = minimal();
  j["realtime"] = {{"deadline", "seconds"}};
  EXPECT_NE(error_of(j).find("deadline_s"), std::string::npos);
  j["realtime"] = {{"deadline", "never"}};
  EXPECT_NE(error_of(j).find("realtime.deadline"), std::string::npos);
}

TEST(ExploreConfig, MalformedFileNamesTheFile) {
  testing::TempDir dir;
  const std::string path = dir.write("bad.json", "{\"models\": [");
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_NE(e.reason().find("malformed JSON"), std::string::npos);
  }
}

TEST(ExploreConfig, CliNamesFileKeyAndReason) {
  testing::TempDir dir;
  const std::string path = dir.write("explore.json", R"({"models": [{"label": "a"}], "layout": {"densites": [0.5]}})");
  const testing::CommandResult r = testing::run_gaitlstm("explore --config " + path + " --out " + dir.file("out"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("gaitlstm: error: " + path + ": layout.densites: unknown key"), std::string::npos) << r.output;
}

TEST(ExploreConfig, ShippedExamplesParse) {
  for (const char* name : {"explore-small.json", "explore-full.json"}) {
    SCOPED_TRACE(name);
    EXPECT_NO_THROW(load_config(std::string(GAITLSTM_SOURCE_DIR) + "/examples/" + name));
  }
}

TEST(ExploreConfig, SearchSectionParsesAndReplacesTheDefaultCandidate) {
  json j = minimal();
  json search = {{"budgets", {0.01, 0.02}}, {"pareto_points", 2}};
  search["start"] = {{"state", 18}};
  j["quant"]["search"] = search;
  const ExploreConfig c = parse_config(j, "cfg.json");
  EXPECT_TRUE(c.search.enabled);
  EXPECT_EQ(c.search.budgets, (std::vector<double>{0.01, 0.02}));
  EXPECT_EQ(c.search.start.state, 18);
  EXPECT_TRUE(c.quant_bits.empty());  // candidates come from the search only
  EXPECT_EQ(c.search.calibrate_arch, "serial");
  // Without "fixed" the search's JSON (part of stored keys) is as before the option.
  EXPECT_FALSE(c.search.to_json().contains("fixed"));
  j["quant"]["search"]["fixed"] = {"frontend", "y"};
  const ExploreConfig fixed = parse_config(j, "cfg.json");
  EXPECT_EQ(fixed.search.fixed, (std::vector<std::string>{"frontend", "y"}));
  EXPECT_EQ(fixed.search.to_json()["fixed"], j["quant"]["search"]["fixed"]);
}

TEST(ExploreConfig, SearchErrorsNameTheKey) {
  json j = minimal();
  j["quant"]["search"] = {{"scope", "everything"}};
  EXPECT_NE(error_of(j).find("quant.search.scope"), std::string::npos);
  j["quant"]["search"] = {{"budget", {0.01}}};
  EXPECT_NE(error_of(j).find("quant.search.budget: unknown key"), std::string::npos);
  j["quant"]["search"] = {{"calibrate_arch", "lanes:x"}};
  EXPECT_NE(error_of(j).find("quant.search.calibrate_arch"), std::string::npos);
  j["quant"]["search"] = {{"fixed", {"sideways"}}};
  EXPECT_NE(error_of(j).find("quant.search.fixed: search: 'sideways' is not a knob"), std::string::npos) << error_of(j);
}

TEST(ExploreConfig, EvaluationAndPowerScopeAreChecked) {
  json j = minimal();
  j["data"] = {{"evaluation", "loso"}};
  j["power"] = {{"scope", "front"}};
  const ExploreConfig c = parse_config(j, "cfg.json");
  EXPECT_EQ(c.data.evaluation, "loso");
  EXPECT_EQ(c.power.scope, "front");
  j["data"]["evaluation"] = "random-split";
  EXPECT_NE(error_of(j).find("data.evaluation"), std::string::npos);
  j["data"]["evaluation"] = "holdout";
  j["power"]["scope"] = "some";
  EXPECT_NE(error_of(j).find("power.scope"), std::string::npos);
}

// Targets: asic always, fpga optional with its device, board and scope checked.
TEST(ExploreConfig, TargetsAndFpgaSettingsAreChecked) {
  json j = minimal();
  EXPECT_FALSE(parse_config(j, "cfg.json").has_target("fpga"));
  j["targets"] = {"asic", "fpga"};
  ExploreConfig c = parse_config(j, "cfg.json");
  EXPECT_TRUE(c.has_target("fpga"));
  EXPECT_EQ(c.fpga.package_or_default(), "sg48");
  EXPECT_EQ(c.fpga.scope, "headline");
  j["fpga"] = {{"device", "hx8k"}, {"board", "none"}, {"scope", "all"}};
  c = parse_config(j, "cfg.json");
  EXPECT_EQ(c.fpga.package_or_default(), "ct256") << "the device's default without the board";
  j["fpga"]["device"] = "xc7a35t";
  EXPECT_NE(error_of(j).find("fpga.device: unknown iCE40 device 'xc7a35t' (known: "), std::string::npos) << error_of(j);
  j["fpga"] = {{"device", "hx8k"}};
  EXPECT_NE(error_of(j).find("the icebreaker board carries an up5k"), std::string::npos);
  j["fpga"] = {{"scope", "best"}};
  EXPECT_NE(error_of(j).find("fpga.scope"), std::string::npos);
  j["fpga"] = {{"boards", "none"}};
  EXPECT_NE(error_of(j).find("fpga.boards: unknown key"), std::string::npos);
  j.erase("fpga");
  j["targets"] = {"fpga"};
  EXPECT_NE(error_of(j).find("targets: must include \"asic\""), std::string::npos);
  j["targets"] = {"asic", "gpu"};
  EXPECT_NE(error_of(j).find("unknown target 'gpu'"), std::string::npos);
}

}  // namespace
}  // namespace gaitlstm::explore
