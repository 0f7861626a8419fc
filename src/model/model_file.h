// The detector's model file: versioned JSON holding everything inference
// needs (front-end filters and normalization, LSTM weights, threshold) plus
// how it was trained and how it scored.
//
// {
//   "format": "gaitlstm-model", "version": 1,
//   "architecture": {"type": "lstm", "layers": 1, "inputs": F, "hidden": H,
//                    "gate_order": "ifgo", "history_steps": T, "parameters": P},
//   "frontend": {"sample_rate_hz", "decimation", "channels": [names],
//                "channel_group": "ankle" (optional: the group the channels were
//                selected as; absent = the names alone),
//                "bands": [[lo, hi], ...], "filters": [[[b0,b1,b2,a1,a2] high-pass,
//                [...] low-pass], ...], "compression": "log2approx(energy+1)",
//                "feature_mean": [F], "feature_std": [F]},
//   "weights": {"input_weights": [4H*F], "recurrent_weights": [4H*H],
//               "gate_bias": [4H], "output_weights": [H], "output_bias": x},
//   "threshold": x, "training": {TrainConfig}, "metrics": {...},
//   "cue": {"hysteresis": x, "min_on": n, "refractory": n}   (model/cue.h; absent = off),
//   "calibration": {"rate_shift": a, "k": x, "floor": x, "seed_mean": x,
//                   "seed_deviation": x}   (model/calibration.h; absent = off)
// }
// Matrices are column-major (LstmParams layout).  Weights are floats stored
// as doubles, so they round-trip bit-identically.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/detector.h"

namespace gaitlstm::model {

inline constexpr int kModelFormatVersion = 1;

nlohmann::json detector_to_json(const Detector& detector);

// Validates every field, size and value; throws InputError(source, 0, reason).
Detector detector_from_json(const nlohmann::json& json, const std::string& source);

// Atomic write (temporary file + rename).
void save_detector(const Detector& detector, const std::string& path);

// Throws InputError naming `path` and the reason for unreadable, malformed,
// truncated or inconsistent files.
Detector load_detector(const std::string& path);

}  // namespace gaitlstm::model
