#pragma once
// CSV reading for every text file Tranche loads (prices, accounts, orders, fills): a fast
// reader over text in memory that knows the line and column of each cell and the header's
// column names, so a bad cell becomes an InputError a person can act on.
//
// The accepted dialect (RFC 4180 plus what spreadsheets and pandas write):
//   - cells separated by ',' (or another one-byte delimiter); records end with "\n", "\r\n"
//     or a lone "\r"; the last record may or may not end with a line break;
//   - a UTF-8 byte order mark at the start of the text is skipped;
//   - blank lines are skipped (as pandas does), they still count as lines;
//   - a cell that starts with '"' is quoted: it ends at the next lone '"', a doubled '""'
//     inside stands for one '"', and it may contain delimiters and line breaks; after the
//     closing quote comes the delimiter or the end of the record. A '"' inside an unquoted
//     cell is an ordinary character.
// Lines count from 1 and are those of the text (a record's line is the line it starts on).
// Columns count cells, not characters, from 1: column 3 is the third cell of the record.

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/error.hpp"
#include "tranche/core/time.hpp"

namespace tranche {

// The whole content of a file. Throws Error (NotFound when the file does not exist, Io
// otherwise) naming the path and the operating system's reason.
std::string read_text_file(const std::filesystem::path& path);

class CsvReader {
 public:
  // `text` must outlive the reader; `file_name` is used in error messages as given.
  CsvReader(std::string_view text, std::string file_name, char delimiter = ',');

  // Reads the first record as the header. Throws InputError for an empty text, an empty
  // name or a name used twice. After this, every record must have as many cells as the
  // header (next_record throws otherwise).
  void read_header();
  const std::vector<std::string>& header() const { return header_; }
  // Index (from 0) of the header column named `name`, compared ignoring ASCII case.
  std::optional<std::size_t> find_column(std::string_view name) const;
  // As find_column, but a missing column is an InputError at the header line.
  std::size_t require_column(std::string_view name) const;

  // Moves to the next record; false at the end of the text. Throws InputError for an
  // unterminated quote, text after a closing quote, or a cell count unlike the header's.
  bool next_record();
  // Continues at byte `offset` of the text, which starts a record on line `line`: for a long
  // file read in parts by several readers, each with the header.
  void seek(std::size_t offset, std::size_t line);
  std::size_t line() const { return record_line_; }  // the current record's first line
  std::size_t cell_count() const { return cells_.size(); }
  // The text of cell `index` (from 0) of the current record, quotes removed. Valid until
  // the next call to next_record.
  std::string_view cell(std::size_t index) const { return cells_[index]; }

  // Typed cells: each throws InputError naming the cell and what was expected.
  // A number (std::from_chars, general format, a leading '+' allowed); finite.
  double number(std::size_t index) const;
  // As number, but an empty cell or one of pandas' missing-value markers (NA, N/A, NaN,
  // nan, null, NULL, None, #N/A, ...) is nullopt.
  std::optional<double> optional_number(std::size_t index) const;
  // A calendar date YYYY-MM-DD.
  Date date(std::size_t index) const;

  // Where cell `index` (from 0) of the current record is, with its header name if any.
  SourceLocation where(std::size_t index) const;
  // Where the current record is (no column).
  SourceLocation where_record() const;
  [[noreturn]] void fail(std::size_t index, const std::string& what) const;
  [[noreturn]] void fail_record(const std::string& what) const;

  const std::string& file_name() const { return file_name_; }

 private:
  bool read_record();  // tokenizes the next non-blank record into cells_
  std::size_t read_quoted_cell(std::size_t at);

  std::string_view text_;
  std::string file_name_;
  char delimiter_;
  std::array<bool, 256> ends_cell_{};  // the delimiter and line-break bytes
  std::size_t position_ = 0;
  std::size_t next_line_ = 1;  // the line `position_` is on
  std::size_t record_line_ = 0;
  std::size_t header_line_ = 0;
  std::vector<std::string_view> cells_;
  // Quoted cells holding doubled quotes are copied, unescaped, into `unescaped_`; their
  // views are set once the record is complete (the buffer may grow until then).
  struct UnescapedCell {
    std::size_t index, offset, size;
  };
  std::string unescaped_;
  std::vector<UnescapedCell> unescaped_cells_;
  std::vector<std::string> header_;
};

// `text` as it should appear in a message: in single quotes, control bytes as \xNN,
// shortened with "..." beyond `limit` bytes.
std::string quote_for_message(std::string_view text, std::size_t limit = 40);

// True for pandas' default missing-value markers (read_csv's na_values) and the empty string.
bool is_missing_marker(std::string_view text);

}  // namespace tranche
