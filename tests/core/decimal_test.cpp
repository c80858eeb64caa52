#include "tranche/core/decimal.hpp"

#include <gtest/gtest.h>

#include "tranche/core/error.hpp"

namespace tranche {
namespace {

Decimal d(std::string_view text) { return Decimal::parse(text); }

std::string parse_error(std::string_view text) {
  auto result = Decimal::try_parse(text);
  return result ? "parsed as " + result->to_string() : result.error();
}

TEST(DecimalText, PointOnePlusPointTwoIsExactlyPointThree) {
  EXPECT_EQ((d("0.1") + d("0.2")).to_string(), "0.3");
  EXPECT_EQ(d("0.1") + d("0.2"), d("0.3"));
}

TEST(DecimalText, FormatsTheShortestExactForm) {
  EXPECT_EQ(d("12").to_string(), "12");
  EXPECT_EQ(d("-0.50").to_string(), "-0.5");
  EXPECT_EQ(d("+3.").to_string(), "3");
  EXPECT_EQ(d(".25").to_string(), "0.25");
  EXPECT_EQ(d("-0").to_string(), "0");
  EXPECT_EQ(d("0.000000000000000001").to_string(), "0.000000000000000001");
  EXPECT_EQ(d("1000000000000000").to_string(), "1000000000000000");  // 10^15 dollars
}

TEST(DecimalText, PadsButNeverRoundsWhenAskedForDecimals) {
  EXPECT_EQ(d("1.5").to_string(2), "1.50");
  EXPECT_EQ(d("-7").to_string(2), "-7.00");
  EXPECT_EQ(d("1.005").to_string(2), "1.005");
}

// Whole parts below 2^82 units of 10^-18 (4,835,703.278458516698824704) are split off with
// 64-bit arithmetic, larger ones with a 128-bit division; fractions of odd and even lengths.
TEST(DecimalText, FormatsEitherSideOfTheShortDivisionExactly) {
  EXPECT_EQ(Decimal::from_raw((Int128{1} << 82) - 1).to_string(), "4835703.278458516698824703");
  EXPECT_EQ(Decimal::from_raw(Int128{1} << 82).to_string(), "4835703.278458516698824704");
  EXPECT_EQ(Decimal::from_raw(-(Int128{1} << 82)).to_string(4), "-4835703.278458516698824704");
  EXPECT_EQ(d("4835703.2").to_string(4), "4835703.2000");
  EXPECT_EQ(d("4835704.25").to_string(2), "4835704.25");
  EXPECT_EQ(d("0.123").to_string(), "0.123");
  EXPECT_EQ(d("12.1234").to_string(6), "12.123400");
  EXPECT_EQ(d("5.12345678901234567").to_string(), "5.12345678901234567");
  EXPECT_EQ(d("-0.000000001").to_string(2), "-0.000000001");
  EXPECT_EQ(d("99999999.99").to_string(2), "99999999.99");
}

TEST(DecimalText, HoldsTheExtremesOfTheRange) {
  EXPECT_EQ(Decimal::max().to_string(), "170141183460469231731.687303715884105727");
  EXPECT_EQ(Decimal::min().to_string(), "-170141183460469231731.687303715884105727");
  EXPECT_EQ(d("170141183460469231731.687303715884105727"), Decimal::max());
  EXPECT_EQ(parse_error("170141183460469231731.687303715884105728"),
            "'170141183460469231731.687303715884105728' is outside the decimal range +-1.7e20");
}

TEST(DecimalText, RejectsExponentsSeparatorsAndExcessDigitsWithAReason) {
  EXPECT_EQ(parse_error("1e-3"), "expected a decimal number, found '1e-3' (exponents are not accepted)");
  EXPECT_EQ(parse_error("1,000"),
            "expected a decimal number, found '1,000' (digit group separators are not accepted)");
  EXPECT_EQ(parse_error(" 1"), "expected a decimal number, found ' 1' (spaces are not accepted)");
  EXPECT_EQ(parse_error(""), "expected a decimal number, found nothing");
  EXPECT_EQ(parse_error("-"), "expected a decimal number, found '-'");
  EXPECT_EQ(parse_error("."), "expected a decimal number, found '.'");
  EXPECT_EQ(parse_error("1.2.3"), "expected one decimal point in '1.2.3'");
  EXPECT_EQ(parse_error("0.1234567890123456789"), "'0.1234567890123456789' has more than 18 decimal places");
  // Zeros past the 18th place lose nothing.
  EXPECT_EQ(d("0.1000000000000000000000"), d("0.1"));
  EXPECT_THROW(Decimal::parse("abc"), Error);
}

TEST(DecimalText, ParseRoundedRoundsTheDroppedDigitsByMode) {
  EXPECT_EQ(Decimal::parse_rounded("2.345", 2, Rounding::HalfEven), d("2.34"));
  EXPECT_EQ(Decimal::parse_rounded("2.355", 2, Rounding::HalfEven), d("2.36"));
  EXPECT_EQ(Decimal::parse_rounded("2.3450001", 2, Rounding::HalfEven), d("2.35"));
  EXPECT_EQ(Decimal::parse_rounded("2.345", 2, Rounding::HalfUp), d("2.35"));
  EXPECT_EQ(Decimal::parse_rounded("-2.345", 2, Rounding::HalfUp), d("-2.35"));
  EXPECT_EQ(Decimal::parse_rounded("-2.341", 2, Rounding::Floor), d("-2.35"));
  EXPECT_EQ(Decimal::parse_rounded("2.341", 2, Rounding::Ceiling), d("2.35"));
  EXPECT_EQ(Decimal::parse_rounded("2.349", 2, Rounding::Down), d("2.34"));
  EXPECT_EQ(Decimal::parse_rounded("2.3400", 2, Rounding::Up), d("2.34"));
}

TEST(DecimalArithmetic, AddsAndSubtractsExactly) {
  EXPECT_EQ(d("1000000000000000.01") - d("0.02"), d("999999999999999.99"));
  EXPECT_EQ(d("-5.5") + d("2.25"), d("-3.25"));
  EXPECT_EQ(-d("4.1"), d("-4.1"));
  EXPECT_EQ(d("0.000000001") * 3, d("0.000000003"));
  EXPECT_EQ(d("19.99") * -100, d("-1999"));
}

TEST(DecimalArithmetic, OverflowIsAnErrorNotAWrapAround) {
  try {
    (void)(Decimal::max() + d("0.000000000000000001"));
    FAIL() << "expected an overflow";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Overflow);
    EXPECT_STREQ(e.what(), "decimal overflow in addition: the result is outside +-1.7e20");
  }
  EXPECT_THROW((void)(Decimal::min() - d("1")), Error);
  EXPECT_THROW((void)(d("100000000000") * 10000000000LL), Error);
  EXPECT_THROW((void)d("10000000000").multiply(d("100000000000"), 2, Rounding::HalfEven), Error);
  EXPECT_THROW((void)d("1000000000000").divide(d("0.000000001"), 2, Rounding::HalfEven), Error);
}

TEST(DecimalArithmetic, MultipliesWithTheRequestedScaleAndMode) {
  // 3.333333333 units at 10.015 per unit = 33.383333329995 exactly; 33.38 to cents.
  EXPECT_EQ(d("3.333333333").multiply(d("10.015"), 2, Rounding::HalfEven), d("33.38"));
  EXPECT_EQ(d("3.333333333").multiply(d("10.015"), 18, Rounding::HalfEven), d("33.383333329995"));
  // 1.25 * 0.5 = 0.625: half-even keeps 0.62, half-up gives 0.63, both away from zero when negative.
  EXPECT_EQ(d("1.25").multiply(d("0.5"), 2, Rounding::HalfEven), d("0.62"));
  EXPECT_EQ(d("1.25").multiply(d("0.5"), 2, Rounding::HalfUp), d("0.63"));
  EXPECT_EQ(d("-1.25").multiply(d("0.5"), 2, Rounding::HalfUp), d("-0.63"));
  EXPECT_EQ(d("-1.25").multiply(d("0.5"), 2, Rounding::Down), d("-0.62"));
  EXPECT_EQ(d("-1.25").multiply(d("0.5"), 2, Rounding::Up), d("-0.63"));
  EXPECT_EQ(d("-1.25").multiply(d("0.5"), 2, Rounding::Ceiling), d("-0.62"));
  // Products that need the 256-bit path: 10^15 * 10^5 = 10^20 is still in range.
  EXPECT_EQ(d("1000000000000000").multiply(d("100000"), 0, Rounding::HalfEven), d("100000000000000000000"));
  EXPECT_EQ(d("123456789.123456789").multiply(d("987654321.987654321"), 18, Rounding::HalfEven),
            d("121932631356500531.347203169112635269"));
}

TEST(DecimalArithmetic, MultiplyExactRefusesToDropDigits) {
  EXPECT_EQ(d("0.12345").multiply_exact(d("2500.50")), d("308.686725"));
  EXPECT_THROW((void)d("0.000000001").multiply_exact(d("0.0000000001")), Error);
}

TEST(DecimalArithmetic, DividesWithTheRequestedScaleAndMode) {
  EXPECT_EQ(d("1").divide(d("3"), 9, Rounding::HalfEven), d("0.333333333"));
  EXPECT_EQ(d("2").divide(d("3"), 9, Rounding::HalfEven), d("0.666666667"));
  EXPECT_EQ(d("2").divide(d("3"), 9, Rounding::Down), d("0.666666666"));
  EXPECT_EQ(d("-2").divide(d("3"), 2, Rounding::Floor), d("-0.67"));
  EXPECT_EQ(d("0.125").divide(d("1"), 2, Rounding::HalfEven), d("0.12"));
  EXPECT_EQ(d("0.135").divide(d("1"), 2, Rounding::HalfEven), d("0.14"));
  EXPECT_EQ(d("100").divide(d("0.000000000000000001"), 0, Rounding::HalfEven), d("100000000000000000000"));
  try {
    (void)d("5").divide(Decimal{}, 2, Rounding::HalfEven);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "decimal division by zero: 5 / 0");
  }
}

