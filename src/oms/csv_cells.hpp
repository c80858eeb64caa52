#pragma once
// Exact typed cells for the book's CSV files: numbers are read as decimals from their text
// (never through a double), with the core reader's file:line:column messages.

#include <charconv>
#include <string>

#include "tranche/core/csv.hpp"
#include "tranche/core/decimal.hpp"

namespace tranche::oms::detail {

// pandas writes its index as an unnamed first column (a header starting with ','), as the
// chapter's MasterOrder.csv does; the core reader wants every column named, so that one is
// named "index". Cells keep their columns, so messages still point at the right place.
inline std::string name_unnamed_index_column(std::string text) {
  const std::size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  if (text.size() > start && text[start] == ',') text.insert(start, "index");
  return text;
}

inline Decimal decimal_cell(const CsvReader& reader, std::size_t index) {
  auto value = Decimal::try_parse(reader.cell(index));
  if (!value) {
    reader.fail(index, "expected a decimal number, found " + quote_for_message(reader.cell(index)) + " (" +
                           value.error() + ")");
  }
  return *value;
}

inline long long integer_cell(const CsvReader& reader, std::size_t index) {
  const auto text = reader.cell(index);
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    reader.fail(index, "expected an integer, found " + quote_for_message(text));
  return value;
}

}  // namespace tranche::oms::detail
