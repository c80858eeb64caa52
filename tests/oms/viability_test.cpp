// Each viability rule alone, on a one-account book: account 42 (cash 100.00) with a goal
// following a 60/40 model of VTI and TLT, holding 2 VTI and 1 TLT (closes 250.00 and 90.00,
// so the goal is worth 590.00).

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tranche/oms/cycle.hpp"
#include "tranche/oms/market_hours.hpp"

namespace tranche::oms {
namespace {

using testing::dec;
using testing::FixedMarketHours;

const Timestamp kClock = parse_timestamp("2024-11-29T15:00:00Z");

Book one_account_book() {
  Book book;
  book.models.emplace_back("Balanced",
                           std::vector<wealth::ModelWeight>{{"VTI", dec("0.6")}, {"TLT", dec("0.4")}});
  book.accounts.push_back(
      {"42", wealth::AccountType::Taxable, wealth::AccountStatus::Approved, dec("100.00")});
  wealth::Goal goal;
  goal.name = "Retirement";
  goal.holdings.add("VTI", dec("2"));
  goal.holdings.add("TLT", dec("1"));
  book.goals.push_back(goal);
  book.previous_close = {{"VTI", dec("250.00")}, {"TLT", dec("90.00")}};
  return book;
}

void add_order(Book& book, Side side, const char* amount, OrderState state = OrderState::New) {
  book.orders.push_back({std::to_string(book.orders.size() + 1), 0, 0, side, dec(amount), state});
}

TEST(Viability, ApprovedAccountWithCashPassesEveryRule) {
  auto book = one_account_book();
  add_order(book, Side::Buy, "100.00");
  EXPECT_TRUE(check_order(book, 0, {}, {}, kClock, FixedMarketHours(), {}).empty());
}

TEST(Viability, SuspendedAccountIsRejected) {
  auto book = one_account_book();
  book.accounts[0].status = wealth::AccountStatus::Suspended;
  add_order(book, Side::Buy, "10.00");
  const auto r = check_order(book, 0, {}, {}, kClock, FixedMarketHours(), {});
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].rule, "account_approved");
  EXPECT_EQ(r[0].reason, "account 42 is SUSPENDED, not APPROVED");
}

TEST(Viability, AmountMustBeAboveTheMinimum) {
  auto book = one_account_book();
  add_order(book, Side::Buy, "1.00");
  add_order(book, Side::Buy, "1.01");
  const auto r = check_order(book, 0, {}, {}, kClock, FixedMarketHours(), {});
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].rule, "minimum_amount");
  EXPECT_EQ(r[0].reason, "BUY amount 1.00 is not above the minimum 1.00");
  EXPECT_TRUE(check_order(book, 1, {}, {}, kClock, FixedMarketHours(), {}).empty());
  EXPECT_EQ(check_order(book, 1, {}, {}, kClock, FixedMarketHours(), {dec("5")}).size(), 1U);
}

TEST(Viability, BuyCannotSpendCashReservedByOpenBuys) {
  auto book = one_account_book();
  add_order(book, Side::Buy, "60.00");
  const auto r = check_order(book, 0, dec("50.00"), {}, kClock, FixedMarketHours(), {});
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].rule, "buying_power");
  EXPECT_EQ(
      r[0].reason,
      "BUY needs 60.00 but account 42 has 50.00 available (cash 100.00 minus 50.00 reserved by open buys)");
}

TEST(Viability, SellIsLimitedToTheGoalsValueAtThePreviousCloseMinusOpenSells) {
  auto book = one_account_book();
  add_order(book, Side::Sell, "500.00");
  EXPECT_TRUE(check_order(book, 0, {}, dec("90.00"), kClock, FixedMarketHours(), {}).empty());
  const auto r = check_order(book, 0, {}, dec("90.01"), kClock, FixedMarketHours(), {});
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].rule, "sell_value");
  EXPECT_EQ(
      r[0].reason,
      "SELL needs 500.00 but goal 'Retirement' is worth 499.99 at the previous close (value 590.00 minus "
      "90.01 reserved by open sells)");
}

TEST(Viability, SellOfAHoldingWithoutACloseIsRejectedWithTheSymbol) {
  auto book = one_account_book();
  book.previous_close.erase("TLT");
  add_order(book, Side::Sell, "10.00");
  const auto r = check_order(book, 0, {}, {}, kClock, FixedMarketHours(), {});
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].rule, "sell_value");
  EXPECT_EQ(r[0].reason, "cannot value goal 'Retirement': no previous close for TLT");
}

TEST(Viability, ClosedMarketRejectsWithTheSymbolAndTheCyclesClock) {
  auto book = one_account_book();
  add_order(book, Side::Buy, "10.00");
  const auto r = check_order(book, 0, {}, {}, kClock, FixedMarketHours({"TLT"}), {});
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].rule, "market_open");
  EXPECT_EQ(r[0].reason, "the market for TLT is closed at 2024-11-29T15:00:00Z");
}

TEST(Viability, EveryFailedRuleIsReported) {
  auto book = one_account_book();
  book.accounts[0].status = wealth::AccountStatus::Pending;
  add_order(book, Side::Buy, "0.50");
  book.accounts[0].cash = dec("0.10");
  const auto r = check_order(book, 0, {}, {}, kClock, FixedMarketHours({"VTI"}), {});
  ASSERT_EQ(r.size(), 4U);
  EXPECT_EQ(r[0].rule, "account_approved");
  EXPECT_EQ(r[1].rule, "minimum_amount");
  EXPECT_EQ(r[2].rule, "buying_power");
  EXPECT_EQ(r[3].rule, "market_open");
}

