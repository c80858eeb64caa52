#include "tranche/optimize/constraint_expression.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <system_error>

#include "tranche/core/csv.hpp"

namespace tranche::optimize {

namespace {

constexpr std::size_t kQuoteLimit = 200;

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool starts_symbol(char c) { return is_letter(c) || c == '_'; }
bool continues_symbol(char c) { return starts_symbol(c) || is_digit(c) || c == '.'; }

std::string message(std::string_view text, std::size_t column, const std::string& detail) {
  return fmt::format("constraint {}: column {}: {}", quote_for_message(text, kQuoteLimit), column, detail);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  ConstraintExpression parse() {
    ConstraintExpression out;
    out.text = std::string(text_);
    std::set<std::string> seen;
    skip_blanks();
    double sign = take_sign().value_or(1.0);
    while (true) {
      WeightTerm term = parse_term(sign);
      if (!seen.insert(term.symbol).second) {
        fail_at(term.column - 1,
                fmt::format("{} appears twice: write it once, with the coefficients added", term.symbol));
      }
      out.terms.push_back(std::move(term));
      const std::optional<double> next = take_sign();
      if (!next) break;
      sign = *next;
    }
    out.relation = parse_relation();
    out.rhs = parse_rhs();
    if (pos_ < text_.size()) fail("the end of the constraint");
    return out;
  }

 private:
  void skip_blanks() {
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_symbol() const { return pos_ < text_.size() && (starts_symbol(peek()) || peek() == '"'); }

  // The token that starts at `at`, for messages.
  std::string token_at(std::size_t at) const {
    if (at >= text_.size()) return "the end";
    std::size_t end = at + 1;
    const char c = text_[at];
    if (continues_symbol(c)) {
      while (end < text_.size() && continues_symbol(text_[end])) ++end;
    } else if (c == '"') {
      while (end < text_.size() && text_[end] != '"') ++end;
      end = std::min(end + 1, text_.size());
    } else if ((c == '<' || c == '>' || c == '=') && end < text_.size() && text_[end] == '=') {
      ++end;
    } else if (static_cast<unsigned char>(c) >= 0xC0) {  // the rest of a UTF-8 sequence
      while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    }
    return quote_for_message(text_.substr(at, end - at), kQuoteLimit);
  }

  [[noreturn]] void fail_at(std::size_t at, const std::string& detail) const {
    throw ConstraintExpressionError(ErrorKind::Parse, text_, at + 1, detail);
  }
  [[noreturn]] void fail(const std::string& expected) const {
    fail_at(pos_, fmt::format("expected {}, found {}", expected, token_at(pos_)));
  }

  // '+' or '-' (and the blanks after it), or nothing.
  std::optional<double> take_sign() {
    const char c = peek();
    if (c != '+' && c != '-') return std::nullopt;
    ++pos_;
    skip_blanks();
    return c == '-' ? -1.0 : 1.0;
  }

  // number (see the grammar), then blanks. `coefficient`: a symbol written right after it
  // (2AAPL) is reported as a missing '*'.
  double parse_number(bool coefficient) {
    const std::size_t start = pos_;
    std::size_t end = pos_;
    const auto digits = [&] {
      while (end < text_.size() && is_digit(text_[end])) ++end;
    };
    digits();
    if (end < text_.size() && text_[end] == '.') {
      ++end;
      digits();
    }
    if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
      std::size_t exponent = end + 1;
      if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) ++exponent;
      if (exponent < text_.size() && is_digit(text_[exponent])) {
        end = exponent;
        digits();
      }
    }
    if (end < text_.size() && continues_symbol(text_[end])) {
      const bool symbol_follows = starts_symbol(text_[end]) && text_[end] != 'e' && text_[end] != 'E';
      if (coefficient && symbol_follows) {
        fail_at(end, fmt::format("expected '*' after the coefficient {}, found {}",
                                 text_.substr(start, end - start), token_at(end)));
      }
      fail_at(start, fmt::format("expected a number, found {}", token_at(start)));
    }
    double value = 0.0;
    const auto [stop, error] = std::from_chars(text_.data() + start, text_.data() + end, value);
    if (error == std::errc::result_out_of_range || !std::isfinite(value)) {
      fail_at(start, fmt::format("number {} is out of range", text_.substr(start, end - start)));
    }
    if (error != std::errc() || stop != text_.data() + end) {
      fail_at(start, fmt::format("expected a number, found {}", token_at(start)));
    }
    pos_ = end;
    number_end_ = end;
    skip_blanks();
    return value;
  }

