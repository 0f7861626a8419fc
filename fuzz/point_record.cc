// The results store's records (explore/point.h: the `record` column of
// points and layouts) and the worker's task files (explore/tasks.h), read
// back strictly, and the result files of `gaitlstm fpga` (eda/fpga.h) and
// of the board top (rtl/board.h).  The record kind is the top-level key:
// {"point": ...}, {"layout": ...}, {"task": ...}, {"fpga": ...}, {"board": ...}.
#include "eda/fpga.h"
#include "explore/point.h"
#include "explore/tasks.h"
#include "fuzz_support.h"
#include "rtl/board.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gaitlstm;
  const auto json = fuzz::as_json(data, size);
  if (!json || !json->is_object() || json->size() != 1) return 0;
  const std::string kind = json->begin().key();
  const nlohmann::json& record = json->begin().value();
  fuzz::expect_clean(fuzz::Contract::kInputError, [&] {
    if (kind == "point") explore::point_outcome_from_json(record, "explore.db");
    if (kind == "layout") explore::layout_outcome_from_json(record, "explore.db");
    if (kind == "task") explore::task_from_json(record, "task.json");
    if (kind == "fpga") eda::fpga_result_from_json(record, "fpga.json");
    if (kind == "board") rtl::board_summary_from_json(record, "board.json");
  });
  return 0;
}
