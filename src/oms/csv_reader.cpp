#include "oms/csv_reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace tranche::oms::detail {

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) throw Error(ErrorKind::NotFound, path.string() + ": no such file");
    throw Error(ErrorKind::Io, path.string() + ": cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::Io, path.string() + ": read failed");
  return std::move(content).str();
}

namespace {
bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}
}  // namespace

CsvReader::CsvReader(std::string_view text, std::string file_name)
    : text_(text), file_name_(std::move(file_name)) {}

void CsvReader::read_header() {
  if (!read_record()) throw InputError({file_name_, 1, 0, ""}, "the file is empty, expected a header");
  header_line_ = record_line_;
  header_.assign(cells_.begin(), cells_.end());
  for (std::size_t i = 0; i < header_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (!header_[i].empty() && equal_ignoring_case(header_[i], header_[j]))
        throw InputError({file_name_, header_line_, i + 1, header_[i]}, "column name used twice");
    }
  }
}

std::optional<std::size_t> CsvReader::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (equal_ignoring_case(header_[i], name)) return i;
  return std::nullopt;
}

std::size_t CsvReader::require_column(std::string_view name) const {
  if (auto index = find_column(name)) return *index;
  std::string names;
  for (const auto& h : header_) names += (names.empty() ? "" : ",") + h;
  throw InputError({file_name_, header_line_, 0, std::string(name)},
                   "missing column '" + std::string(name) + "' (header is '" + names + "')");
}

bool CsvReader::next_record() {
  if (!read_record()) return false;
  if (cells_.size() != header_.size()) {
    throw InputError({file_name_, record_line_, 0, ""}, "expected " + std::to_string(header_.size()) +
                                                            " cells as in the header, found " +
                                                            std::to_string(cells_.size()));
  }
  return true;
}

bool CsvReader::read_record() {
  cells_.clear();
  unquoted_.clear();
  // Skip blank lines.
  while (position_ < text_.size() && (text_[position_] == '\n' || text_[position_] == '\r')) {
    if (text_[position_] == '\n') ++next_line_;
    ++position_;
  }
  if (position_ >= text_.size()) return false;
  record_line_ = next_line_;
  while (true) {
    if (position_ < text_.size() && text_[position_] == '"') {
      const std::size_t start_line = next_line_;
      std::string value;
      std::size_t at = position_ + 1;
      while (true) {
        if (at >= text_.size())
          throw InputError({file_name_, start_line, cells_.size() + 1, ""}, "unterminated quoted cell");
        if (text_[at] == '"') {
          if (at + 1 < text_.size() && text_[at + 1] == '"') {
            value += '"';
            at += 2;
            continue;
          }
          ++at;
          break;
        }
        if (text_[at] == '\n') ++next_line_;
        value += text_[at++];
      }
      if (at < text_.size() && text_[at] != ',' && text_[at] != '\n' && text_[at] != '\r')
        throw InputError({file_name_, start_line, cells_.size() + 1, ""}, "text after a closing quote");
      unquoted_.push_back(std::move(value));
      cells_.push_back(unquoted_.back());
      position_ = at;
    } else {
      std::size_t end = position_;
      while (end < text_.size() && text_[end] != ',' && text_[end] != '\n' && text_[end] != '\r') ++end;
      cells_.push_back(text_.substr(position_, end - position_));
      position_ = end;
    }
    if (position_ >= text_.size()) return true;
    const char separator = text_[position_++];
    if (separator == ',') continue;
    if (separator == '\r' && position_ < text_.size() && text_[position_] == '\n') ++position_;
    ++next_line_;
    return true;
  }
}

Decimal CsvReader::decimal(std::size_t index) const {
  auto value = Decimal::try_parse(cell(index));
  if (!value)
    fail(index,
         "expected a decimal number, found '" + std::string(cell(index)) + "' (" + value.error() + ")");
  return *value;
}

long long CsvReader::integer(std::size_t index) const {
  const auto text = cell(index);
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    fail(index, "expected an integer, found '" + std::string(text) + "'");
  return value;
}

SourceLocation CsvReader::where(std::size_t index) const {
  return {file_name_, record_line_, index + 1, index < header_.size() ? header_[index] : std::string()};
}

void CsvReader::fail(std::size_t index, const std::string& what) const {
  throw InputError(where(index), what);
}

}  // namespace tranche::oms::detail
