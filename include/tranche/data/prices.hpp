#pragma once
// Daily prices loaded from CSV, in either of two forms:
//   wide: date,SYM1,SYM2,...   (one column per symbol, as PyPortfolioOpt's stock_prices.csv)
//   long: date,symbol,open,high,low,close,volume   (one row per symbol and date)
// An empty cell is a missing value, kept as NaN (as pandas does); a later step decides.
// Loading is all or nothing: a bad cell throws InputError naming file, line and column.

#include <Eigen/Core>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/time.hpp"

namespace tranche::data {

// Closing prices: one row per date (strictly ascending), one column per symbol.
struct PriceTable {
  std::vector<std::string> symbols;
  std::vector<Date> dates;
  Eigen::MatrixXd closes;  // dates.size() x symbols.size(), NaN where missing

  std::size_t rows() const { return dates.size(); }
  std::size_t cols() const { return symbols.size(); }
  std::size_t missing() const;  // number of NaN cells
};

// One daily bar of the long form.
struct Bar {
  Date date;
  double open;
  double high;
  double low;
  double close;
  double volume;
};

// Reads a price file, detecting its form from the header. `file_name` in messages is
// the path as given.
PriceTable load_prices(const std::filesystem::path& path);
// Parses price CSV text already in memory; `file_name` is used in error messages.
PriceTable parse_prices(std::string_view text, std::string_view file_name);

}  // namespace tranche::data
