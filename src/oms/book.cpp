#include "tranche/oms/book.hpp"

#include "tranche/core/error.hpp"

namespace tranche::oms {

std::string FillRecord::key() const {
  return order_id + '|' + symbol + '|' + to_string(side) + '|' + units.to_string() + '|' + price.to_string() +
         '#' + std::to_string(occurrence);
}

std::optional<std::size_t> Book::find_account(std::string_view number) const {
  for (std::size_t i = 0; i < accounts.size(); ++i)
    if (accounts[i].number == number) return i;
  return std::nullopt;
}

std::optional<std::size_t> Book::find_model(std::string_view name) const {
  for (std::size_t i = 0; i < models.size(); ++i)
    if (models[i].name() == name) return i;
  return std::nullopt;
}

std::optional<std::size_t> Book::find_goal(std::size_t account, std::string_view name) const {
  for (std::size_t i = 0; i < goals.size(); ++i)
    if (goals[i].account == account && goals[i].name == name) return i;
  return std::nullopt;
}

Decimal Book::goal_value(std::size_t goal) const {
  Decimal value;
  for (const auto& position : goals.at(goal).holdings.positions()) {
    if (position.units.is_zero()) continue;
    const auto close = previous_close.find(position.symbol);
    if (close == previous_close.end())
      throw Error(ErrorKind::NotFound, "no previous close for " + position.symbol);
    value += position.units.multiply(close->second, Decimal::kScale, Rounding::HalfEven);
  }
  return value;
}

}  // namespace tranche::oms