TEST(DecimalArithmetic, RoundsToEachModeAtTheTargetScale) {
  EXPECT_EQ(d("2.5").round(0, Rounding::HalfEven), d("2"));
  EXPECT_EQ(d("3.5").round(0, Rounding::HalfEven), d("4"));
  EXPECT_EQ(d("-2.5").round(0, Rounding::HalfEven), d("-2"));
  EXPECT_EQ(d("2.5").round(0, Rounding::HalfUp), d("3"));
  EXPECT_EQ(d("-2.5").round(0, Rounding::HalfUp), d("-3"));
  EXPECT_EQ(d("2.1").round(0, Rounding::Up), d("3"));
  EXPECT_EQ(d("-2.9").round(0, Rounding::Down), d("-2"));
  EXPECT_EQ(d("-2.1").round(0, Rounding::Floor), d("-3"));
  EXPECT_EQ(d("-2.9").round(0, Rounding::Ceiling), d("-2"));
  EXPECT_EQ(d("1.23456789").round(4, Rounding::HalfEven), d("1.2346"));
  EXPECT_THROW((void)d("1").round(19, Rounding::HalfEven), Error);
  EXPECT_THROW((void)Decimal::max().round(0, Rounding::Up), Error);
}

TEST(DecimalComparison, OrdersByValueWhateverTheDigitsWritten) {
  EXPECT_LT(d("-1"), d("-0.5"));
  EXPECT_LT(d("0.09"), d("0.1"));
  EXPECT_EQ(d("1.50"), d("1.5"));
  EXPECT_GT(d("10"), d("9.999999999999999999"));
  EXPECT_EQ(d("-3.2").abs(), d("3.2"));
  EXPECT_EQ(d("-3.2").sign(), -1);
  EXPECT_EQ(d("0").sign(), 0);
  EXPECT_EQ(d("1.2300").decimals(), 2);
  EXPECT_EQ(d("7").decimals(), 0);
}

