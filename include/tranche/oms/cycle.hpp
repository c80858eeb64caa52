#pragma once
// The block step of the daily cycle: viability checks on each new order (a failed check is a
// rejection with the rule's name and the numbers, never a boolean), the split of each viable
// order into one split per symbol of its goal's model, and the aggregation of all splits into
// block (master) orders by (symbol, side).
//
// Exactness: a split's dollars are exactly weight x amount (no rounding), a block's dollars
// the exact sum of its splits' dollars.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/decimal.hpp"
#include "tranche/core/time.hpp"
#include "tranche/oms/book.hpp"

namespace tranche::oms {

// Whether the venue where `symbol` trades is open at instant `at`. The cycle asks at its own
// clock (a given instant, never the wall clock), so runs are reproducible.
class MarketHours {
 public:
  virtual ~MarketHours() = default;
  virtual bool is_open(std::string_view symbol, Timestamp at) const = 0;
};

struct ViabilityRules {
  Decimal minimum_amount = Decimal::from_int(1);  // an order must be for more than this
};

// Why an order was not sent. Rules: "account_approved", "minimum_amount", "buying_power",
// "sell_value", "market_open".
struct Rejection {
  std::size_t order = 0;  // index into the book's orders
  std::string rule;
  std::string reason;  // with the numbers, e.g. "BUY 20.00 exceeds available cash 11.00 (...)"
};

// Every failed rule of one order, given what earlier orders of the cycle already reserve.
// `reserved_buys` is the account's cash held by open BUY orders, `reserved_sells` the goal's
// value held by open SELL orders.
std::vector<Rejection> check_order(const Book& book, std::size_t order, Decimal reserved_buys,
                                   Decimal reserved_sells, Timestamp at, const MarketHours& hours,
                                   const ViabilityRules& rules);

struct Split {
  std::size_t order = 0;     // index into the book's orders
  std::uint32_t symbol = 0;  // index into BlockPlan::symbols
  Side side = Side::Buy;
  Decimal dollars;  // exactly weight x order amount
};

struct BlockOrder {
  std::uint32_t symbol = 0;  // index into BlockPlan::symbols
  Side side = Side::Buy;
  Decimal dollars;              // exact sum of the splits' dollars
  std::size_t first_split = 0;  // the block's splits are splits[first_split, first_split + split_count)
  std::size_t split_count = 0;
};

struct BlockPlan {
  std::vector<std::string> symbols;
  std::vector<Split> splits;       // grouped by block, in block order; within a block in order of orders
  std::vector<BlockOrder> blocks;  // sorted by (symbol, side), BUY before SELL
  std::vector<Rejection> rejections;

  std::span<const Split> splits_of(const BlockOrder& block) const {
    return std::span<const Split>(splits).subspan(block.first_split, block.split_count);
  }
  const std::string& symbol_of(const BlockOrder& block) const { return symbols[block.symbol]; }
};

// The splits of one order by its goal's model: one per symbol with weight > 0, in the
// model's order. `symbol_ids` maps the model's symbols to BlockPlan::symbols indices.
void split_order(const Order& order, const wealth::ModelPortfolio& model,
                 std::span<const std::uint32_t> symbol_ids, std::size_t order_index, std::vector<Split>& out);

// Groups splits into blocks by (symbol, side): stable, so the result depends only on the
// splits, and aggregating an already aggregated plan gives the same plan.
void aggregate_blocks(BlockPlan& plan);

// Checks every NEW order in book order, rejecting (state REJECTED) or splitting and sending
// it (state PENDING); orders already open (PENDING, PARTIALLY_FILLED) reserve their cash or
// value, other states are left alone. Returns the blocks, splits and rejections.
BlockPlan run_block_step(Book& book, Timestamp at, const MarketHours& hours,
                         const ViabilityRules& rules = {});

}  // namespace tranche::oms
