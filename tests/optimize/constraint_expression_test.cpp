// The text form of linear constraints on named weights: what parses (table), what does not and
// where the message points (table), and properties over generated expressions: printed
// coefficients come back bit for bit, a stray token is reported at its own column, and a
// truncated expression is reported at its end.

#include "tranche/optimize/constraint_expression.hpp"

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace tranche::optimize {
namespace {

struct Term {
  double coefficient;
  std::string symbol;
  std::size_t column;
};

struct ValidCase {
  std::string text;
  std::vector<Term> terms;
  Relation relation;
  double rhs;
};

TEST(ConstraintExpression, ParsesTheDocumentedForms) {
  const std::vector<ValidCase> cases = {
      {"AAPL + 0.5*MSFT <= 0.3", {{1.0, "AAPL", 1}, {0.5, "MSFT", 12}}, Relation::LessEqual, 0.3},
      {"GOOG >= 0.05", {{1.0, "GOOG", 1}}, Relation::GreaterEqual, 0.05},
      {"AMZN - FB == 0", {{1.0, "AMZN", 1}, {-1.0, "FB", 8}}, Relation::Equal, 0.0},
      {"-2*XOM+BAC<=-0.1", {{-2.0, "XOM", 4}, {1.0, "BAC", 8}}, Relation::LessEqual, -0.1},
      {"  BRK.B >= 1e-3  ", {{1.0, "BRK.B", 3}}, Relation::GreaterEqual, 0.001},
      {"\"BTC-USD\" - 2.5E+1 * _X1 <= +4",
       {{1.0, "BTC-USD", 1}, {-25.0, "_X1", 22}},
       Relation::LessEqual,
       4.0},
      {"\tGE\t-\t3.*T\t>=\t- 2", {{1.0, "GE", 2}, {-3.0, "T", 10}}, Relation::GreaterEqual, -2.0},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(c.text);
    const ConstraintExpression e = parse_constraint_expression(c.text);
    EXPECT_EQ(e.text, c.text);
    ASSERT_EQ(e.terms.size(), c.terms.size());
    for (std::size_t i = 0; i < c.terms.size(); ++i) {
      EXPECT_EQ(e.terms[i].coefficient, c.terms[i].coefficient);
      EXPECT_EQ(e.terms[i].symbol, c.terms[i].symbol);
      EXPECT_EQ(e.terms[i].column, c.terms[i].column);
    }
    EXPECT_EQ(e.relation, c.relation);
    EXPECT_EQ(e.rhs, c.rhs);
  }
}

struct ErrorCase {
  std::string text;
  std::size_t column;
  std::string detail;
};

TEST(ConstraintExpression, PointsAtTheOffendingTokenAndSaysWhatWasExpected) {
  const std::string relations = "expected '+', '-', '<=', '>=' or '=='";
  const std::vector<ErrorCase> cases = {
      {"", 1, "expected a coefficient or a symbol, found the end"},
      {"   ", 4, "expected a coefficient or a symbol, found the end"},
      {"AAPL + * MSFT <= 0.3", 8, "expected a coefficient or a symbol, found '*'"},
      {"--AAPL <= 1", 2, "expected a coefficient or a symbol, found '-'"},
      {"(AAPL) <= 1", 1, "expected a coefficient or a symbol, found '('"},
      {".5*AAPL <= 1", 1, "expected a coefficient or a symbol, found '.5'"},
      {"AAPL", 5, relations + ", found the end"},
      {"AAPL < 0.3", 6, relations + ", found '<'"},
      {"AAPL = 0.3", 6, relations + ", found '='"},
      {"AAPL => 0.3", 6, relations + ", found '='"},
      {"AAPL \xE2\x89\xA4 0.3", 6, relations + ", found '\xE2\x89\xA4'"},
      {"AAPL * 2 <= 1", 6, relations + ", found '*'"},
      {"AAPL MSFT <= 1", 6, relations + ", found 'MSFT'"},
      {"AAPL <=", 8, "expected a number, found the end"},
      {"AAPL <= -", 10, "expected a number, found the end"},
      {"AAPL <= MSFT", 9,
       "expected a number on the right-hand side (symbols belong on the left), found 'MSFT'"},
      {"AAPL <= 0.3 + MSFT", 13, "expected the end of the constraint, found '+'"},
      {"AAPL <= 0.3 0.4", 13, "expected the end of the constraint, found '0.4'"},
      {"AAPL <= 0.3x", 9, "expected a number, found '0.3x'"},
      {"0.5 MSFT <= 1", 5,
       "expected '*' after the coefficient 0.5 (constants belong on the right-hand side), found 'MSFT'"},
      {"AAPL + 0.1 <= 0.3", 12,
       "expected '*' after the coefficient 0.1 (constants belong on the right-hand side), found '<='"},
      {"2AAPL <= 1", 2, "expected '*' after the coefficient 2, found 'AAPL'"},
      {"0.5* <= 1", 6, "expected a symbol after '*', found '<='"},
      {"1.2.3*AAPL <= 1", 1, "expected a number, found '1.2.3'"},
      {"1e*AAPL <= 1", 1, "expected a number, found '1e'"},
      {"1e999*AAPL <= 1", 1, "number 1e999 is out of range"},
      {"AAPL <= 1e400", 9, "number 1e400 is out of range"},
      {"AAPL + AAPL <= 1", 8, "AAPL appears twice: write it once, with the coefficients added"},
      {"0*AAPL <= 1", 1, "a coefficient of 0 leaves AAPL out: drop the term"},
      {"\"BTC-USD <= 1", 1, "expected a closing '\"' after the quoted symbol"},
      {"\"\" <= 1", 1, "expected a symbol between the quotes, found \"\""},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      (void)parse_constraint_expression(c.text);
      ADD_FAILURE() << "expected an error";
    } catch (const ConstraintExpressionError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Parse);
      EXPECT_EQ(e.column(), c.column);
      EXPECT_EQ(e.detail(), c.detail);
    }
  }
}

