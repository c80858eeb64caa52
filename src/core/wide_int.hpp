#pragma once
// 256-bit intermediates for Decimal: the exact product of two 128-bit magnitudes and its
// quotient by a 128-bit divisor, so multiply and divide never lose digits before rounding.

#include <array>

#include "tranche/core/decimal.hpp"

namespace tranche::detail {

struct UInt256 {
  UInt128 high = 0;
  UInt128 low = 0;
};

inline UInt256 multiply_wide(UInt128 a, UInt128 b) {
  constexpr UInt128 kLow64 = ~std::uint64_t{0};
  const UInt128 a0 = a & kLow64, a1 = a >> 64;
  const UInt128 b0 = b & kLow64, b1 = b >> 64;
  const UInt128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  // The middle 64-bit column collects three terms; it cannot overflow 128 bits.
  const UInt128 middle = (p00 >> 64) + (p01 & kLow64) + (p10 & kLow64);
  return {p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64), (middle << 64) | (p00 & kLow64)};
}

struct WideQuotient {
  UInt128 quotient = 0;
  UInt128 remainder = 0;
  bool overflow = false;  // the quotient does not fit 128 bits
};

// Schoolbook division by a divisor below 2^64, one 64-bit limb at a time (native 128/64).
inline WideQuotient divide_by_small(UInt256 numerator, std::uint64_t divisor) {
  constexpr UInt128 kLow64 = ~std::uint64_t{0};
  if (numerator.high >= divisor) return {0, 0, true};
  UInt128 remainder = numerator.high;  // below the divisor, so the quotient's high half is 0
  UInt128 quotient = 0;
  for (const UInt128 limb : {numerator.low >> 64, numerator.low & kLow64}) {
    const UInt128 current = (remainder << 64) | limb;
    quotient = (quotient << 64) | (current / divisor);
    remainder = current % divisor;
  }
  return {quotient, remainder, false};
}

// (numerator.high * 2^128 + numerator.low) / divisor, divisor > 0.
inline WideQuotient divide_wide(UInt256 numerator, UInt128 divisor) {
  if (numerator.high == 0) return {numerator.low / divisor, numerator.low % divisor, false};
  if (numerator.high >= divisor) return {0, 0, true};
  if ((divisor >> 64) == 0) return divide_by_small(numerator, static_cast<std::uint64_t>(divisor));
  // Restoring binary long division; the running remainder stays below the divisor.
  UInt128 remainder = numerator.high;
  UInt128 quotient = 0;
  for (int bit = 127; bit >= 0; --bit) {
    const bool carry = (remainder >> 127) != 0;
    remainder = (remainder << 1) | ((numerator.low >> bit) & 1);
    quotient <<= 1;
    if (carry || remainder >= divisor) {
      remainder -= divisor;
      quotient |= 1;
    }
  }
  return {quotient, remainder, false};
}

// Division by first * second (each below 2^64) in two short steps; the remainder is
// recombined so rounding sees the exact fraction: n = ((q * second + r2) * first + r1).
inline WideQuotient divide_wide(UInt256 numerator, std::uint64_t first, std::uint64_t second) {
  const WideQuotient step1 = divide_by_small(numerator, first);
  if (step1.overflow) return divide_wide(numerator, static_cast<UInt128>(first) * second);
  const UInt128 quotient = step1.quotient / second;
  const UInt128 remainder = (step1.quotient % second) * first + step1.remainder;
  return {quotient, remainder, false};
}

constexpr std::array<UInt128, 19> make_powers_of_ten_to_18() {
  std::array<UInt128, 19> powers{};
  powers[0] = 1;
  for (std::size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
  return powers;
}
inline constexpr auto kPowersOfTen = make_powers_of_ten_to_18();

// The inverse of 5^k modulo 2^128 (5 is odd, so it exists): x * inverse is the exact quotient
// x / 5^k whenever 5^k divides x, and a test for divisibility otherwise (Granlund and
// Montgomery: x is a multiple of d exactly when x * inverse(d) mod 2^128 <= (2^128 - 1) / d).
constexpr std::array<UInt128, 19> make_inverses_of_powers_of_five() {
  std::array<UInt128, 19> inverses{};
  UInt128 power = 1;
  for (std::size_t k = 0; k < inverses.size(); ++k) {
    UInt128 inverse = power;  // correct to 3 bits; each Newton step doubles the correct bits
    for (int step = 0; step < 7; ++step) inverse *= 2 - power * inverse;
    inverses[k] = inverse;
    power *= 5;
  }
  return inverses;
}
inline constexpr auto kInverseOfPow5 = make_inverses_of_powers_of_five();

constexpr std::array<UInt128, 19> make_multiple_of_five_limits() {
  std::array<UInt128, 19> limits{};
  for (std::size_t k = 0; k < limits.size(); ++k) limits[k] = ~UInt128{0} / (kPowersOfTen[k] >> k);
  return limits;
}
inline constexpr auto kMultipleOfPow5Limit = make_multiple_of_five_limits();

inline bool divisible_by_power_of_ten(UInt128 value, int k) {
  const auto index = static_cast<std::size_t>(k);
  return (value & ((UInt128{1} << k) - 1)) == 0 &&
         (value >> k) * kInverseOfPow5[index] <= kMultipleOfPow5Limit[index];
}

// value / 10^k for a value divisible by 10^k, without a division.
inline UInt128 divide_by_power_of_ten(UInt128 value, int k) {
  return (value >> k) * kInverseOfPow5[static_cast<std::size_t>(k)];
}

// The largest k' <= k such that 10^k' divides value (k itself for zero).
inline int common_power_of_ten(UInt128 value, int k) {
  if (value == 0) return k;
  while (k > 0 && !divisible_by_power_of_ten(value, k)) --k;
  return k;
}

}  // namespace tranche::detail
