#include "cli/quant_commands.h"

#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "data/load.h"
#include "data/protocol.h"
#include "model/model_file.h"
#include "quant/activation_report.h"
#include "quant/calibrate.h"
#include "quant/qmodel_file.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/text_table.h"

namespace gaitlstm::cli {

namespace {

struct ActivationsArgs {
  std::string markdown, json;
};

struct QuantizeArgs {
  std::string model, data, spec, bits, config, out, json;
  int threads = 2;
};

quant::TensorBits read_bits(const std::string& path) {
  if (path.empty()) return {};
  try {
    return quant::tensor_bits_from_json(nlohmann::json::parse(read_file(path)));
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path, 0, std::string("malformed JSON: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw InputError(path, 0, e.what());
  }
}

void print_formats(const quant::QuantizedModel& q) {
  const nlohmann::json lstm = quant::to_json(q.config.lstm), fe = quant::to_json(q.config.frontend);
  TextTable table({"tensor", "bits", "frac", "rounding", "overflow"});
  for (const auto* group : {&fe, &lstm})
    for (const auto& [name, f] : group->items())
      if (f.contains("bits"))
        table.add_row({name, std::to_string(f["bits"].get<int>()), std::to_string(f["frac"].get<int>()),
                       f["rounding"].get<std::string>(), f["overflow"].get<std::string>()});
  std::cout << table.render();
  std::cout << fmt::format("units: sigmoid {}, tanh {}, cell tanh {}\n", quant::to_string(q.config.lstm.sigmoid_unit),
                           quant::to_string(q.config.lstm.tanh_unit), quant::to_string(q.config.lstm.cell_tanh_unit));
}

void run_quantize(const QuantizeArgs& args) {
  const model::Detector detector = model::load_detector(args.model);
  const data::Dataset dataset = data::load_dataset(args.data, {args.spec, detector.frontend.sample_rate_hz});
  const data::ProtocolConfig protocol;
  const std::vector<data::Decision> decisions = data::make_decisions(dataset, protocol);
  quant::QuantizedModel q;
  if (!args.config.empty()) {
    quant::QuantConfig config;
    try {
      config = quant::quant_config_from_json(nlohmann::json::parse(read_file(args.config)));
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(args.config, 0, std::string("malformed JSON: ") + e.what());
    } catch (const std::invalid_argument& e) {
      throw InputError(args.config, 0, e.what());
    }
    q = quant::quantize_with_config(detector, config, dataset, decisions, protocol, args.threads);
  } else {
    q = quant::post_training_quantize(detector, dataset, decisions, decisions, read_bits(args.bits), protocol,
                                      args.threads);
  }
  q.metrics["data"] = args.data;
  quant::save_qmodel(q, args.out);
  print_formats(q);
  std::cout << fmt::format("float AUC {:.4f}, quantized AUC {:.4f} (loss {:+.2f} pp) on {} decisions; threshold {} (raw)\n",
                           q.metrics["float_auc"].get<double>(), q.metrics["quantized_auc"].get<double>(),
                           100 * q.metrics["auc_loss"].get<double>(), decisions.size(), q.threshold);
  std::cout << "wrote " << args.out << "\n";
  if (!args.json.empty()) write_file_atomic(args.json, q.metrics.dump(2) + "\n");
}

}  // namespace

void add_quant_commands(CLI::App& app) {
  auto activations = std::make_shared<ActivationsArgs>();
  CLI::App* act = app.add_subcommand("activations", "Measure the error of every hardware activation unit");
  act->add_option("--md", activations->markdown, "Write the Markdown report here (docs/ACTIVATIONS.md)");
  act->add_option("--json", activations->json, "Write the figures as JSON here");
  act->callback([activations] {
    const quant::ActivationReport report = quant::activation_error_report();
    std::cout << report.markdown;
    if (!activations->markdown.empty()) write_file_atomic(activations->markdown, report.markdown);
    if (!activations->json.empty()) write_file_atomic(activations->json, report.json.dump(2) + "\n");
  });

  auto args = std::make_shared<QuantizeArgs>();
  CLI::App* q = app.add_subcommand("quantize", "Quantize a float model to fixed point (range calibration)");
  q->add_option("--model", args->model, "Float model file (gaitlstm train)")->required()->check(CLI::ExistingFile);
  q->add_option("--data", args->data, "Recordings for calibration and the threshold")->required()->check(CLI::ExistingDirectory);
  q->add_option("--spec", args->spec, "JSON dataset description for CSV recordings")->check(CLI::ExistingFile);
  CLI::Option* bits = q->add_option("--bits", args->bits, "JSON bits per tensor (defaults: 8-bit LSTM, docs/GOLDEN.md)")
                          ->check(CLI::ExistingFile);
  q->add_option("--config", args->config, "JSON formats of every tensor (instead of calibration)")
      ->check(CLI::ExistingFile)
      ->excludes(bits);
  q->add_option("--out", args->out, "Quantized model file to write")->required();
  q->add_option("--json", args->json, "Also write the report as JSON here");
  q->add_option("--threads", args->threads, "Worker threads")->capture_default_str();
  q->callback([args] { run_quantize(*args); });
}

}  // namespace gaitlstm::cli
