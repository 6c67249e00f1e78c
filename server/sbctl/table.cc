#include "server/sbctl/table.h"

#include <algorithm>
#include <utility>

#include "server/sbctl/response_status.h"

namespace sb::sbctl {
namespace {

void PrintRow(std::ostream& out, const std::vector<std::string>& row,
              const std::vector<size_t>& widths, size_t indent) {
  std::string line(indent, ' ');
  for (size_t i = 0; i < widths.size(); ++i) {
    const std::string& cell = i < row.size() ? row[i] : std::string();
    line += cell;
    if (i + 1 < widths.size()) line.append(widths[i] - cell.size() + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out << line << '\n';
}

}  // namespace

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {
  for (std::string& cell : header_) cell = OneLine(cell);
}

void Table::AddRow(std::vector<std::string> row) {
  row.resize(header_.size());
  for (std::string& cell : row) cell = OneLine(cell);
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& out, size_t indent) const {
  std::vector<size_t> widths(header_.size());
  for (size_t i = 0; i < header_.size(); ++i) {
    widths[i] = header_[i].size();
    for (const auto& row : rows_) widths[i] = std::max(widths[i], row[i].size());
  }
  PrintRow(out, header_, widths, indent);
  for (const auto& row : rows_) PrintRow(out, row, widths, indent);
}

}  // namespace sb::sbctl
