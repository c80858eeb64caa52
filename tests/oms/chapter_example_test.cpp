// The robo-advisor chapter's two-account example end to end: accounts 123456789 (cash 11.00,
// Moderate, BUY $10) and 987654321 (cash 21.00, Conservative, BUY $20), its printed weights,
// its master order and its fill file (MasterOrder_Filled.csv). Expected values are the
// chapter's own (MasterOrder.csv, Account_Allocations.csv), at the fill's decimals.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "test_support.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/core/error.hpp"
#include "tranche/oms/allocation.hpp"
#include "tranche/oms/book_files.hpp"

namespace tranche::oms {
namespace {

using testing::dec;
using testing::FixedMarketHours;

const std::filesystem::path kChapterBook = std::filesystem::path(TRANCHE_DATA_DIR) / "book" / "chapter";
const Timestamp kCycleClock = parse_timestamp("2024-11-29T15:00:00Z");

struct ChapterCycle {
  Book book = load_book(kChapterBook, wealth::WeightSum::Printed);
  BlockPlan plan;
  std::vector<Fill> fills;
  AllocationReport report;

  ChapterCycle() {
    plan = run_block_step(book, kCycleClock, FixedMarketHours());
    fills =
        broker::read_fills(std::string(TRANCHE_FIXTURES_DIR) + "/roboadvisor/MasterOrder_Filled.csv", plan);
    report = allocate_fills(book, plan, fills);
  }

  Decimal units(const std::string& account, const std::string& symbol) const {
    const auto a = *book.find_account(account);
    return book.goals[*book.find_goal(a, book.goals[a].name)].holdings.units(symbol);
  }
};

TEST(ChapterExample, BlocksAreTheChaptersMasterOrder) {
  Book book = load_book(kChapterBook, wealth::WeightSum::Printed);
  const auto plan = run_block_step(book, kCycleClock, FixedMarketHours());
  ASSERT_EQ(plan.blocks.size(), 4U);
  // MasterOrder.csv: GLD 6.8606, IEI 15.9037, TLT 0.6466, VTI 6.589, all BUY.
  const std::vector<std::pair<std::string, std::string>> expected{
      {"GLD", "6.8606"}, {"IEI", "15.9037"}, {"TLT", "0.6466"}, {"VTI", "6.589"}};
  for (std::size_t b = 0; b < expected.size(); ++b) {
    EXPECT_EQ(plan.symbol_of(plan.blocks[b]), expected[b].first);
    EXPECT_EQ(plan.blocks[b].side, Side::Buy);
    EXPECT_EQ(plan.blocks[b].dollars, dec(expected[b].second)) << expected[b].first;
  }
  // 123456789's $10 at Moderate: 3.6858 + 2.6399 + 3.0278 + 0.6466 (DBC has weight 0: no split).
  EXPECT_EQ(plan.splits.size(), 7U);
  EXPECT_TRUE(plan.rejections.empty());
  EXPECT_EQ(book.orders[0].state, OrderState::Pending);
  EXPECT_EQ(book.orders[1].state, OrderState::Pending);
}

TEST(ChapterExample, MasterOrderFileHasTheChaptersShape) {
  Book book = load_book(kChapterBook, wealth::WeightSum::Printed);
  const auto plan = run_block_step(book, kCycleClock, FixedMarketHours());
  const auto path = std::filesystem::temp_directory_path() / "tranche_chapter_MasterOrder.csv";
  broker::write_master_order(plan, path);
  std::ifstream written(path);
  std::stringstream text;
  text << written.rdbuf();
  // The chapter's file, byte for byte (it has a trailing newline).
  std::ifstream chapter(std::string(TRANCHE_FIXTURES_DIR) + "/roboadvisor/MasterOrder.csv");
  std::stringstream expected;
  expected << chapter.rdbuf();
  EXPECT_EQ(text.str(), expected.str());
  std::filesystem::remove(path);
}

TEST(ChapterExample, AllocatedUnitsAreTheChaptersAtTheFillsDecimals) {
  const ChapterCycle cycle;
  // Account_Allocations.csv rounded to the fill's decimals (GLD 11, IEI 10, TLT 12, VTI 11).
  EXPECT_EQ(cycle.units("123456789", "GLD"), dec("0.02213974052"));
  EXPECT_EQ(cycle.units("123456789", "IEI"), dec("0.0217162661"));
  EXPECT_EQ(cycle.units("123456789", "TLT"), dec("0.009743440233"));
  EXPECT_EQ(cycle.units("123456789", "VTI"), dec("0.01638634076"));
  EXPECT_EQ(cycle.units("987654321", "GLD"), dec("0.01907028276"));
  EXPECT_EQ(cycle.units("987654321", "IEI"), dec("0.1091102734"));
  EXPECT_EQ(cycle.units("987654321", "VTI"), dec("0.01927308169"));
  EXPECT_EQ(cycle.units("987654321", "TLT"), Decimal());
}

TEST(ChapterExample, AccountAllocationsFileRoundedToTheFillsDecimalsIsOurs) {
  // Account_Allocations.csv holds the chapter's float units (",Account,Symbol,Type,Units");
  // rounded half-even to each fill's decimals they are exactly what we allocate.
  const ChapterCycle cycle;
  const std::map<std::string, int> fill_decimals{{"GLD", 11}, {"IEI", 10}, {"TLT", 12}, {"VTI", 11}};
  std::ifstream file(std::string(TRANCHE_FIXTURES_DIR) + "/roboadvisor/Account_Allocations.csv");
  std::string line;
  std::getline(file, line);
  int rows = 0;
  while (std::getline(file, line)) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 5U) << line;
    const auto expected = Decimal::parse_rounded(cells[4], fill_decimals.at(cells[2]), Rounding::HalfEven);
    EXPECT_EQ(cycle.units(cells[1], cells[2]), expected) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 7);
}

