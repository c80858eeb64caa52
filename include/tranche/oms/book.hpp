#pragma once
// The book of a wealth platform's daily cycle: accounts with cash, goals with holdings,
// model portfolios, client orders, previous closes, and the journal of fills already booked
// (so a fill that arrives twice is booked once).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/decimal.hpp"
#include "tranche/oms/order.hpp"
#include "tranche/wealth/account.hpp"
#include "tranche/wealth/model_portfolio.hpp"

namespace tranche::oms {

// One fill as booked: identifies a broker execution so it is never applied twice.
// `occurrence` counts identical rows of one fill file (1 for the first), so two genuine
// executions at the same units and price stay two.
struct FillRecord {
  std::string order_id;
  std::string symbol;
  Side side = Side::Buy;
  Decimal units;
  Decimal price;
  int occurrence = 1;

  std::string key() const;  // the identity above as one string
};

struct Book {
  std::vector<wealth::Account> accounts;
  std::vector<wealth::Goal> goals;
  std::vector<wealth::ModelPortfolio> models;
  std::vector<Order> orders;
  std::map<std::string, Decimal, std::less<>> previous_close;  // by symbol
  std::vector<FillRecord> booked_fills;

  // Linear scans: for tests and small books (the file loader indexes by name itself).
  std::optional<std::size_t> find_account(std::string_view number) const;
  std::optional<std::size_t> find_model(std::string_view name) const;
  std::optional<std::size_t> find_goal(std::size_t account, std::string_view name) const;
  // The goal's value at the previous closes: sum of units x close, exact at 18 decimals.
  // Error(NotFound) naming the symbol when a held symbol has no close.
  Decimal goal_value(std::size_t goal) const;
};

}  // namespace tranche::oms
