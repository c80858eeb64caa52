#include "tranche/oms/order.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "tranche/core/error.hpp"

namespace tranche::oms {

namespace {
constexpr std::array<std::pair<OrderState, const char*>, 7> kStateNames{{
    {OrderState::New, "NEW"},
    {OrderState::Pending, "PENDING"},
    {OrderState::PartiallyFilled, "PARTIALLY_FILLED"},
    {OrderState::Filled, "FILLED"},
    {OrderState::Rejected, "REJECTED"},
    {OrderState::Cancelled, "CANCELLED"},
    {OrderState::Expired, "EXPIRED"},
}};
using S = OrderState;
constexpr std::array<std::pair<OrderState, OrderState>, 12> kTransitions{{
    {S::New, S::Pending},
    {S::New, S::Rejected},
    {S::New, S::Cancelled},
    {S::Pending, S::PartiallyFilled},
    {S::Pending, S::Filled},
    {S::Pending, S::Rejected},
    {S::Pending, S::Cancelled},
    {S::Pending, S::Expired},
    {S::PartiallyFilled, S::PartiallyFilled},
    {S::PartiallyFilled, S::Filled},
    {S::PartiallyFilled, S::Cancelled},
    {S::PartiallyFilled, S::Expired},
}};
}  // namespace

const char* to_string(Side side) { return side == Side::Buy ? "BUY" : "SELL"; }
std::optional<Side> parse_side(std::string_view text) {
  if (text == "BUY") return Side::Buy;
  if (text == "SELL") return Side::Sell;
  return std::nullopt;
}

const char* to_string(OrderState state) {
  for (const auto& [value, name] : kStateNames)
    if (value == state) return name;
  return "?";
}
std::optional<OrderState> parse_order_state(std::string_view text) {
  for (const auto& [value, name] : kStateNames)
    if (text == name) return value;
  return std::nullopt;
}

bool is_final(OrderState state) {
  return state == S::Filled || state == S::Rejected || state == S::Cancelled || state == S::Expired;
}

bool can_transition(OrderState from, OrderState to) {
  return std::find(kTransitions.begin(), kTransitions.end(), std::pair{from, to}) != kTransitions.end();
}

OrderState transition(OrderState from, OrderState to) {
  if (!can_transition(from, to)) {
    throw Error(ErrorKind::InvalidArgument,
                std::string("order state cannot go from ") + to_string(from) + " to " + to_string(to));
  }
  return to;
}

OrderState after_fill(OrderState state, bool complete) {
  if (is_final(state)) return state;
  return transition(state, complete ? S::Filled : S::PartiallyFilled);
}

}  // namespace tranche::oms
