// Price loading throughput: CSV text in memory to a PriceTable, for the wide form
// (date,SYM...) and the long form (date,symbol,open,high,low,close,volume); then returns. The inputs are
// generated once, seeded, with "%.6f" prices following a random walk.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "tranche/core/time.hpp"
#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"

namespace {

constexpr int kDays = 10'000;

std::string& append_price(std::string& out, double value) {
  char cell[32];
  const int length = std::snprintf(cell, sizeof cell, "%.6f", value);
  out.append(cell, static_cast<std::size_t>(length));
  return out;
}

std::vector<std::string> symbol_names(int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(std::string("S").append(std::to_string(1000 + i)));
  return names;
}

std::vector<std::string> date_texts() {
  std::vector<std::string> dates;
  const tranche::Date first{std::chrono::year{1990} / 1 / 1};
  for (int day = 0; day < kDays; ++day)
    dates.push_back(tranche::format_iso_date(first + std::chrono::days(day)));
  return dates;
}

// 500 symbols x 10,000 dates: about 55 MB.
const std::string& wide_csv() {
  static const std::string text = [] {
    constexpr int kSymbols = 500;
    std::mt19937_64 random(20240601);
    std::normal_distribution<double> step(0.0, 0.01);
    std::vector<double> price(kSymbols, 100.0);
    std::string out = "date";
    for (const auto& name : symbol_names(kSymbols)) out.append(",").append(name);
    out += "\n";
    for (const auto& date : date_texts()) {
      out += date;
      for (auto& p : price) {
        p *= 1.0 + step(random);
        out += ",";
        append_price(out, p);
      }
      out += "\n";
    }
    return out;
  }();
  return text;
}

// 100 symbols x 10,000 dates, one row per symbol and date: about 70 MB.
const std::string& long_csv() {
  static const std::string text = [] {
    constexpr int kSymbols = 100;
    std::mt19937_64 random(20240602);
    std::normal_distribution<double> step(0.0, 0.01);
    std::uniform_int_distribution<int> volume(1'000, 10'000'000);
    std::string out = "date,symbol,open,high,low,close,volume\n";
    const auto names = symbol_names(kSymbols);
    const auto dates = date_texts();
    for (int s = 0; s < kSymbols; ++s) {
      double close = 100.0;
      for (const auto& date : dates) {
        const double open = close;
        close = open * (1.0 + step(random));
        out.append(date).append(",").append(names[static_cast<std::size_t>(s)]).append(",");
        append_price(out, open) += ",";
        append_price(out, std::max(open, close) * 1.01) += ",";
        append_price(out, std::min(open, close) * 0.99) += ",";
        append_price(out, close).append(",").append(std::to_string(volume(random))).append("\n");
      }
    }
    return out;
  }();
  return text;
}

void BM_ParseWidePrices(benchmark::State& state) {
  const std::string& text = wide_csv();
  for (auto _ : state) {
    auto table = tranche::data::parse_prices(text, "wide.csv");
    benchmark::DoNotOptimize(table.closes.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_ParseWidePrices)->Unit(benchmark::kMillisecond);

void BM_ParseLongPrices(benchmark::State& state) {
  const std::string& text = long_csv();
  for (auto _ : state) {
    auto table = tranche::data::parse_prices(text, "long.csv");
    benchmark::DoNotOptimize(table.closes.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_ParseLongPrices)->Unit(benchmark::kMillisecond);

void BM_ParseLongBars(benchmark::State& state) {
  const std::string& text = long_csv();
  for (auto _ : state) {
    auto bars = tranche::data::parse_bars(text, "long.csv");
    benchmark::DoNotOptimize(bars.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_ParseLongBars)->Unit(benchmark::kMillisecond);

// Simple returns of the wide table (10,000 dates x 500 symbols), dropping all-missing rows.
void BM_SimpleReturns(benchmark::State& state) {
  const auto prices = tranche::data::parse_prices(wide_csv(), "wide.csv");
  for (auto _ : state) {
    auto returns = tranche::data::returns_from_prices(prices);
    benchmark::DoNotOptimize(returns.values.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * prices.closes.size());
}
BENCHMARK(BM_SimpleReturns)->Unit(benchmark::kMillisecond);

// The bundled PyPortfolioOpt file (about 1 MB), read from disk each time.
void BM_LoadStockPricesCsv(benchmark::State& state) {
  const std::string path = std::string(TRANCHE_DATA_DIR) + "/prices/stock_prices.csv";
  for (auto _ : state) {
    auto table = tranche::data::load_prices(path);
    benchmark::DoNotOptimize(table.closes.data());
  }
}
BENCHMARK(BM_LoadStockPricesCsv)->Unit(benchmark::kMillisecond);

}  // namespace
