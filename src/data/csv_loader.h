// Loads CSV recordings described by a DatasetSpec (see dataset_spec.h).
#pragma once

#include <string>

#include "data/dataset.h"
#include "data/dataset_spec.h"

namespace gaitlstm::data {

// Every file of `dir` matching spec.files, resampled to target_rate_hz.
Dataset load_csv_dataset(const std::string& dir, const DatasetSpec& spec, double target_rate_hz);

}  // namespace gaitlstm::data
