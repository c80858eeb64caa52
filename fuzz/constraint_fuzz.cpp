// The optimizer's constraint expressions on arbitrary bytes: a text is a constraint or is
// refused with a ConstraintExpressionError whose column lies inside the text (or one past its
// end); a parsed constraint has distinct symbols, finite non-zero coefficients, columns that
// point at its symbols, and maps onto a list of its own symbols without error.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "tranche/optimize/constraint_expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tranche::optimize;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const ConstraintExpression expression = parse_constraint_expression(text);
    FUZZ_CHECK(!expression.terms.empty());
    FUZZ_CHECK(std::isfinite(expression.rhs));
    std::set<std::string> seen;
    std::vector<std::string> symbols;
    for (const WeightTerm& term : expression.terms) {
      FUZZ_CHECK(std::isfinite(term.coefficient) && term.coefficient != 0.0);
      FUZZ_CHECK(seen.insert(term.symbol).second);
      FUZZ_CHECK(term.column >= 1 && term.column <= text.size());
      const char first = text[term.column - 1];
      FUZZ_CHECK(first == '"' || (!term.symbol.empty() && first == term.symbol.front()));
      symbols.push_back(term.symbol);
    }
    const LinearConstraint constraint = to_linear_constraint(expression, symbols);
    FUZZ_CHECK(constraint.coefficients.size() == expression.terms.size());
    for (const WeightTerm& term : expression.terms)
      FUZZ_CHECK(constraint.coefficients.at(term.symbol) == term.coefficient);
    FUZZ_CHECK(constraint.relation == expression.relation && constraint.rhs == expression.rhs);
  } catch (const ConstraintExpressionError& error) {
    FUZZ_CHECK(error.kind() == tranche::ErrorKind::Parse);
    FUZZ_CHECK(error.column() >= 1 && error.column() <= text.size() + 1);
    FUZZ_CHECK(!error.detail().empty());
  }
  return 0;
}
