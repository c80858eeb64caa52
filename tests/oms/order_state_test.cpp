#include <gtest/gtest.h>

#include "tranche/core/error.hpp"
#include "tranche/oms/order.hpp"

namespace tranche::oms {
namespace {

TEST(OrderState, NewOrderIsSentThenPartiallyFilledThenFilled) {
  auto state = transition(OrderState::New, OrderState::Pending);
  state = transition(state, OrderState::PartiallyFilled);
  state = transition(state, OrderState::PartiallyFilled);
  EXPECT_EQ(transition(state, OrderState::Filled), OrderState::Filled);
}

TEST(OrderState, TransitionNotInTheTableIsAnErrorNamingBothStates) {
  try {
    transition(OrderState::New, OrderState::Filled);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_STREQ(e.what(), "order state cannot go from NEW to FILLED");
  }
  EXPECT_THROW(transition(OrderState::Filled, OrderState::Pending), Error);
  EXPECT_THROW(transition(OrderState::Rejected, OrderState::Pending), Error);
  EXPECT_THROW(transition(OrderState::PartiallyFilled, OrderState::Pending), Error);
  EXPECT_THROW(transition(OrderState::Cancelled, OrderState::Filled), Error);
}

TEST(OrderState, FillNeverDowngradesAFinalState) {
  EXPECT_EQ(after_fill(OrderState::Filled, false), OrderState::Filled);
  EXPECT_EQ(after_fill(OrderState::Cancelled, true), OrderState::Cancelled);
  EXPECT_EQ(after_fill(OrderState::Expired, false), OrderState::Expired);
  EXPECT_EQ(after_fill(OrderState::Pending, false), OrderState::PartiallyFilled);
  EXPECT_EQ(after_fill(OrderState::PartiallyFilled, true), OrderState::Filled);
}

TEST(OrderState, FillForAnOrderNeverSentIsAnError) { EXPECT_THROW(after_fill(OrderState::New, true), Error); }

TEST(OrderState, NamesRoundTrip) {
  for (auto s : {OrderState::New, OrderState::Pending, OrderState::PartiallyFilled, OrderState::Filled,
                 OrderState::Rejected, OrderState::Cancelled, OrderState::Expired})
    EXPECT_EQ(parse_order_state(to_string(s)), s);
  EXPECT_EQ(parse_order_state("PARTIALLY_FILLED"), OrderState::PartiallyFilled);
  EXPECT_FALSE(parse_order_state("filled").has_value());
  EXPECT_EQ(parse_side("SELL"), Side::Sell);
  EXPECT_FALSE(parse_side("Buy").has_value());
}

}  // namespace
}  // namespace tranche::oms
