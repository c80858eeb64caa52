// Durable throughput of the book of record: client orders created and fills booked per second,
// each event journaled and its state rows written in the same transaction, into SQLite (WAL,
// synchronous=NORMAL) and PostgreSQL. The book: N approved accounts, one goal each on a
// three-symbol model, one $100 BUY order each; the block step sends three blocks, and one fill
// per block is booked (N allocations per fill). Orders go in as commands of 10,000 orders.
// PostgreSQL runs when TRANCHE_BENCH_POSTGRES names a server (see journal_bench.cpp). Last, the
// time to open the book again (replaying its journal) is reported, outside the timed phases.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "tranche/store/book_store.hpp"

namespace {

using namespace tranche;

class AlwaysOpen final : public oms::MarketHours {
 public:
  bool is_open(std::string_view, Timestamp) const override { return true; }
};

constexpr std::int64_t kBatch = 10000;

// Wall and CPU time of a phase: the machine is shared, so the CPU time (this process, every
// thread, user and system) is the figure that does not depend on the neighbours' load.
class PhaseClock {
 public:
  PhaseClock() : wall_(std::chrono::steady_clock::now()), cpu_(cpu_now()) {}
  double wall_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count();
  }
  double cpu_seconds() const { return cpu_now() - cpu_; }

 private:
  static double cpu_now() {
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
  }
  std::chrono::steady_clock::time_point wall_;
  double cpu_;
};

void run_cycle(benchmark::State& state, store::Database& db) {
  const std::int64_t accounts = state.range(0);
  const auto at = parse_timestamp("2024-11-29T15:00:00Z");
  for (auto _ : state) {
    store::BookStore book(db);
    // The accounts (not timed): opened, funded, one goal each.
    book.run(at, "import", [](const store::BookState&) {
      return std::vector<store::Event>{store::model_defined(wealth::ModelPortfolio(
          "Balanced",
          {{"IEI", Decimal::parse("0.5")}, {"VTI", Decimal::parse("0.3")}, {"GLD", Decimal::parse("0.2")}}))};
    });
    wealth::Goal goal;
    goal.name = "Retirement";
    for (std::int64_t first = 0; first < accounts; first += kBatch) {
      book.run(at, "import", [&](const store::BookState&) {
        std::vector<store::Event> events;
        for (std::int64_t a = first; a < std::min(accounts, first + kBatch); ++a) {
          const std::string number = "A" + std::to_string(1000000 + a);
          events.push_back(
              store::account_opened(number, wealth::AccountType::Taxable, wealth::AccountStatus::Approved));
          events.push_back(store::deposit(number, Decimal::parse("1000.00")));
          events.push_back(store::goal_opened(number, goal, "Balanced"));
        }
        return events;
      });
    }
    // Orders created (timed).
    const PhaseClock orders_clock;
    for (std::int64_t first = 0; first < accounts; first += kBatch) {
      book.run(at, "orders", [&](const store::BookState&) {
        std::vector<store::Event> events;
        for (std::int64_t a = first; a < std::min(accounts, first + kBatch); ++a) {
          const std::string number = "A" + std::to_string(1000000 + a);
          events.push_back(store::order_created("O" + std::to_string(a), number, "Retirement", oms::Side::Buy,
                                                Decimal::parse("100.00")));
        }
        return events;
      });
    }
    const double orders_seconds = orders_clock.wall_seconds(), orders_cpu = orders_clock.cpu_seconds();
    store::run_block_step(book, at, "block", AlwaysOpen());
    // Fills booked (timed): one command per block, N allocations each.
    const PhaseClock fills_clock;
    std::int64_t fill_events = 0;
    for (std::int64_t block = 1; block <= 3; ++block) {
      const store::IncomingFill fill{block, "E" + std::to_string(block), Decimal::parse("1000.5"),
                                     Decimal::parse("10.00"), 1};
      const auto before = store::Journal(db).last_sequence();
      store::book_fills(book, std::span(&fill, 1), at, "fills");
      fill_events += store::Journal(db).last_sequence() - before;
    }
    const double fills_seconds = fills_clock.wall_seconds(), fills_cpu = fills_clock.cpu_seconds();
    state.SetIterationTime(orders_seconds + fills_seconds);
    state.counters["orders_per_s"] = static_cast<double>(accounts) / orders_seconds;
    state.counters["fill_events_per_s"] = static_cast<double>(fill_events) / fills_seconds;
    state.counters["orders_per_cpu_s"] = static_cast<double>(accounts) / orders_cpu;
    state.counters["fill_events_per_cpu_s"] = static_cast<double>(fill_events) / fills_cpu;
    state.counters["events"] = static_cast<double>(store::Journal(db).last_sequence());
    // Opening the book again (untimed above): the journal is replayed into memory.
    const PhaseClock open_clock;
    const store::BookStore reopened(db);
    state.counters["open_wall_s"] = open_clock.wall_seconds();
    state.counters["open_cpu_s"] = open_clock.cpu_seconds();
  }
}

void BM_BookCycleSqlite(benchmark::State& state) {
  const auto path =
      std::filesystem::temp_directory_path() / ("tranche-book-bench-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  {
    auto db = store::open_database(path.string());
    run_cycle(state, *db);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
BENCHMARK(BM_BookCycleSqlite)
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

void BM_BookCyclePostgres(benchmark::State& state) {
  const char* server = std::getenv("TRANCHE_BENCH_POSTGRES");
  if (server == nullptr || *server == '\0') {
    state.SkipWithError("TRANCHE_BENCH_POSTGRES is not set");
    return;
  }
  auto db = store::open_database(server);
  db->execute_script(
      "DROP TABLE IF EXISTS journal, schema_version, accounts, goal_holdings, orders, blocks, applied_fills");
  run_cycle(state, *db);
}
BENCHMARK(BM_BookCyclePostgres)
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
