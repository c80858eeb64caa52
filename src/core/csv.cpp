#include "tranche/core/csv.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace tranche {

std::string read_text_file(const std::filesystem::path& path) {
  const auto fail = [&](int error) -> Error {
    return Error(error == ENOENT ? ErrorKind::NotFound : ErrorKind::Io,
                 "cannot read '" + path.string() + "': " + std::strerror(error));
  };
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw fail(errno);
  std::string content;
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (!size_error) {
    // Straight into the string (files run to hundreds of megabytes), then whatever follows
    // if the file grew meanwhile.
    content.resize(static_cast<std::size_t>(size));
    const std::size_t got = std::fread(content.data(), 1, content.size(), file.get());
    if (got < content.size()) {
      if (std::ferror(file.get())) throw fail(errno);
      content.resize(got);
      return content;
    }
  }
  std::array<char, 1 << 16> chunk;
  while (true) {
    const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), file.get());
    content.append(chunk.data(), got);
    if (got < chunk.size()) {
      if (std::ferror(file.get())) throw fail(errno);
      break;
    }
  }
  return content;
}

std::string quote_for_message(std::string_view text, std::size_t limit) {
  std::string out = "'";
  const std::size_t shown = std::min(text.size(), limit);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += static_cast<char>(byte);
    }
  }
  if (shown < text.size()) out += "...";
  out += "'";
  return out;
}

bool is_missing_marker(std::string_view text) {
  // pandas.read_csv's default na_values (pandas 2.x, io/parsers: STR_NA_VALUES).
  static constexpr std::array<std::string_view, 19> markers = {
      "",     "#N/A", "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
      "<NA>", "N/A",  "NA",       "NULL", "NaN",     "None",     "n/a",  "nan",  "null"};
  if (text.size() > 8) return false;
  return std::find(markers.begin(), markers.end(), text) != markers.end();
}

CsvReader::CsvReader(std::string_view text, std::string file_name, char delimiter)
    : text_(text), file_name_(std::move(file_name)), delimiter_(delimiter) {
  ends_cell_[static_cast<unsigned char>(delimiter)] = true;
  ends_cell_['\n'] = true;
  ends_cell_['\r'] = true;
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") position_ = 3;
}

void CsvReader::read_header() {
  if (!read_record()) {
    throw InputError({file_name_, next_line_, 0, ""}, "expected a header row, found an empty file");
  }
  header_line_ = record_line_;
  std::unordered_map<std::string_view, std::size_t> column_of_name;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    const auto header_error = [&](const std::string& what) {
      return InputError({file_name_, header_line_, i + 1, ""}, what);
    };
    if (cells_[i].empty()) throw header_error("expected a column name, found an empty cell");
    const auto [earlier, inserted] = column_of_name.emplace(cells_[i], i);
    if (!inserted) {
      throw header_error("duplicate column name " + quote_for_message(cells_[i]) + " (also column " +
                         std::to_string(earlier->second + 1) + ")");
    }
  }
  header_.assign(cells_.begin(), cells_.end());
}

namespace {
bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}
}  // namespace

std::optional<std::size_t> CsvReader::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (equals_ignoring_case(header_[i], name)) return i;
  }
  return std::nullopt;
}

std::size_t CsvReader::require_column(std::string_view name) const {
  if (const auto index = find_column(name)) return *index;
  throw InputError({file_name_, header_line_, 0, ""},
                   "expected a column named '" + std::string(name) + "' in the header");
}

void CsvReader::seek(std::size_t offset, std::size_t line) {
  position_ = std::min(offset, text_.size());
  next_line_ = line;
}

bool CsvReader::next_record() {
  if (!read_record()) return false;
  if (!header_.empty() && cells_.size() != header_.size()) {
    const std::string counts = "expected " + std::to_string(header_.size()) +
                               " cells as in the header, found " + std::to_string(cells_.size());
    fail(std::min(cells_.size(), header_.size()), counts);
  }
  return true;
}

