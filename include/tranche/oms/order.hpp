#pragma once
// Client orders of the daily cycle: dollar (notional) BUY and SELL orders per account and goal,
// and the state machine they move through. A transition not in the table is an error; a fill
// arriving for an order already in a final state leaves the state as it is.
//
//   NEW -> PENDING (sent in a block) | REJECTED (failed a check) | CANCELLED
//   PENDING -> PARTIALLY_FILLED | FILLED | REJECTED (by the broker) | CANCELLED | EXPIRED
//   PARTIALLY_FILLED -> PARTIALLY_FILLED | FILLED | CANCELLED | EXPIRED
//   FILLED, REJECTED, CANCELLED, EXPIRED: final

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tranche/core/decimal.hpp"

namespace tranche::oms {

enum class Side { Buy, Sell };
const char* to_string(Side side);  // "BUY", "SELL"
std::optional<Side> parse_side(std::string_view text);

enum class OrderState { New, Pending, PartiallyFilled, Filled, Rejected, Cancelled, Expired };
const char* to_string(OrderState state);  // "NEW", "PENDING", "PARTIALLY_FILLED", ...
std::optional<OrderState> parse_order_state(std::string_view text);

bool is_final(OrderState state);
bool can_transition(OrderState from, OrderState to);
// `to`, or Error(InvalidArgument) naming both states when the table does not allow it.
OrderState transition(OrderState from, OrderState to);
// The state after a fill: PARTIALLY_FILLED or FILLED (`complete`) from PENDING or
// PARTIALLY_FILLED; a final state is kept (never downgraded); NEW is an error (a fill for an
// order never sent).
OrderState after_fill(OrderState state, bool complete);

struct Order {
  std::string id;
  std::size_t account = 0;  // index into the book's accounts
  std::size_t goal = 0;     // index into the book's goals
  Side side = Side::Buy;
  Decimal amount;  // dollars
  OrderState state = OrderState::New;
};

}  // namespace tranche::oms
