// Durable throughput of the journal: events appended per second into SQLite (WAL,
// synchronous=NORMAL) and PostgreSQL, in transactions of a given size. PostgreSQL runs when
// TRANCHE_BENCH_POSTGRES names a server (scripts/with-postgres sets TRANCHE_TEST_POSTGRES;
// pass it on: TRANCHE_BENCH_POSTGRES=$TRANCHE_TEST_POSTGRES).

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "tranche/store/journal.hpp"

namespace {

using namespace tranche;

const char* kPayload =
    R"({"block":"B-000123","exec_id":"E-000001","symbol":"VTI","side":"BUY","units":"12.345678901","price":"187.35"})";

void append_batches(benchmark::State& state, store::Database& db) {
  store::migrate(db);
  store::Journal journal(db);
  const auto at = parse_timestamp("2024-11-29T15:00:00Z");
  const auto batch = state.range(0);
  const std::vector<store::Journal::NewEvent> events(static_cast<std::size_t>(batch),
                                                     {"fill_received", kPayload});
  for (auto _ : state) {
    store::Transaction transaction(db);
    journal.append(at, "fills fills.csv", events);
    transaction.commit();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void BM_JournalAppendSqlite(benchmark::State& state) {
  const auto path =
      std::filesystem::temp_directory_path() / ("tranche-bench-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto db = store::open_database(path.string());
    append_batches(state, *db);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
BENCHMARK(BM_JournalAppendSqlite)
    ->Arg(1)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_JournalAppendPostgres(benchmark::State& state) {
  const char* server = std::getenv("TRANCHE_BENCH_POSTGRES");
  if (server == nullptr || *server == '\0') {
    state.SkipWithError("TRANCHE_BENCH_POSTGRES is not set");
    return;
  }
  auto db = store::open_database(server);
  db->execute_script("DROP TABLE IF EXISTS journal; DROP TABLE IF EXISTS schema_version");
  append_batches(state, *db);
}
BENCHMARK(BM_JournalAppendPostgres)
    ->Arg(1)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