bool CsvReader::read_record() {
  const std::size_t end = text_.size();
  const char* const data = text_.data();
  // Blank lines.
  while (position_ < end && (data[position_] == '\n' || data[position_] == '\r')) {
    if (data[position_] == '\r' && position_ + 1 < end && data[position_ + 1] == '\n') ++position_;
    ++position_;
    ++next_line_;
  }
  if (position_ >= end) return false;
  record_line_ = next_line_;
  cells_.clear();
  unescaped_.clear();
  unescaped_cells_.clear();
  std::size_t at = position_;
  while (true) {
    if (at < end && data[at] == '"') {
      at = read_quoted_cell(at);
      if (at < end && data[at] != delimiter_ && data[at] != '\n' && data[at] != '\r') {
        fail(cells_.size() - 1, "expected a delimiter or the end of the line after a closing quote, found " +
                                    quote_for_message(text_.substr(at, 1)));
      }
    } else {
      const std::size_t start = at;
      while (at < end && !ends_cell_[static_cast<unsigned char>(data[at])]) ++at;
      cells_.emplace_back(data + start, at - start);
    }
    if (at >= end) break;
    if (data[at] == delimiter_) {
      ++at;
      if (at < end) continue;
      cells_.emplace_back(data + at, 0);  // a delimiter ending the text leaves a last, empty cell
      break;
    }
    // A line break ends the record.
    if (data[at] == '\r' && at + 1 < end && data[at + 1] == '\n') ++at;
    ++at;
    ++next_line_;
    break;
  }
  position_ = at;
  for (const auto& cell : unescaped_cells_) {
    cells_[cell.index] = std::string_view(unescaped_.data() + cell.offset, cell.size);
  }
  return true;
}

std::size_t CsvReader::read_quoted_cell(std::size_t at) {
  const std::size_t end = text_.size();
  const char* const data = text_.data();
  const std::size_t start = at + 1;
  std::size_t scan = start;
  bool doubled_quotes = false;
  std::size_t closing = 0;
  while (true) {
    const void* found = scan < end ? std::memchr(data + scan, '"', end - scan) : nullptr;
    const std::size_t quote = found ? static_cast<std::size_t>(static_cast<const char*>(found) - data) : end;
    for (std::size_t i = scan; i < quote; ++i) {  // line breaks inside the cell
      if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= end || data[i + 1] != '\n'))) ++next_line_;
    }
    if (quote == end) {
      cells_.emplace_back(data + start, 0);
      fail(cells_.size() - 1, "expected a closing quote for the quoted cell, found the end of the file");
    }
    if (quote + 1 < end && data[quote + 1] == '"') {
      doubled_quotes = true;
      scan = quote + 2;
      continue;
    }
    closing = quote;
    break;
  }
  if (!doubled_quotes) {
    cells_.emplace_back(data + start, closing - start);
  } else {
    const std::size_t offset = unescaped_.size();
    for (std::size_t i = start; i < closing; ++i) {
      unescaped_ += data[i];
      if (data[i] == '"') ++i;  // the second quote of a doubled pair
    }
    unescaped_cells_.push_back({cells_.size(), offset, unescaped_.size() - offset});
    cells_.emplace_back();  // set when the record is complete
  }
  return closing + 1;
}

double CsvReader::number(std::size_t index) const {
  const auto value = optional_number(index);
  if (!value) fail(index, "expected a number, found " + quote_for_message(cell(index)));
  return *value;
}

std::optional<double> CsvReader::optional_number(std::size_t index) const {
  const std::string_view text = cell(index);
  const char* first = text.data();
  const char* const last = first + text.size();
  if (first != last && *first == '+' && last - first > 1 && first[1] != '-') ++first;
  double value = 0;
  const auto [stop, error] = std::from_chars(first, last, value);
  if (error == std::errc{} && stop == last && std::isfinite(value)) return value;
  if (is_missing_marker(text)) return std::nullopt;
  if (error == std::errc::result_out_of_range && stop == last) {
    fail(index, "expected a number within the range of a double, found " + quote_for_message(text));
  }
  if (error == std::errc{} && stop == last) {
    fail(index, "expected a finite number, found " + quote_for_message(text));
  }
  fail(index, "expected a number, found " + quote_for_message(text));
}

Date CsvReader::date(std::size_t index) const {
  if (const auto parsed = parse_iso_date(cell(index))) return *parsed;
  fail(index, "expected a date YYYY-MM-DD, found " + quote_for_message(cell(index)));
}

SourceLocation CsvReader::where(std::size_t index) const {
  return {file_name_, record_line_, index + 1, index < header_.size() ? header_[index] : std::string()};
}

SourceLocation CsvReader::where_record() const { return {file_name_, record_line_, 0, ""}; }

void CsvReader::fail(std::size_t index, const std::string& what) const {
  throw InputError(where(index), what);
}

void CsvReader::fail_record(const std::string& what) const { throw InputError(where_record(), what); }

}  // namespace tranche
