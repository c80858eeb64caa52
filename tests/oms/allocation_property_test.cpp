// Properties of the cycle over random books (rapidcheck, seeded by the test runner):
// conservation of units and cash per fill, idempotent reapplication, no split of a rejected
// order, and a reason for every rejection.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "test_support.hpp"
#include "tranche/core/error.hpp"
#include "tranche/oms/allocation.hpp"

namespace tranche::oms {
namespace {

using testing::dec;
using testing::FixedMarketHours;

const Timestamp kClock = parse_timestamp("2024-11-29T15:00:00Z");

Decimal cents(int value) {
  return Decimal::from_int(value).divide(Decimal::from_int(100), 2, Rounding::HalfEven);
}

// A random book: 1-30 accounts (some not approved, some short of cash), a goal each, one of
// two models, one BUY order each. `large`: 1,000 to 3,000 accounts ordering one of four round
// amounts, so blocks are long and full of equal remainders (ties).
Book random_book(bool large = false) {
  Book book;
  book.models.emplace_back("A", std::vector<wealth::ModelWeight>{{"GLD", dec("0.36858")},
                                                                 {"IEI", dec("0.26399")},
                                                                 {"VTI", dec("0.30278")},
                                                                 {"TLT", dec("0.06465")}});
  book.models.emplace_back("B", std::vector<wealth::ModelWeight>{{"VTI", dec("0.55")}, {"DBC", dec("0.45")}});
  const auto accounts = large ? *rc::gen::inRange(1'000, 3'001) : *rc::gen::inRange(1, 31);
  for (int i = 0; i < accounts; ++i) {
    const bool approved = *rc::gen::inRange(0, 10) > 0;
    book.accounts.push_back({std::to_string(1000 + i), wealth::AccountType::Taxable,
                             approved ? wealth::AccountStatus::Approved : wealth::AccountStatus::Suspended,
                             cents(*rc::gen::inRange(0, 1'000'000))});
    wealth::Goal goal;
    goal.account = static_cast<std::size_t>(i);
    goal.name = "G";
    goal.model = static_cast<std::size_t>(*rc::gen::inRange(0, 2));
    book.goals.push_back(goal);
    book.orders.push_back(
        {std::to_string(i), static_cast<std::size_t>(i), static_cast<std::size_t>(i), Side::Buy,
         large ? cents(*rc::gen::inRange(1, 5) * 2'500) : cents(*rc::gen::inRange(1, 1'000'000)),
         OrderState::New});
  }
  return book;
}

// One or two fills per block at random units (6 to 11 decimals) and prices.
std::vector<Fill> random_fills(const BlockPlan& plan) {
  std::vector<Fill> fills;
  for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
    const auto count = *rc::gen::inRange(1, 3);
    for (int k = 0; k < count; ++k) {
      Fill fill;
      fill.block = b;
      fill.units_decimals = *rc::gen::inRange(6, 12);
      const auto raw = *rc::gen::inRange<std::int64_t>(1, 1'000'000'000'000);
      Int128 scale = 1;
      for (int d = 0; d < 18 - fill.units_decimals; ++d) scale *= 10;
      fill.record = {std::to_string(b),
                     plan.symbol_of(plan.blocks[b]),
                     plan.blocks[b].side,
                     Decimal::from_raw(raw * scale),
                     cents(*rc::gen::inRange(1, 100'000)),
                     k + 1};
      fills.push_back(fill);
    }
  }
  return fills;
}

RC_GTEST_PROP(CycleProperties, UnitsAndCashOfEveryFillAreConservedExactly, ()) {
  auto book = random_book();
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  const auto fills = random_fills(plan);
  const auto report = allocate_fills(book, plan, fills);
  std::vector<Decimal> units(fills.size()), cash(fills.size());
  for (const auto& a : report.allocations) {
    units[a.fill] += a.units;
    cash[a.fill] += a.cash;
    // Each split pays the floor or the ceiling of its exact cost.
    const Decimal exact = a.units.multiply(fills[a.fill].record.price, 18, Rounding::HalfEven);
    RC_ASSERT(a.cash >= exact.round(2, Rounding::Floor));
    RC_ASSERT(a.cash <= exact.round(2, Rounding::Ceiling));
  }
  for (std::size_t f = 0; f < fills.size(); ++f) {
    RC_ASSERT(units[f] == fills[f].record.units);
    RC_ASSERT(cash[f] == fills[f].record.units.multiply(fills[f].record.price, 2, Rounding::HalfEven));
  }
}

// The documented rule spelled with the public building blocks: allocate_units, then
// round_cash_to_total of each split's exact cost.
void assert_allocation_follows_the_rule(const BlockPlan& plan, const std::vector<Fill>& fills,
                                        const AllocationReport& report) {
  std::size_t next = 0;
  for (std::size_t f = 0; f < fills.size(); ++f) {
    const auto splits = plan.splits_of(plan.blocks[fills[f].block]);
    std::vector<Decimal> dollars;
    for (const auto& s : splits) dollars.push_back(s.dollars);
    const auto units = allocate_units(fills[f].record.units, dollars, std::max(9, fills[f].units_decimals));
    std::vector<Decimal> exact_cost;
    for (const auto& u : units)
      exact_cost.push_back(u.multiply(fills[f].record.price, 18, Rounding::HalfEven));
    const auto cash = round_cash_to_total(
        exact_cost, fills[f].record.units.multiply(fills[f].record.price, 2, Rounding::HalfEven));
    for (std::size_t i = 0; i < splits.size(); ++i, ++next) {
      RC_ASSERT(report.allocations[next].fill == f);
      RC_ASSERT(report.allocations[next].units == units[i]);
      RC_ASSERT(report.allocations[next].cash == cash[i]);
    }
  }
  RC_ASSERT(next == report.allocations.size());
}

// allocate_fills computes the usual numbers on 64-bit integers and the rest in Decimal; both
// must give exactly what the documented rule gives, spelled with the public building blocks:
// allocate_units, then round_cash_to_total of each split's exact cost. Prices with 1 to 12
// decimals reach both paths (units at 9+ decimals x a 10-decimal price no longer fit 18).
RC_GTEST_PROP(CycleProperties, AllocationEqualsUnitsByLargestRemainderThenCashRoundedToTheTotal, ()) {
  auto book = random_book();
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  auto fills = random_fills(plan);
  for (auto& fill : fills) {
    const int price_decimals = *rc::gen::inRange(1, 13);
    Int128 scale = 1;
    for (int d = 0; d < 18 - price_decimals; ++d) scale *= 10;
    fill.record.price = Decimal::from_raw(*rc::gen::inRange<std::int64_t>(1, 1'000'000'000'000) * scale);
  }
  assert_allocation_follows_the_rule(plan, fills, allocate_fills(book, plan, fills));
}

// Blocks of thousands of splits with many equal remainders: the integer path's radix select
// (a histogram of the remainders' top bits) must still pick the largest, ties to the earlier.
RC_GTEST_PROP(CycleProperties, LongBlocksWithTiedRemaindersFollowTheSameRule, ()) {
  auto book = random_book(true);
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  const auto fills = random_fills(plan);
  assert_allocation_follows_the_rule(plan, fills, allocate_fills(book, plan, fills));
}

RC_GTEST_PROP(CycleProperties, ApplyingTheSameFillsTwiceChangesNothing, ()) {
  auto book = random_book();
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  const auto fills = random_fills(plan);
  allocate_fills(book, plan, fills);
  std::vector<Decimal> cash;
  for (const auto& a : book.accounts) cash.push_back(a.cash);
  std::vector<std::vector<wealth::Holdings::Position>> holdings;
  for (const auto& g : book.goals) holdings.push_back(g.holdings.positions());
  std::vector<OrderState> states;
  for (const auto& o : book.orders) states.push_back(o.state);

  const auto again = allocate_fills(book, plan, fills);
  RC_ASSERT(again.applied.empty());
  RC_ASSERT(again.fills_already_booked == fills.size());
  for (std::size_t i = 0; i < book.accounts.size(); ++i) RC_ASSERT(book.accounts[i].cash == cash[i]);
  for (std::size_t g = 0; g < book.goals.size(); ++g) {
    const auto& positions = book.goals[g].holdings.positions();
    RC_ASSERT(positions.size() == holdings[g].size());
    for (std::size_t p = 0; p < positions.size(); ++p) RC_ASSERT(positions[p].units == holdings[g][p].units);
  }
  for (std::size_t o = 0; o < book.orders.size(); ++o) RC_ASSERT(book.orders[o].state == states[o]);
}

RC_GTEST_PROP(CycleProperties, RejectedOrdersAreNeverSplitAndAlwaysHaveAReason, ()) {
  auto book = random_book();
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  std::vector<bool> rejected(book.orders.size(), false);
  for (const auto& r : plan.rejections) {
    RC_ASSERT(!r.rule.empty());
    RC_ASSERT(!r.reason.empty());
    rejected[r.order] = true;
  }
  for (std::size_t o = 0; o < book.orders.size(); ++o)
    RC_ASSERT(rejected[o] == (book.orders[o].state == OrderState::Rejected));
  Decimal split_sum;
  for (const auto& s : plan.splits) {
    RC_ASSERT(!rejected[s.order]);
    split_sum += s.dollars;
  }
  Decimal block_sum;
  for (const auto& b : plan.blocks) block_sum += b.dollars;
  RC_ASSERT(block_sum == split_sum);
}

TEST(RoundCashToTotal, GivesTheLeftoverCentsToTheLargestRemaindersTiesToTheEarlier) {
  // Exact 1.005 + 1.005 + 1.001 = 3.011 -> the fill's total rounds to 3.01; floors 1.00 x 3
  // leave one cent, and the two equal remainders tie: the earlier split gets it.
  const std::vector<Decimal> exact{dec("1.005"), dec("1.005"), dec("1.001")};
  const auto parts = round_cash_to_total(exact, dec("3.01"));
  EXPECT_EQ(parts[0], dec("1.01"));
  EXPECT_EQ(parts[1], dec("1.00"));
  EXPECT_EQ(parts[2], dec("1.00"));
}

TEST(RoundCashToTotal, RefusesATotalNoRoundingOfThePartsCanReach) {
  const std::vector<Decimal> exact{dec("1.005"), dec("2")};
  EXPECT_THROW(round_cash_to_total(exact, dec("3.02")), Error);  // at most 1.01 + 2.00
  EXPECT_THROW(round_cash_to_total(exact, dec("2.99")), Error);  // at least 1.00 + 2.00
  EXPECT_THROW(round_cash_to_total(exact, dec("3.005")), Error);
}

TEST(Allocation, BuyPaymentThatOverdrawsTheAccountIsBookedAndReported) {
  Book book;
  book.models.emplace_back("M", std::vector<wealth::ModelWeight>{{"VTI", dec("1")}});
  book.accounts.push_back({"7", wealth::AccountType::Taxable, wealth::AccountStatus::Approved, dec("10.00")});
  book.goals.push_back(wealth::Goal{0, "G", 0, 0, {}, wealth::Priority::Wants, {}});
  book.orders.push_back({"1", 0, 0, Side::Buy, dec("10.00"), OrderState::New});
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  // The price moved: 0.05 units at 201.00 cost 10.05.
  const Fill fill{{"0", "VTI", Side::Buy, dec("0.05"), dec("201.00"), 1}, 2, 0};
  const auto report = allocate_fills(book, plan, std::span(&fill, 1));
  ASSERT_EQ(report.overdrafts.size(), 1U);
  EXPECT_EQ(report.overdrafts[0].payment, dec("10.05"));
  EXPECT_EQ(report.overdrafts[0].cash_after, dec("-0.05"));
  EXPECT_EQ(book.accounts[0].cash, dec("-0.05"));
}

TEST(Allocation, SellCreditsTheAccountAndReducesTheGoal) {
  Book book;
  book.models.emplace_back("M", std::vector<wealth::ModelWeight>{{"VTI", dec("1")}});
  book.accounts.push_back({"7", wealth::AccountType::Taxable, wealth::AccountStatus::Approved, dec("1.00")});
  book.goals.push_back(wealth::Goal{0, "G", 0, 0, {}, wealth::Priority::Wants, {}});
  book.goals[0].holdings.add("VTI", dec("1"));
  book.previous_close["VTI"] = dec("200");
  book.orders.push_back({"1", 0, 0, Side::Sell, dec("100.00"), OrderState::New});
  const auto plan = run_block_step(book, kClock, FixedMarketHours());
  const Fill fill{{"0", "VTI", Side::Sell, dec("0.5"), dec("201.011"), 1}, 1, 0};
  allocate_fills(book, plan, std::span(&fill, 1));
  EXPECT_EQ(book.accounts[0].cash, dec("101.51"));  // 1.00 + 100.5055 rounded half-even to 100.51
  EXPECT_EQ(book.goals[0].holdings.units("VTI"), dec("0.5"));
  EXPECT_EQ(book.orders[0].state, OrderState::Filled);
}

}  // namespace
}  // namespace tranche::oms

namespace tranche::oms {
namespace {

// Accounts 1 and 2 buy $60 and $40 of VTI (one block of $100).
struct TwoAccountVtiBlock {
  Book book;
  BlockPlan plan;
  TwoAccountVtiBlock() {
    book.models.emplace_back("M", std::vector<wealth::ModelWeight>{{"VTI", testing::dec("1")}});
    for (int i = 0; i < 2; ++i) {
      book.accounts.push_back({std::to_string(i + 1), wealth::AccountType::Taxable,
                               wealth::AccountStatus::Approved, testing::dec("100.00")});
      book.goals.push_back(
          wealth::Goal{static_cast<std::size_t>(i), "G", 0, 0, {}, wealth::Priority::Wants, {}});
    }
    book.orders.push_back({"1", 0, 0, Side::Buy, testing::dec("60.00"), OrderState::New});
    book.orders.push_back({"2", 1, 1, Side::Buy, testing::dec("40.00"), OrderState::New});
    plan = run_block_step(book, parse_timestamp("2024-11-29T15:00:00Z"), testing::FixedMarketHours());
  }
};

TEST(Allocation, PartialFillsAtDifferentPricesAreEachAllocatedProRata) {
  TwoAccountVtiBlock cycle;
  const std::vector<Fill> fills{{{"0", "VTI", Side::Buy, testing::dec("0.3"), testing::dec("100"), 1}, 1, 0},
                                {{"0", "VTI", Side::Buy, testing::dec("0.2"), testing::dec("101"), 1}, 1, 0}};
  const auto report = allocate_fills(cycle.book, cycle.plan, fills);
  EXPECT_EQ(report.applied.size(), 2U);
  // 60/40 of 0.3 and of 0.2; cash 0.18 x 100 + 0.12 x 101 and 0.12 x 100 + 0.08 x 101.
  EXPECT_EQ(cycle.book.goals[0].holdings.units("VTI"), testing::dec("0.3"));
  EXPECT_EQ(cycle.book.goals[1].holdings.units("VTI"), testing::dec("0.2"));
  EXPECT_EQ(cycle.book.accounts[0].cash, testing::dec("69.88"));  // 100 - 18.00 - 12.12
  EXPECT_EQ(cycle.book.accounts[1].cash, testing::dec("79.92"));  // 100 - 12.00 - 8.08
  EXPECT_EQ(cycle.book.orders[0].state, OrderState::Filled);
}

TEST(Allocation, SaleOfMoreUnitsThanTheGoalHoldsIsBookedAndReported) {
  Book book;
  book.models.emplace_back("M", std::vector<wealth::ModelWeight>{{"VTI", testing::dec("1")}});
  book.accounts.push_back(
      {"7", wealth::AccountType::Taxable, wealth::AccountStatus::Approved, testing::dec("0")});
  book.goals.push_back(wealth::Goal{0, "G", 0, 0, {}, wealth::Priority::Wants, {}});
  book.goals[0].holdings.add("VTI", testing::dec("1"));
  book.previous_close["VTI"] = testing::dec("200");
  book.orders.push_back({"1", 0, 0, Side::Sell, testing::dec("200.00"), OrderState::New});
  const auto plan =
      run_block_step(book, parse_timestamp("2024-11-29T15:00:00Z"), testing::FixedMarketHours());
  // The price fell: $200 sold 1.05 units at 190.
  const Fill fill{{"0", "VTI", Side::Sell, testing::dec("1.05"), testing::dec("190"), 1}, 2, 0};
  const auto report = allocate_fills(book, plan, std::span(&fill, 1));
  ASSERT_EQ(report.oversells.size(), 1U);
  EXPECT_EQ(report.oversells[0].units_after, testing::dec("-0.05"));
  EXPECT_EQ(book.accounts[0].cash, testing::dec("199.50"));
}

TEST(Allocation, FillForAnotherBlockIsRefusedBeforeTheBookChanges) {
  TwoAccountVtiBlock cycle;
  const std::vector<Fill> fills{{{"0", "VTI", Side::Buy, testing::dec("0.3"), testing::dec("100"), 1}, 1, 0},
                                {{"0", "GLD", Side::Buy, testing::dec("0.2"), testing::dec("101"), 1}, 1, 0}};
  EXPECT_THROW(allocate_fills(cycle.book, cycle.plan, fills), Error);
  EXPECT_EQ(cycle.book.accounts[0].cash, testing::dec("100.00"));
  EXPECT_EQ(cycle.book.goals[0].holdings.units("VTI"), Decimal());
  EXPECT_TRUE(cycle.book.booked_fills.empty());
  EXPECT_EQ(cycle.book.orders[0].state, OrderState::Pending);
}

}  // namespace
}  // namespace tranche::oms