TEST(BlockStep, EarlierOrdersOfTheCycleAndOpenOrdersReserveCash) {
  auto book = one_account_book();
  add_order(book, Side::Buy, "30.00", OrderState::Pending);  // sent yesterday, still open
  add_order(book, Side::Buy, "50.00");
  add_order(book, Side::Buy, "20.01");  // 30 + 50 + 20.01 > 100
  add_order(book, Side::Buy, "20.00");
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  EXPECT_EQ(book.orders[0].state, OrderState::Pending);
  EXPECT_EQ(book.orders[1].state, OrderState::Pending);
  EXPECT_EQ(book.orders[2].state, OrderState::Rejected);
  EXPECT_EQ(book.orders[3].state, OrderState::Pending);
  ASSERT_EQ(plan.rejections.size(), 1U);
  EXPECT_EQ(plan.rejections[0].order, 2U);
  // Only the new sent orders are split: TLT 0.4 x 70, VTI 0.6 x 70.
  ASSERT_EQ(plan.blocks.size(), 2U);
  EXPECT_EQ(plan.symbol_of(plan.blocks[0]), "TLT");
  EXPECT_EQ(plan.blocks[0].dollars, dec("28"));
  EXPECT_EQ(plan.blocks[1].dollars, dec("42"));
  for (const auto& s : plan.splits) EXPECT_NE(s.order, 2U);  // a rejected order is never split
}

TEST(BlockStep, BuysAndSellsOfOneSymbolAreSeparateBlocks) {
  auto book = one_account_book();
  add_order(book, Side::Buy, "10.00");
  add_order(book, Side::Sell, "100.00");
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  ASSERT_EQ(plan.blocks.size(), 4U);
  EXPECT_EQ(plan.blocks[0].side, Side::Buy);
  EXPECT_EQ(plan.blocks[1].side, Side::Sell);
  EXPECT_EQ(plan.blocks[1].dollars, dec("40"));
}

TEST(BlockStep, AggregatingTwiceGivesTheSameBlocks) {
  auto book = one_account_book();
  book.accounts[0].cash = dec("1000");
  for (const char* amount : {"10.00", "20.00", "33.33"}) add_order(book, Side::Buy, amount);
  auto plan = run_block_step(book, kClock, FixedMarketHours());
  const auto first = plan.blocks;
  aggregate_blocks(plan);
  ASSERT_EQ(plan.blocks.size(), first.size());
  for (std::size_t b = 0; b < first.size(); ++b) {
    EXPECT_EQ(plan.blocks[b].dollars, first[b].dollars);
    EXPECT_EQ(plan.blocks[b].split_count, first[b].split_count);
  }
  EXPECT_EQ(first[1].dollars, dec("37.998"));  // VTI: 0.6 x 63.33
  // A second block step finds no NEW order: nothing is sent twice.
  EXPECT_TRUE(run_block_step(book, kClock, FixedMarketHours()).blocks.empty());
}

}  // namespace
}  // namespace tranche::oms

namespace tranche::oms {
namespace {

// The NYSE calendar from the bundled tables: closed on Thanksgiving (2024-11-28), closing at
// 13:00 New York time (18:00 UTC) the day after.
struct NyseHours {
  CalendarRegistry registry = CalendarRegistry::standard(TRANCHE_DATA_DIR);
  InstrumentVenues venues{"NYSE"};
  CalendarMarketHours hours{registry, venues};
};

TEST(Viability, MarketIsClosedOnThanksgiving) {
  const NyseHours nyse;
  auto book = one_account_book();
  add_order(book, Side::Buy, "10.00");
  const auto r = check_order(book, 0, {}, {}, parse_timestamp("2024-11-28T15:00:00Z"), nyse.hours, {});
  ASSERT_EQ(r.size(), 2U);  // VTI and TLT
  EXPECT_EQ(r[0].reason, "the market for VTI is closed at 2024-11-28T15:00:00Z");
  EXPECT_EQ(r[1].reason, "the market for TLT is closed at 2024-11-28T15:00:00Z");
}

TEST(Viability, MarketIsClosedAfterTheEarlyCloseTheDayAfterThanksgiving) {
  const NyseHours nyse;
  auto book = one_account_book();
  add_order(book, Side::Buy, "10.00");
  EXPECT_TRUE(check_order(book, 0, {}, {}, parse_timestamp("2024-11-29T17:59:59Z"), nyse.hours, {}).empty());
  const auto r = check_order(book, 0, {}, {}, parse_timestamp("2024-11-29T18:00:00Z"), nyse.hours, {});
  ASSERT_EQ(r.size(), 2U);
  EXPECT_EQ(r[0].rule, "market_open");
}

TEST(Viability, CryptoVenueTradesOnSaturday) {
  NyseHours nyse;
  nyse.venues.assign("BTC", "CRYPTO");
  Book book = one_account_book();
  book.models[0] = wealth::ModelPortfolio("Balanced", {{"BTC", Decimal::parse("1")}});
  add_order(book, Side::Buy, "10.00");
  EXPECT_TRUE(check_order(book, 0, {}, {}, parse_timestamp("2024-11-30T12:00:00Z"), nyse.hours, {}).empty());
}

}  // namespace
}  // namespace tranche::oms
