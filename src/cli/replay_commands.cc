#include "cli/replay_commands.h"
#include "cli/json_output.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/episode_report.h"
#include "data/load.h"
#include "replay/replay.h"
#include "replay/replay_html.h"
#include "util/atomic_file.h"
#include "util/process_runner.h"

namespace gaitlstm::cli {

namespace {

struct ReplayArgs {
  std::string model, data, spec, channels, out, json;
  replay::ReplayOptions options;
};

void run_replay(const ReplayArgs& args) {
  const replay::ReplayModel model = replay::ReplayModel::load(args.model);
  const model::FrontEndConfig& frontend = model.detector.frontend;
  const data::Dataset dataset =
      data::load_for_channels({{args.data, args.spec, ""}}, frontend.sample_rate_hz,
                              args.channels.empty() ? frontend.channel_group : args.channels, frontend.channel_names);
  ProcessRunner runner;  // Verilator, for --rtl
  const replay::Replay replay = replay::build_replay(runner, model, dataset, args.data, args.options, &std::cerr);
  std::filesystem::create_directories(args.out);
  const std::string page = (std::filesystem::path(args.out) / "replay.html").string();
  write_file_atomic(page, replay::replay_html(replay));
  TextTable table = episode_table("recording");
  for (const replay::SegmentTrace& s : replay.segments)
    add_episode_row(table, fmt::format("{} seg {}", s.recording, s.segment), s.episodes);
  table.add_separator();
  add_episode_row(table, "all", replay.episodes);
  std::cout << table.render();
  if (replay.rtl_checked)
    std::cout << fmt::format("chip (Verilator) equals the golden model on all {} decisions\n", replay.rtl_decisions);
  std::cout << "wrote " << page << "\n";
  if (!args.json.empty()) write_file_atomic(args.json, json_text(replay::to_json(replay)));
}

}  // namespace

void add_replay_commands(CLI::App& app) {
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "Replay a detector (or, with --rtl, the generated chip) on recordings: OUT/replay.html");
  cmd->add_option("--model", args->model, "Model file: float, or quantized (golden model)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data", args->data, "Directory of recordings")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--spec", args->spec, "JSON dataset description for CSV recordings")->check(CLI::ExistingFile);
  cmd->add_option("--channels", args->channels,
                  "Channels fed to the model, picked in the recordings' own terms (default: the model's group)");
  cmd->add_option("--rtl", args->options.rtl_dir,
                  "Directory written by gaitlstm rtl: alarms from the chip simulated sample by sample (Verilator), "
                  "checked equal to the golden model's")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out", args->out, "Directory for replay.html")->required();
  cmd->add_option("--subject", args->options.subjects, "Only these subjects (repeatable)");
  cmd->add_option("--recording", args->options.recordings, "Only these recordings, by file stem, e.g. S01R02 (repeatable)");
  cmd->add_option("--json", args->json, "Also write the episode figures as JSON here");
  cmd->add_option("--threads", args->options.threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 1024));
  add_episode_flags(cmd, args->options.episodes);
  cmd->callback([args] { run_replay(*args); });
}

}  // namespace gaitlstm::cli
