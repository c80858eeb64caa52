#pragma once
// Shared helpers of the oms tests: market hours doubles and exact decimal literals.

#include <set>
#include <string>
#include <string_view>

#include "tranche/core/decimal.hpp"
#include "tranche/oms/cycle.hpp"

namespace tranche::oms::testing {

inline Decimal dec(std::string_view text) { return Decimal::parse(text); }

// Every venue open at every instant except for the symbols listed as closed.
class FixedMarketHours final : public MarketHours {
 public:
  explicit FixedMarketHours(std::set<std::string, std::less<>> closed = {}) : closed_(std::move(closed)) {}
  bool is_open(std::string_view symbol, Timestamp) const override { return !closed_.contains(symbol); }

 private:
  std::set<std::string, std::less<>> closed_;
};

}  // namespace tranche::oms::testing
