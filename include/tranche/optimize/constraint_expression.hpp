#pragma once
// Linear constraints on named weights written as text, such as "AAPL + 0.5*MSFT <= 0.3", so a
// command line can state them. The grammar is small and strict, and a bad expression is
// rejected with the column of the offending token and what was expected there.
//
// Grammar (spaces and tabs between tokens are ignored):
//   constraint := sum relation rhs
//   sum        := [sign] term { sign term }
//   term       := symbol | number '*' symbol
//   relation   := '<=' | '>=' | '=='
//   rhs        := [sign] number
//   sign       := '+' | '-'
//   symbol     := (letter | '_') { letter | digit | '_' | '.' }      e.g. AAPL, BRK.B
//               | '"' { any byte but '"' } '"'                       e.g. "BTC-USD"
//   number     := digit { digit } [ '.' { digit } ] [ ('e' | 'E') [sign] digit { digit } ]
// Each symbol appears at most once; a coefficient is finite and not 0; constants belong on the
// right-hand side. Examples: "GOOG >= 0.05", "AMZN - FB == 0", "-2*XOM + BAC <= -0.1".

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/error.hpp"
#include "tranche/optimize/efficient_frontier.hpp"

namespace tranche::optimize {

// One `coefficient * symbol` of the sum; `column` (from 1) is where the symbol is written.
struct WeightTerm {
  double coefficient = 1.0;
  std::string symbol;
  std::size_t column = 0;
};

// A parsed constraint, not yet checked against a list of symbols.
struct ConstraintExpression {
  std::string text;  // as given (columns count in it)
  std::vector<WeightTerm> terms;
  Relation relation = Relation::LessEqual;
  double rhs = 0.0;
};

// A constraint that does not parse (kind Parse) or names an unknown symbol (kind NotFound).
// The message reads: constraint 'AAPL + * MSFT <= 0.3': column 8: expected a coefficient or a
// symbol, found '*'.
class ConstraintExpressionError : public Error {
 public:
  ConstraintExpressionError(ErrorKind kind, std::string_view text, std::size_t column, std::string detail);
  // The offending token's column, from 1, counted in bytes of the text as given; one past the
  // last byte when the text ended too soon.
  std::size_t column() const { return column_; }
  // The message without the constraint and column.
  const std::string& detail() const { return detail_; }

 private:
  std::size_t column_;
  std::string detail_;
};

// Parses one constraint. Throws ConstraintExpressionError (kind Parse).
ConstraintExpression parse_constraint_expression(std::string_view text);

// The constraint over `symbols` (EfficientFrontier's LinearConstraint, labelled with the text).
// Throws ConstraintExpressionError (kind NotFound) at the first symbol not in `symbols`,
// suggesting a close one when there is one.
LinearConstraint to_linear_constraint(const ConstraintExpression& expression,
                                      const std::vector<std::string>& symbols);

}  // namespace tranche::optimize
