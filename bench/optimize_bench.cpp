// Solve time of each mean-variance objective, with expected returns and covariance already
// computed: on the bundled 20-stock data and on seeded synthetic factor-model universes of
// 100, 500 and 1000 assets over 2520 days (PyPortfolioOpt's benchmark model: 5 factors,
// market betas U(0.5, 1.5), other betas N(0, 0.6), alpha N(0.0002, 0.0002), idiosyncratic
// volatility U(0.008, 0.025); our own generator, so the same sizes, not the same numbers).

#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <random>
#include <string>

#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"
#include "tranche/optimize/efficient_frontier.hpp"
#include "tranche/optimize/expected_returns.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace {

using tranche::optimize::EfficientFrontier;

struct Universe {
  std::vector<std::string> symbols;
  Eigen::VectorXd mu;
  Eigen::MatrixXd covariance;
};

Eigen::MatrixXd factor_model_returns(int assets, int days, unsigned seed) {
  std::mt19937_64 rng(seed + static_cast<unsigned>(assets));
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double factor_vol[5] = {0.01, 0.006, 0.005, 0.004, 0.003};
  const double factor_mean[5] = {0.0004, 0.0, 0.0, 0.0, 0.0};
  Eigen::MatrixXd factors(days, 5);
  for (int t = 0; t < days; ++t) {
    for (int f = 0; f < 5; ++f) factors(t, f) = factor_mean[f] + factor_vol[f] * normal(rng);
  }
  Eigen::MatrixXd betas(5, assets);
  for (int i = 0; i < assets; ++i) betas(0, i) = 0.5 + uniform(rng);
  for (int i = 0; i < assets; ++i) {
    for (int f = 1; f < 5; ++f) betas(f, i) = 0.6 * normal(rng);
  }
  Eigen::RowVectorXd alpha(assets);
  Eigen::RowVectorXd idio(assets);
  for (int i = 0; i < assets; ++i) alpha(i) = 0.0002 + 0.0002 * normal(rng);
  for (int i = 0; i < assets; ++i) idio(i) = 0.008 + 0.017 * uniform(rng);
  Eigen::MatrixXd returns = factors * betas;
  for (int t = 0; t < days; ++t) {
    for (int i = 0; i < assets; ++i) {
      returns(t, i) = std::max(-0.5, returns(t, i) + alpha(i) + idio(i) * normal(rng));
    }
  }
  return returns;
}

const Universe& universe(int assets) {
  static std::map<int, Universe> cache;
  auto found = cache.find(assets);
  if (found != cache.end()) return found->second;
  Universe u;
  Eigen::MatrixXd returns;
  if (assets == 20) {
    const auto prices =
        tranche::data::load_prices(std::string(TRANCHE_DATA_DIR) + "/prices/stock_prices.csv");
    const auto table = tranche::data::returns_from_prices(prices);
    u.symbols = table.symbols;
    returns = table.values;
  } else {
    returns = factor_model_returns(assets, 2520, 20240607u);
    for (int i = 0; i < assets; ++i) u.symbols.push_back(std::string("S").append(std::to_string(i)));
  }
  u.mu = tranche::optimize::mean_historical_return(returns);
  u.covariance = tranche::optimize::sample_cov(returns).matrix;
  return cache.emplace(assets, std::move(u)).first->second;
}

enum Objective { MinVolatility, MaxSharpe, EfficientReturn, EfficientRisk, MaxQuadraticUtility };

void optimize(benchmark::State& state, Objective objective) {
  const Universe& u = universe(static_cast<int>(state.range(0)));
  const EfficientFrontier ef(u.symbols, u.mu, u.covariance);
  // PyPortfolioOpt benchmark targets: return 0.20, volatility 1.25 x the min-volatility one.
  const double target_volatility = 1.25 * ef.performance(ef.min_volatility().weights).volatility;
  int iterations = 0;
  int nonzero = 0;
  int solves = 0;
  for (auto _ : state) {
    tranche::optimize::OptimizedPortfolio p;
    switch (objective) {
      case MinVolatility:
        p = ef.min_volatility();
        break;
      case MaxSharpe:
        p = ef.max_sharpe(0.0);
        break;
      case EfficientReturn:
        p = ef.efficient_return(0.2);
        break;
      case EfficientRisk:
        p = ef.efficient_risk(target_volatility);
        break;
      case MaxQuadraticUtility:
        p = ef.max_quadratic_utility(1.0);
        break;
    }
    iterations = p.report.iterations;
    solves = p.solves;
    nonzero = static_cast<int>((p.weights.array().abs() > 1e-6).count());
    benchmark::DoNotOptimize(p.weights.data());
  }
  state.counters["qp_iterations"] = iterations;
  state.counters["nonzero"] = nonzero;
  state.counters["solves"] = solves;
}

void universes(benchmark::internal::Benchmark* b) {
  for (int n : {20, 100, 500, 1000}) b->Arg(n);
  b->Unit(benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(optimize, min_volatility, MinVolatility)->Apply(universes);
BENCHMARK_CAPTURE(optimize, max_sharpe, MaxSharpe)->Apply(universes);
BENCHMARK_CAPTURE(optimize, efficient_return, EfficientReturn)->Apply(universes);
BENCHMARK_CAPTURE(optimize, efficient_risk, EfficientRisk)->Apply(universes);
BENCHMARK_CAPTURE(optimize, max_quadratic_utility, MaxQuadraticUtility)->Apply(universes);

}  // namespace