TEST(ChapterExample, CashIsPaidInCentsThatSumToEachFillsRoundedCost) {
  const ChapterCycle cycle;
  ASSERT_EQ(cycle.report.allocations.size(), 7U);
  // In fill order (GLD, IEI, TLT, VTI), then split order (123456789 before 987654321).
  const std::vector<std::string> paid{"3.62", "3.11", "2.50", "12.58", "1.00", "3.30", "3.89"};
  for (std::size_t i = 0; i < paid.size(); ++i)
    EXPECT_EQ(cycle.report.allocations[i].cash, dec(paid[i])) << i;
  // GLD: 0.04121002328 x 163.22 = 6.7262... -> 6.73 = 3.62 + 3.11; the chapter's unrounded
  // costs are 3.6136 and 3.1126, the leftover cent goes to the larger remainder.
  // The chapter leaves 0.5773629503 and 1.4226370450 (unrounded costs); in cents: 0.58, 1.42.
  EXPECT_EQ(cycle.book.accounts[0].cash, dec("0.58"));
  EXPECT_EQ(cycle.book.accounts[1].cash, dec("1.42"));
  EXPECT_TRUE(cycle.report.overdrafts.empty());
}

TEST(ChapterExample, OrdersAreFilledOnceEveryBlockHasAFill) {
  const ChapterCycle cycle;
  EXPECT_EQ(cycle.book.orders[0].state, OrderState::Filled);
  EXPECT_EQ(cycle.book.orders[1].state, OrderState::Filled);
  EXPECT_EQ(cycle.report.applied.size(), 4U);
}

TEST(ChapterExample, ApplyingTheSameFillFileTwiceChangesNothing) {
  ChapterCycle cycle;
  const auto cash = std::pair{cycle.book.accounts[0].cash, cycle.book.accounts[1].cash};
  const auto gld = cycle.units("123456789", "GLD");
  const auto again = allocate_fills(cycle.book, cycle.plan, cycle.fills);
  EXPECT_EQ(again.applied.size(), 0U);
  EXPECT_EQ(again.fills_already_booked, 4U);
  EXPECT_TRUE(again.allocations.empty());
  EXPECT_EQ(cycle.book.accounts[0].cash, cash.first);
  EXPECT_EQ(cycle.book.accounts[1].cash, cash.second);
  EXPECT_EQ(cycle.units("123456789", "GLD"), gld);
}

TEST(ChapterExample, ExactWeightRuleRefusesThePrintedModerateWeights) {
  // Moderate's printed weights sum to 1.00001.
  try {
    load_book(kChapterBook, wealth::WeightSum::Exact);
    FAIL() << "expected an error";
  } catch (const tranche::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("weights sum to 1.00001, not exactly 1"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("models.csv:2:"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tranche::oms
