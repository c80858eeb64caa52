// Daily returns: pandas' pct_change(fill_method=None) then dropna(how="all"|"any"), simple
// and log, checked against values worked out by hand from the prices.

#include "tranche/data/returns.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>

namespace tranche::data {
namespace {

using std::chrono::April;
using std::chrono::January;
using std::chrono::September;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

Date day(std::chrono::year_month_day ymd) { return Date{ymd}; }

const PriceTable& stock_prices() {
  static const PriceTable table = load_prices(std::string(TRANCHE_DATA_DIR) + "/prices/stock_prices.csv");
  return table;
}

Eigen::Index column_of(const ReturnsTable& returns, const std::string& symbol) {
  return std::find(returns.symbols.begin(), returns.symbols.end(), symbol) - returns.symbols.begin();
}

Eigen::Index row_of(const ReturnsTable& returns, Date date) {
  return std::find(returns.dates.begin(), returns.dates.end(), date) - returns.dates.begin();
}

// Three dates, three symbols: A has every price, B lacks its middle one, C has only the last.
PriceTable small_table() {
  PriceTable table;
  table.symbols = {"A", "B", "C"};
  table.dates = {day(std::chrono::year{2024} / January / 2), day(std::chrono::year{2024} / January / 3),
                 day(std::chrono::year{2024} / January / 4)};
  table.closes.resize(3, 3);
  table.closes << 100.0, 50.0, kNan,  //
      110.0, kNan, kNan,              //
      99.0, 55.0, 20.0;
  return table;
}

TEST(StockPricesReturns, DropOnlyTheFirstAllMissingRow) {
  // The first row has no earlier price, so every return in it is missing; every later row has
  // AAPL's. PyPortfolioOpt's README states 7125 rows too.
  const ReturnsTable returns = returns_from_prices(stock_prices());
  EXPECT_EQ(returns.values.rows(), 7125);
  EXPECT_EQ(returns.values.cols(), 20);
  EXPECT_EQ(returns.dates.size(), 7125u);
  EXPECT_EQ(returns.dates.front(), day(std::chrono::year{1990} / January / 2));
  EXPECT_EQ(returns.dates.back(), day(std::chrono::year{2018} / April / 11));
  EXPECT_EQ(returns.symbols, stock_prices().symbols);
}

TEST(StockPricesReturns, MatchHandComputedSimpleReturns) {
  const ReturnsTable returns = returns_from_prices(stock_prices());
  // AAPL 1990-01-02: 0.123853 / 0.117203 - 1 = 0.006650 / 0.117203 = 0.0567392
  EXPECT_NEAR(
      returns.values(row_of(returns, day(std::chrono::year{1990} / January / 2)), column_of(returns, "AAPL")),
      0.0567392, 1e-7);
  // MA 2018-04-11: 172.360001 / 174.720001 - 1 = -2.36 / 174.720001 = -0.0135073
  EXPECT_NEAR(returns.values(7124, column_of(returns, "MA")), -0.0135073, 1e-7);
  // BABA's first price is on 2014-09-19 (93.889999), so its return that day is missing and
  // the next one, 2014-09-22, is 89.889999 / 93.889999 - 1 = -4 / 93.889999 = -0.0426030.
  const Eigen::Index baba = column_of(returns, "BABA");
  EXPECT_TRUE(
      std::isnan(returns.values(row_of(returns, day(std::chrono::year{2014} / September / 19)), baba)));
  EXPECT_NEAR(returns.values(row_of(returns, day(std::chrono::year{2014} / September / 22)), baba),
              -0.0426030, 1e-7);
}

TEST(StockPricesReturns, LogReturnIsTheLogOfThePriceRatio) {
  const ReturnsTable returns = returns_from_prices(stock_prices(), ReturnKind::Log);
  EXPECT_EQ(returns.values.rows(), 7125);
  // MA 2018-04-11: ln(172.360001 / 174.720001) = ln(1 - 0.0135073) = -0.0135994
  // (ln(1 - x) = -x - x^2/2 - x^3/3 ... = -0.0135073 - 0.0000912 - 0.0000008).
  EXPECT_NEAR(returns.values(7124, column_of(returns, "MA")), -0.0135994, 1e-7);
}

TEST(StockPricesReturns, DroppingAnyMissingKeepsTheRowsAfterTheLastListing) {
  // All 20 prices exist from BABA's listing, 2014-09-19, to the end: 896 rows (as the data's
  // README says), hence 895 complete returns starting 2014-09-22.
  const ReturnsTable returns = returns_from_prices(stock_prices(), ReturnKind::Simple, DropRows::AnyMissing);
  EXPECT_EQ(returns.values.rows(), 895);
  EXPECT_EQ(returns.dates.front(), day(std::chrono::year{2014} / September / 22));
  EXPECT_FALSE(returns.values.array().isNaN().any());
}

TEST(Returns, AReturnIsMissingWhenEitherPriceIs) {
  const ReturnsTable returns = returns_from_prices(small_table());
  // Row 2024-01-03: A 110/100 - 1 = 0.1; B and C missing. Row 2024-01-04: A 99/110 - 1 = -0.1;
  // B missing (its 2024-01-03 price is), C missing (no earlier price).
  ASSERT_EQ(returns.values.rows(), 2);
  EXPECT_EQ(returns.dates[0], day(std::chrono::year{2024} / January / 3));
  EXPECT_NEAR(returns.values(0, 0), 0.1, 1e-15);
  EXPECT_TRUE(std::isnan(returns.values(0, 1)));
  EXPECT_TRUE(std::isnan(returns.values(0, 2)));
  EXPECT_NEAR(returns.values(1, 0), -0.1, 1e-15);
  EXPECT_TRUE(std::isnan(returns.values(1, 1)));
  EXPECT_TRUE(std::isnan(returns.values(1, 2)));
}

TEST(Returns, DroppingAllMissingRemovesOnlyRowsWithNoReturn) {
  PriceTable table = small_table();
  table.closes(1, 0) = kNan;  // now 2024-01-03 and 2024-01-04 have no return at all
  EXPECT_EQ(returns_from_prices(table).values.rows(), 0);
  table.closes(0, 1) = 50.0;
  table.closes(1, 1) = 51.0;  // B: 51/50 - 1 = 0.02 on 2024-01-03
  const ReturnsTable returns = returns_from_prices(table);
  ASSERT_EQ(returns.values.rows(), 2);
  EXPECT_NEAR(returns.values(0, 1), 0.02, 1e-15);
}

TEST(Returns, DroppingAnyMissingKeepsOnlyCompleteRows) {
  PriceTable table = small_table();
  table.closes(0, 2) = 25.0;
  table.closes(1, 2) = 20.0;
  table.closes(1, 1) = 44.0;
  // Now every price exists: 2024-01-03 A 0.1, B 44/50 - 1 = -0.12, C 20/25 - 1 = -0.2.
  ReturnsTable returns = returns_from_prices(table, ReturnKind::Simple, DropRows::AnyMissing);
  ASSERT_EQ(returns.values.rows(), 2);
  EXPECT_NEAR(returns.values(0, 1), -0.12, 1e-15);
  EXPECT_NEAR(returns.values(0, 2), -0.2, 1e-15);
  table.closes(2, 2) = kNan;  // C's last price gone: the 2024-01-04 row is incomplete
  returns = returns_from_prices(table, ReturnKind::Simple, DropRows::AnyMissing);
  ASSERT_EQ(returns.values.rows(), 1);
  EXPECT_EQ(returns.dates[0], day(std::chrono::year{2024} / January / 3));
}

TEST(Returns, LogReturnsOfAPriceThatDoublesThenHalves) {
  PriceTable table;
  table.symbols = {"A"};
  table.dates = {day(std::chrono::year{2024} / January / 2), day(std::chrono::year{2024} / January / 3),
                 day(std::chrono::year{2024} / January / 4)};
  table.closes.resize(3, 1);
  table.closes << 10.0, 20.0, 10.0;
  const ReturnsTable returns = returns_from_prices(table, ReturnKind::Log);
  ASSERT_EQ(returns.values.rows(), 2);
  EXPECT_NEAR(returns.values(0, 0), std::log(2.0), 1e-15);  // ln 2 = 0.693147...
  EXPECT_NEAR(returns.values(1, 0), -std::log(2.0), 1e-15);
}

TEST(Returns, FewerThanTwoPricesGiveNoReturns) {
  PriceTable table;
  table.symbols = {"A", "B"};
  table.dates = {day(std::chrono::year{2024} / January / 2)};
  table.closes = Eigen::MatrixXd::Constant(1, 2, 10.0);
  const ReturnsTable returns = returns_from_prices(table);
  EXPECT_EQ(returns.values.rows(), 0);
  EXPECT_EQ(returns.values.cols(), 2);
  EXPECT_TRUE(returns.dates.empty());
  EXPECT_EQ(returns.symbols, table.symbols);
}

}  // namespace
}  // namespace tranche::data
