// Calendar lookups: the daily cycle asks is_open / next_open for every order, so these must
// stay cheap; loading the NYSE tables is paid once per process.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "tranche/core/calendar.hpp"

namespace {

using namespace std::chrono;

const tranche::NyseCalendar& nyse() {
  static const tranche::NyseCalendar calendar = tranche::NyseCalendar::load(TRANCHE_DATA_DIR);
  return calendar;
}

// 4096 instants spread uniformly over 2024 (fixed seed), so lookups do not all hit one session.
const std::vector<tranche::Timestamp>& instants_in_2024() {
  static const std::vector<tranche::Timestamp> instants = [] {
    std::mt19937_64 random(20241129);
    const auto first = tranche::Timestamp{tranche::Date{year{2024} / 1 / 1}}.time_since_epoch().count();
    const auto last = tranche::Timestamp{tranche::Date{year{2025} / 1 / 1}}.time_since_epoch().count();
    std::uniform_int_distribution<std::int64_t> uniform(first, last - 1);
    std::vector<tranche::Timestamp> out(4096);
    for (auto& t : out) t = tranche::Timestamp{nanoseconds{uniform(random)}};
    return out;
  }();
  return instants;
}

void BM_NyseIsOpen(benchmark::State& state) {
  const auto& calendar = nyse();
  const auto& instants = instants_in_2024();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.is_open(instants[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NyseIsOpen);

void BM_NyseNextOpen(benchmark::State& state) {
  const auto& calendar = nyse();
  const auto& instants = instants_in_2024();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.next_open(instants[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NyseNextOpen);

void BM_NyseSessionByDate(benchmark::State& state) {
  const auto& calendar = nyse();
  const auto& instants = instants_in_2024();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.session(floor<days>(instants[i++ & 4095])));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NyseSessionByDate);

// The same question through the abstract interface, as callers holding a registry ask it.
void BM_RegistryIsOpenThroughInterface(benchmark::State& state) {
  static const tranche::CalendarRegistry registry = tranche::CalendarRegistry::standard(TRANCHE_DATA_DIR);
  const tranche::ExchangeCalendar& calendar = registry.for_venue("NYSE");
  const auto& instants = instants_in_2024();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.is_open(instants[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegistryIsOpenThroughInterface);

void BM_AlwaysOpenIsOpen(benchmark::State& state) {
  const tranche::AlwaysOpenCalendar calendar;
  const auto& instants = instants_in_2024();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.is_open(instants[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AlwaysOpenIsOpen);

// Reading and checking the three tables and building 11,577 sessions (1990-2035).
void BM_NyseLoad(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(tranche::NyseCalendar::load(TRANCHE_DATA_DIR));
  }
}
BENCHMARK(BM_NyseLoad)->Unit(benchmark::kMillisecond);

}  // namespace
