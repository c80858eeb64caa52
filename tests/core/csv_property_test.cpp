// The CSV reader reads back exactly the cells a writer quoting by RFC 4180 wrote, whatever
// delimiters, quotes and line breaks they hold, and counts lines as the text has them.
// Seeded under CTest (RC_PARAMS in tests/CMakeLists.txt).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "tranche/core/csv.hpp"

namespace tranche {
namespace {

using Records = std::vector<std::vector<std::string>>;

std::string quoted_if_needed(const std::string& cell, bool only_cell) {
  // An empty only cell is written "" so the record is not a blank line.
  const bool needs_quotes = cell.find_first_of(",\"\r\n") != std::string::npos || (only_cell && cell.empty());
  if (!needs_quotes) return cell;
  std::string out = "\"";
  for (const char c : cell) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

RC_GTEST_PROP(CsvReaderProperty, ReadsBackWhatAQuotingWriterWrote, ()) {
  const auto cell =
      rc::gen::container<std::string>(rc::gen::element('a', '1', ' ', ',', '"', '\n', '\r', '.'));
  const auto records = *rc::gen::nonEmpty(rc::gen::container<Records>(
      rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(rc::gen::resize(6, cell)))));
  const auto line_break = *rc::gen::element<std::string>("\n", "\r\n", "\r");
  const bool final_line_break = *rc::gen::arbitrary<bool>();

  std::string text;
  std::vector<std::size_t> first_lines;
  std::size_t line = 1;
  for (std::size_t r = 0; r < records.size(); ++r) {
    first_lines.push_back(line);
    for (std::size_t c = 0; c < records[r].size(); ++c) {
      if (c > 0) text += ',';
      const std::string written = quoted_if_needed(records[r][c], records[r].size() == 1);
      for (std::size_t i = 0; i < written.size(); ++i) {
        if (written[i] == '\n' ||
            (written[i] == '\r' && (i + 1 == written.size() || written[i + 1] != '\n'))) {
          ++line;
        }
      }
      text += written;
    }
    if (r + 1 < records.size() || final_line_break) text += line_break;
    ++line;
  }

  CsvReader reader(text, "p.csv");
  Records read;
  std::vector<std::size_t> read_lines;
  while (reader.next_record()) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < reader.cell_count(); ++i) cells.emplace_back(reader.cell(i));
    read.push_back(cells);
    read_lines.push_back(reader.line());
  }
  RC_ASSERT(read == records);
  RC_ASSERT(read_lines == first_lines);
}

}  // namespace
}  // namespace tranche
