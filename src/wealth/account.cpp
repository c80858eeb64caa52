#include "tranche/wealth/account.hpp"

#include <algorithm>
#include <array>

#include "tranche/core/error.hpp"

namespace tranche::wealth {

namespace {
template <typename Enum, std::size_t N>
std::optional<Enum> find_name(const std::array<std::pair<Enum, const char*>, N>& names,
                              std::string_view text) {
  for (const auto& [value, name] : names)
    if (text == name) return value;
  return std::nullopt;
}
template <typename Enum, std::size_t N>
const char* name_of(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [candidate, name] : names)
    if (candidate == value) return name;
  return "?";
}

constexpr std::array<std::pair<AccountType, const char*>, 3> kTypeNames{{
    {AccountType::Taxable, "Taxable"},
    {AccountType::RothIra, "Roth IRA"},
    {AccountType::TraditionalIra, "Traditional IRA"},
}};
constexpr std::array<std::pair<AccountStatus, const char*>, 5> kStatusNames{{
    {AccountStatus::Pending, "PENDING"},
    {AccountStatus::InReview, "IN_REVIEW"},
    {AccountStatus::Approved, "APPROVED"},
    {AccountStatus::Rejected, "REJECTED"},
    {AccountStatus::Suspended, "SUSPENDED"},
}};
constexpr std::array<std::pair<AccountStatus, AccountStatus>, 8> kStatusTransitions{{
    {AccountStatus::Pending, AccountStatus::InReview},
    {AccountStatus::Pending, AccountStatus::Rejected},
    {AccountStatus::InReview, AccountStatus::Approved},
    {AccountStatus::InReview, AccountStatus::Rejected},
    {AccountStatus::InReview, AccountStatus::Pending},
    {AccountStatus::Approved, AccountStatus::Suspended},
    {AccountStatus::Suspended, AccountStatus::Approved},
    {AccountStatus::Suspended, AccountStatus::Rejected},
}};
constexpr std::array<std::pair<Priority, const char*>, 4> kPriorityNames{{
    {Priority::Dreams, "Dreams"},
    {Priority::Wishes, "Wishes"},
    {Priority::Wants, "Wants"},
    {Priority::Needs, "Needs"},
}};
}  // namespace

const char* to_string(AccountType type) { return name_of(kTypeNames, type); }
std::optional<AccountType> parse_account_type(std::string_view text) { return find_name(kTypeNames, text); }
const char* to_string(AccountStatus status) { return name_of(kStatusNames, status); }
std::optional<AccountStatus> parse_account_status(std::string_view text) {
  return find_name(kStatusNames, text);
}
const char* to_string(Priority priority) { return name_of(kPriorityNames, priority); }
std::optional<Priority> parse_priority(std::string_view text) { return find_name(kPriorityNames, text); }

bool can_transition(AccountStatus from, AccountStatus to) {
  return std::find(kStatusTransitions.begin(), kStatusTransitions.end(), std::pair{from, to}) !=
         kStatusTransitions.end();
}

AccountStatus transition(AccountStatus from, AccountStatus to) {
  if (!can_transition(from, to)) {
    throw Error(ErrorKind::InvalidArgument,
                std::string("account status cannot go from ") + to_string(from) + " to " + to_string(to));
  }
  return to;
}

// A goal holds a handful of symbols: a linear scan comparing lengths first beats a binary
// search of three-way string compares.
namespace {

// Symbols are a few characters and mostly differ in their first or last one: those are
// compared before the whole text (the daily cycle looks up millions of positions).
bool same_symbol(const std::string& held, std::string_view symbol) {
  return held.size() == symbol.size() &&
         (symbol.empty() || (held.front() == symbol.front() && held.back() == symbol.back())) &&
         held == symbol;
}

}  // namespace

Decimal Holdings::units(std::string_view symbol) const {
  for (const auto& p : positions_)
    if (same_symbol(p.symbol, symbol)) return p.units;
  return {};
}

Decimal Holdings::add(std::string_view symbol, Decimal units) {
  for (auto& p : positions_) {
    if (same_symbol(p.symbol, symbol)) return p.units += units;
  }
  const auto at = std::lower_bound(positions_.begin(), positions_.end(), symbol,
                                   [](const Position& p, std::string_view s) { return p.symbol < s; });
  return positions_.insert(at, Position{std::string(symbol), units})->units;
}

}  // namespace tranche::wealth
