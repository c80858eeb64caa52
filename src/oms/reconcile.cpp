#include "tranche/oms/reconcile.hpp"

#include <set>

#include "oms/csv_cells.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace tranche::oms {

CustodianStatement read_custodian_files(std::span<const std::filesystem::path> paths) {
  CustodianStatement statement;
  for (const auto& path : paths) {
    const std::string text = read_text_file(path);
    CsvReader r(text, path.string());
    r.read_header();
    const auto c_account = r.require_column("account");
    if (const auto c_symbol = r.find_column("symbol")) {
      const auto c_units = r.require_column("units");
      statement.has_positions = true;
      while (r.next_record()) {
        const auto key = std::pair{std::string(r.cell(c_account)), std::string(r.cell(*c_symbol))};
        if (!statement.positions.emplace(key, detail::decimal_cell(r, c_units)).second)
          r.fail(*c_symbol, key.second + " of account " + key.first + " is listed twice");
      }
    } else if (const auto c_cash = r.find_column("cash")) {
      statement.has_cash = true;
      while (r.next_record()) {
        const std::string account(r.cell(c_account));
        if (!statement.cash.emplace(account, detail::decimal_cell(r, *c_cash)).second)
          r.fail(c_account, "account " + account + " is listed twice");
      }
    } else {
      throw InputError({path.string(), 1, 0, ""},
                       "expected a positions header account,symbol,units or a cash header account,cash");
    }
  }
  return statement;
}

std::vector<Break> reconcile(const Book& book, const CustodianStatement& statement) {
  std::map<std::pair<std::string, std::string>, Break> breaks;
  if (statement.has_positions) {
    std::map<std::pair<std::string, std::string>, Decimal> book_units;
    for (const auto& goal : book.goals)
      for (const auto& p : goal.holdings.positions())
        book_units[{book.accounts[goal.account].number, p.symbol}] += p.units;
    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& [key, units] : book_units) keys.insert(key);
    for (const auto& [key, units] : statement.positions) keys.insert(key);
    for (const auto& key : keys) {
      const auto ours = book_units.contains(key) ? book_units.at(key) : Decimal();
      const auto theirs = statement.positions.contains(key) ? statement.positions.at(key) : Decimal();
      if (ours != theirs) breaks[key] = Break{key.first, key.second, ours, theirs};
    }
  }
  if (statement.has_cash) {
    std::map<std::string, Decimal> book_cash;
    for (const auto& a : book.accounts) book_cash.emplace(a.number, a.cash);
    std::set<std::string> accounts;
    for (const auto& [account, cash] : book_cash) accounts.insert(account);
    for (const auto& [account, cash] : statement.cash) accounts.insert(account);
    for (const auto& account : accounts) {
      const auto ours = book_cash.find(account);
      const auto theirs = statement.cash.find(account);
      // An account only one side knows is a break even at zero cash.
      if (ours == book_cash.end() || theirs == statement.cash.end() || ours->second != theirs->second) {
        breaks[{account, "cash"}] = Break{account, "cash", ours == book_cash.end() ? Decimal() : ours->second,
                                          theirs == statement.cash.end() ? Decimal() : theirs->second};
      }
    }
  }
  std::vector<Break> sorted;
  sorted.reserve(breaks.size());
  for (auto& [key, b] : breaks) sorted.push_back(std::move(b));
  return sorted;
}

}  // namespace tranche::oms