TEST(ConstraintExpression, MessageQuotesTheConstraintAndTheColumn) {
  EXPECT_THAT(
      [] { (void)parse_constraint_expression("AAPL + * MSFT <= 0.3"); },
      testing::ThrowsMessage<Error>(testing::StrEq(
          "constraint 'AAPL + * MSFT <= 0.3': column 8: expected a coefficient or a symbol, found '*'")));
}

const std::vector<std::string> kStocks = {"GOOG", "AAPL", "FB", "BABA", "AMZN", "GE",   "AMD",
                                          "WMT",  "BAC",  "GM", "T",    "UAA",  "SHLD", "XOM",
                                          "RRC",  "BBY",  "MA", "PFE",  "JPM",  "SBUX"};

TEST(ConstraintExpression, BindsToSymbolsAndLabelsWithTheText) {
  const LinearConstraint c =
      to_linear_constraint(parse_constraint_expression("  AMZN - 0.5*FB >= -0.25 "), kStocks);
  EXPECT_EQ(c.coefficients, (std::map<std::string, double>{{"AMZN", 1.0}, {"FB", -0.5}}));
  EXPECT_EQ(c.relation, Relation::GreaterEqual);
  EXPECT_EQ(c.rhs, -0.25);
  EXPECT_EQ(c.label, "constraint 'AMZN - 0.5*FB >= -0.25'");
}

TEST(ConstraintExpression, NamesAnUnknownSymbolAndSuggestsACloseOne) {
  const std::vector<ErrorCase> cases = {
      {"APPL <= 0.3", 1, "unknown symbol APPL: not one of the 20 assets (did you mean AAPL?)"},
      {"GOOG + aapl <= 0.3", 8, "unknown symbol aapl: not one of the 20 assets (did you mean AAPL?)"},
      {"GOOG + XYZQ <= 0.3", 8, "unknown symbol XYZQ: not one of the 20 assets"},
      {"GOOG - 2*\"BRK-B\" == 0", 10, "unknown symbol BRK-B: not one of the 20 assets"},
      // GM and GE are both one edit from GX: no single suggestion.
      {"GX >= 0", 1, "unknown symbol GX: not one of the 20 assets"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      (void)to_linear_constraint(parse_constraint_expression(c.text), kStocks);
      ADD_FAILURE() << "expected an error";
    } catch (const ConstraintExpressionError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::NotFound);
      EXPECT_EQ(e.column(), c.column);
      EXPECT_EQ(e.detail(), c.detail);
    }
  }
  EXPECT_THAT([] { (void)to_linear_constraint(parse_constraint_expression("APPL <= 0.3"), kStocks); },
              testing::ThrowsMessage<Error>(testing::StrEq(
                  "constraint 'APPL <= 0.3': column 1: unknown symbol APPL: not one of the 20 assets "
                  "(did you mean AAPL?)")));
}

// --- Properties over generated expressions ---

// A valid expression as tokens (joined by blanks) and what it must parse to.
struct Generated {
  std::vector<std::string> tokens;
  std::vector<std::string> blanks;  // blanks[i] goes before tokens[i + 1]
  std::vector<double> coefficients;
  std::vector<std::string> symbols;
  Relation relation = Relation::LessEqual;
  double rhs = 0.0;

  std::string text(std::size_t token_count) const {
    std::string out;
    for (std::size_t i = 0; i < token_count; ++i) out += (i > 0 ? blanks[i - 1] : "") + tokens[i];
    return out;
  }
  std::string text() const { return text(tokens.size()); }
};