TEST(DecimalDouble, ConvertsAtTheBoundaryFromTheShortestDecimalOfTheDouble) {
  EXPECT_EQ(Decimal::from_double(0.1, 18, Rounding::HalfEven), d("0.1"));
  EXPECT_EQ(Decimal::from_double(0.1 + 0.2, 18, Rounding::HalfEven), d("0.30000000000000004"));
  EXPECT_EQ(Decimal::from_double(0.1 + 0.2, 9, Rounding::HalfEven), d("0.3"));
  EXPECT_EQ(Decimal::from_double(0.123455, 5, Rounding::HalfEven), d("0.12346"));  // 0.123455 exactly
  EXPECT_EQ(Decimal::from_double(-1234.5678, 2, Rounding::Down), d("-1234.56"));
  EXPECT_EQ(Decimal::from_double(1e-30, 18, Rounding::HalfEven), d("0"));
  EXPECT_EQ(Decimal::from_double(1e-30, 18, Rounding::Up), d("0.000000000000000001"));
  EXPECT_THROW((void)Decimal::from_double(std::numeric_limits<double>::quiet_NaN(), 2, Rounding::HalfEven),
               Error);
  EXPECT_THROW((void)Decimal::from_double(1e21, 2, Rounding::HalfEven), Error);
  EXPECT_DOUBLE_EQ(d("172.360001").to_double(), 172.360001);
  EXPECT_EQ(d("0.1").to_double(), 0.1);
}

