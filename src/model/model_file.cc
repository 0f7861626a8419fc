#include "model/model_file.h"

#include <cmath>

#include "util/atomic_file.h"
#include "util/error.h"

namespace gaitlstm::model {
namespace {

using nlohmann::json;

template <typename Vec>
json array_of(const Vec& values) {
  json out = json::array();
  for (Eigen::Index i = 0; i < values.size(); ++i) out.push_back(static_cast<double>(values[i]));
  return out;
}

json frontend_to_json(const FrontEndConfig& f) {
  json bands = json::array(), filters = json::array();
  for (const Band& band : f.bands) bands.push_back({band.low_hz, band.high_hz});
  for (const auto& pair : f.filters) {
    filters.push_back({pair[0].coefficients, pair[1].coefficients});
  }
  json out = {{"sample_rate_hz", f.sample_rate_hz},
              {"decimation", f.decimation},
              {"channels", f.channel_names},
              {"bands", bands},
              {"filters", filters},
              {"compression", "log2approx(energy+1)"},
              {"baseline_shift", f.baseline_shift},
              {"axes_per_sensor", f.axes_per_sensor},
              {"keep_levels", f.keep_levels},
              {"energy_smoothing_shift", f.energy_smoothing_shift},
              {"ratios", f.ratios},
              {"feature_mean", f.feature_mean},
              {"feature_std", f.feature_std}};
  if (!f.channel_group.empty()) out["channel_group"] = f.channel_group;  // absent in files before it existed
  return out;
}

}  // namespace

json detector_to_json(const Detector& d) {
  const LstmShape shape = d.lstm.shape;
  json out = {{"format", "gaitlstm-model"},
          {"version", kModelFormatVersion},
          {"architecture",
           {{"type", "lstm"},
            {"layers", 1},
            {"inputs", shape.inputs},
            {"hidden", shape.hidden},
            {"gate_order", "ifgo"},
            {"history_steps", d.history_steps},
            {"output_smoothing", d.output_smoothing},
            {"parameters", shape.parameter_count()}}},
          {"frontend", frontend_to_json(d.frontend)},
          {"weights",
           {{"input_weights", array_of(d.lstm.input_weights().reshaped())},
            {"recurrent_weights", array_of(d.lstm.recurrent_weights().reshaped())},
            {"gate_bias", array_of(d.lstm.gate_bias())},
            {"output_weights", array_of(d.lstm.output_weights())},
            {"output_bias", static_cast<double>(d.lstm.output_bias())}}},
          {"threshold", d.threshold},
          {"training", to_json(d.training)},
          {"metrics", d.metrics}};
  if (d.cue.active()) out["cue"] = to_json(d.cue);  // absent = off, as in files before the cue existed
  if (d.calibration) out["calibration"] = to_json(*d.calibration);  // absent = off
  return out;
}

namespace {

// Field access that turns every missing/mistyped/out-of-range value into an
// InputError naming the file and the JSON path.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& reason) const {
    throw InputError(source_, 0, "model file: " + where + ": " + reason);
  }

  const json& field(const json& object, const std::string& where, const std::string& key) const {
    if (!object.is_object()) fail(where, "expected an object");
    const auto it = object.find(key);
    if (it == object.end()) fail(where, "missing field '" + key + "'");
    return *it;
  }

  double number(const json& object, const std::string& where, const std::string& key) const {
    const json& value = field(object, where, key);
    if (!value.is_number()) fail(where + "." + key, "expected a number");
    const double x = value.get<double>();
    if (!std::isfinite(x)) fail(where + "." + key, "not finite");
    return x;
  }

  int integer(const json& object, const std::string& where, const std::string& key, int low,
              int high) const {
    const json& value = field(object, where, key);
    if (!value.is_number_integer()) fail(where + "." + key, "expected an integer");
    const int64_t x = value.get<int64_t>();
    if (x < low || x > high) {
      fail(where + "." + key, "value " + std::to_string(x) + " outside [" + std::to_string(low) +
                                  ", " + std::to_string(high) + "]");
    }
    return static_cast<int>(x);
  }

  std::string text(const json& object, const std::string& where, const std::string& key) const {
    const json& value = field(object, where, key);
    if (!value.is_string()) fail(where + "." + key, "expected a string");
    return value.get<std::string>();
  }

