// The daily cycle in memory for 10k, 100k and 1M accounts with one BUY order each over an
// 8-symbol universe (three models of 5 to 8 symbols): checks, split and aggregation
// (BM_BlockStep), exact allocation of one fill per block (BM_AllocateFills), and both
// (BM_Cycle). The book is synthetic and seeded, each goal already holding its model's symbols
// (a platform's steady state: the day's fills add to existing positions).

#include <benchmark/benchmark.h>

#include <random>

#include "tranche/oms/allocation.hpp"
#include "tranche/oms/cycle.hpp"

namespace {

using namespace tranche;
using namespace tranche::oms;

class AlwaysOpen final : public MarketHours {
 public:
  bool is_open(std::string_view, Timestamp) const override { return true; }
};

Decimal dec(const char* text) { return Decimal::parse(text); }

Book synthetic_book(std::size_t accounts, std::uint64_t seed) {
  Book book;
  book.models.emplace_back("Conservative", std::vector<wealth::ModelWeight>{{"IEI", dec("0.45")},
                                                                            {"TLT", dec("0.2")},
                                                                            {"VTI", dec("0.15")},
                                                                            {"GLD", dec("0.12")},
                                                                            {"DBC", dec("0.08")}});
  book.models.emplace_back("Moderate", std::vector<wealth::ModelWeight>{{"VTI", dec("0.3")},
                                                                        {"VEA", dec("0.15")},
                                                                        {"IEI", dec("0.2")},
                                                                        {"TLT", dec("0.1")},
                                                                        {"GLD", dec("0.1")},
                                                                        {"VNQ", dec("0.1")},
                                                                        {"DBC", dec("0.05")}});
  book.models.emplace_back("Growth", std::vector<wealth::ModelWeight>{{"VTI", dec("0.35")},
                                                                      {"VEA", dec("0.2")},
                                                                      {"VWO", dec("0.1")},
                                                                      {"VNQ", dec("0.1")},
                                                                      {"IEI", dec("0.08")},
                                                                      {"TLT", dec("0.07")},
                                                                      {"GLD", dec("0.06")},
                                                                      {"DBC", dec("0.04")}});
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> cash_cents(100'00, 50'000'00);
  std::uniform_int_distribution<int> model(0, 2);
  book.accounts.reserve(accounts);
  book.goals.reserve(accounts);
  book.orders.reserve(accounts);
  const Decimal cent = dec("0.01");
  for (std::size_t i = 0; i < accounts; ++i) {
    const Decimal cash = cent * cash_cents(rng);
    book.accounts.push_back({std::to_string(100'000'000 + i), wealth::AccountType::Taxable,
                             wealth::AccountStatus::Approved, cash});
    wealth::Goal goal;
    goal.account = i;
    goal.name = "Goal";
    goal.model = static_cast<std::size_t>(model(rng));
    // A book in its steady state: each goal already holds its model's symbols.
    for (const auto& w : book.models[goal.model].weights()) goal.holdings.add(w.symbol, Decimal::from_int(1));
    book.goals.push_back(std::move(goal));
    // Invest 90 % of the cash, to the cent.
    book.orders.push_back({std::to_string(i), i, i, Side::Buy,
                           (cash * 9).divide(Decimal::from_int(10), 2, Rounding::Down), OrderState::New});
  }
  return book;
}

// One fill per block: the dollars at a price near 100, units to 6 decimals.
std::vector<Fill> fills_for(const BlockPlan& plan) {
  std::vector<Fill> fills;
  for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
    const Decimal price = Decimal::from_int(90 + static_cast<std::int64_t>(b) * 7);
    const Decimal units = plan.blocks[b].dollars.divide(price, 6, Rounding::Down);
    fills.push_back(
        {{std::to_string(b), plan.symbol_of(plan.blocks[b]), plan.blocks[b].side, units, price, 1}, 6, b});
  }
  return fills;
}

const Timestamp kClock = parse_timestamp("2024-11-29T15:00:00Z");

void reset_orders(Book& book) {
  for (auto& o : book.orders) o.state = OrderState::New;
}

void BM_BlockStep(benchmark::State& state) {
  Book book = synthetic_book(static_cast<std::size_t>(state.range(0)), 1);
  const AlwaysOpen hours;
  for (auto _ : state) {
    state.PauseTiming();
    reset_orders(book);
    state.ResumeTiming();
    benchmark::DoNotOptimize(run_block_step(book, kClock, hours));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BlockStep)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_AllocateFills(benchmark::State& state) {
  Book book = synthetic_book(static_cast<std::size_t>(state.range(0)), 1);
  const auto plan = run_block_step(book, kClock, AlwaysOpen());
  const auto fills = fills_for(plan);
  const Book sent = book;
  for (auto _ : state) {
    state.PauseTiming();
    book = sent;
    state.ResumeTiming();
    benchmark::DoNotOptimize(allocate_fills(book, plan, fills));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(plan.splits.size()));
  state.counters["splits"] = static_cast<double>(plan.splits.size());
}
BENCHMARK(BM_AllocateFills)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Cycle(benchmark::State& state) {
  const Book fresh = synthetic_book(static_cast<std::size_t>(state.range(0)), 1);
  const AlwaysOpen hours;
  Book book;
  for (auto _ : state) {
    state.PauseTiming();
    book = fresh;
    state.ResumeTiming();
    const auto plan = run_block_step(book, kClock, hours);
    benchmark::DoNotOptimize(allocate_fills(book, plan, fills_for(plan)));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Cycle)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
