// Properties of Decimal and allocate over random values (RapidCheck; CTest fixes the seed
// through RC_PARAMS so runs are reproducible).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "tranche/core/decimal.hpp"

namespace tranche {
namespace {

// 10^-scale: one unit of the last kept decimal.
Decimal unit(int scale) {
  Int128 raw = 1;
  for (int i = scale; i < Decimal::kScale; ++i) raw *= 10;
  return Decimal::from_raw(raw);
}

// Any representable value, with magnitudes spread over the whole range.
rc::Gen<Decimal> any_decimal() {
  return rc::gen::map(rc::gen::tuple(rc::gen::arbitrary<std::uint64_t>(), rc::gen::arbitrary<std::uint64_t>(),
                                     rc::gen::inRange(0, 127), rc::gen::arbitrary<bool>()),
                      [](const auto& parts) {
                        const auto& [high, low, bits, negative] = parts;
                        UInt128 raw = (static_cast<UInt128>(high) << 64) | low;
                        raw = bits == 0 ? 0 : raw >> (128 - bits);  // keep `bits` bits: below 2^127
                        const auto value = static_cast<Int128>(raw);
                        return Decimal::from_raw(negative ? -value : value);
                      });
}

// A value with at most `decimals` fractional digits and magnitude below 10^integer_digits.
rc::Gen<Decimal> decimal_with(int integer_digits, int decimals, bool allow_negative) {
  std::int64_t limit = 1;
  for (int i = 0; i < integer_digits + decimals; ++i) limit *= 10;
  const std::int64_t low = allow_negative ? -limit + 1 : 0;
  return rc::gen::map(rc::gen::inRange<std::int64_t>(low, limit), [decimals](std::int64_t units) {
    return Decimal::from_raw(static_cast<Int128>(units) * unit(decimals).raw());
  });
}

RC_GTEST_PROP(DecimalProperties, FormatThenParseGivesBackTheSameValue, ()) {
  const Decimal value = *any_decimal();
  RC_ASSERT(Decimal::parse(value.to_string()) == value);
  RC_ASSERT(Decimal::parse(value.to_string(*rc::gen::inRange(0, 19))) == value);
}

RC_GTEST_PROP(DecimalProperties, OrderingAgreesWithSubtractionAndNegation, ()) {
  const Decimal a = *decimal_with(12, 6, true);
  const Decimal b = *decimal_with(12, 6, true);
  RC_ASSERT((a < b) == ((b - a).sign() > 0));
  RC_ASSERT((a < b) == (-b < -a));
  RC_ASSERT(((a < b) + (a == b) + (a > b)) == 1);
  RC_ASSERT((a < b) == (Decimal::parse(a.to_string()) < Decimal::parse(b.to_string())));
}

RC_GTEST_PROP(DecimalProperties, FlooredQuotientTimesDivisorBracketsTheDividend, ()) {
  const Decimal a = *decimal_with(8, 9, true);
  const Decimal b = *rc::gen::suchThat(decimal_with(8, 9, false), [](Decimal x) { return !x.is_zero(); });
  const int scale = *rc::gen::inRange(0, 10);
  const Decimal q = a.divide(b, scale, Rounding::Floor);
  // Both products have at most 18 decimals, so multiply_exact holds them.
  RC_ASSERT(q.multiply_exact(b) <= a);
  RC_ASSERT(a < (q + unit(scale)).multiply_exact(b));
}

RC_GTEST_PROP(DecimalProperties, RoundingToNearestMovesByAtMostHalfAUnit, ()) {
  const Decimal value = *decimal_with(10, 8, true);
  const int scale = *rc::gen::inRange(0, 8);
  const Decimal half = unit(scale).divide(Decimal::from_int(2), 18, Rounding::HalfEven);
  for (const Rounding mode : {Rounding::HalfEven, Rounding::HalfUp}) {
    const Decimal rounded = value.round(scale, mode);
    RC_ASSERT((rounded - value).abs() <= half);
    RC_ASSERT(rounded.decimals() <= scale);
  }
  RC_ASSERT(value.round(scale, Rounding::Floor) <= value);
  RC_ASSERT(value.round(scale, Rounding::Ceiling) >= value);
  RC_ASSERT(value.round(scale, Rounding::Down).abs() <= value.abs());
  RC_ASSERT(value.round(scale, Rounding::Up).abs() >= value.abs());
}

RC_GTEST_PROP(AllocateProperties, PartsSumExactlyToTheTotalAndStayWithinAUnitOfTheirShare, ()) {
  const int scale = *rc::gen::inRange(0, 10);
  const Decimal scaled_total = *decimal_with(9, scale, true);
  const auto weights = *rc::gen::suchThat(
      rc::gen::nonEmpty(rc::gen::container<std::vector<Decimal>>(decimal_with(7, 4, false))),
      [](const std::vector<Decimal>& w) {
        for (const Decimal x : w) {
          if (!x.is_zero()) return true;
        }
        return false;
      });
  const auto parts = allocate(scaled_total, weights, scale);
  RC_ASSERT(parts.size() == weights.size());
  Decimal sum;
  Decimal weight_sum;
  for (const Decimal w : weights) weight_sum += w;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sum += parts[i];
    RC_ASSERT(parts[i].decimals() <= scale);
    if (weights[i].is_zero()) RC_ASSERT(parts[i].is_zero());
    // |part - exact share| < one unit of the scale.
    const Decimal share =
        scaled_total.multiply(weights[i], 18, Rounding::HalfEven).divide(weight_sum, 18, Rounding::HalfEven);
    RC_ASSERT((parts[i] - share).abs() < unit(scale));
  }
  RC_ASSERT(sum == scaled_total);
}

// The leftover units go to the largest remainders, ties to the earlier weight: checked
// against the rule computed directly on integers (weights with 4 decimals share a factor
// 10^14 and take allocate's 64-bit path; with 17 decimals they take the 256-bit one).
RC_GTEST_PROP(AllocateProperties, LeftoverUnitsGoToTheLargestRemaindersTiesToTheEarlierWeight, ()) {
  const int scale = *rc::gen::inRange(0, 10);
  const Decimal total = *decimal_with(8, scale, false);
  const int weight_decimals = *rc::gen::element(4, 17);
  const auto weights = *rc::gen::suchThat(
      rc::gen::nonEmpty(rc::gen::container<std::vector<Decimal>>(decimal_with(1, weight_decimals, false))),
      [](const std::vector<Decimal>& w) {
        for (const Decimal x : w) {
          if (!x.is_zero()) return true;
        }
        return false;
      });
  // Integers: the total in units of the scale (below 10^17), weights' raw values (below 10^19).
  const Int128 total_units = total.raw() / unit(scale).raw();
  Int128 weight_sum = 0;
  for (const Decimal w : weights) weight_sum += w.raw();
  std::vector<Int128> expected(weights.size()), remainders(weights.size());
  Int128 given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    // total_units * weight < 10^17 * 10^19 fits 128 bits.
    expected[i] = total_units * weights[i].raw() / weight_sum;
    remainders[i] = total_units * weights[i].raw() % weight_sum;
    given += expected[i];
  }
  std::vector<std::size_t> order(weights.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (Int128 k = 0; k < total_units - given; ++k) ++expected[order[static_cast<std::size_t>(k)]];
  const auto parts = allocate(total, weights, scale);
  for (std::size_t i = 0; i < parts.size(); ++i) RC_ASSERT(parts[i].raw() == expected[i] * unit(scale).raw());
}

RC_GTEST_PROP(AllocateProperties, IsDeterministic, ()) {
  const auto weights = *rc::gen::container<std::vector<Decimal>>(3, decimal_with(3, 2, false));
  RC_PRE(!(weights[0].is_zero() && weights[1].is_zero() && weights[2].is_zero()));
  const Decimal total = *decimal_with(6, 2, true);
  RC_ASSERT(allocate(total, weights, 2) == allocate(total, weights, 2));
}

}  // namespace
}  // namespace tranche