  std::vector<double> numbers(const json& value, const std::string& where, size_t size) const {
    if (!value.is_array()) fail(where, "expected an array");
    if (value.size() != size) {
      fail(where, "has " + std::to_string(value.size()) + " values, expected " +
                      std::to_string(size));
    }
    std::vector<double> out;
    for (const json& x : value) {
      if (!x.is_number() || !std::isfinite(x.get<double>())) {
        fail(where, "holds a non-numeric or non-finite value");
      }
      out.push_back(x.get<double>());
    }
    return out;
  }

 private:
  std::string source_;
};

FrontEndConfig frontend_from_json(const Reader& r, const json& j, int inputs) {
  const std::string w = "frontend";
  FrontEndConfig f;
  f.sample_rate_hz = r.number(j, w, "sample_rate_hz");
  if (f.sample_rate_hz <= 0) r.fail(w + ".sample_rate_hz", "must be positive");
  f.decimation = r.integer(j, w, "decimation", 1, 1 << 16);
  if ((f.decimation & (f.decimation - 1)) != 0) r.fail(w + ".decimation", "not a power of two");
  const json& channels = r.field(j, w, "channels");
  if (!channels.is_array() || channels.empty()) r.fail(w + ".channels", "expected a non-empty array");
  for (const json& name : channels) {
    if (!name.is_string()) r.fail(w + ".channels", "expected channel names");
    f.channel_names.push_back(name.get<std::string>());
  }
  if (j.contains("channel_group")) f.channel_group = r.text(j, w, "channel_group");
  const json& bands = r.field(j, w, "bands");
  if (!bands.is_array() || bands.empty()) r.fail(w + ".bands", "expected a non-empty array");
  f.bands.clear();
  for (size_t k = 0; k < bands.size(); ++k) {
    const auto edges = r.numbers(bands[k], w + ".bands[" + std::to_string(k) + "]", 2);
    if (!(0 < edges[0] && edges[0] < edges[1] && edges[1] < f.sample_rate_hz / 2)) {
      r.fail(w + ".bands[" + std::to_string(k) + "]", "needs 0 < low < high < sample_rate / 2");
    }
    f.bands.push_back({edges[0], edges[1]});
  }
  const json& filters = r.field(j, w, "filters");
  if (!filters.is_array() || filters.size() != f.bands.size()) {
    r.fail(w + ".filters", "expected one filter pair per band (" + std::to_string(f.bands.size()) + ")");
  }
  for (size_t k = 0; k < filters.size(); ++k) {
    const std::string where = w + ".filters[" + std::to_string(k) + "]";
    if (!filters[k].is_array() || filters[k].size() != 2) r.fail(where, "expected [high-pass, low-pass]");
    std::array<Biquad, 2> pair;
    for (int s = 0; s < 2; ++s) {
      const auto c = r.numbers(filters[k][s], where + "[" + std::to_string(s) + "]", 5);
      std::copy(c.begin(), c.end(), pair[s].coefficients.begin());
    }
    f.filters.push_back(pair);
  }
  if (r.text(j, w, "compression") != "log2approx(energy+1)") {
    r.fail(w + ".compression", "unknown compression");
  }
  f.baseline_shift = r.integer(j, w, "baseline_shift", 0, 30);
  f.axes_per_sensor = r.integer(j, w, "axes_per_sensor", 1, 16);
  const json& keep_levels = r.field(j, w, "keep_levels");
  if (!keep_levels.is_boolean()) r.fail(w + ".keep_levels", "expected true or false");
  f.keep_levels = keep_levels.get<bool>();
  // Absent in files from before the level-free features: off.
  if (j.contains("energy_smoothing_shift")) f.energy_smoothing_shift = r.integer(j, w, "energy_smoothing_shift", 0, 16);
  if (j.contains("ratios")) {
    const json& ratios = r.field(j, w, "ratios");
    if (!ratios.is_boolean()) r.fail(w + ".ratios", "expected true or false");
    f.ratios = ratios.get<bool>();
    if (f.ratios && f.bands.size() < 2) r.fail(w + ".ratios", "band-energy ratios need at least two bands");
  }
  if (f.channels() % f.axes_per_sensor != 0) {
    r.fail(w + ".axes_per_sensor", "does not divide the number of channels");
  }
  if (f.features() != inputs) {
    r.fail(w, std::to_string(f.sensors()) + " sensors x " +
                  std::to_string(f.features_per_sensor()) +
                  " features != architecture.inputs " + std::to_string(inputs));
  }
  f.feature_mean = r.numbers(r.field(j, w, "feature_mean"), w + ".feature_mean", inputs);
  f.feature_std = r.numbers(r.field(j, w, "feature_std"), w + ".feature_std", inputs);
  for (double sd : f.feature_std) {
    if (sd <= 0) r.fail(w + ".feature_std", "must be positive");
  }
  return f;
}

