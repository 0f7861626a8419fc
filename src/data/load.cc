#include "data/load.h"

#include "data/csv_loader.h"
#include "data/daphnet.h"
#include "data/dataset_spec.h"

namespace gaitlstm::data {

Dataset load_dataset(const std::string& dir, const LoadOptions& options) {
  if (options.spec_path.empty()) return load_daphnet(dir, options.target_rate_hz);
  return load_csv_dataset(dir, parse_dataset_spec_file(options.spec_path), options.target_rate_hz);
}

}  // namespace gaitlstm::data
