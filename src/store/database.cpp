#include "tranche/store/database.hpp"

#include "store/backends.hpp"
#include "tranche/core/error.hpp"

namespace tranche::store {

std::optional<std::string> as_text(const SqlValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* view = std::get_if<std::string_view>(&value)) return std::string(*view);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
  return std::nullopt;
}

std::int64_t as_integer(const SqlValue& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  throw Error(ErrorKind::Io,
              "the book holds " + as_text(value).value_or("NULL") + " where an integer was expected");
}

std::string to_postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = '\0';
  for (const char c : sql) {
    if (quote != '\0') {
      if (c == quote) quote = '\0';
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out.append("$").append(std::to_string(next++));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::unique_ptr<Database> open_database(const std::string& location) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://"))
    return open_postgres(location);
  return open_sqlite(location);
}

}  // namespace tranche::store
