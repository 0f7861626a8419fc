#include "cli/rtl_commands.h"

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "data/load.h"
#include "quant/qmodel_file.h"
#include "rtl/design.h"
#include "rtl/verify.h"
#include "util/atomic_file.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

namespace {

struct RtlArgs {
  std::string model, arch = "serial", out, top = "gaitlstm_detector";
};

void run_rtl(const RtlArgs& args) {
  const quant::QuantizedModel q = quant::load_qmodel(args.model);
  const quant::GoldenDetector golden = quant::make_golden(q);
  const rtl::DesignSummary design = rtl::write_design(golden, rtl::parse_architecture(args.arch), args.out, args.top);
  TextTable table({"architecture", "MAC units", "core cycles", "cycles/decision", "MAC utilisation", "files"});
  table.add_row({design.architecture, std::to_string(design.lanes), std::to_string(design.core_cycles),
                 std::to_string(design.cycles_per_decision),
                 design.lanes ? fmt::format("{:.1f}%", 100 * design.mac_utilization) : "-",
                 std::to_string(design.files.size())});
  std::cout << table.render() << "wrote " << args.out << "/design.json and the Verilog files\n";
}

struct VerifyArgs {
  std::string model, rtl, data, spec, json;
  rtl::VerifyOptions options;
};

void run_verify(const VerifyArgs& args) {
  const quant::QuantizedModel q = quant::load_qmodel(args.model);
  const quant::GoldenDetector golden = quant::make_golden(q);
  const data::Dataset dataset = data::load_dataset(args.data, {args.spec, q.detector.frontend.sample_rate_hz});
  const rtl::VerifyReport report = rtl::verify_design(golden, args.rtl, dataset, args.options);
  TextTable table({"decisions", "random", "mismatches", "latency errors", "cycles/decision", "model", "samples/s"});
  table.add_row({std::to_string(report.decisions), std::to_string(report.random_decisions),
                 std::to_string(report.mismatch_count), std::to_string(report.latency_mismatches),
                 std::to_string(report.cycles_per_decision_measured), std::to_string(report.cycles_per_decision_model),
                 fmt::format("{:.0f}", report.samples_per_second)});
  std::cout << table.render();
  for (const rtl::Mismatch& m : report.mismatches)
    std::cout << fmt::format("mismatch: {} decision {} (sample {}): golden {} ({}, alarm {}), rtl {} ({}, alarm {})\n",
                             m.source, m.decision, m.sample, m.golden, m.golden_fog ? "FoG" : "no FoG",
                             m.golden_alarm ? "on" : "off", m.rtl, m.rtl_fog ? "FoG" : "no FoG", m.rtl_alarm ? "on" : "off");
  if (report.overrun) std::cout << "overrun: a decision arrived while the core was busy\n";
  std::cout << (report.passed() ? "PASS: bit-exact\n" : "FAIL\n");
  if (!args.json.empty()) write_file_atomic(args.json, rtl::to_json(report).dump(2) + "\n");
  if (!report.passed()) throw std::runtime_error("verification failed");
}

}  // namespace

void add_rtl_commands(CLI::App& app) {
  auto rtl_args = std::make_shared<RtlArgs>();
  CLI::App* gen = app.add_subcommand("rtl", "Generate the accelerator as Verilog-2005");
  gen->add_option("--model", rtl_args->model, "Quantized model (gaitlstm quantize)")->required()->check(CLI::ExistingFile);
  gen->add_option("--arch", rtl_args->arch, "serial | gates | lanes:P | mcm")->capture_default_str();
  gen->add_option("--out", rtl_args->out, "Directory for the Verilog files and design.json")->required();
  gen->add_option("--top", rtl_args->top, "Top module name")->capture_default_str();
  gen->callback([rtl_args] { run_rtl(*rtl_args); });

  auto v = std::make_shared<VerifyArgs>();
  CLI::App* ver = app.add_subcommand("verify", "Simulate generated RTL (Verilator) against the golden model");
  ver->add_option("--model", v->model, "Quantized model the RTL was generated from")->required()->check(CLI::ExistingFile);
  ver->add_option("--rtl", v->rtl, "Directory written by gaitlstm rtl")->required()->check(CLI::ExistingDirectory);
  ver->add_option("--data", v->data, "Recordings to stream through both")->required()->check(CLI::ExistingDirectory);
  ver->add_option("--spec", v->spec, "JSON dataset description for CSV recordings")->check(CLI::ExistingFile);
  ver->add_option("--windows", v->options.max_decisions, "Stop after this many decisions (0 = all)")->capture_default_str();
  ver->add_option("--segments", v->options.max_segments, "At most this many segments (0 = all)")->capture_default_str();
  ver->add_option("--random", v->options.random_samples, "Samples of random input incl. extremes")->capture_default_str();
  ver->add_option("--period", v->options.sample_period, "Clock cycles between samples (0 = just fast enough for every decision)")
      ->capture_default_str();
  ver->add_option("--json", v->json, "Also write the report as JSON here");
  ver->callback([v] { run_verify(*v); });
}

}  // namespace gaitlstm::cli
