#include "util/text_table.h"

#include <algorithm>

namespace gaitlstm {

std::string TextTable::render() const {
  std::vector<size_t> width(header_.size(), 0);
  auto widen = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  };
  widen(header_);
  for (const auto& row : rows_) widen(row);

  std::string rule;
  for (size_t i = 0; i < width.size(); ++i) rule += std::string(width[i] + (i ? 2 : 0), '-');
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < width.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      const std::string pad(width[i] - cell.size(), ' ');
      if (i) out += "  ";
      out += i == 0 ? cell + pad : pad + cell;
    }
    return out + "\n";
  };

  std::string out = line(header_) + rule + "\n";
  for (const auto& row : rows_) out += row.empty() ? rule + "\n" : line(row);
  return out;
}

}  // namespace gaitlstm
