#include "tranche/data/prices.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace tranche::data {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

double checked_price(const CsvReader& reader, std::size_t index) {
  const auto value = reader.optional_number(index);
  if (!value) return kMissing;
  if (*value <= 0) {
    reader.fail(index, "expected a price greater than 0, found " + quote_for_message(reader.cell(index)));
  }
  return *value;
}

// A price cell: a finite number > 0, or missing. The common case (a plain positive number)
// is parsed here; anything else goes through the reader's full rules and messages.
inline double price_cell(const CsvReader& reader, std::size_t index) {
  const std::string_view text = reader.cell(index);
  double value = 0;
  const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc{} && stop == text.data() + text.size() && value > 0 &&
      value <= std::numeric_limits<double>::max()) {
    return value;
  }
  return checked_price(reader, index);
}

double volume_cell(const CsvReader& reader, std::size_t index) {
  const auto value = reader.optional_number(index);
  if (!value) return kMissing;
  if (*value < 0) {
    reader.fail(index, "expected a volume of 0 or more, found " + quote_for_message(reader.cell(index)));
  }
  return *value;
}

bool is_long_form(const CsvReader& reader) {
  return reader.find_column("symbol").has_value() && reader.find_column("close").has_value();
}

PriceTable parse_wide(CsvReader& reader, std::string_view text) {
  const auto& header = reader.header();
  if (reader.find_column("date") != std::size_t{0}) {
    throw InputError({reader.file_name(), reader.line(), 1, ""},
                     "expected 'date' as the first column, found " + quote_for_message(header.front()));
  }
  if (header.size() < 2) {
    throw InputError({reader.file_name(), reader.line(), 2, ""},
                     "expected a column per symbol after 'date', found none");
  }
  PriceTable table;
  table.symbols.assign(header.begin() + 1, header.end());
  const std::size_t symbols = table.symbols.size();

  // Written in place, column-major, sized by the line breaks: exact for a file without blank
  // or quoted line breaks, grown (and trimmed at the end) otherwise.
  Eigen::Index capacity = static_cast<Eigen::Index>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++capacity;
  capacity = std::max<Eigen::Index>(capacity - 1, 0);  // the header's line
  // A record holds at least a delimiter per symbol: never reserve more rows than the text could hold.
  capacity = std::min(capacity, static_cast<Eigen::Index>(text.size() / (symbols + 1) + 1));
  table.closes.resize(capacity, static_cast<Eigen::Index>(symbols));
  table.dates.reserve(static_cast<std::size_t>(capacity));
  std::size_t previous_line = 0;
  while (reader.next_record()) {
    const Date date = reader.date(0);
    if (!table.dates.empty() && date <= table.dates.back()) {
      const Date previous = table.dates.back();
      if (date == previous) {
        reader.fail(0, "duplicate date " + format_iso_date(date) + " (first at line " +
                           std::to_string(previous_line) + ")");
      }
      reader.fail(0, "expected a date after " + format_iso_date(previous) + " (dates must ascend), found " +
                         quote_for_message(reader.cell(0)));
    }
    const auto row = static_cast<Eigen::Index>(table.dates.size());
    if (row == capacity) {
      capacity = capacity * 2 + 1;
      table.closes.conservativeResize(capacity, Eigen::NoChange);
    }
    table.dates.push_back(date);
    previous_line = reader.line();
    for (std::size_t column = 1; column <= symbols; ++column) {
      table.closes(row, static_cast<Eigen::Index>(column - 1)) = price_cell(reader, column);
    }
  }
  if (static_cast<std::size_t>(capacity) != table.dates.size()) {
    table.closes.conservativeResize(static_cast<Eigen::Index>(table.dates.size()), Eigen::NoChange);
  }
  return table;
}

// The long form's rows, in file order, with symbols numbered in byte order of their names.
struct LongRows {
  struct Row {
    Bar bar;
    std::uint32_t symbol;  // index into `symbols`
    std::size_t line;
  };
  std::vector<std::string> symbols;  // sorted
  std::vector<Row> rows;
};

