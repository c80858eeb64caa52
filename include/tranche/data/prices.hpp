#pragma once
// Daily prices loaded from CSV, in either of two forms:
//   wide: date,SYM1,SYM2,...   (one column per symbol, as PyPortfolioOpt's stock_prices.csv)
//   long: date,symbol,open,high,low,close,volume   (one row per symbol and date)
// An empty cell is a missing value, kept as NaN (as pandas does); a later step decides.
// Loading is all or nothing: a bad cell throws InputError naming file, line and column.
//
// The form is told by the header: a header with columns named `symbol` and `close`
// (ignoring case, anywhere) is the long form; any other is the wide form, whose first
// column must be named `date` (ignoring case). The CSV dialect is core/csv.hpp's
// (CRLF or LF, optional final line break, UTF-8 BOM, quoted cells, blank lines skipped).
//
// Rules, each an InputError at the offending cell when broken:
//   - dates are YYYY-MM-DD; in the wide form strictly ascending (no repeats);
//   - in the long form rows come in any order, but a (date, symbol) pair appears once
//     (checked after every row is read); symbols are not empty;
//   - a price (close, and open/high/low when present) is a finite number > 0: pandas would
//     accept 0 or -1, but every return computed from it would be meaningless; volume is
//     a finite number >= 0;
//   - an empty cell or one of pandas' missing markers (NA, NaN, null, ...) is missing (NaN).

#include <Eigen/Core>
#include <filesystem>
#include <optional>
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

// One daily bar of the long form; NaN where the cell was missing.
struct Bar {
  Date date;
  double open;
  double high;
  double low;
  double close;
  double volume;
};

// The bars of one symbol, in ascending date order.
struct BarSeries {
  std::string symbol;
  std::vector<Bar> bars;
};

// What a price column holds: its first and last dates with a price and its missing cells.
struct SymbolCoverage {
  std::string symbol;
  std::optional<Date> first;  // nullopt when the column has no price at all
  std::optional<Date> last;
  std::size_t missing = 0;
};

// Reads a price file, detecting its form from the header. Messages name the file by the
// path as given. A file that cannot be read throws Error (NotFound or Io).
// Long-form symbols become columns in byte order of their names (as pandas' pivot does);
// its dates are the sorted union of the rows' dates, NaN where a symbol has no row.
PriceTable load_prices(const std::filesystem::path& path);
// Parses price CSV text already in memory; `file_name` is used in error messages.
PriceTable parse_prices(std::string_view text, std::string_view file_name);

// The full bars of a long-form file (its header must name date, symbol, open, high, low,
// close and volume), one series per symbol in byte order of the names.
std::vector<BarSeries> load_bars(const std::filesystem::path& path);
std::vector<BarSeries> parse_bars(std::string_view text, std::string_view file_name);

// One entry per symbol, in the table's column order.
std::vector<SymbolCoverage> coverage(const PriceTable& prices);

}  // namespace tranche::data
