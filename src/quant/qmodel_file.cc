#include "quant/qmodel_file.h"

#include <fmt/format.h>

#include "model/model_file.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::quant {

using nlohmann::json;

GoldenDetector make_golden(const QuantizedModel& model) {
  GoldenDetector golden(model.detector, model.config, model.protocol);
  golden.set_threshold(model.threshold);
  golden.set_cue(model.cue);
  golden.set_calibration(model.calibration);
  return golden;
}

json qmodel_to_json(const QuantizedModel& m) {
  json out = {{"format", "gaitlstm-qmodel"},
          {"version", kQuantizedModelVersion},
          {"model", model::detector_to_json(m.detector)},
          {"quantization", to_json(m.config)},
          {"protocol", {{"stride", m.protocol.stride}, {"label_window", m.protocol.label_window},
                        {"freeze_share", m.protocol.freeze_share}}},
          {"threshold", m.threshold},
          {"metrics", m.metrics}};
  if (m.cue.active()) out["cue"] = to_json(m.cue);  // absent = off, as in files before the cue existed
  if (m.calibration) out["calibration"] = to_json(*m.calibration);  // absent = off
  return out;
}

QuantizedModel qmodel_from_json(const json& j, const std::string& source) {
  auto fail = [&](const std::string& reason) -> void { throw InputError(source, 0, reason); };
  // value() with a json default: a "format" that is not a string compares unequal instead of throwing.
  if (!j.is_object() || j.value("format", json()) != "gaitlstm-qmodel")
    fail("not a quantized gaitlstm model (\"format\" must be \"gaitlstm-qmodel\")");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() != kQuantizedModelVersion)
    fail(fmt::format("unsupported quantized model version (this gaitlstm reads version {})", kQuantizedModelVersion));
  for (const char* key : {"model", "quantization", "protocol", "threshold"})
    if (!j.contains(key)) fail(fmt::format("missing field '{}'", key));
  QuantizedModel m;
  m.detector = model::detector_from_json(j["model"], source);
  try {
    m.config = quant_config_from_json(j["quantization"]);
  } catch (const std::invalid_argument& e) {
    fail(std::string("quantization: ") + e.what());
  }
  const json& p = j["protocol"];
  if (!p.is_object() || !p.contains("stride") || !p.contains("label_window") || !p["stride"].is_number_integer() ||
      !p["label_window"].is_number_integer())
    fail("protocol needs integer 'stride' and 'label_window'");
  m.protocol.stride = p["stride"].get<int>();
  m.protocol.label_window = p["label_window"].get<int>();
  if (p.contains("freeze_share") && !p["freeze_share"].is_number()) fail("protocol 'freeze_share' must be a number");
  m.protocol.freeze_share = p.value("freeze_share", 0.5);
  if (!j["threshold"].is_number_integer()) fail("'threshold' must be an integer (raw score)");
  m.threshold = j["threshold"].get<int64_t>();
  if (j.contains("metrics")) m.metrics = j["metrics"];
  if (j.contains("cue")) {
    try {
      const GoldenDetector golden(m.detector, m.config, m.protocol);
      m.cue = quantized_cue_from_json(j["cue"], golden.statistic_format());
    } catch (const std::invalid_argument& e) {
      fail(std::string("cue: ") + e.what());
    }
  }
  if (j.contains("calibration")) {
    try {
      const GoldenDetector golden(m.detector, m.config, m.protocol);
      m.calibration = quantized_calibration_from_json(j["calibration"], golden.statistic_format());
    } catch (const std::invalid_argument& e) {
      fail(std::string("calibration: ") + e.what());
    }
  }
  try {
    (void)make_golden(m);  // every format, unit and shape must fit together
  } catch (const std::invalid_argument& e) {
    fail(std::string("inconsistent model: ") + e.what());
  }
  return m;
}

void save_qmodel(const QuantizedModel& model, const std::string& path) {
  write_file_atomic(path, qmodel_to_json(model).dump(1) + "\n");
}

QuantizedModel load_qmodel(const std::string& path) {
  const std::string text = read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw InputError(path, 0, std::string("malformed or truncated JSON: ") + e.what());
  }
  return qmodel_from_json(j, path);
}

bool is_qmodel_file(const std::string& path) {
  try {
    const json j = json::parse(read_file(path));
    return j.is_object() && j.value("format", "") == "gaitlstm-qmodel";
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace gaitlstm::quant
