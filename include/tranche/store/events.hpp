#pragma once
// The book's events and the pure reducer that derives current state from them: replaying a
// journal through apply() rebuilds the book (accounts, cash, goals, holdings, orders, blocks,
// applied fills) exactly, because every change to it is one of these events.
//
// Payloads are JSON objects; decimals travel as their exact text ("10.00", "0.041210023"),
// never as JSON numbers.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tranche/core/decimal.hpp"
#include "tranche/oms/book.hpp"
#include "tranche/oms/cycle.hpp"

namespace tranche::store {

struct Event {
  std::string type;
  nlohmann::json payload;
};

// Event constructors, one per type (the type names are what the journal stores).
Event account_opened(const std::string& account, wealth::AccountType type, wealth::AccountStatus status);
Event account_status_changed(const std::string& account, wealth::AccountStatus status);
Event deposit(const std::string& account, Decimal amount);
Event withdrawal(const std::string& account, Decimal amount);
Event model_defined(const wealth::ModelPortfolio& model);
Event goal_opened(const std::string& account, const wealth::Goal& goal, const std::string& model);
Event price_set(const std::string& symbol, Decimal close);
Event goal_holding_changed(const std::string& account, const std::string& goal, const std::string& symbol,
                           Decimal change);
Event order_created(const std::string& order, const std::string& account, const std::string& goal,
                    oms::Side side, Decimal amount);
Event order_rejected(const std::string& order, const std::string& rule, const std::string& reason);
Event order_sent(const std::string& order);
Event order_state_changed(const std::string& order, oms::OrderState state);

// A block as sent to the broker: `id` is unique in the book, `index` its row in its cycle's
// MasterOrder.csv (the chapter's OrderID).
struct StoredBlock {
  std::int64_t id = 0;
  std::int64_t cycle = 0;
  std::int64_t index = 0;
  std::string symbol;
  oms::Side side = oms::Side::Buy;
  Decimal dollars;
  std::vector<std::pair<std::size_t, Decimal>> splits;  // (index into the book's orders, dollars)
};
Event block_created(const StoredBlock& block, const oms::Book& book);

// A broker execution: unique within its block by `exec_id`.
struct AppliedFill {
  std::int64_t block = 0;
  std::string exec_id;
  Decimal units;
  Decimal price;
};
Event fill_received(const AppliedFill& fill);
// One split's share of a fill: the goal's units change by `units` (BUY adds, SELL removes) and
// the account's cash by `cash` (BUY pays, SELL receives).
Event allocation_booked(std::int64_t block, const std::string& exec_id, const std::string& order,
                        const std::string& symbol, oms::Side side, Decimal units, Decimal cash);

// Current state, derived from the events with name indexes for the reducer.
struct BookState {
  oms::Book book;
  std::vector<StoredBlock> blocks;  // in id order (ids are 1, 2, ...)
  std::map<std::pair<std::int64_t, std::string>, AppliedFill> applied_fills;  // by (block, exec id)
  std::int64_t cycles = 0;                                                    // block steps run

  std::unordered_map<std::string, std::size_t> account_index;
  std::unordered_map<std::string, std::size_t> model_index;
  std::unordered_map<std::string, std::size_t> order_index;
  std::map<std::pair<std::size_t, std::string>, std::size_t, std::less<>> goal_index;  // (account, goal)

  std::size_t account(std::string_view number) const;  // Error(NotFound) naming it when unknown
  std::size_t goal(std::size_t account, std::string_view name) const;
  std::size_t order(std::string_view id) const;
};

// Applies one event. Events that break the book's rules (an unknown account, a status
// transition the table forbids, a fill applied twice) throw Error: the journal only ever holds
// events that applied.
void apply(BookState& state, const Event& event);

}  // namespace tranche::store