TEST(Allocate, SplitsOneDollarInThreeWithTheLeftoverCentToTheFirst) {
  const std::vector<Decimal> weights{d("1"), d("1"), d("1")};
  EXPECT_EQ(allocate(d("1.00"), weights, 2), (std::vector<Decimal>{d("0.34"), d("0.33"), d("0.33")}));
}

TEST(Allocate, GivesLeftoverUnitsToTheLargestRemainders) {
  // 100 by 1:2:3:4 at whole units: exact shares 10, 20, 30, 40.
  EXPECT_EQ(allocate(d("100"), std::vector<Decimal>{d("1"), d("2"), d("3"), d("4")}, 0),
            (std::vector<Decimal>{d("10"), d("20"), d("30"), d("40")}));
  // 10 by 0.3:0.3:0.4 at 0 decimals: shares 3, 3, 4 exactly.
  EXPECT_EQ(allocate(d("10"), std::vector<Decimal>{d("0.3"), d("0.3"), d("0.4")}, 0),
            (std::vector<Decimal>{d("3"), d("3"), d("4")}));
  // 7 by 1:1:1:1:1:1 at whole units: 1.1666.. each; one unit each to the first one.
  EXPECT_EQ(allocate(d("7"), std::vector<Decimal>(6, d("1")), 0),
            (std::vector<Decimal>{d("2"), d("1"), d("1"), d("1"), d("1"), d("1")}));
  // 100 units by 0.5:0.3:0.2 at 0 decimals with an awkward total 101: 50.5, 30.3, 20.2 ->
  // floors 50, 30, 20 leave 1 unit for the largest remainder (0.5 of the first).
  EXPECT_EQ(allocate(d("101"), std::vector<Decimal>{d("0.5"), d("0.3"), d("0.2")}, 0),
            (std::vector<Decimal>{d("51"), d("30"), d("20")}));
  // Remainders 0.4, 0.8, 0.8 (shares 2.4, 3.8, 3.8 of 10 by 12:19:19): the two units go
  // to the equal largest remainders.
  EXPECT_EQ(allocate(d("10"), std::vector<Decimal>{d("12"), d("19"), d("19")}, 0),
            (std::vector<Decimal>{d("2"), d("4"), d("4")}));
}

TEST(Allocate, SplitsNegativeTotalsAsTheirMagnitude) {
  EXPECT_EQ(allocate(d("-1.00"), std::vector<Decimal>{d("1"), d("1"), d("1")}, 2),
            (std::vector<Decimal>{d("-0.34"), d("-0.33"), d("-0.33")}));
}

TEST(Allocate, GivesZeroWeightsNothing) {
  EXPECT_EQ(allocate(d("0.05"), std::vector<Decimal>{d("0"), d("3"), d("0"), d("1")}, 2),
            (std::vector<Decimal>{d("0"), d("0.04"), d("0"), d("0.01")}));
}

TEST(Allocate, SplitsNineDecimalUnitsOfAFillByDollarWeights) {
  // 12.5 shares filled for three accounts that asked for $1000, $250.50, $3.33 (sum 1253.83).
  // Exact shares 9.9694535941.., 2.4973481253.., 0.0331982804..: floors sum to 12.499999999,
  // and the one unit left goes to the largest remainder, the third (0.468..).
  const auto parts = allocate(d("12.5"), std::vector<Decimal>{d("1000"), d("250.50"), d("3.33")}, 9);
  EXPECT_EQ(parts, (std::vector<Decimal>{d("9.969453594"), d("2.497348125"), d("0.033198281")}));
}

TEST(Allocate, RejectsWhatCannotBeSplitExactly) {
  EXPECT_THROW((void)allocate(d("1.005"), std::vector<Decimal>{d("1")}, 2), Error);
  EXPECT_THROW((void)allocate(d("1"), std::vector<Decimal>{}, 2), Error);
  EXPECT_THROW((void)allocate(d("1"), std::vector<Decimal>{d("0"), d("0")}, 2), Error);
  try {
    (void)allocate(d("1"), std::vector<Decimal>{d("1"), d("-1")}, 2);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "allocate: weight 1 is negative (-1)");
  }
}

}  // namespace
}  // namespace tranche
