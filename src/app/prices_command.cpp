// `tranche prices --prices FILE [--format table|json]`: loads a price file (wide or long
// form) and prints what it holds: symbols, first and last date, rows, missing cells in
// total and per symbol with each symbol's first and last date with a price.

#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.hpp"
#include "tranche/data/prices.hpp"

namespace tranche::app {

namespace {

struct PricesOptions {
  std::string prices;
  std::string format = "table";
};

std::string date_or_dash(const std::optional<Date>& date) { return date ? format_iso_date(*date) : "-"; }

void print_table(const std::string& file, const data::PriceTable& table,
                 const std::vector<data::SymbolCoverage>& symbols) {
  const std::size_t cells = table.rows() * table.cols();
  fmt::print("file     {}\n", file);
  fmt::print("symbols  {}:", table.cols());
  for (const auto& symbol : table.symbols) fmt::print(" {}", symbol);
  fmt::print("\n");
  fmt::print("first    {}\n", table.rows() > 0 ? format_iso_date(table.dates.front()) : "-");
  fmt::print("last     {}\n", table.rows() > 0 ? format_iso_date(table.dates.back()) : "-");
  fmt::print("rows     {}\n", table.rows());
  fmt::print("missing  {} of {} cells\n", table.missing(), cells);
  std::size_t width = 6;
  for (const auto& symbol : symbols) width = std::max(width, symbol.symbol.size());
  fmt::print("\n{:<{}}  {:<10}  {:<10}  {:>7}\n", "symbol", width, "first", "last", "missing");
  for (const auto& symbol : symbols) {
    fmt::print("{:<{}}  {:<10}  {:<10}  {:>7}\n", symbol.symbol, width, date_or_dash(symbol.first),
               date_or_dash(symbol.last), symbol.missing);
  }
}

void print_json(const std::string& file, const data::PriceTable& table,
                const std::vector<data::SymbolCoverage>& symbols) {
  const auto date_or_null = [](const std::optional<Date>& date) -> nlohmann::ordered_json {
    return date ? nlohmann::ordered_json(format_iso_date(*date)) : nlohmann::ordered_json(nullptr);
  };
  nlohmann::ordered_json out;
  out["file"] = file;
  out["symbols"] = table.symbols;
  out["first_date"] =
      date_or_null(table.rows() > 0 ? std::optional<Date>(table.dates.front()) : std::nullopt);
  out["last_date"] = date_or_null(table.rows() > 0 ? std::optional<Date>(table.dates.back()) : std::nullopt);
  out["rows"] = table.rows();
  out["missing"] = table.missing();
  nlohmann::ordered_json per_symbol = nlohmann::ordered_json::array();
  for (const auto& symbol : symbols) {
    per_symbol.push_back({{"symbol", symbol.symbol},
                          {"first_date", date_or_null(symbol.first)},
                          {"last_date", date_or_null(symbol.last)},
                          {"missing", symbol.missing}});
  }
  out["per_symbol"] = per_symbol;
  fmt::print("{}\n", out.dump(2));
}

}  // namespace

void add_prices_command(CLI::App& app) {
  auto options = std::make_shared<PricesOptions>();
  auto* command = app.add_subcommand("prices", "Summarise a price file (wide or long CSV)");
  command->add_option("--prices", options->prices, "Price CSV: date,SYM,... or date,symbol,...,close,...")
      ->required();
  command->add_option("--format", options->format, "Output: table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  command->callback([options] {
    const data::PriceTable table = data::load_prices(options->prices);
    const auto symbols = data::coverage(table);
    if (options->format == "json") {
      print_json(options->prices, table, symbols);
    } else {
      print_table(options->prices, table, symbols);
    }
  });
}

}  // namespace tranche::app