LongRows read_long(CsvReader& reader, bool need_full_bars) {
  const std::size_t date_column = reader.require_column("date");
  const std::size_t symbol_column = reader.require_column("symbol");
  const std::size_t close_column = reader.require_column("close");
  const auto optional_column = [&](std::string_view name) {
    return need_full_bars ? std::optional<std::size_t>(reader.require_column(name))
                          : reader.find_column(name);
  };
  const auto open_column = optional_column("open");
  const auto high_column = optional_column("high");
  const auto low_column = optional_column("low");
  const auto volume_column = optional_column("volume");
  const auto price_or_missing = [&](const std::optional<std::size_t>& column) {
    return column ? price_cell(reader, *column) : kMissing;
  };

  LongRows table;
  std::deque<std::string> names;  // stable storage for the map's keys
  std::unordered_map<std::string_view, std::uint32_t> symbol_of_name;
  std::optional<std::uint32_t> last_symbol;  // rows usually come grouped by symbol
  while (reader.next_record()) {
    const Date date = reader.date(date_column);
    const std::string_view name = reader.cell(symbol_column);
    if (name.empty()) reader.fail(symbol_column, "expected a symbol, found an empty cell");
    if (!last_symbol || names[*last_symbol] != name) {
      const auto found = symbol_of_name.find(name);
      if (found != symbol_of_name.end()) {
        last_symbol = found->second;
      } else {
        last_symbol = static_cast<std::uint32_t>(names.size());
        names.emplace_back(name);
        symbol_of_name.emplace(names.back(), *last_symbol);
      }
    }
    const Bar bar{date,
                  price_or_missing(open_column),
                  price_or_missing(high_column),
                  price_or_missing(low_column),
                  price_cell(reader, close_column),
                  volume_column ? volume_cell(reader, *volume_column) : kMissing};
    table.rows.push_back({bar, *last_symbol, reader.line()});
  }

  // Symbols in byte order; `new_index[i]` is where the i-th symbol met goes.
  std::vector<std::uint32_t> order(names.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
  std::vector<std::uint32_t> new_index(names.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = i;
    table.symbols.push_back(names[order[i]]);
  }
  for (auto& row : table.rows) row.symbol = new_index[row.symbol];
  return table;
}

// Row `later` repeats the date and symbol of an earlier row: name both lines.
[[noreturn]] void duplicate_row(const std::string& file_name, const LongRows& table,
                                const LongRows::Row& later) {
  const auto earlier = std::find_if(table.rows.begin(), table.rows.end(), [&](const LongRows::Row& row) {
    return row.symbol == later.symbol && row.bar.date == later.bar.date;
  });
  throw InputError({file_name, later.line, 0, ""},
                   "duplicate row for " + quote_for_message(table.symbols[later.symbol]) + " on " +
                       format_iso_date(later.bar.date) + " (first at line " + std::to_string(earlier->line) +
                       ")");
}

PriceTable parse_long(CsvReader& reader) {
  const LongRows long_rows = read_long(reader, false);
  PriceTable table;
  table.symbols = long_rows.symbols;
  if (long_rows.rows.empty()) {
    table.closes.resize(0, static_cast<Eigen::Index>(table.symbols.size()));
    return table;
  }
  // Dates: four-digit years bound the span to about 3.7 million days, so a table indexed by
  // day gives each row's date index in one step.
  const auto [earliest, latest] =
      std::minmax_element(long_rows.rows.begin(), long_rows.rows.end(),
                          [](const auto& a, const auto& b) { return a.bar.date < b.bar.date; });
  const Date first_day = earliest->bar.date;
  const auto day_of = [&](Date date) { return static_cast<std::size_t>((date - first_day).count()); };
  constexpr std::uint32_t kNoDate = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> date_index(day_of(latest->bar.date) + 1, kNoDate);
  for (const auto& row : long_rows.rows) date_index[day_of(row.bar.date)] = 0;
  for (std::size_t day = 0; day < date_index.size(); ++day) {
    if (date_index[day] == kNoDate) continue;
    date_index[day] = static_cast<std::uint32_t>(table.dates.size());
    table.dates.push_back(first_day + std::chrono::days(day));
  }

  // The pivot is dense, as pandas' is: dates x symbols, NaN where no row gave a close.
  const auto rows = static_cast<Eigen::Index>(table.dates.size());
  table.closes.setConstant(rows, static_cast<Eigen::Index>(table.symbols.size()), kMissing);
  std::vector<bool> filled(table.dates.size() * table.symbols.size());
  for (const auto& row : long_rows.rows) {
    const Eigen::Index date = date_index[day_of(row.bar.date)];
    const std::size_t cell = static_cast<std::size_t>(row.symbol) * table.dates.size() + date;
    if (filled[cell]) duplicate_row(reader.file_name(), long_rows, row);
    filled[cell] = true;
    table.closes(date, row.symbol) = row.bar.close;
  }
  return table;
}

}  // namespace

