#pragma once
// The book's events and the pure reducer that derives current state from them: replaying a
// journal through apply() rebuilds the book (accounts, cash, goals, holdings, orders, blocks,
// applied fills) exactly, because every change to it is one of these events.
//
// Events are typed structs, one per kind. Their journal payloads are JSON objects with the
// keys in alphabetical order and decimals as their exact text ("10.00", "0.041210023"), never
// as JSON numbers; write_payload() prints them straight into a buffer and parse_event() reads
// them back (only replay and catch-up parse).

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tranche/core/decimal.hpp"
#include "tranche/oms/book.hpp"
#include "tranche/oms/cycle.hpp"

namespace tranche::store {

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

// A broker execution: unique within its block by `exec_id`.
struct AppliedFill {
  std::int64_t block = 0;
  std::string exec_id;
  Decimal units;
  Decimal price;
};

// The event types; the journal stores each under the name event_type() gives. Rows that exist
// before the event are named as the journal names them (account number, goal name, order id),
// except in the two events commands make by the million from the state they read, which carry
// the order's index in the book (the journal still names the order).
struct AccountOpened {
  std::string account;
  wealth::AccountType type = wealth::AccountType::Taxable;
  wealth::AccountStatus status = wealth::AccountStatus::Pending;
};
struct AccountStatusChanged {
  std::string account;
  wealth::AccountStatus status = wealth::AccountStatus::Pending;
};
struct Deposit {
  std::string account;
  Decimal amount;
};
struct Withdrawal {
  std::string account;
  Decimal amount;
};
struct ModelDefined {
  std::string model;
  std::vector<wealth::ModelWeight> weights;
};
struct GoalOpened {
  std::string account;
  std::string goal;
  std::string model;
  int target_year = 0;
  Decimal target_value;
  wealth::Priority priority = wealth::Priority::Wants;
};
struct PriceSet {
  std::string symbol;
  Decimal close;
};
struct GoalHoldingChanged {
  std::string account;
  std::string goal;
  std::string symbol;
  Decimal change;
};
struct OrderCreated {
  std::string order;
  std::string account;
  std::string goal;
  oms::Side side = oms::Side::Buy;
  Decimal amount;
};
struct OrderRejected {
  std::string order;
  std::string rule;
  std::string reason;
};
struct OrderSent {
  std::string order;
};
struct OrderStateChanged {
  std::string order;
  oms::OrderState state = oms::OrderState::New;
};
struct BlockCreated {
  StoredBlock block;  // splits by order index
};
struct FillReceived {
  AppliedFill fill;
};
// One split's share of a fill: the goal's units change by `units` (BUY adds, SELL removes) and
// the account's cash by `cash` (BUY pays, SELL receives).
struct AllocationBooked {
  std::int64_t block = 0;
  std::string exec_id;
  std::size_t order = 0;  // index into the book's orders
  std::string symbol;
  oms::Side side = oms::Side::Buy;
  Decimal units;
  Decimal cash;
};

using Event = std::variant<AccountOpened, AccountStatusChanged, Deposit, Withdrawal, ModelDefined, GoalOpened,
                           PriceSet, GoalHoldingChanged, OrderCreated, OrderRejected, OrderSent,
                           OrderStateChanged, BlockCreated, FillReceived, AllocationBooked>;

// "account_opened", "deposit", ...: the journal's type column.
std::string_view event_type(const Event& event);

// Event constructors, one per type.
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
Event block_created(const StoredBlock& block);
Event fill_received(const AppliedFill& fill);
Event allocation_booked(std::int64_t block, const std::string& exec_id, std::size_t order,
                        const std::string& symbol, oms::Side side, Decimal units, Decimal cash);

// Rows named by text, indexed by open addressing over their positions: no allocation per name,
// and the names are compared against the rows themselves (the caller says how).
class RowIndex {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // The row among those hashed to `hash` for which `matches(row)` holds, or kNone.
  template <typename Matches>
  std::size_t find(std::size_t hash, Matches matches) const {
    if (slots_.empty()) return kNone;
    for (std::size_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
      const std::uint32_t row = slots_[slot];
      if (row == kFree) return kNone;
      if (matches(std::size_t{row})) return row;
    }
  }
  // Indexes `row` under `hash` (the caller checked it is not indexed yet); `hash_of(row)` gives
  // the hash of any indexed row when the table grows.
  template <typename HashOf>
  void insert(std::size_t row, std::size_t hash, HashOf hash_of) {
    if ((count_ + 1) * 2 > slots_.size()) {
      std::vector<std::uint32_t> old = std::move(slots_);
      slots_.assign(std::max<std::size_t>(16, old.size() * 2), kFree);
      mask_ = slots_.size() - 1;
      for (const std::uint32_t r : old)
        if (r != kFree) place(r, hash_of(std::size_t{r}));
    }
    place(static_cast<std::uint32_t>(row), hash);
    ++count_;
  }

 private:
  static constexpr std::uint32_t kFree = static_cast<std::uint32_t>(-1);
  void place(std::uint32_t row, std::size_t hash) {
    std::size_t slot = hash & mask_;
    while (slots_[slot] != kFree) slot = (slot + 1) & mask_;
    slots_[slot] = row;
  }
  std::vector<std::uint32_t> slots_;  // row numbers, kFree when empty; a power of two long
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
};

// Current state, derived from the events, with name indexes for the reducer.
struct BookState {
  oms::Book book;
  std::vector<StoredBlock> blocks;  // in id order (ids are 1, 2, ...)
  std::map<std::pair<std::int64_t, std::string>, AppliedFill> applied_fills;  // by (block, exec id)
  std::int64_t cycles = 0;                                                    // block steps run

  RowIndex account_index;  // over book.accounts by number
  RowIndex model_index;    // over book.models by name
  RowIndex order_index;    // over book.orders by id
  RowIndex goal_index;     // over book.goals by (account, name)

  static constexpr std::size_t kNone = RowIndex::kNone;
  std::size_t find_account(std::string_view number) const;  // kNone when unknown
  std::size_t find_model(std::string_view name) const;
  std::size_t find_goal(std::size_t account, std::string_view name) const;
  std::size_t find_order(std::string_view id) const;
  std::size_t account(std::string_view number) const;  // Error(NotFound) naming it when unknown
  std::size_t goal(std::size_t account, std::string_view name) const;
  std::size_t order(std::string_view id) const;
};

// Applies one event. Events that break the book's rules (an unknown account, a status
// transition the table forbids, a fill applied twice) throw Error: the journal only ever holds
// events that applied. Call it as store::apply (argument lookup also finds std::apply).
void apply(BookState& state, const Event& event);

// Appends the event's JSON payload to `out` (orders named by index are named by their id in
// `state`). Names must be valid UTF-8 (Error otherwise, with part of the payload appended):
// the journal is JSON.
void write_payload(const Event& event, const BookState& state, std::string& out);

// The event a journal row holds; orders named in allocation_booked and block_created are
// resolved in `state`. Error(Parse) naming the type for a payload that is not such an event.
Event parse_event(std::string_view type, std::string_view payload, const BookState& state);

}  // namespace tranche::store
