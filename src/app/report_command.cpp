// `tranche report`: a book of record's accounts, goals with their holdings valued at the
// previous closes (the book's, or those of --prices FILE: symbol,close), each holding's weight against its
// model (drift = weight - model weight) and the open orders. Everything comes from the book in a fixed order,
// so the same book always prints the same bytes.

#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/book_db.hpp"
#include "app/commands.hpp"
#include "oms/csv_cells.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/store/book_store.hpp"

namespace tranche::app {

namespace {

struct HoldingLine {
  std::string symbol, units, close, value, weight, model_weight, drift;
};

// Weights to 4 decimals, values to cents, half-even; "-" where a symbol has no close.
std::vector<HoldingLine> holding_lines(const oms::Book& book, const wealth::Goal& goal,
                                       std::string& goal_value) {
  const auto& model = book.models[goal.model];
  std::vector<std::string> symbols;
  for (const auto& p : goal.holdings.positions()) symbols.push_back(p.symbol);
  for (const auto& w : model.weights())
    if (w.weight.sign() > 0 && goal.holdings.units(w.symbol).sign() == 0 &&
        std::find(symbols.begin(), symbols.end(), w.symbol) == symbols.end())
      symbols.push_back(w.symbol);
  std::sort(symbols.begin(), symbols.end());
  Decimal total;
  bool priced = true;
  std::vector<std::optional<Decimal>> values;
  for (const auto& symbol : symbols) {
    const auto close = book.previous_close.find(symbol);
    if (close == book.previous_close.end()) {
      values.emplace_back();
      priced = priced && goal.holdings.units(symbol).sign() == 0;
      continue;
    }
    values.emplace_back(
        goal.holdings.units(symbol).multiply(close->second, Decimal::kScale, Rounding::HalfEven));
    total += *values.back();
  }
  goal_value = priced ? total.multiply(Decimal::from_int(1), 2, Rounding::HalfEven).to_string(2) : "-";
  std::vector<HoldingLine> lines;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    HoldingLine line;
    line.symbol = symbols[i];
    line.units = goal.holdings.units(symbols[i]).to_string();
    const auto close = book.previous_close.find(symbols[i]);
    line.close = close == book.previous_close.end() ? "-" : close->second.to_string();
    const Decimal model_weight = model.weight(symbols[i]);
    line.model_weight = model_weight.to_string(4);
    if (values[i] && priced && total.sign() > 0) {
      const Decimal weight = values[i]->divide(total, 4, Rounding::HalfEven);
      line.value = values[i]->multiply(Decimal::from_int(1), 2, Rounding::HalfEven).to_string(2);
      line.weight = weight.to_string(4);
      line.drift = (weight - model_weight.multiply(Decimal::from_int(1), 4, Rounding::HalfEven)).to_string(4);
    } else {
      line.value =
          values[i] ? values[i]->multiply(Decimal::from_int(1), 2, Rounding::HalfEven).to_string(2) : "-";
      line.weight = line.drift = "-";
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

void print_row(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::cout << cells[i];
    if (i + 1 < cells.size()) std::cout << std::string(widths[i] - cells[i].size() + 2, ' ');
  }
  std::cout << "\n";
}

void print_table(const std::string& title, std::vector<std::vector<std::string>> rows) {
  std::cout << "== " << title << "\n";
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  for (const auto& row : rows) print_row(row, widths);
}

// Closes from a file with columns symbol and close; InputError naming the cell for a bad one.
std::map<std::string, Decimal, std::less<>> read_closes(const std::string& path) {
  const std::string text = read_text_file(path);
  CsvReader reader(text, path);
  reader.read_header();
  const auto symbol = reader.require_column("symbol"), close = reader.require_column("close");
  std::map<std::string, Decimal, std::less<>> closes;
  while (reader.next_record()) {
    const Decimal value = oms::detail::decimal_cell(reader, close);
    if (value.sign() <= 0) reader.fail(close, "expected a positive close, found " + value.to_string());
    if (!closes.emplace(std::string(reader.cell(symbol)), value).second)
      reader.fail(symbol, "symbol " + std::string(reader.cell(symbol)) + " listed twice");
  }
  return closes;
}

}  // namespace

void add_report_command(CLI::App& app) {
  struct Options {
    std::string db, format = "table", prices;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("report", "Accounts, goals, holdings, drift and open orders of a book");
  command->add_option("--db", options->db, "Book of record (SQLite file or postgresql://...)")->required();
  command->add_option("--format", options->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  command->add_option("--prices", options->prices, "Value holdings at these closes (columns symbol,close)")
      ->check(CLI::ExistingFile);
  command->callback([options] {
    auto db = open_book(options->db);
    const store::BookStore store(*db);
    oms::Book priced;
    if (!options->prices.empty()) {
      priced = store.state().book;
      priced.previous_close = read_closes(options->prices);
    }
    const oms::Book& book = options->prices.empty() ? store.state().book : priced;
    using nlohmann::json;
    json report{{"accounts", json::array()}, {"goals", json::array()}, {"open_orders", json::array()}};
    std::vector<std::vector<std::string>> accounts{{"account", "type", "status", "cash"}};
    for (const auto& a : book.accounts) {
      accounts.push_back({a.number, to_string(a.type), to_string(a.status), a.cash.to_string(2)});
      report["accounts"].push_back({{"account", a.number},
                                    {"type", to_string(a.type)},
                                    {"status", to_string(a.status)},
                                    {"cash", a.cash.to_string(2)}});
    }
    std::vector<std::vector<std::string>> goals{{"account", "goal", "model", "value"}};
    std::vector<std::vector<std::string>> holdings{
        {"account", "goal", "symbol", "units", "close", "value", "weight", "model", "drift"}};
    for (const auto& g : book.goals) {
      const std::string& account = book.accounts[g.account].number;
      std::string value;
      const auto lines = holding_lines(book, g, value);
      goals.push_back({account, g.name, book.models[g.model].name(), value});
      json goal{{"account", account},
                {"goal", g.name},
                {"model", book.models[g.model].name()},
                {"value", value},
                {"holdings", json::array()}};
      for (const auto& l : lines) {
        holdings.push_back(
            {account, g.name, l.symbol, l.units, l.close, l.value, l.weight, l.model_weight, l.drift});
        goal["holdings"].push_back({{"symbol", l.symbol},
                                    {"units", l.units},
                                    {"close", l.close},
                                    {"value", l.value},
                                    {"weight", l.weight},
                                    {"model_weight", l.model_weight},
                                    {"drift", l.drift}});
      }
      report["goals"].push_back(std::move(goal));
    }
    std::vector<std::vector<std::string>> orders{{"order", "account", "goal", "side", "amount", "state"}};
    for (const auto& o : book.orders) {
      if (oms::is_final(o.state)) continue;
      const std::string& account = book.accounts[o.account].number;
      orders.push_back({o.id, account, book.goals[o.goal].name, oms::to_string(o.side), o.amount.to_string(2),
                        oms::to_string(o.state)});
      report["open_orders"].push_back({{"order", o.id},
                                       {"account", account},
                                       {"goal", book.goals[o.goal].name},
                                       {"side", oms::to_string(o.side)},
                                       {"amount", o.amount.to_string(2)},
                                       {"state", oms::to_string(o.state)}});
    }
    if (options->format == "json") {
      std::cout << report.dump(2) << "\n";
      return;
    }
    print_table("accounts", std::move(accounts));
    print_table("goals", std::move(goals));
    print_table("holdings", std::move(holdings));
    print_table("open orders", std::move(orders));
  });
}

}  // namespace tranche::app