double normal_double() {
  return *rc::gen::suchThat(rc::gen::arbitrary<double>(), [](double x) { return std::isnormal(x); });
}

Generated generate_expression() {
  Generated g;
  const std::vector<std::string> pool = {"GOOG", "AAPL", "BRK.B", "_X1", "T", "\"BTC-USD\"", "a.b_2"};
  const auto chosen = *rc::gen::suchThat(
      rc::gen::unique<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, pool.size())),
      [](const std::vector<std::size_t>& picked) { return !picked.empty(); });
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const double coefficient = *rc::gen::arbitrary<bool>() ? *rc::gen::element(1.0, -1.0) : normal_double();
    const bool negative = std::signbit(coefficient);
    if (negative || i > 0) g.tokens.push_back(negative ? "-" : "+");
    const double magnitude = std::abs(coefficient);
    if (magnitude != 1.0 || *rc::gen::arbitrary<bool>()) {
      g.tokens.push_back(fmt::format("{}", magnitude));
      g.tokens.push_back("*");
    }
    const std::string& symbol = pool[chosen[i]];
    g.tokens.push_back(symbol);
    g.coefficients.push_back(coefficient);
    g.symbols.push_back(symbol.front() == '"' ? symbol.substr(1, symbol.size() - 2) : symbol);
  }
  g.relation = *rc::gen::element(Relation::LessEqual, Relation::GreaterEqual, Relation::Equal);
  g.tokens.push_back(g.relation == Relation::LessEqual      ? "<="
                     : g.relation == Relation::GreaterEqual ? ">="
                                                            : "==");
  g.rhs = *rc::gen::element(0, 1) == 0 ? 0.0 : normal_double();
  if (std::signbit(g.rhs) || *rc::gen::arbitrary<bool>()) g.tokens.push_back(std::signbit(g.rhs) ? "-" : "+");
  g.tokens.push_back(fmt::format("{}", std::abs(g.rhs)));
  for (std::size_t i = 1; i < g.tokens.size(); ++i) {
    // Blanks may be left out only where the tokens cannot run together.
    const auto word_like = [](const std::string& token) {
      return token.find_first_not_of("+-*<>=") != std::string::npos;
    };
    const bool may_touch = !word_like(g.tokens[i - 1]) || !word_like(g.tokens[i]);
    g.blanks.push_back(*rc::gen::element<std::string>(may_touch ? "" : " ", " ", "  ", "\t"));
  }
  return g;
}

RC_GTEST_PROP(ConstraintExpressionProperty, PrintedCoefficientsAndRightHandSideComeBackBitForBit, ()) {
  const Generated g = generate_expression();
  const ConstraintExpression e = parse_constraint_expression(g.text());
  RC_ASSERT(e.terms.size() == g.symbols.size());
  for (std::size_t i = 0; i < e.terms.size(); ++i) {
    RC_ASSERT(e.terms[i].symbol == g.symbols[i]);
    RC_ASSERT(e.terms[i].coefficient == g.coefficients[i]);
  }
  RC_ASSERT(e.relation == g.relation);
  RC_ASSERT(e.rhs == g.rhs);
}

RC_GTEST_PROP(ConstraintExpressionProperty, AStrayTokenIsReportedAtItsOwnColumn, ()) {
  const Generated g = generate_expression();
  const auto at = *rc::gen::inRange<std::size_t>(0, g.tokens.size() + 1);
  const std::string stray = *rc::gen::element<std::string>("@", "#", ")", "/", "!", "?", "<", "=", ";");
  const std::string before = g.text(at);
  const std::string text = before + (at > 0 ? " " : "") + stray + " " + g.text().substr(before.size());
  try {
    (void)parse_constraint_expression(text);
    RC_FAIL("expected an error for " + text);
  } catch (const ConstraintExpressionError& e) {
    RC_ASSERT(e.kind() == ErrorKind::Parse);
    RC_ASSERT(e.column() == before.size() + (at > 0 ? 2 : 1));
    RC_ASSERT(e.detail().find("expected ") == 0);
  }
}

RC_GTEST_PROP(ConstraintExpressionProperty, ATruncatedExpressionIsReportedAtItsEnd, ()) {
  const Generated g = generate_expression();
  const std::string text = g.text(*rc::gen::inRange<std::size_t>(0, g.tokens.size()));
  try {
    (void)parse_constraint_expression(text);
    RC_FAIL("expected an error for " + text);
  } catch (const ConstraintExpressionError& e) {
    RC_ASSERT(e.column() == text.size() + 1);
    RC_ASSERT(e.detail().size() >= 13);
    RC_ASSERT(e.detail().substr(e.detail().size() - 13) == "found the end");
  }
}

}  // namespace
}  // namespace tranche::optimize
