#pragma once
// Errors: every failure Tranche reports carries a kind callers can branch on and a
// message a person can act on. Bad input names its file, line, column and field.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace tranche {

enum class ErrorKind {
  InvalidArgument,  // a caller passed a value outside the contract
  Parse,            // input text is not in the expected form
  Overflow,         // an exact result does not fit the representation
  NotFound,         // a named thing (file, symbol, session) does not exist
  Io,               // the operating system refused a read or write
  Infeasible,       // a request that no answer can satisfy
};

const char* to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// Where in an input file something went wrong. Lines and columns count from 1;
// 0 means "not known" and is left out of the message.
struct SourceLocation {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string field;  // the column's header name, when there is one
};

// A parse error in a file: "prices.csv:14:3: expected a number, found 'abc'".
class InputError : public Error {
 public:
  InputError(SourceLocation where, const std::string& what);
  const SourceLocation& where() const { return where_; }
  // The message without the location prefix.
  const std::string& detail() const { return detail_; }

 private:
  SourceLocation where_;
  std::string detail_;
};

}  // namespace tranche
