// A front-end over sensor-summed channels, its filters designed and its
// normalization fitted on every segment of a dataset (for tests that need
// realistic feature scales without training).
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "model/frontend.h"
#include "model/sequences.h"

namespace gaitlstm::testing {

inline model::FrontEndConfig fitted_frontend(const data::Dataset& dataset, std::vector<std::string> channels,
                                             int baseline_shift) {
  model::FrontEndConfig frontend;
  frontend.channel_names = std::move(channels);
  frontend.axes_per_sensor = 3;
  frontend.baseline_shift = baseline_shift;
  model::design_filters(frontend);
  const std::vector<Eigen::MatrixXf> raw = model::compute_raw_features(frontend, dataset, 2);
  std::vector<const Eigen::MatrixXf*> segments;
  for (const Eigen::MatrixXf& m : raw) segments.push_back(&m);
  model::fit_normalization(frontend, segments);
  return frontend;
}

}  // namespace gaitlstm::testing