void copy_into(const std::vector<double>& source, float* target) {
  for (size_t i = 0; i < source.size(); ++i) target[i] = static_cast<float>(source[i]);
}

LstmParams<float> weights_from_json(const Reader& r, const json& j, LstmShape shape) {
  const std::string w = "weights";
  LstmParams<float> p(shape);
  const size_t H = shape.hidden, F = shape.inputs;
  copy_into(r.numbers(r.field(j, w, "input_weights"), w + ".input_weights", 4 * H * F),
            p.input_weights().data());
  copy_into(r.numbers(r.field(j, w, "recurrent_weights"), w + ".recurrent_weights", 4 * H * H),
            p.recurrent_weights().data());
  copy_into(r.numbers(r.field(j, w, "gate_bias"), w + ".gate_bias", 4 * H), p.gate_bias().data());
  copy_into(r.numbers(r.field(j, w, "output_weights"), w + ".output_weights", H),
            p.output_weights().data());
  p.output_bias() = static_cast<float>(r.number(j, w, "output_bias"));
  return p;
}

}  // namespace

Detector detector_from_json(const json& j, const std::string& source) {
  const Reader r(source);
  if (r.text(j, "top level", "format") != "gaitlstm-model") {
    r.fail("format", "not a gaitlstm model file");
  }
  const int version = r.integer(j, "top level", "version", 0, 1 << 30);
  if (version != kModelFormatVersion) {
    r.fail("version", "unsupported version " + std::to_string(version) + " (this build reads " +
                          std::to_string(kModelFormatVersion) + ")");
  }
  const json& a = r.field(j, "top level", "architecture");
  if (r.text(a, "architecture", "type") != "lstm") r.fail("architecture.type", "expected 'lstm'");
  r.integer(a, "architecture", "layers", 1, 1);
  if (r.text(a, "architecture", "gate_order") != "ifgo") {
    r.fail("architecture.gate_order", "expected 'ifgo'");
  }
  const LstmShape shape{r.integer(a, "architecture", "inputs", 1, 4096),
                        r.integer(a, "architecture", "hidden", 1, 4096)};
  const json& parameters = r.field(a, "architecture", "parameters");
  if (!parameters.is_number_integer() || parameters.get<int64_t>() != shape.parameter_count()) {
    r.fail("architecture.parameters", "does not match inputs and hidden (" +
                                          std::to_string(shape.parameter_count()) + ")");
  }
  Detector d;
  d.history_steps = r.integer(a, "architecture", "history_steps", 1, 1 << 20);
  d.output_smoothing = r.integer(a, "architecture", "output_smoothing", 1, 1 << 20);
  d.frontend = frontend_from_json(r, r.field(j, "top level", "frontend"), shape.inputs);
  d.lstm = weights_from_json(r, r.field(j, "top level", "weights"), shape);
  d.threshold = r.number(j, "top level", "threshold");
  if (j.contains("cue")) {
    try {
      d.cue = cue_config_from_json(j["cue"]);
    } catch (const std::invalid_argument& e) {
      r.fail("cue", e.what());
    }
  }
  if (j.contains("calibration")) {
    try {
      d.calibration = calibration_config_from_json(j["calibration"]);
    } catch (const std::invalid_argument& e) {
      r.fail("calibration", e.what());
    }
    if (d.output_smoothing < 2) r.fail("calibration", "self-calibration needs output_smoothing > 1");
  }
  try {
    d.training = train_config_from_json(r.field(j, "top level", "training"));
  } catch (const json::exception& e) {
    r.fail("training", e.what());
  } catch (const std::invalid_argument& e) {  // an unknown augmentation transform
    r.fail("training", e.what());
  }
  d.metrics = r.field(j, "top level", "metrics");
  if (!d.metrics.is_object()) r.fail("metrics", "expected an object");
  if (d.training.hidden != shape.hidden || d.training.history_steps != d.history_steps ||
      d.training.output_smoothing != d.output_smoothing) {
    r.fail("training", "hidden/history_steps/output_smoothing disagree with architecture");
  }
  return d;
}

void save_detector(const Detector& detector, const std::string& path) {
  write_file_atomic(path, detector_to_json(detector).dump(1) + "\n");
}

Detector load_detector(const std::string& path) {
  const std::string text = read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e400
    throw InputError(path, 0, std::string("model file is not valid JSON (truncated?): ") + e.what());
  }
  return detector_from_json(j, path);
}

}  // namespace gaitlstm::model