std::size_t PriceTable::missing() const { return static_cast<std::size_t>(closes.array().isNaN().count()); }

PriceTable parse_prices(std::string_view text, std::string_view file_name) {
  CsvReader reader(text, std::string(file_name));
  reader.read_header();
  return is_long_form(reader) ? parse_long(reader) : parse_wide(reader, text);
}

PriceTable load_prices(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  return parse_prices(text, path.string());
}

std::vector<BarSeries> parse_bars(std::string_view text, std::string_view file_name) {
  CsvReader reader(text, std::string(file_name));
  reader.read_header();
  const LongRows long_rows = read_long(reader, true);
  // Each symbol's rows in file order, then by date (stable: a repeated date keeps its rows in
  // file order, so the later one follows).
  std::vector<std::vector<const LongRows::Row*>> by_symbol(long_rows.symbols.size());
  for (const auto& row : long_rows.rows) by_symbol[row.symbol].push_back(&row);
  const LongRows::Row* first_duplicate = nullptr;  // the repeat with the lowest line
  for (auto& rows : by_symbol) {
    const auto earlier_date = [](const LongRows::Row* a, const LongRows::Row* b) {
      return a->bar.date < b->bar.date;
    };
    if (!std::is_sorted(rows.begin(), rows.end(), earlier_date)) {
      std::stable_sort(rows.begin(), rows.end(), earlier_date);
    }
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i]->bar.date == rows[i - 1]->bar.date &&
          (!first_duplicate || rows[i]->line < first_duplicate->line)) {
        first_duplicate = rows[i];
      }
    }
  }
  if (first_duplicate) duplicate_row(reader.file_name(), long_rows, *first_duplicate);

  std::vector<BarSeries> series(long_rows.symbols.size());
  for (std::size_t symbol = 0; symbol < series.size(); ++symbol) {
    series[symbol].symbol = long_rows.symbols[symbol];
    series[symbol].bars.reserve(by_symbol[symbol].size());
    for (const auto* row : by_symbol[symbol]) series[symbol].bars.push_back(row->bar);
  }
  return series;
}

std::vector<BarSeries> load_bars(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  return parse_bars(text, path.string());
}

std::vector<SymbolCoverage> coverage(const PriceTable& prices) {
  std::vector<SymbolCoverage> out;
  out.reserve(prices.cols());
  for (std::size_t column = 0; column < prices.cols(); ++column) {
    SymbolCoverage entry;
    entry.symbol = prices.symbols[column];
    const auto values = prices.closes.col(static_cast<Eigen::Index>(column));
    for (std::size_t row = 0; row < prices.rows(); ++row) {
      if (std::isnan(values(static_cast<Eigen::Index>(row)))) {
        ++entry.missing;
        continue;
      }
      if (!entry.first) entry.first = prices.dates[row];
      entry.last = prices.dates[row];
    }
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace tranche::data
