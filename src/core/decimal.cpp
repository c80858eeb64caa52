#include "tranche/core/decimal.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "core/wide_int.hpp"
#include "tranche/core/error.hpp"

namespace tranche {

namespace {

using detail::UInt256;

constexpr Int128 kMaxRaw = static_cast<Int128>(~UInt128{0} >> 1);
constexpr Int128 kMinRaw = -kMaxRaw;  // symmetric, so every value can be negated

constexpr std::array<UInt128, 39> make_powers_of_ten() {
  std::array<UInt128, 39> powers{};
  powers[0] = 1;
  for (std::size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
  return powers;
}
constexpr auto kPow10 = make_powers_of_ten();
constexpr UInt128 kOne = kPow10[Decimal::kScale];

[[noreturn]] void overflow(const char* operation) {
  throw Error(ErrorKind::Overflow,
              std::string("decimal overflow in ") + operation + ": the result is outside +-1.7e20");
}

void check_scale(int scale) {
  if (scale < 0 || scale > Decimal::kScale) {
    throw Error(ErrorKind::InvalidArgument,
                "decimal scale must be between 0 and 18, got " + std::to_string(scale));
  }
}

UInt128 magnitude(Int128 raw) { return raw < 0 ? UInt128(0) - static_cast<UInt128>(raw) : UInt128(raw); }

// Rounds quotient + remainder/divisor (a magnitude with sign `negative`) to an integer.
UInt128 round_quotient(UInt128 quotient, UInt128 remainder, UInt128 divisor, bool negative, Rounding mode) {
  if (remainder == 0) return quotient;
  bool up = false;
  // remainder < divisor <= 2^127 here or in the 256-bit path, so the comparison with
  // half the divisor is done as remainder vs divisor - remainder to avoid overflow.
  const UInt128 rest = divisor - remainder;
  switch (mode) {
    case Rounding::HalfEven:
      up = remainder > rest || (remainder == rest && (quotient & 1) != 0);
      break;
    case Rounding::HalfUp:
      up = remainder >= rest;
      break;
    case Rounding::Down:
      up = false;
      break;
    case Rounding::Up:
      up = true;
      break;
    case Rounding::Floor:
      up = negative;
      break;
    case Rounding::Ceiling:
      up = !negative;
      break;
  }
  return up ? quotient + 1 : quotient;
}

Int128 signed_result(UInt128 value, bool negative, const char* operation) {
  if (value > static_cast<UInt128>(kMaxRaw)) overflow(operation);
  const auto result = static_cast<Int128>(value);
  return negative ? -result : result;
}

// Magnitude in units of 10^-scale, rounded, scaled back to 10^-18 units.
Int128 rescale(UInt128 units, int scale, bool negative, const char* operation) {
  const UInt256 product = detail::multiply_wide(units, kPow10[Decimal::kScale - scale]);
  if (product.high != 0) overflow(operation);
  return signed_result(product.low, negative, operation);
}

// The digits of a decimal literal, split for rounding at `scale` fractional digits.
struct ParsedDigits {
  bool negative = false;
  UInt128 units = 0;              // integer and the first `scale` fractional digits, in 10^-scale units
  int tail = 0;                   // 0: nothing dropped, 1: below half, 2: exactly half, 3: above half
  bool has_extra_digits = false;  // a non-zero digit past `scale`
};

tl::expected<ParsedDigits, std::string> parse_digits(std::string_view text, int scale) {
  ParsedDigits out;
  std::size_t at = 0;
  if (text.empty()) return tl::unexpected(std::string("expected a decimal number, found nothing"));
  if (text[0] == '+' || text[0] == '-') {
    out.negative = text[0] == '-';
    ++at;
  }
  int integer_digits = 0, fraction_digits = 0;
  bool point = false;
  int first_dropped = -1;
  bool nonzero_after_first_dropped = false;
  for (; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '.') {
      if (point) return tl::unexpected("expected one decimal point in '" + std::string(text) + "'");
      point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      std::string why = "expected a decimal number, found '" + std::string(text) + "'";
      if (c == 'e' || c == 'E') why += " (exponents are not accepted)";
      if (c == ',') why += " (digit group separators are not accepted)";
      if (c == ' ' || c == '\t') why += " (spaces are not accepted)";
      return tl::unexpected(why);
    }
    const int digit = c - '0';
    if (point) {
      ++fraction_digits;
      if (fraction_digits > scale) {
        if (first_dropped < 0) {
          first_dropped = digit;
        } else if (digit != 0) {
          nonzero_after_first_dropped = true;
        }
        if (digit != 0) out.has_extra_digits = true;
        continue;
      }
    } else {
      ++integer_digits;
    }
    constexpr UInt128 kLimit = ~UInt128{0} / 10;  // units * 10 + digit fits below this
    if (out.units > kLimit || (out.units == kLimit && static_cast<UInt128>(digit) > ~UInt128{0} % 10)) {
      return tl::unexpected("'" + std::string(text) + "' is outside the decimal range +-1.7e20");
    }
    out.units = out.units * 10 + static_cast<UInt128>(digit);
  }
  if (integer_digits + fraction_digits == 0) {
    return tl::unexpected("expected a decimal number, found '" + std::string(text) + "'");
  }
  for (int i = std::min(fraction_digits, scale); i < scale; ++i) {
    if (out.units > ~UInt128{0} / 10) {
      return tl::unexpected("'" + std::string(text) + "' is outside the decimal range +-1.7e20");
    }
    out.units *= 10;
  }
  if (first_dropped < 0 || (first_dropped == 0 && !nonzero_after_first_dropped)) {
    out.tail = 0;
  } else if (first_dropped < 5) {
    out.tail = 1;
  } else if (first_dropped == 5 && !nonzero_after_first_dropped) {
    out.tail = 2;
  } else {
    out.tail = 3;
  }
  return out;
}

// Applies the dropped tail of a literal to its kept units.
UInt128 round_tail(const ParsedDigits& parsed, Rounding mode) {
  if (parsed.tail == 0) return parsed.units;
  // Model the tail as a remainder out of a divisor of 4: below half 1, half 2, above 3.
  const UInt128 remainder = parsed.tail == 1 ? 1 : (parsed.tail == 2 ? 2 : 3);
  return round_quotient(parsed.units, remainder, 4, parsed.negative, mode);
}

Decimal checked_from_units(UInt128 units, int scale, bool negative) {
  const UInt256 product = detail::multiply_wide(units, kPow10[Decimal::kScale - scale]);
  if (product.high != 0 || product.low > static_cast<UInt128>(kMaxRaw)) {
    throw Error(ErrorKind::Overflow, "decimal literal is outside the range +-1.7e20");
  }
  const auto raw = static_cast<Int128>(product.low);
  return Decimal::from_raw(negative ? -raw : raw);
}

}  // namespace

const char* to_string(Rounding mode) {
  switch (mode) {
    case Rounding::HalfEven:
      return "half-even";
    case Rounding::HalfUp:
      return "half-up";
    case Rounding::Down:
      return "down";
    case Rounding::Up:
      return "up";
    case Rounding::Floor:
      return "floor";
    case Rounding::Ceiling:
      return "ceiling";
  }
  return "?";
}

Decimal Decimal::from_raw(Int128 raw) {
  if (raw < kMinRaw) overflow("from_raw");
  return Decimal(raw);
}

Decimal Decimal::from_int(std::int64_t value) {
  return Decimal(static_cast<Int128>(value) * static_cast<Int128>(kOne));
}

Decimal Decimal::max() { return Decimal(kMaxRaw); }
Decimal Decimal::min() { return Decimal(kMinRaw); }

namespace {

constexpr std::array<std::uint64_t, 19> make_small_powers_of_ten() {
  std::array<std::uint64_t, 19> powers{};
  powers[0] = 1;
  for (std::size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
  return powers;
}
constexpr auto kSmallPow10 = make_small_powers_of_ten();

// The common literal, at most 18 integer and 18 fractional digits with an optional sign and
// point, read in 64-bit arithmetic. Anything else (including every malformed text) is left
// to parse_digits, which says what is wrong.
std::optional<Int128> parse_short_literal(std::string_view text) {
  const char* at = text.data();
  const char* const end = at + text.size();
  bool negative = false;
  if (at != end && (*at == '-' || *at == '+')) negative = *at++ == '-';
  std::uint64_t integer = 0, fraction = 0;
  const char* const integer_start = at;
  while (at != end && *at >= '0' && *at <= '9')
    integer = integer * 10 + static_cast<std::uint64_t>(*at++ - '0');
  const auto integer_digits = at - integer_start;
  long fraction_digits = 0;
  if (at != end && *at == '.') {
    const char* const fraction_start = ++at;
    while (at != end && *at >= '0' && *at <= '9')
      fraction = fraction * 10 + static_cast<std::uint64_t>(*at++ - '0');
    fraction_digits = at - fraction_start;
  }
  if (at != end || integer_digits > 18 || fraction_digits > 18 || integer_digits + fraction_digits == 0)
    return std::nullopt;
  const Int128 raw = static_cast<Int128>(integer) * static_cast<Int128>(kOne) +
                     static_cast<Int128>(
                         fraction * kSmallPow10[static_cast<std::size_t>(Decimal::kScale - fraction_digits)]);
  return negative ? -raw : raw;
}

}  // namespace

tl::expected<Decimal, std::string> Decimal::try_parse(std::string_view text) {
  if (const auto raw = parse_short_literal(text)) return Decimal(*raw);
  auto parsed = parse_digits(text, kScale);
  if (!parsed) return tl::unexpected(parsed.error());
  if (parsed->has_extra_digits) {
    return tl::unexpected("'" + std::string(text) + "' has more than 18 decimal places");
  }
  if (parsed->units > static_cast<UInt128>(kMaxRaw)) {
    return tl::unexpected("'" + std::string(text) + "' is outside the decimal range +-1.7e20");
  }
  const auto raw = static_cast<Int128>(parsed->units);
  return Decimal(parsed->negative ? -raw : raw);
}

Decimal Decimal::parse(std::string_view text) {
  auto value = try_parse(text);
  if (!value) throw Error(ErrorKind::Parse, value.error());
  return *value;
}

Decimal Decimal::parse_rounded(std::string_view text, int scale, Rounding mode) {
  check_scale(scale);
  auto parsed = parse_digits(text, scale);
  if (!parsed) throw Error(ErrorKind::Parse, parsed.error());
  return checked_from_units(round_tail(*parsed, mode), scale, parsed->negative);
}

Decimal Decimal::from_double(double value, int scale, Rounding mode) {
  check_scale(scale);
  if (!std::isfinite(value)) {
    throw Error(ErrorKind::InvalidArgument, "cannot convert a non-finite number to a decimal");
  }
  if (std::fabs(value) >= 1.7e20) overflow("from_double");
  // Fixed notation of the shortest round-trip form: at most ~330 characters for tiny values.
  char buffer[400];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (result.ec != std::errc{}) overflow("from_double");
  return parse_rounded(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)), scale, mode);
}

