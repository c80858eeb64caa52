#pragma once
// Reconciliation of the book against the custodian's start-of-day statement: every difference
// in units per (account, symbol) and in cash per account is a break. Nothing is netted away:
// a position only one side has is a break against zero.

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "tranche/core/decimal.hpp"
#include "tranche/oms/book.hpp"

namespace tranche::oms {

struct CustodianStatement {
  std::map<std::pair<std::string, std::string>, Decimal> positions;  // (account, symbol) -> units
  std::map<std::string, Decimal> cash;                               // account -> cash
  bool has_positions = false;  // a positions file was given: compare units
  bool has_cash = false;       // a cash file was given: compare cash
};

// Reads custodian files, each recognised by its header: `account,symbol,units` (positions) or
// `account,cash`. A (account, symbol) or account listed twice is an InputError.
CustodianStatement read_custodian_files(std::span<const std::filesystem::path> paths);

struct Break {
  std::string account;
  std::string item;  // a symbol, or "cash"
  Decimal book;
  Decimal custodian;
  Decimal difference() const { return book - custodian; }
};

// Breaks sorted by account, then item; the book's units are summed over the account's goals.
std::vector<Break> reconcile(const Book& book, const CustodianStatement& statement);

}  // namespace tranche::oms
