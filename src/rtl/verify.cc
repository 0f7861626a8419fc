#include "rtl/verify.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "rtl/frontend_rtl.h"
#include "rtl/verilator_harness.h"
#include "util/progress.h"
#include "util/rng.h"

namespace gaitlstm::rtl {

namespace fs = std::filesystem;

namespace {

constexpr size_t kKeptMismatches = 10;

std::vector<quant::GoldenDetector::Output> golden_outputs(const quant::GoldenDetector& golden,
                                                          const std::vector<int64_t>& samples) {
  std::vector<quant::GoldenDetector::Output> out;
  quant::GoldenDetector::Stream stream(golden);
  const size_t channels = static_cast<size_t>(golden.frontend().config().channels());
  for (size_t t = 0; t * channels < samples.size(); ++t)
    if (auto o = stream.push(&samples[t * channels])) out.push_back(*o);
  return out;
}

// Runs one stream through both models and adds to the report.
void compare_stream(const quant::GoldenDetector& golden, const DetectorSimulator& rtl, const CoreConfig& core,
                    const std::vector<int64_t>& samples, const std::string& source, int64_t period,
                    VerifyReport& report, bool random) {
  const auto expected = golden_outputs(golden, samples);
  const DetectorRun run = rtl.run(samples, period);
  report.simulation_seconds += run.simulated_seconds;
  report.samples += static_cast<int64_t>(run.accept_cycle.size());
  report.overrun = report.overrun || run.overrun;
  const auto& p = golden.protocol();
  const int d = golden.frontend().config().decimation;
  // A simulator whose log lacks a field of a decision (an older testbench,
  // a truncated file) gives a mismatch, never a read past the end.
  const size_t rtl_complete = std::min({run.scores.size(), run.fog.size(), run.alarm.size(), run.thresholds.size(),
                                        run.output_cycle.size()});
  const size_t n = std::max(expected.size(), run.scores.size());
  for (size_t i = 0; i < n; ++i) {
    const int64_t sample = p.label_window + static_cast<int64_t>(i) * p.stride;
    const bool both = i < expected.size() && i < rtl_complete;
    const bool equal = both && expected[i].score == run.scores[i] && expected[i].fog == (run.fog[i] != 0) &&
                       expected[i].alarm == (run.alarm[i] != 0) && expected[i].threshold == run.thresholds[i];
    if (!equal) {
      ++report.mismatch_count;
      if (report.mismatches.size() < kKeptMismatches)
        report.mismatches.push_back({source, static_cast<int64_t>(i), sample, i < expected.size() ? expected[i].score : -1,
                                     i < run.scores.size() ? run.scores[i] : -1, i < expected.size() && expected[i].fog,
                                     i < run.fog.size() && run.fog[i] != 0, i < expected.size() && expected[i].alarm,
                                     i < run.alarm.size() && run.alarm[i] != 0,
                                     i < expected.size() ? expected[i].threshold : -1,
                                     i < run.thresholds.size() ? run.thresholds[i] : -1});
    }
    if (!both) continue;
    if (!random) {
      report.alarm_decisions += expected[i].alarm;
      report.cued_decisions += expected[i].alarm != expected[i].fog;
      report.calibrated_decisions += expected[i].threshold != golden.threshold();
    }
    const int steps = static_cast<int>(std::min<int64_t>(golden.history_steps(), sample / d));
    if (static_cast<size_t>(sample) > run.accept_cycle.size()) {  // the log lost the sample's acceptance
      ++report.latency_mismatches;
      continue;
    }
    const int64_t latency = run.output_cycle[i] - run.accept_cycle[static_cast<size_t>(sample - 1)];
    if (latency != decision_latency_cycles(golden, core, steps)) ++report.latency_mismatches;
    if (steps == golden.history_steps()) report.cycles_per_decision_measured = latency;
  }
  (random ? report.random_decisions : report.decisions) += static_cast<int64_t>(std::min(expected.size(), rtl_complete));
}

std::vector<int64_t> random_samples(const quant::GoldenDetector& golden, int64_t count, uint64_t seed) {
  Rng rng(seed);
  const quant::QFormat& f = golden.frontend().formats().sample;
  const int channels = golden.frontend().config().channels();
  std::vector<int64_t> samples;
  for (int64_t i = 0; i < count * channels; ++i) {
    const double pick = rng.uniform();
    // Inside the sample format: what the sensor interface can deliver.
    samples.push_back(pick < 0.05   ? f.max_raw()
                      : pick < 0.1 ? f.min_raw()
                                   : rng.uniform_int(std::max<int64_t>(-4000, f.min_raw()), std::min<int64_t>(4000, f.max_raw())));
  }
  return samples;
}

}  // namespace

// Default pace: slow enough that each decision finishes before the next
// (a real sensor is far slower still: clock / 64 Hz).
int64_t verify_sample_period(const quant::GoldenDetector& golden, const DesignSummary& design) {
  return std::max<int64_t>(frontend_block_end_cycles(golden.frontend()) + 2,
                           design.cycles_per_decision / golden.protocol().stride + 2);
}

DetectorPorts detector_ports(const quant::GoldenDetector& golden, const std::string& top) {
  return {top, golden.frontend().config().channels(), golden.frontend().formats().sample.bits,
          golden.statistic_format().bits};
}

ChipSimulator::ChipSimulator(ToolRunner& runner, const quant::GoldenDetector& golden, const std::string& rtl_dir,
                             const std::string& work_dir)
    : golden_(golden) {
  std::vector<VerilogModule> modules;
  const DesignSummary design = read_design(rtl_dir, &modules);
  rtl_ = std::make_unique<VerilatedDetector>(runner, modules, detector_ports(golden, design.top), work_dir);
  period_ = verify_sample_period(golden, design);
}

ChipSimulator::~ChipSimulator() = default;

std::vector<quant::GoldenDetector::Output> ChipSimulator::run(const std::vector<int64_t>& samples) {
  const DetectorRun run = rtl_->run(samples, period_);
  seconds_ += run.simulated_seconds;
  std::vector<quant::GoldenDetector::Output> outputs(run.scores.size());
  for (size_t i = 0; i < outputs.size(); ++i)
    outputs[i] = {run.scores[i], run.thresholds[i], run.fog[i] != 0, run.alarm[i] != 0};
  return outputs;
}

VerifyReport verify_design(ToolRunner& runner, const quant::GoldenDetector& golden, const std::string& rtl_dir,
                           const data::Dataset& dataset, const VerifyOptions& options) {
  std::vector<VerilogModule> modules;
  const DesignSummary design = read_design(rtl_dir, &modules);
  const std::string work = options.work_dir.empty() ? (fs::path(rtl_dir) / "verify").string() : options.work_dir;
  const VerilatedDetector rtl(runner, modules, detector_ports(golden, design.top), work);
  return verify_simulation(golden, design, rtl, dataset, options);
}

VerifyReport verify_simulation(const quant::GoldenDetector& golden, const DesignSummary& design,
                               const DetectorSimulator& rtl, const data::Dataset& dataset, const VerifyOptions& options) {
  const CoreConfig core = parse_architecture(design.architecture);
  VerifyReport report;
  report.cycles_per_decision_model = design.cycles_per_decision;
  VerifyOptions paced = options;
  if (paced.sample_period <= 0) paced.sample_period = verify_sample_period(golden, design);
  const int segments = options.max_segments > 0 ? std::min<int>(options.max_segments, static_cast<int>(dataset.segments.size()))
                                                 : static_cast<int>(dataset.segments.size());
  ProgressBar bar("verify", segments);
  for (int s = 0; s < segments; ++s) {
    if (options.max_decisions > 0 && report.decisions >= options.max_decisions) break;
    const data::Segment& segment = dataset.segments[static_cast<size_t>(s)];
    std::vector<int64_t> samples = quant::segment_samples(golden, dataset, s);
    if (options.max_decisions > 0) {  // only as many samples as the remaining decisions need
      const int64_t left = options.max_decisions - report.decisions;
      const int64_t needed = golden.protocol().label_window + (left - 1) * golden.protocol().stride;
      const size_t channels = static_cast<size_t>(golden.frontend().config().channels());
      if (static_cast<int64_t>(samples.size() / channels) > needed) samples.resize(static_cast<size_t>(needed) * channels);
    }
    compare_stream(golden, rtl, core, samples, fmt::format("{}:{}", segment.source, segment.first_row),
                   paced.sample_period, report, false);
    bar.advance(1, fmt::format("{} decisions", report.decisions));
  }
  if (options.random_samples > 0)
    compare_stream(golden, rtl, core, random_samples(golden, options.random_samples, options.seed), "random",
                   paced.sample_period, report, true);
  report.samples_per_second = report.simulation_seconds > 0 ? report.samples / report.simulation_seconds : 0;
  return report;
}

nlohmann::json to_json(const VerifyReport& r) {
  nlohmann::json mismatches = nlohmann::json::array();
  for (const Mismatch& m : r.mismatches)
    mismatches.push_back({{"source", m.source}, {"decision", m.decision}, {"sample", m.sample}, {"golden_score", m.golden},
                          {"rtl_score", m.rtl}, {"golden_fog", m.golden_fog}, {"rtl_fog", m.rtl_fog},
                          {"golden_alarm", m.golden_alarm}, {"rtl_alarm", m.rtl_alarm},
                          {"golden_threshold", m.golden_threshold}, {"rtl_threshold", m.rtl_threshold}});
  return {{"passed", r.passed()},
          {"decisions", r.decisions},
          {"random_decisions", r.random_decisions},
          {"samples", r.samples},
          {"mismatches", r.mismatch_count},
          {"first_mismatches", mismatches},
          {"latency_mismatches", r.latency_mismatches},
          {"alarm_decisions", r.alarm_decisions},
          {"cued_decisions", r.cued_decisions},
          {"calibrated_decisions", r.calibrated_decisions},
          {"cycles_per_decision", {{"measured", r.cycles_per_decision_measured}, {"model", r.cycles_per_decision_model}}},
          {"overrun", r.overrun},
          {"simulated", r.simulated},
          {"simulation_seconds", r.simulation_seconds},
          {"samples_per_second", r.samples_per_second}};
}

}  // namespace gaitlstm::rtl
