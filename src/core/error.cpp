#include "tranche/core/error.hpp"

namespace tranche {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidArgument:
      return "invalid argument";
    case ErrorKind::Parse:
      return "parse error";
    case ErrorKind::Overflow:
      return "overflow";
    case ErrorKind::NotFound:
      return "not found";
    case ErrorKind::Io:
      return "i/o error";
    case ErrorKind::Infeasible:
      return "infeasible";
  }
  return "error";
}

namespace {
std::string located(const SourceLocation& where, const std::string& what) {
  std::string out = where.file;
  if (where.line > 0) out.append(":").append(std::to_string(where.line));
  if (where.column > 0) out.append(":").append(std::to_string(where.column));
  out.append(": ");
  if (!where.field.empty()) out.append("field '").append(where.field).append("': ");
  out.append(what);
  return out;
}
}  // namespace

InputError::InputError(SourceLocation where, const std::string& what)
    : Error(ErrorKind::Parse, located(where, what)), where_(std::move(where)), detail_(what) {}

}  // namespace tranche
