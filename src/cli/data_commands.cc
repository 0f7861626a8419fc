#include "cli/data_commands.h"
#include "cli/data_flags.h"
#include "cli/json_output.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "data/fetch.h"
#include "data/load.h"
#include "data/summary.h"
#include "data/synthetic.h"
#include "util/atomic_file.h"
#include "util/progress.h"

namespace gaitlstm::cli {

namespace {

struct SummaryArgs {
  DataFlags data;
  std::string channels = "all", json;
  double rate = 64;
  data::ProtocolConfig protocol;
};

void run_summary(const SummaryArgs& args) {
  const data::Dataset dataset = data::load_datasets(args.data.sources(), args.rate, args.channels);
  const data::DatasetSummary summary = data::summarize(dataset, args.protocol);
  std::cout << data::format_summary(summary);
  if (!args.json.empty()) {
    write_file_atomic(args.json, json_text(data::summary_to_json(summary)));
    std::cout << "wrote " << args.json << "\n";
  }
}

struct FetchArgs {
  std::string dataset, dest, url = data::kDaphnetArchiveUrl, sha256;
};

void run_fetch(const FetchArgs& args) {
  if (args.dataset != "daphnet") throw CLI::ValidationError("dataset", "only 'daphnet' can be fetched");
  data::FetchOptions options;
  options.url = args.url;
  options.dest = args.dest;
  options.sha256 = args.sha256;
  std::unique_ptr<ProgressBar> bar;
  options.on_progress = [&bar](long long now, long long total) {
    if (total <= 0) return;
    if (!bar) bar = std::make_unique<ProgressBar>("download", total);
    bar->set(now);
  };
  const data::FetchResult result = data::fetch_daphnet(options);
  bar.reset();
  std::cout << fmt::format("archive {} ({} bytes)\nSHA-256 {}{}\n{} recordings in {} (all parse):\n",
                           result.archive_path, result.archive_bytes, result.sha256,
                           args.sha256.empty() ? " (not checked: no --sha256 given)" : " (matches)",
                           result.recordings.size(), args.dest);
  for (const std::string& r : result.recordings) std::cout << "  " << r << "\n";
}

}  // namespace

void add_data_commands(CLI::App& app) {
  CLI::App* data_cmd = app.add_subcommand("data", "Load, summarize, synthesize or fetch recordings");
  data_cmd->require_subcommand(1);

  auto summary = std::make_shared<SummaryArgs>();
  CLI::App* sum = data_cmd->add_subcommand("summary", "Per-subject segments, samples per label and decisions");
  add_data_flags(sum, summary->data);
  sum->add_option("--channels", summary->channels, "With several --data: the channels kept of each set (a group)")
      ->capture_default_str();
  sum->add_option("--json", summary->json, "Also write the summary as JSON here");
  sum->add_option("--rate", summary->rate, "Model sample rate in Hz (recordings are resampled)")->capture_default_str();
  sum->add_option("--stride", summary->protocol.stride, "Samples between decisions")->capture_default_str();
  sum->add_option("--label-window", summary->protocol.label_window, "Samples a decision's label covers")
      ->capture_default_str();
  sum->callback([summary] { run_summary(*summary); });

  auto synth = std::make_shared<data::SyntheticConfig>();
  auto synth_out = std::make_shared<std::string>();
  CLI::App* syn = data_cmd->add_subcommand("synth", "Write the embedded synthetic data set (Daphnet format)");
  syn->add_option("--out", *synth_out, "Directory to write SxxRyy.txt files to")->required();
  syn->add_option("--seed", synth->seed, "Random seed")->capture_default_str();
  syn->add_option("--subjects", synth->subjects, "Virtual subjects")->capture_default_str();
  CLI::Option* without_freeze =
      syn->add_option("--without-freeze", synth->subjects_without_freeze,
                      "Subjects that never freeze (default: 1, or 0 when --subjects leaves no room: two must freeze)")
          ->capture_default_str();
  syn->add_option("--runs", synth->runs_per_subject, "Runs per subject")->capture_default_str();
  syn->add_option("--minutes", synth->minutes_per_run, "Minutes per run")->capture_default_str();
  syn->callback([synth, synth_out, without_freeze] {
    if (without_freeze->count() == 0)  // the default follows --subjects
      synth->subjects_without_freeze = std::max(0, std::min(synth->subjects_without_freeze, synth->subjects - 2));
    const auto files = data::write_synthetic_dataset(*synth_out, *synth);
    std::cout << fmt::format("wrote {} synthetic recordings (seed {}) to {}\n", files.size(), synth->seed, *synth_out);
  });

  auto fetch = std::make_shared<FetchArgs>();
  CLI::App* fet = data_cmd->add_subcommand("fetch", "Download, verify and unpack a public data set");
  fet->add_option("dataset", fetch->dataset, "Data set name (daphnet)")->required();
  fet->add_option("--dest", fetch->dest, "Directory for the recordings")->required();
  fet->add_option("--url", fetch->url, "Archive URL (http, https or file)")->capture_default_str();
  fet->add_option("--sha256", fetch->sha256, "Expected SHA-256 of the archive");
  fet->callback([fetch] { run_fetch(*fetch); });
}

}  // namespace gaitlstm::cli
