// What the exploration reads back from Slurm (explore/slurm.h): squeue's
// task states and sbatch's job id.
#include <string>

#include "explore/slurm.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const std::string text(fuzz::as_text(data, size));
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { explore::parse_squeue(text, "squeue"); });
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] { explore::parse_sbatch_job_id(text, "sbatch"); });
  return 0;
}
