// Cost of the estimators on daily returns (and, apart, of taking those returns from prices, which
// PyPortfolioOpt's calls do inside), on the bundled 20-stock file and on seeded synthetic
// universes of 2520 days x 100 / 500 / 1000 assets; plus the pairwise sample covariance on
// returns with missing values (a quarter of the assets listed half-way through).
//
// Synthetic returns follow the factor model of the recorded PyPortfolioOpt run: 5 factors (daily
// vols 1%, 0.6%, 0.5%, 0.4%, 0.3%; market mean 0.04%), market betas U(0.5, 1.5), other betas
// N(0, 0.6), alpha N(0.02%, 0.02%), idiosyncratic vol U(0.8%, 2.5%), clipped at -50%; prices
// start at 100. Drawn with std::mt19937_64 (seed 20240607), so the values differ from that run's
// but the shape and cost do not.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <random>
#include <string>

#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"
#include "tranche/optimize/expected_returns.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace {

using tranche::data::PriceTable;
namespace opt = tranche::optimize;

constexpr int kStockPrices = 20;  // the argument that selects the bundled 20-stock file
constexpr int kDays = 2520;

PriceTable synthetic_prices(int assets) {
  std::mt19937_64 random(20240607u + static_cast<unsigned>(assets));
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  constexpr int kFactors = 5;
  const double factor_vol[kFactors] = {0.01, 0.006, 0.005, 0.004, 0.003};
  Eigen::MatrixXd factors(kDays, kFactors);
  for (int t = 0; t < kDays; ++t) {
    for (int k = 0; k < kFactors; ++k)
      factors(t, k) = (k == 0 ? 0.0004 : 0.0) + factor_vol[k] * normal(random);
  }
  Eigen::MatrixXd betas(kFactors, assets);
  for (int i = 0; i < assets; ++i) {
    betas(0, i) = 0.5 + uniform(random);
    for (int k = 1; k < kFactors; ++k) betas(k, i) = 0.6 * normal(random);
  }
  Eigen::VectorXd alpha(assets), idio(assets);
  for (int i = 0; i < assets; ++i) alpha(i) = 0.0002 + 0.0002 * normal(random);
  for (int i = 0; i < assets; ++i) idio(i) = 0.008 + 0.017 * uniform(random);
  Eigen::MatrixXd returns = factors * betas;
  for (int i = 0; i < assets; ++i) {
    for (int t = 0; t < kDays; ++t) {
      returns(t, i) = std::max(-0.5, returns(t, i) + alpha(i) + idio(i) * normal(random));
    }
  }
  PriceTable prices;
  const tranche::Date first{std::chrono::year{2010} / 1 / 4};
  for (int t = 0; t <= kDays; ++t) prices.dates.push_back(first + std::chrono::days(t));
  for (int i = 0; i < assets; ++i) prices.symbols.push_back(std::string("S").append(std::to_string(i)));
  prices.closes.resize(kDays + 1, assets);
  prices.closes.row(0).setConstant(100.0);
  for (int t = 0; t < kDays; ++t)
    prices.closes.row(t + 1) = prices.closes.row(t).array() * (1.0 + returns.row(t).array());
  return prices;
}

const PriceTable& universe(int assets) {
  static std::map<int, PriceTable> cache;
  auto found = cache.find(assets);
  if (found == cache.end()) {
    PriceTable prices = assets == kStockPrices
                            ? tranche::data::load_prices(TRANCHE_DATA_DIR "/prices/stock_prices.csv")
                            : synthetic_prices(assets);
    found = cache.emplace(assets, std::move(prices)).first;
  }
  return found->second;
}

void label(benchmark::State& state) {
  const auto assets = static_cast<int>(state.range(0));
  state.SetLabel(assets == kStockPrices
                     ? "stock_prices.csv (20 x 7126)"
                     : std::string("synthetic ").append(std::to_string(assets)).append(" x 2521"));
}

const Eigen::MatrixXd& universe_returns(int assets) {
  static std::map<int, Eigen::MatrixXd> cache;
  auto found = cache.find(assets);
  if (found == cache.end()) {
    found = cache.emplace(assets, tranche::data::returns_from_prices(universe(assets)).values).first;
  }
  return found->second;
}

// The estimator alone, on daily returns computed beforehand.
template <typename Estimator>
void run_on_returns(benchmark::State& state, Estimator estimator) {
  const Eigen::MatrixXd& returns = universe_returns(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(estimator(returns));
  label(state);
}

// Daily returns from prices (pandas' pct_change().dropna(how="all")), which PyPortfolioOpt's
// estimators do inside each call: add it to an estimator's time to compare with theirs.
void BM_ReturnsFromPrices(benchmark::State& state) {
  const PriceTable& prices = universe(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(tranche::data::returns_from_prices(prices).values.data());
  label(state);
}
void BM_MeanHistoricalReturn(benchmark::State& state) {
  run_on_returns(state, [](const Eigen::MatrixXd& r) { return opt::mean_historical_return(r); });
}
void BM_SampleCov(benchmark::State& state) {
  run_on_returns(state, [](const Eigen::MatrixXd& r) { return opt::sample_cov(r).matrix; });
}
void BM_LedoitWolf(benchmark::State& state) {
  run_on_returns(state, [](const Eigen::MatrixXd& r) { return opt::ledoit_wolf(r).matrix; });
}
void BM_ExpCov(benchmark::State& state) {
  run_on_returns(state, [](const Eigen::MatrixXd& r) { return opt::exp_cov(r).matrix; });
}
void BM_Semicovariance(benchmark::State& state) {
  run_on_returns(state, [](const Eigen::MatrixXd& r) { return opt::semicovariance(r).matrix; });
}

// Returns with missing values: the last quarter of the assets have no returns in the first half.
void BM_SampleCovPairwise(benchmark::State& state) {
  Eigen::MatrixXd returns =
      tranche::data::returns_from_prices(universe(static_cast<int>(state.range(0)))).values;
  const Eigen::Index late = returns.cols() / 4;
  returns.topRightCorner(returns.rows() / 2, late).setConstant(std::numeric_limits<double>::quiet_NaN());
  bool repaired = false;
  for (auto _ : state) {
    const opt::CovarianceEstimate estimate = opt::sample_cov(returns);
    repaired = !estimate.warnings.empty();
    benchmark::DoNotOptimize(estimate.matrix.data());
  }
  // 1 when the pairwise matrix was indefinite and repaired (a full eigen-decomposition).
  state.counters["repaired"] = repaired ? 1.0 : 0.0;
  label(state);
}

void universes(benchmark::internal::Benchmark* benchmark) {
  benchmark->Arg(kStockPrices)->Arg(100)->Arg(500)->Arg(1000)->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_ReturnsFromPrices)->Apply(universes);
BENCHMARK(BM_MeanHistoricalReturn)->Apply(universes);
BENCHMARK(BM_SampleCov)->Apply(universes);
BENCHMARK(BM_LedoitWolf)->Apply(universes);
BENCHMARK(BM_ExpCov)->Apply(universes);
BENCHMARK(BM_Semicovariance)->Apply(universes);
BENCHMARK(BM_SampleCovPairwise)->Arg(100)->Arg(500)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