double Decimal::to_double() const {
  const std::string text = to_string();
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);  // correctly rounded
  return value;
}

int Decimal::decimals() const {
  // The fraction is below 10^18: 64-bit arithmetic from here on.
  auto fraction = static_cast<std::uint64_t>(magnitude(raw_) % kOne);
  if (fraction == 0) return 0;
  int digits = kScale;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  return digits;
}

std::string Decimal::to_string() const { return to_string(0); }

std::string Decimal::to_string(int min_decimals) const {
  char text[kMaxText];
  return std::string(text, format_to(text, min_decimals));
}

namespace {

// "00" "01" ... "99": two digits per table lookup.
constexpr std::array<char, 200> make_digit_pairs() {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    pairs[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}
constexpr auto kDigitPairs = make_digit_pairs();

// Writes exactly `count` (even) digits of value (below 10^count) ending at `end`.
void write_digits_backwards(char* end, std::uint64_t value, int count) {
  for (; count > 0; count -= 2) {
    const auto pair = static_cast<std::size_t>(value % 100) * 2;
    value /= 100;
    *--end = kDigitPairs[pair + 1];
    *--end = kDigitPairs[pair];
  }
}

// A magnitude's whole units and its fraction (below 10^18). Below 2^82 (whole parts up to
// about 4.8 million), 10^18 = 2^18 x 5^18 divides as a shift and a 64-bit division by a
// constant (a multiplication); larger values take the 128-bit library division.
std::pair<UInt128, std::uint64_t> whole_and_fraction(UInt128 value) {
  constexpr std::uint64_t kFivePow18 = 3'814'697'265'625;
  const UInt128 whole =
      (value >> 82) == 0 ? UInt128{static_cast<std::uint64_t>(value >> 18) / kFivePow18} : value / kOne;
  return {whole, static_cast<std::uint64_t>(value - whole * kOne)};
}

}  // namespace

char* Decimal::format_to(char* out, int min_decimals) const {
  // The integer part and the fraction's digits come from 64-bit arithmetic, two at a time.
  auto [integer, fraction] = whole_and_fraction(magnitude(raw_));
  if (raw_ < 0) *out++ = '-';
  char digits[40];
  char* const digits_end = digits + sizeof digits;
  char* first = digits_end;
  while (integer > UINT64_MAX) {
    *--first = static_cast<char>('0' + static_cast<int>(integer % 10));
    integer /= 10;
  }
  auto small = static_cast<std::uint64_t>(integer);
  while (small >= 100) {
    const auto pair = static_cast<std::size_t>(small % 100) * 2;
    small /= 100;
    *--first = kDigitPairs[pair + 1];
    *--first = kDigitPairs[pair];
  }
  if (small >= 10) {
    *--first = kDigitPairs[small * 2 + 1];
    *--first = kDigitPairs[small * 2];
  } else {
    *--first = static_cast<char>('0' + static_cast<int>(small));
  }
  std::memcpy(out, first, static_cast<std::size_t>(digits_end - first));
  out += digits_end - first;
  int needed = 0;  // decimals(): trailing zeros stripped 8, 4, 2 and 1 at a time (constant
                   // divisors, so multiplications), leaving the `needed` digits to write
  if (fraction != 0) {
    needed = kScale;
    while (fraction % 100'000'000 == 0) {
      fraction /= 100'000'000;
      needed -= 8;
    }
    if (fraction % 10'000 == 0) {
      fraction /= 10'000;
      needed -= 4;
    }
    if (fraction % 100 == 0) {
      fraction /= 100;
      needed -= 2;
    }
    if (fraction % 10 == 0) {
      fraction /= 10;
      --needed;
    }
  }
  const int shown = std::max(std::clamp(min_decimals, 0, kScale), needed);
  if (shown > 0) {
    *out++ = '.';
    // An odd count starts with its last digit, the rest go two at a time; zeros pad to `shown`.
    char* end = out + needed;
    int count = needed;
    if (count % 2 == 1) {
      *--end = static_cast<char>('0' + static_cast<int>(fraction % 10));
      fraction /= 10;
      --count;
    }
    write_digits_backwards(end, fraction, count);
    std::memset(out + needed, '0', static_cast<std::size_t>(shown - needed));
    out += shown;
  }
  return out;
}

Decimal Decimal::abs() const { return raw_ < 0 ? Decimal(-raw_) : *this; }

Decimal Decimal::operator-() const { return Decimal(-raw_); }

Decimal Decimal::operator+(Decimal other) const {
  Int128 result = 0;
  if (__builtin_add_overflow(raw_, other.raw_, &result) || result < kMinRaw) overflow("addition");
  return Decimal(result);
}

Decimal Decimal::operator-(Decimal other) const {
  Int128 result = 0;
  if (__builtin_sub_overflow(raw_, other.raw_, &result) || result < kMinRaw) overflow("subtraction");
  return Decimal(result);
}

Decimal Decimal::operator*(std::int64_t factor) const {
  Int128 result = 0;
  if (__builtin_mul_overflow(raw_, static_cast<Int128>(factor), &result) || result < kMinRaw) {
    overflow("multiplication");
  }
  return Decimal(result);
}

Decimal Decimal::multiply(Decimal other, int scale, Rounding mode) const {
  check_scale(scale);
  const bool negative = (raw_ < 0) != (other.raw_ < 0);
  // |a| * |b| is in 10^-36 units; divide by 10^(36 - scale) to get 10^-scale units.
  const UInt256 product = detail::multiply_wide(magnitude(raw_), magnitude(other.raw_));
  const UInt128 divisor = kPow10[2 * kScale - scale];
  const auto division = detail::divide_wide(product, static_cast<std::uint64_t>(kOne),
                                            static_cast<std::uint64_t>(kPow10[kScale - scale]));
  if (division.overflow) overflow("multiplication");
  const UInt128 units = round_quotient(division.quotient, division.remainder, divisor, negative, mode);
  return Decimal(rescale(units, scale, negative, "multiplication"));
}

Decimal Decimal::multiply_exact(Decimal other) const {
  const Decimal rounded = multiply(other, kScale, Rounding::Down);
  if (rounded != multiply(other, kScale, Rounding::Up)) {
    throw Error(ErrorKind::InvalidArgument, to_string() + " * " + other.to_string() +
                                                " has more than 18 decimal places; round it explicitly");
  }
  return rounded;
}

Decimal Decimal::divide(Decimal other, int scale, Rounding mode) const {
  check_scale(scale);
  if (other.raw_ == 0)
    throw Error(ErrorKind::InvalidArgument, "decimal division by zero: " + to_string() + " / 0");
  const bool negative = (raw_ < 0) != (other.raw_ < 0);
  // (|a| / 10^18) / (|b| / 10^18) in 10^-scale units is |a| * 10^scale / |b|.
  const UInt256 numerator = detail::multiply_wide(magnitude(raw_), kPow10[scale]);
  const UInt128 divisor = magnitude(other.raw_);
  const auto division = detail::divide_wide(numerator, divisor);
  if (division.overflow) overflow("division");
  const UInt128 units = round_quotient(division.quotient, division.remainder, divisor, negative, mode);
  return Decimal(rescale(units, scale, negative, "division"));
}

Decimal Decimal::round(int scale, Rounding mode) const {
  check_scale(scale);
  const bool negative = raw_ < 0;
  const UInt128 divisor = kPow10[kScale - scale];
  const UInt128 value = magnitude(raw_);
  const UInt128 units = round_quotient(value / divisor, value % divisor, divisor, negative, mode);
  return Decimal(rescale(units, scale, negative, "rounding"));
}

namespace {

// The largest k <= 18 such that 10^k divides every weight's raw value.
int common_power_of_ten(std::span<const Decimal> weights) {
  int k = Decimal::kScale;
  for (const auto& w : weights) k = detail::common_power_of_ten(magnitude(w.raw()), k);
  return k;
}

}  // namespace

std::vector<Decimal> allocate(Decimal total, std::span<const Decimal> weights, int scale) {
  check_scale(scale);
  if (weights.empty())
    throw Error(ErrorKind::InvalidArgument, "allocate: no weights to split " + total.to_string() + " by");
  if (total.round(scale, Rounding::Down) != total) {
    throw Error(ErrorKind::InvalidArgument, "allocate: the total " + total.to_string() + " has more than " +
                                                std::to_string(scale) + " decimal places");
  }
  UInt128 weight_sum = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i].sign() < 0) {
      throw Error(ErrorKind::InvalidArgument,
                  "allocate: weight " + std::to_string(i) + " is negative (" + weights[i].to_string() + ")");
    }
    weight_sum += magnitude(weights[i].raw());  // two values below 2^127 cannot overflow 2^128
    if (weight_sum < magnitude(weights[i].raw())) overflow("allocate");
  }
  if (weight_sum == 0) throw Error(ErrorKind::InvalidArgument, "allocate: the weights sum to zero");

  const bool negative = total.sign() < 0;
  const UInt128 total_units = magnitude(total.raw()) / kPow10[Decimal::kScale - scale];
  std::vector<UInt128> units(weights.size());
  std::vector<UInt128> remainders(weights.size());
  UInt128 given = 0;
  const auto common = common_power_of_ten(weights);
  const UInt128 reduced_sum = detail::divide_by_power_of_ten(weight_sum, common);
  if (reduced_sum <= UINT64_MAX && total_units <= UINT64_MAX) {
    // The usual case: weights with few decimals (dollars) share a factor 10^k; without it they
    // fit 64 bits, and each share is one 64 x 64-bit product and one division by a 64-bit
    // divisor. Dividing every weight by the same factor keeps each quotient and the order of
    // the remainders.
    const auto divisor = static_cast<std::uint64_t>(reduced_sum);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const UInt128 product =
          total_units * detail::divide_by_power_of_ten(magnitude(weights[i].raw()), common);
      units[i] = product / divisor;
      remainders[i] = product - units[i] * divisor;
      given += units[i];
    }
  } else {
    for (std::size_t i = 0; i < weights.size(); ++i) {
      // weight <= sum, so the exact share total * weight / sum fits 128 bits.
      const auto share =
          detail::divide_wide(detail::multiply_wide(total_units, magnitude(weights[i].raw())), weight_sum);
      units[i] = share.quotient;
      remainders[i] = share.remainder;
      given += share.quotient;
    }
  }
  // The leftover is below the number of weights, since each floor loses less than one unit.
  const auto leftover = static_cast<std::size_t>(total_units - given);
  if (leftover > 0) {
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Only the set of the `leftover` first in (remainder desc, index asc) order matters.
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(leftover - 1), order.end(),
                     [&](std::size_t a, std::size_t b) {
                       return remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b;
                     });
    for (std::size_t k = 0; k < leftover; ++k) ++units[order[k]];
  }
  std::vector<Decimal> parts;
  parts.reserve(weights.size());
  for (const UInt128 part : units)
    parts.push_back(Decimal::from_raw(rescale(part, scale, negative, "allocate")));
  return parts;
}

}  // namespace tranche
