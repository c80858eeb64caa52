#pragma once
// Decimal: the exact number for money, quantities and prices. No binary floating point
// touches its arithmetic; every rounding is asked for by name.
//
// Representation: a signed 128-bit integer counting units of 10^-18. That holds
//   - cash up to 10^15 dollars (and beyond: the range is +-1.7 * 10^20) exactly,
//   - fractional shares to 9 decimals and crypto amounts to 18 decimals,
// with one scale for everything, so values of different kinds add without conversion.
//
// What each operation returns:
//   a + b, a - b, -a        exact; Overflow error outside the range
//   a * n (integer n)       exact; Overflow error outside the range
//   a.multiply(b, s, mode)  the product rounded to s decimals (0..18) by `mode`
//   a.multiply_exact(b)     the product if it is exact at 18 decimals, else an error
//   a.divide(b, s, mode)    the quotient rounded to s decimals; division by zero is an error
//   a.round(s, mode)        a rounded to s decimals
//   comparisons             exact
//
// Text: parse accepts an optional sign, digits, and an optional point with up to 18
// fractional digits ("12", "-0.5", "+3.", ".25"). It rejects exponents ("1e-3"), digit
// group separators ("1,000"), spaces, and more than 18 significant fractional digits
// (trailing zeros past the 18th are fine): input is never silently rounded.
// to_string() gives the shortest exact form ("0.3", "-12", "1.05").

#include <compare>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

namespace tranche {

__extension__ using Int128 = __int128;
__extension__ using UInt128 = unsigned __int128;

// How a result is brought to fewer decimals. Down and Up are toward and away from zero.
enum class Rounding {
  HalfEven,  // to nearest, ties to the even neighbour (banker's rounding)
  HalfUp,    // to nearest, ties away from zero
  Down,      // toward zero (truncate)
  Up,        // away from zero
  Floor,     // toward negative infinity
  Ceiling,   // toward positive infinity
};

class Decimal {
 public:
  static constexpr int kScale = 18;

  constexpr Decimal() = default;

  // The value raw * 10^-18. Throws Overflow for the one raw value whose negation does not fit.
  static Decimal from_raw(Int128 raw);
  static Decimal from_int(std::int64_t value);
  // The number the text spells, under the rules above. Throws Error(Parse) saying why.
  static Decimal parse(std::string_view text);
  // As parse, but returns the reason instead of throwing (for hot parsers).
  static tl::expected<Decimal, std::string> try_parse(std::string_view text);
  // As parse, but digits past `scale` are rounded by `mode` instead of rejected.
  static Decimal parse_rounded(std::string_view text, int scale, Rounding mode);
  // The explicit boundary from the optimizer's doubles: the shortest decimal that reads
  // back as `value` (so 0.1 is 0.1), rounded to `scale` decimals by `mode`.
  // NaN and infinities are errors.
  static Decimal from_double(double value, int scale, Rounding mode);

  static Decimal max();
  static Decimal min();

  Int128 raw() const { return raw_; }
  double to_double() const;  // the nearest double
  std::string to_string() const;
  // At least `min_decimals` fractional digits (zero padded), more if the value has them:
  // formatting never rounds.
  std::string to_string(int min_decimals) const;
  // The text of to_string(min_decimals) written at `out` (room for kMaxText characters), for
  // writers of millions of values: no allocation. Returns the end of the text.
  static constexpr int kMaxText = 48;
  char* format_to(char* out, int min_decimals = 0) const;
  // How many fractional digits the value needs (0..18).
  int decimals() const;

  int sign() const { return (raw_ > 0) - (raw_ < 0); }
  bool is_zero() const { return raw_ == 0; }
  Decimal abs() const;

  Decimal operator-() const;
  Decimal operator+(Decimal other) const;
  Decimal operator-(Decimal other) const;
  Decimal& operator+=(Decimal other) { return *this = *this + other; }
  Decimal& operator-=(Decimal other) { return *this = *this - other; }
  Decimal operator*(std::int64_t factor) const;

  Decimal multiply(Decimal other, int scale, Rounding mode) const;
  Decimal multiply_exact(Decimal other) const;
  Decimal divide(Decimal other, int scale, Rounding mode) const;
  Decimal round(int scale, Rounding mode) const;

  friend bool operator==(Decimal a, Decimal b) = default;
  friend std::strong_ordering operator<=>(Decimal a, Decimal b) { return a.raw_ <=> b.raw_; }

 private:
  explicit constexpr Decimal(Int128 raw) : raw_(raw) {}
  Int128 raw_ = 0;
};

// Splits `total` into parts proportional to `weights`, each a multiple of 10^-scale, whose
// sum is exactly `total` (largest remainder: every part gets the floor of its exact share,
// then the units left over go one each to the largest remainders, ties to the earlier
// weight). Weights must be non-negative with a positive sum, and `total` a multiple of
// 10^-scale; otherwise Error(InvalidArgument). A negative total splits as its magnitude,
// negated. Parts of zero weights are zero.
std::vector<Decimal> allocate(Decimal total, std::span<const Decimal> weights, int scale);

const char* to_string(Rounding mode);

}  // namespace tranche

template <>
struct std::hash<tranche::Decimal> {
  std::size_t operator()(tranche::Decimal value) const noexcept {
    const auto raw = static_cast<tranche::UInt128>(value.raw());
    return std::hash<std::uint64_t>{}(static_cast<std::uint64_t>(raw) ^
                                      static_cast<std::uint64_t>(raw >> 64) * 0x9E3779B97F4A7C15ULL);
  }
};
