// Cost of the exact arithmetic on the hot paths of allocation: multiply to a scale,
// divide, and allocate() over many parts.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "tranche/core/decimal.hpp"

namespace {

using tranche::Decimal;
using tranche::Rounding;

std::vector<Decimal> random_amounts(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> cents(100, 10'000'000);  // $1 .. $100,000
  std::vector<Decimal> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(Decimal::from_int(cents(rng)).divide(Decimal::from_int(100), 2, Rounding::HalfEven));
  return out;
}

void BM_MultiplyUnitsByPriceToCents(benchmark::State& state) {
  const auto units = random_amounts(1024, 1);
  const Decimal price = Decimal::parse("187.354321");
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(units[i++ & 1023].multiply(price, 2, Rounding::HalfEven));
  }
}
BENCHMARK(BM_MultiplyUnitsByPriceToCents);

void BM_DivideToNineDecimals(benchmark::State& state) {
  const auto amounts = random_amounts(1024, 2);
  const Decimal price = Decimal::parse("187.354321");
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(amounts[i++ & 1023].divide(price, 9, Rounding::HalfEven));
  }
}
BENCHMARK(BM_DivideToNineDecimals);

void BM_ParseDecimal(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Decimal::parse("123456.789012345"));
}
BENCHMARK(BM_ParseDecimal);

void BM_FormatDecimal(benchmark::State& state) {
  const Decimal value = Decimal::parse("123456.789012345");
  for (auto _ : state) benchmark::DoNotOptimize(value.to_string());
}
BENCHMARK(BM_FormatDecimal);

// Splitting a filled block's units over N accounts' dollar weights at 9 decimals.
void BM_AllocateUnitsOverAccounts(benchmark::State& state) {
  const auto weights = random_amounts(static_cast<std::size_t>(state.range(0)), 3);
  const Decimal filled = Decimal::parse("123456.123456789");
  for (auto _ : state) benchmark::DoNotOptimize(tranche::allocate(filled, weights, 9));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AllocateUnitsOverAccounts)->Arg(100)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
