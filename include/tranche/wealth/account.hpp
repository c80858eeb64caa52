#pragma once
// Client accounts of a wealth platform: the account's tax type, its onboarding status (with
// the transitions a compliance workflow allows), its cash and its goals. Holdings live per
// goal, keyed by symbol.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tranche/core/decimal.hpp"

namespace tranche::wealth {

enum class AccountType { Taxable, RothIra, TraditionalIra };
// "Taxable", "Roth IRA", "Traditional IRA".
const char* to_string(AccountType type);
std::optional<AccountType> parse_account_type(std::string_view text);

// Onboarding and compliance status. Allowed transitions:
//   PENDING   -> IN_REVIEW, REJECTED
//   IN_REVIEW -> APPROVED, REJECTED, PENDING (more documents needed)
//   APPROVED  -> SUSPENDED
//   SUSPENDED -> APPROVED, REJECTED
//   REJECTED  -> (none: a rejected application is closed)
enum class AccountStatus { Pending, InReview, Approved, Rejected, Suspended };
const char* to_string(AccountStatus status);  // "PENDING", "IN_REVIEW", ...
std::optional<AccountStatus> parse_account_status(std::string_view text);
bool can_transition(AccountStatus from, AccountStatus to);
// `to`, or Error(InvalidArgument) naming both states when the table does not allow it.
AccountStatus transition(AccountStatus from, AccountStatus to);

// What a goal holds, keyed by symbol. Units may be fractional; a symbol held at zero units
// is kept (it was traded) until removed.
class Holdings {
 public:
  struct Position {
    std::string symbol;
    Decimal units;
  };
  Decimal units(std::string_view symbol) const;  // zero when not held
  // Adds `units` (negative to remove) and returns the new position.
  Decimal add(std::string_view symbol, Decimal units);
  // Room for `positions` positions without reallocating.
  void reserve(std::size_t positions) { positions_.reserve(positions); }
  // Positions sorted by symbol.
  const std::vector<Position>& positions() const { return positions_; }
  bool empty() const { return positions_.empty(); }

 private:
  std::vector<Position> positions_;  // sorted by symbol
};

// Goal priority ("Realize" names of the chapter's Goal Probability Table).
enum class Priority { Dreams, Wishes, Wants, Needs };
const char* to_string(Priority priority);
std::optional<Priority> parse_priority(std::string_view text);

struct Goal {
  std::size_t account = 0;  // index into the book's accounts
  std::string name;
  std::size_t model = 0;  // index into the book's model portfolios
  int target_year = 0;
  Decimal target_value;
  Priority priority = Priority::Wants;
  Holdings holdings;
};

struct Account {
  std::string number;
  AccountType type = AccountType::Taxable;
  AccountStatus status = AccountStatus::Pending;
  Decimal cash;
};

}  // namespace tranche::wealth
