#pragma once
// A small CSV reader for the book's files (accounts, goals, orders, fills, custodian files):
// knows each record's line and each cell's column and header name, so a bad cell becomes an
// InputError naming file, line, column and field. Dialect: ',' separated, LF or CRLF, a last
// record with or without a line break, blank lines skipped, RFC 4180 double-quoted cells
// (with "" for a quote). Its interface is a subset of the shared core CSV reader's, so the
// two are interchangeable.

#include <cstddef>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/decimal.hpp"
#include "tranche/core/error.hpp"

namespace tranche::oms::detail {

// The whole content of a file; Error (NotFound or Io) naming the path otherwise.
std::string read_text_file(const std::filesystem::path& path);

class CsvReader {
 public:
  // `text` must outlive the reader; `file_name` is used in messages as given.
  CsvReader(std::string_view text, std::string file_name);

  // Reads the first record as the header; InputError for an empty file or a repeated name.
  void read_header();
  const std::vector<std::string>& header() const { return header_; }
  // Column index (from 0) of `name`, ignoring ASCII case.
  std::optional<std::size_t> find_column(std::string_view name) const;
  // As find_column; a missing column is an InputError at the header line.
  std::size_t require_column(std::string_view name) const;

  // The next record; false at the end. InputError when its cell count differs from the header's.
  bool next_record();
  std::size_t line() const { return record_line_; }
  std::string_view cell(std::size_t index) const { return cells_[index]; }

  // Typed cells, each an InputError naming the cell on bad text.
  Decimal decimal(std::size_t index) const;
  long long integer(std::size_t index) const;

  SourceLocation where(std::size_t index) const;
  [[noreturn]] void fail(std::size_t index, const std::string& what) const;
  const std::string& file_name() const { return file_name_; }

 private:
  bool read_record();

  std::string_view text_;
  std::string file_name_;
  std::size_t position_ = 0;
  std::size_t next_line_ = 1;
  std::size_t record_line_ = 0;
  std::size_t header_line_ = 0;
  std::vector<std::string_view> cells_;
  std::deque<std::string> unquoted_;  // quoted cells, unescaped (a deque keeps views valid)
  std::vector<std::string> header_;
};

}  // namespace tranche::oms::detail
