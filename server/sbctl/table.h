// A plain-text table with left-aligned, auto-sized columns, used by every sbctl command
// that prints lists. Cells are passed through OneLine() so server-supplied text cannot
// break the layout. Thread-compatible.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace sb::sbctl {

class Table {
 public:
  explicit Table(std::vector<std::string> header);

  // Missing cells print empty; extra cells are ignored.
  void AddRow(std::vector<std::string> row);

  size_t rows() const { return rows_.size(); }

  // Prints the header and rows, each line prefixed by `indent` spaces; columns are separated
  // by two spaces and the last column is not padded.
  void Print(std::ostream& out, size_t indent = 0) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sb::sbctl
