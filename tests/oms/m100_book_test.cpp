// The 100-account book (one BUY per account over three models) against what the chapter's own
// pandas code computes from the same inputs in floating point (seed_account_allocations.csv,
// seed_final_cash.csv). Our units are the exact pro-rata shares rounded to 9 decimals by
// largest remainder, so each differs from the float by less than 1e-9 (one unit of the 9th
// decimal); our cash rounds each split to cents, so each account differs by less than one cent
// per split. At 18 decimals, the units agree with the floats to 1e-12 relative.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "test_support.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/oms/allocation.hpp"
#include "tranche/oms/book_files.hpp"

namespace tranche::oms {
namespace {

using testing::FixedMarketHours;

const std::filesystem::path kBook = std::filesystem::path(TRANCHE_DATA_DIR) / "book" / "m100";
const std::string kFixtures = std::string(TRANCHE_FIXTURES_DIR) + "/m100/";

// Rows of a small CSV file (no quoting needed), header dropped.
std::vector<std::vector<std::string>> read_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    std::string cell;
    while (std::getline(stream, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

struct M100Cycle {
  Book book = load_book(kBook, wealth::WeightSum::Printed);
  BlockPlan plan;
  AllocationReport report;

  explicit M100Cycle(int min_units_scale = 9) {
    plan = run_block_step(book, parse_timestamp("2024-11-29T15:00:00Z"), FixedMarketHours());
    const auto fills = broker::read_fills(kBook / "fills_filled_block.csv", plan);
    report = allocate_fills(book, plan, fills, AllocationRules{min_units_scale});
  }
  double units(const std::string& account, const std::string& symbol) const {
    const auto a = *book.find_account(account);
    return book.goals[*book.find_goal(a, "Goal")].holdings.units(symbol).to_double();
  }
};

TEST(M100Book, BlocksMatchTheChaptersMasterOrder) {
  const M100Cycle cycle;
  const auto expected = read_rows(kFixtures + "master_order.csv");
  ASSERT_EQ(cycle.plan.blocks.size(), expected.size());
  for (std::size_t b = 0; b < expected.size(); ++b) {
    EXPECT_EQ(cycle.plan.symbol_of(cycle.plan.blocks[b]), expected[b][0]);
    // The float sums carry ~1e-12 of rounding; ours are exact.
    EXPECT_NEAR(cycle.plan.blocks[b].dollars.to_double(), std::stod(expected[b][2]), 1e-9) << expected[b][0];
  }
  // Exact: DBC is 0.1 x the Growth orders' amounts, which sum to 68616.68.
  EXPECT_EQ(cycle.plan.blocks[0].dollars, Decimal::parse("6861.668"));
}

TEST(M100Book, UnitsAgreeWithTheFloatAllocationToTheNinthDecimal) {
  const M100Cycle cycle;
  const auto expected = read_rows(kFixtures + "seed_account_allocations.csv");
  ASSERT_EQ(expected.size(), 401U);
  for (const auto& row : expected)
    EXPECT_LT(std::abs(cycle.units(row[0], row[1]) - std::stod(row[3])), 1e-9) << row[0] << " " << row[1];
}

TEST(M100Book, UnitsAtEighteenDecimalsAgreeWithTheFloatsToOnePartInATrillion) {
  const M100Cycle cycle(18);
  for (const auto& row : read_rows(kFixtures + "seed_account_allocations.csv")) {
    const double seed = std::stod(row[3]);
    EXPECT_LT(std::abs(cycle.units(row[0], row[1]) - seed), 1e-12 * seed) << row[0] << " " << row[1];
  }
}

TEST(M100Book, CashIsWithinACentPerSplitOfTheUnroundedCosts) {
  const M100Cycle cycle;
  std::map<std::string, int> splits_per_account;
  for (const auto& row : read_rows(kFixtures + "seed_account_allocations.csv")) ++splits_per_account[row[0]];
  const auto expected = read_rows(kFixtures + "seed_final_cash.csv");
  ASSERT_EQ(expected.size(), 100U);
  double largest = 0;
  for (const auto& row : expected) {
    const auto& account = cycle.book.accounts[*cycle.book.find_account(row[0])];
    const double difference = std::abs(account.cash.to_double() - std::stod(row[1]));
    EXPECT_LT(difference, 0.01 * splits_per_account[row[0]] + 1e-9) << row[0];
    largest = std::max(largest, difference);
  }
  EXPECT_GT(largest, 0.0);  // the chapter does not round to cents; we do
}

TEST(M100Book, UnitsAndCashOfEachFillAreConservedExactly) {
  const M100Cycle cycle;
  const auto fills = broker::read_fills(kBook / "fills_filled_block.csv", cycle.plan);
  std::vector<Decimal> units(fills.size()), cash(fills.size());
  for (const auto& a : cycle.report.allocations) {
    units[a.fill] += a.units;
    cash[a.fill] += a.cash;
  }
  for (std::size_t f = 0; f < fills.size(); ++f) {
    EXPECT_EQ(units[f], fills[f].record.units);
    EXPECT_EQ(cash[f], fills[f].record.units.multiply(fills[f].record.price, 2, Rounding::HalfEven));
  }
  // DBC: 302.276123 x 22.73 = 6870.73627579 -> 6870.74.
  EXPECT_EQ(cash[0], Decimal::parse("6870.74"));
}

}  // namespace
}  // namespace tranche::oms

namespace tranche::oms {
namespace {

TEST(M100Book, TheTwoAccountsTheFillsOverdrawAreReported) {
  // The chapter's floats leave 100000023 at -4.99 and 100000046 at -3.96 without a word.
  const M100Cycle cycle;
  ASSERT_EQ(cycle.report.overdrafts.size(), 2U);
  EXPECT_EQ(cycle.book.accounts[cycle.report.overdrafts[0].account].number, "100000023");
  EXPECT_EQ(cycle.report.overdrafts[0].cash_after, Decimal::parse("-4.99"));
  EXPECT_EQ(cycle.book.accounts[cycle.report.overdrafts[1].account].number, "100000046");
  EXPECT_EQ(cycle.report.overdrafts[1].cash_after, Decimal::parse("-3.96"));
}

}  // namespace
}  // namespace tranche::oms