  // A bare or quoted symbol, then blanks.
  std::string parse_symbol() {
    const std::size_t start = pos_;
    std::string out;
    if (peek() == '"') {
      const std::size_t close = text_.find('"', start + 1);
      if (close == std::string_view::npos) fail_at(start, "expected a closing '\"' after the quoted symbol");
      if (close == start + 1) fail_at(start, "expected a symbol between the quotes, found \"\"");
      out = std::string(text_.substr(start + 1, close - start - 1));
      pos_ = close + 1;
    } else {
      while (pos_ < text_.size() && continues_symbol(text_[pos_])) ++pos_;
      out = std::string(text_.substr(start, pos_ - start));
    }
    skip_blanks();
    return out;
  }

  WeightTerm parse_term(double sign) {
    const std::size_t start = pos_;
    WeightTerm term;
    if (is_digit(peek())) {
      term.coefficient = parse_number(true);
      if (peek() != '*') {
        fail(fmt::format("'*' after the coefficient {} (constants belong on the right-hand side)",
                         text_.substr(start, number_end_ - start)));
      }
      ++pos_;
      skip_blanks();
      if (!at_symbol()) fail("a symbol after '*'");
    } else if (!at_symbol()) {
      fail("a coefficient or a symbol");
    }
    term.column = pos_ + 1;
    term.symbol = parse_symbol();
    term.coefficient *= sign;
    if (term.coefficient == 0.0) {
      fail_at(start, fmt::format("a coefficient of 0 leaves {} out: drop the term", term.symbol));
    }
    return term;
  }

  Relation parse_relation() {
    const std::string_view rest = text_.substr(pos_);
    std::optional<Relation> relation;
    if (rest.substr(0, 2) == "<=") relation = Relation::LessEqual;
    if (rest.substr(0, 2) == ">=") relation = Relation::GreaterEqual;
    if (rest.substr(0, 2) == "==") relation = Relation::Equal;
    if (!relation) fail("'+', '-', '<=', '>=' or '=='");
    pos_ += 2;
    skip_blanks();
    return *relation;
  }

  double parse_rhs() {
    const double sign = take_sign().value_or(1.0);
    if (at_symbol()) fail("a number on the right-hand side (symbols belong on the left)");
    if (!is_digit(peek())) fail("a number");
    return sign * parse_number(false);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t number_end_ = 0;  // where the last number read ends
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string upper_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

// The one symbol equal to `unknown` but for letter case, else the one closest to it within two
// edits; nullopt when there is none or no single best.
std::optional<std::string> closest_symbol(std::string_view unknown, const std::vector<std::string>& symbols) {
  for (const std::string& symbol : symbols) {
    if (upper_case(symbol) == upper_case(unknown)) return symbol;
  }
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  bool tie = false;
  for (const std::string& symbol : symbols) {
    const std::size_t distance = edit_distance(unknown, symbol);
    if (distance < best_distance) {
      best = symbol;
      best_distance = distance;
      tie = false;
    } else if (distance == best_distance) {
      tie = true;
    }
  }
  if (tie || best_distance >= std::max<std::size_t>(unknown.size(), 1)) return std::nullopt;
  return best;
}

std::string_view trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

ConstraintExpressionError::ConstraintExpressionError(ErrorKind kind, std::string_view text,
                                                     std::size_t column, std::string detail)
    : Error(kind, message(text, column, detail)), column_(column), detail_(std::move(detail)) {}

ConstraintExpression parse_constraint_expression(std::string_view text) { return Parser(text).parse(); }

LinearConstraint to_linear_constraint(const ConstraintExpression& expression,
                                      const std::vector<std::string>& symbols) {
  LinearConstraint out;
  for (const WeightTerm& term : expression.terms) {
    if (std::find(symbols.begin(), symbols.end(), term.symbol) == symbols.end()) {
      std::string detail =
          fmt::format("unknown symbol {}: not one of the {} assets", term.symbol, symbols.size());
      if (const auto close = closest_symbol(term.symbol, symbols))
        detail += fmt::format(" (did you mean {}?)", *close);
      throw ConstraintExpressionError(ErrorKind::NotFound, expression.text, term.column, detail);
    }
    out.coefficients.emplace(term.symbol, term.coefficient);
  }
  out.relation = expression.relation;
  out.rhs = expression.rhs;
  out.label = fmt::format("constraint {}", quote_for_message(trimmed(expression.text), kQuoteLimit));
  return out;
}

}  // namespace tranche::optimize
