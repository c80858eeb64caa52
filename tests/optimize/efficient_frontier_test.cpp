// Mean-variance portfolios against PyPortfolioOpt 1.5.6's published test numbers
// (tests/test_efficient_frontier.py) on its 20-stock data, bundled as data/prices/stock_prices.csv,
// with mean_historical_return and sample_cov unless a test says otherwise. Performance tuples
// are (expected return, volatility, Sharpe at rf 0.02), as in that suite.

#include "tranche/optimize/efficient_frontier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "tranche/core/error.hpp"
#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"
#include "tranche/optimize/expected_returns.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace tranche::optimize {
namespace {

constexpr double kNone = kNoBound;

struct StockData {
  std::vector<std::string> symbols;
  Eigen::MatrixXd returns;
  Eigen::VectorXd mu;
  Eigen::MatrixXd sample;
};

const StockData& stocks() {
  static const StockData data = [] {
    const data::PriceTable prices =
        data::load_prices(std::string(TRANCHE_DATA_DIR) + "/prices/stock_prices.csv");
    const data::ReturnsTable returns = data::returns_from_prices(prices);
    StockData out;
    out.symbols = returns.symbols;
    out.returns = returns.values;
    out.mu = mean_historical_return(returns.values);
    out.sample = sample_cov(returns.values).matrix;
    return out;
  }();
  return data;
}

EfficientFrontier frontier(PortfolioConstraints constraints = {}) {
  return EfficientFrontier(stocks().symbols, stocks().mu, stocks().sample, std::move(constraints));
}

EfficientFrontier frontier_with(const Eigen::MatrixXd& covariance, PortfolioConstraints constraints = {}) {
  return EfficientFrontier(stocks().symbols, stocks().mu, covariance, std::move(constraints));
}

PortfolioConstraints bounds(double lower, double upper) {
  PortfolioConstraints c;
  c.bounds = {WeightBounds{lower, upper}};
  return c;
}

// Relative tolerance 1e-6 on each of (return, volatility, Sharpe); `absolute` for the cases
// PyPortfolioOpt itself checks with atol.
void expect_performance(const EfficientFrontier& ef, const Eigen::VectorXd& w, double expected_return,
                        double volatility, double sharpe, double absolute = 0.0) {
  const Performance p = ef.performance(w, 0.02);
  const auto tolerance = [absolute](double x) { return absolute > 0.0 ? absolute : 1e-6 * std::abs(x); };
  EXPECT_NEAR(p.expected_return, expected_return, tolerance(expected_return));
  EXPECT_NEAR(p.volatility, volatility, tolerance(volatility));
  EXPECT_NEAR(p.sharpe, sharpe, tolerance(sharpe));
}

void expect_long_only_budget(const Eigen::VectorXd& w) {
  EXPECT_NEAR(w.sum(), 1.0, 1e-12);
  EXPECT_GE(w.minCoeff(), 0.0);
}

void expect_solved_accurately(const OptimizedPortfolio& p) {
  EXPECT_EQ(p.report.status, QpStatus::Optimal);
  EXPECT_LT(p.report.primal_residual, 1e-9);
  EXPECT_LT(p.report.dual_residual, 1e-9);
}

// --- The list (PyPortfolioOpt 1.5.6 test suite) ---

TEST(EfficientFrontier, MinVolatilityMatchesPyPortfolioOpt) {
  const auto ef = frontier();
  const auto p = ef.min_volatility();
  expect_solved_accurately(p);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.15056821399482578, 0.15915084514118694, 0.8204054077060996);
}

TEST(EfficientFrontier, MaxSharpeMatchesPyPortfolioOpt) {
  const auto ef = frontier();
  const auto p = ef.max_sharpe(0.02);
  expect_solved_accurately(p);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.3047768672819914, 0.22165566922402932, 1.2847714127003216);
}

TEST(EfficientFrontier, EfficientReturnMatchesPyPortfolioOpt) {
  const auto ef = frontier();
  const auto p = ef.efficient_return(0.25);
  expect_solved_accurately(p);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.25, 0.18723269942026335, 1.2284179030274036);
}

TEST(EfficientFrontier, EfficientRiskMatchesPyPortfolioOpt) {
  const auto ef = frontier();
  const auto p = ef.efficient_risk(0.19);
  expect_solved_accurately(p);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.2552422849133517, 0.19, 1.2381172871434818);
}

TEST(EfficientFrontier, MaxQuadraticUtilityMatchesPyPortfolioOpt) {
  const auto ef = frontier();
  const auto p = ef.max_quadratic_utility(2.0);
  expect_solved_accurately(p);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.3677732711751504, 0.2921342197778279, 1.1904571516463793);
}

TEST(EfficientFrontier, MinVolatilityWithShortingMatchesPyPortfolioOpt) {
  for (const auto& [lower, upper] : {std::pair{-1.0, 1.0}, std::pair{-kNone, kNone}}) {
    const auto ef = frontier(bounds(lower, upper));
    const auto p = ef.min_volatility();
    expect_solved_accurately(p);
    EXPECT_NEAR(p.weights.sum(), 1.0, 1e-12);
    EXPECT_LT(p.weights.minCoeff(), 0.0);
    expect_performance(ef, p.weights, 0.1516319319875544, 0.1555915367269669, 0.8460095886741129);
  }
}

// --- More of PyPortfolioOpt's suite ---

TEST(EfficientFrontier, MinVolatilityWithL2RegularisationMatchesPyPortfolioOpt) {
  PortfolioConstraints c;
  c.gamma = 1.0;
  const auto ef = frontier(c);
  const auto p = ef.min_volatility();
  expect_solved_accurately(p);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.17356099329164965, 0.1955254118258614, 0.785376140408869);
}

TEST(EfficientFrontier, HugeL2RegularisationGivesEqualWeights) {
  PortfolioConstraints c;
  c.gamma = 1e10;
  const auto p = frontier(c).min_volatility();
  for (Eigen::Index i = 0; i < p.weights.size(); ++i) EXPECT_NEAR(p.weights(i), 0.05, 1e-9);
}

TEST(EfficientFrontier, MinVolatilityWithTransactionCostAndL2MatchesPyPortfolioOpt) {
  // transaction_cost(w_prev = equal weights, k = 0.001) plus L2_reg(gamma = 1).
  PortfolioConstraints c;
  c.gamma = 1.0;
  c.current_weights = Eigen::VectorXd::Constant(20, 0.05);
  c.transaction_cost = 0.001;
  const auto ef = frontier(c);
  const auto p = ef.min_volatility();
  expect_solved_accurately(p);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.17363446634404042, 0.1959773703677164, 0.7839398296638683);
}

TEST(EfficientFrontier, TransactionCostPullsTowardsCurrentWeights) {
  PortfolioConstraints c;
  c.current_weights = Eigen::VectorXd::Constant(20, 0.05);
  c.transaction_cost = 0.001;
  const Eigen::VectorXd free_weights = frontier().min_volatility().weights;
  const Eigen::VectorXd costly = frontier(c).min_volatility().weights;
  EXPECT_LT((costly - *c.current_weights).lpNorm<1>(), (free_weights - *c.current_weights).lpNorm<1>());
}

TEST(EfficientFrontier, MaxSharpeWithShortingMatchesPyPortfolioOpt) {
  const auto ef = frontier(bounds(-kNone, kNone));
  const auto p = ef.max_sharpe(0.02);
  expect_solved_accurately(p);
  EXPECT_NEAR(p.weights.sum(), 1.0, 1e-12);
  expect_performance(ef, p.weights, 0.4937195216716211, 0.29516576454651955, 1.6049270564945908);
}

TEST(EfficientFrontier, MaxQuadraticUtilityWithShortingMatchesPyPortfolioOpt) {
  const auto ef = frontier(bounds(-1.0, 1.0));
  const auto p = ef.max_quadratic_utility(1.0);
  expect_solved_accurately(p);
  expect_performance(ef, p.weights, 1.4170505733098597, 1.0438577623242156, 1.3383533884915872);
}

TEST(EfficientFrontier, MarketNeutralMaxQuadraticUtilityMatchesPyPortfolioOpt) {
  PortfolioConstraints c = bounds(-1.0, 1.0);
  c.market_neutral = true;
  const auto ef = frontier(c);
  const auto p = ef.max_quadratic_utility(1.0);
  expect_solved_accurately(p);
  EXPECT_NEAR(p.weights.sum(), 0.0, 1e-12);
  expect_performance(ef, p.weights, 1.248936321062371, 1.0219175004907117, 1.2025787996313317);
}

TEST(EfficientFrontier, MaxQuadraticUtilityWithL2MatchesPyPortfolioOpt) {
  PortfolioConstraints c;
  c.gamma = 5.0;
  const auto ef = frontier(c);
  const auto p = ef.max_quadratic_utility(1.0);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.19774277217586125, 0.2104822672707046, 0.8444548535162986);
}

TEST(EfficientFrontier, EfficientRiskWithShortingMatchesPyPortfolioOpt) {
  const auto ef = frontier(bounds(-1.0, 1.0));
  const auto p = ef.efficient_risk(0.19);
  expect_performance(ef, p.weights, 0.30035471606347336, 0.19, 1.4755511348079207, 1e-6);
}

TEST(EfficientFrontier, EfficientRiskWithL2MatchesPyPortfolioOpt) {
  PortfolioConstraints c;
  c.gamma = 5.0;
  const auto ef = frontier(c);
  const auto p = ef.efficient_risk(0.19);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.1931352562313653, 0.19, 0.9112381912184281, 1e-6);
}

TEST(EfficientFrontier, MarketNeutralEfficientRiskMatchesPyPortfolioOpt) {
  PortfolioConstraints c = bounds(-1.0, 1.0);
  c.market_neutral = true;
  const auto ef = frontier(c);
  const auto p = ef.efficient_risk(0.21);
  EXPECT_NEAR(p.weights.sum(), 0.0, 1e-12);
  expect_performance(ef, p.weights, 0.28640632960825885, 0.21, 1.2686015698590967, 1e-6);
}

TEST(EfficientFrontier, MarketNeutralEfficientRiskWithL2StopsShortOfTheTarget) {
  // With gamma = 1 the best regularised portfolio is less risky than the 0.19 allowed.
  PortfolioConstraints c = bounds(-1.0, 1.0);
  c.market_neutral = true;
  c.gamma = 1.0;
  const auto ef = frontier(c);
  const auto p = ef.efficient_risk(0.19);
  expect_performance(ef, p.weights, 0.12790320789339854, 0.1175336636355454, 0.9180621496492316, 1e-6);
}

TEST(EfficientFrontier, EfficientReturnWithShortingMatchesPyPortfolioOpt) {
  const auto ef = frontier(bounds(-kNone, kNone));
  const auto p = ef.efficient_return(0.25);
  expect_solved_accurately(p);
  expect_performance(ef, p.weights, 0.25, 0.17149595234895817, 1.3411395245760582);
}

TEST(EfficientFrontier, MarketNeutralLongShortTargetMatchesPyPortfolioOpt) {
  // PyPortfolioOpt's test_efficient_return_longshort_target: nine assets, diagonal covariance.
  Eigen::VectorXd mu(9);
  mu << -0.15, -0.12, -0.1, -0.05, -0.01, 0.02, 0.03, 0.04, 0.05;
  Eigen::VectorXd variances(9);
  variances << 0.2, 0.2, 0.4, 0.3, 0.1, 0.5, 0.2, 0.3, 0.1;
  PortfolioConstraints c = bounds(-1.0, 1.0);
  c.market_neutral = true;
  const EfficientFrontier ef({"0", "1", "2", "3", "4", "5", "6", "7", "8"}, mu, variances.asDiagonal(), c);
  const auto p = ef.efficient_return(0.08);
  expect_solved_accurately(p);
  EXPECT_NEAR(p.weights.sum(), 0.0, 1e-12);
  expect_performance(ef, p.weights, 0.08, 0.16649041068958137, 0.3603811159542937, 1e-6);
}

TEST(EfficientFrontier, EfficientReturnWithL2MatchesPyPortfolioOpt) {
  PortfolioConstraints c;
  c.gamma = 1.0;
  const auto ef = frontier(c);
  const auto p = ef.efficient_return(0.25);
  expect_performance(ef, p.weights, 0.25, 0.20961660883459776, 1.0972412981906703);
}

TEST(EfficientFrontier, MarketNeutralEfficientReturnMatchesPyPortfolioOpt) {
  PortfolioConstraints c = bounds(-1.0, 1.0);
  c.market_neutral = true;
  const auto ef = frontier(c);
  const auto p = ef.efficient_return(0.25);
  EXPECT_NEAR(p.weights.sum(), 0.0, 1e-12);
  EXPECT_TRUE((p.weights.array() < 1.0).all() && (p.weights.array() > -1.0).all());
  expect_performance(ef, p.weights, 0.25, 0.1833060046337015, 1.2547324920403273);
}

TEST(EfficientFrontier, EfficientReturnAtTheBestAssetHoldsOnlyThatAsset) {
  // test_efficient_return_max: MA has the highest expected return.
  const auto ef = frontier();
  const Eigen::Index best = 16;
  ASSERT_EQ(stocks().symbols[best], "MA");
  const auto p = ef.efficient_return(stocks().mu(best));
  for (Eigen::Index i = 0; i < 20; ++i) EXPECT_NEAR(p.weights(i), i == best ? 1.0 : 0.0, 1e-12);
}

TEST(EfficientFrontier, DegenerateTiesAtTheBestReturnAreSolvedExactly) {
  // Target = the best asset's return: its weight, the budget and the return row all bind at
  // once (a degenerate vertex). Regression: rounding noise once blocked on a bound there and
  // made the working rows dependent.
  for (int best = 0; best < 4; ++best) {
    Eigen::VectorXd mu = Eigen::Vector4d(0.11, 0.13, 0.07, 0.09);
    mu(best) = 0.3 + 1e-17 * best;
    const Eigen::MatrixXd S = Eigen::Vector4d(0.04, 0.09, 0.16, 0.01).asDiagonal();
    const EfficientFrontier ef({"A", "B", "C", "D"}, mu, S);
    const auto p = ef.efficient_return(mu(best));
    expect_solved_accurately(p);
    for (Eigen::Index i = 0; i < 4; ++i) {
      EXPECT_NEAR(p.weights(i), i == best ? 1.0 : 0.0, 1e-14);
      EXPECT_GE(p.weights(i), 0.0);  // bounds hold exactly, not to rounding
    }
  }
}

// Semicovariance with T = all rows (1.5.x's definition); the numbers are from the suite at
// that definition (older suites used the covariance of the drops and differ).
TEST(EfficientFrontier, MaxSharpeOnSemicovarianceMatchesPyPortfolioOpt) {
  const Eigen::MatrixXd semi = semicovariance(stocks().returns, 0.0).matrix;
  const auto ef = frontier_with(semi);
  const auto p = ef.max_sharpe(0.02);
  expect_long_only_budget(p.weights);
  expect_performance(ef, p.weights, 0.2762965426962885, 0.07372667096108301, 3.476307004714425);
  const auto shorting = frontier_with(semi, bounds(-1.0, 1.0));
  const auto q = shorting.max_sharpe(0.02);
  expect_performance(shorting, q.weights, 0.42444834528495234, 0.0898263632679403, 4.50255727350929);
}

TEST(EfficientFrontier, ShrunkAndExponentialCovariancesMatchPyPortfolioOpt) {
  PortfolioConstraints l2;
  l2.gamma = 1.0;
  {
    const auto ef =
        frontier_with(ledoit_wolf(stocks().returns, ShrinkageTarget::ConstantCorrelation).matrix, l2);
    expect_performance(ef, ef.min_volatility().weights, 0.17358178582309983, 0.19563960638632416,
                       0.7850239972361532);
  }
  {
    // PyPortfolioOpt reports volatility 0.08892192396903059 at return 0.22; our exact optimum is
    // 2.8e-7 lower at the same return (its OSQP point sits that far inside the frontier, or its
    // shrinkage intensity differs in the last digits), so this one case is held to 5e-7.
    const auto ef = frontier_with(ledoit_wolf(stocks().returns, ShrinkageTarget::SingleFactor).matrix);
    const Performance p = ef.performance(ef.efficient_return(0.22).weights, 0.02);
    EXPECT_NEAR(p.expected_return, 0.22, 1e-12);
    EXPECT_NEAR(p.volatility, 0.08892192396903059, 5e-7);
    EXPECT_LE(p.volatility, 0.08892192396903059);
  }
  const Eigen::MatrixXd exponential = exp_cov(stocks().returns).matrix;
  {
    const auto ef = frontier_with(exponential);
    expect_performance(ef, ef.max_sharpe(0.02).weights, 0.33700887443850647, 0.1807332515488447,
                       1.7540152225548384);
  }
  {
    const auto ef = frontier_with(exponential, l2);
    expect_performance(ef, ef.min_volatility().weights, 0.1829496087575576, 0.17835412793427002,
                       0.9136295898775636);
  }
  {
    PortfolioConstraints c = bounds(-1.0, 1.0);
    c.market_neutral = true;
    const auto ef = frontier_with(exponential, c);
    expect_performance(ef, ef.efficient_risk(0.19).weights, 0.3934093962620499, 0.19, 1.9653126130421081,
                       1e-6);
  }
}

// PyPortfolioOpt's weights from its benchmark run (OSQP, rf 0), which agree with its critical
// line algorithm to 1e-8.
TEST(EfficientFrontier, WeightsAgreeWithPyPortfolioOptBenchmarkRun) {
  const std::vector<double> max_sharpe = {0.0458021882165,
                                          0.0674322047156,
                                          0.200803233877,
                                          0.0849426073018,
                                          0.0352520966381,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0,
                                          0.0158669521246,
                                          0.328701529156,
                                          0.20393794158,
                                          0.0,
                                          0.0172612463899};
  const std::vector<double> min_volatility = {0.00305819158629,
                                              0.0146732871856,
                                              0.0985575826768,
                                              0.125583233826,
                                              0.0,
                                              0.0,
                                              0.0,
                                              0.177147770862,
                                              0.0,
                                              0.116820090851,
                                              0.176920178098,
                                              0.0,
                                              0.0,
                                              0.18860783261,
                                              0.0,
                                              0.000626146787617,
                                              0.0,
                                              0.0877815526707,
                                              0.0,
                                              0.0102241328459};
  const std::vector<double> efficient_return = {0.0324144985053,
                                                0.0366535320102,
                                                0.13594331382,
                                                0.1266259354,
                                                0.0,
                                                0.0,
                                                0.0,
                                                0.135736625869,
                                                0.0,
                                                0.0160532137651,
                                                0.112870179546,
                                                0.0,
                                                0.0,
                                                0.159750128774,
                                                0.0,
                                                0.012434959513,
                                                0.0709879944835,
                                                0.137726300728,
                                                0.0,
                                                0.0228033175857};
  const auto ef = frontier();
  const Eigen::VectorXd a = ef.max_sharpe(0.0).weights;
  const Eigen::VectorXd b = ef.min_volatility().weights;
  const Eigen::VectorXd c = ef.efficient_return(0.2).weights;
  for (Eigen::Index i = 0; i < 20; ++i) {
    EXPECT_NEAR(a(i), max_sharpe[i], 1e-6) << stocks().symbols[i];
    EXPECT_NEAR(b(i), min_volatility[i], 1e-6) << stocks().symbols[i];
    EXPECT_NEAR(c(i), efficient_return[i], 1e-6) << stocks().symbols[i];
  }
}

TEST(EfficientFrontier, EfficientRiskHitsEachTargetVolatility) {
  // test_efficient_risk_many_values (PyPortfolioOpt allows 1e-5; we hold 1e-12).
  const auto ef = frontier();
  for (double target : {0.16, 0.21, 0.30}) {
    const auto p = ef.efficient_risk(target);
    expect_long_only_budget(p.weights);
    EXPECT_NEAR(ef.performance(p.weights).volatility, target, 1e-12 * target);
  }
}

TEST(EfficientFrontier, EfficientReturnHitsEachTargetReturn) {
  // test_efficient_return_many_values.
  const auto ef = frontier();
  for (double target : {0.25, 0.26, 0.27, 0.28}) {
    const auto p = ef.efficient_return(target);
    expect_long_only_budget(p.weights);
    EXPECT_NEAR(ef.performance(p.weights).expected_return, target, 1e-12);
  }
}

TEST(EfficientFrontier, HigherRiskFreeRateLowersTheSharpeRatio) {
  // test_max_sharpe_risk_free_rate: Sharpe at rf 0.10 < at 0.02 < at 0.
  const auto ef = frontier();
  const double at_002 = ef.performance(ef.max_sharpe(0.02).weights, 0.02).sharpe;
  EXPECT_LT(ef.performance(ef.max_sharpe(0.10).weights, 0.10).sharpe, at_002);
  EXPECT_GT(ef.performance(ef.max_sharpe(0.0).weights, 0.0).sharpe, at_002);
}

TEST(EfficientFrontier, LargerL2GammaHoldsAtLeastAsManyNames) {
  // test_min_volatility_L2_reg_many_values: names above 1 % never fall as gamma grows.
  long previous = (frontier().min_volatility().weights.array() > 0.01).count();
  for (int step = 1; step <= 10; ++step) {
    PortfolioConstraints c;
    c.gamma = 0.05 * step;
    const long held = (frontier(c).min_volatility().weights.array() > 0.01).count();
    EXPECT_GE(held, previous) << "gamma " << c.gamma;
    previous = held;
  }
  EXPECT_EQ(previous, 20);
}

TEST(EfficientFrontier, LargeRiskAversionApproachesMinimumVolatility) {
  // test_max_quadratic_utility_limit.
  const auto ef = frontier();
  const Eigen::VectorXd a = ef.max_quadratic_utility(1e10).weights;
  const Eigen::VectorXd b = ef.min_volatility().weights;
  EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-6);
}

// --- Constraints ---

std::map<std::string, std::string> sector_map() {
  return {{"GOOG", "tech"},  {"AAPL", "tech"},   {"FB", "tech"},     {"AMZN", "tech"},  {"BABA", "tech"},
          {"GE", "utility"}, {"AMD", "tech"},    {"WMT", "retail"},  {"BAC", "fig"},    {"GM", "auto"},
          {"T", "auto"},     {"UAA", "airline"}, {"SHLD", "retail"}, {"XOM", "energy"}, {"RRC", "energy"},
          {"BBY", "retail"}, {"MA", "fig"},      {"PFE", "pharma"},  {"JPM", "fig"},    {"SBUX", "retail"}};
}

PortfolioConstraints with_sectors(PortfolioConstraints c) {
  // PyPortfolioOpt's test_max_sharpe_sector_constraints_auto limits.
  c.sector_of = sector_map();
  c.sector_limits = {{"tech", -kNone, 0.2}, {"utility", 0.01, 0.1},  {"retail", -kNone, 0.2},
                     {"fig", 0.02, 0.4},    {"airline", 0.01, 0.05}, {"energy", -kNone, 0.2}};
  return c;
}

void expect_sector_limits_hold(const Eigen::VectorXd& w) {
  std::map<std::string, double> sums;
  const auto map = sector_map();
  for (Eigen::Index i = 0; i < w.size(); ++i) sums[map.at(stocks().symbols[i])] += w(i);
  EXPECT_LE(sums["tech"], 0.2 + 1e-12);
  EXPECT_LE(sums["retail"], 0.2 + 1e-12);
  EXPECT_LE(sums["energy"], 0.2 + 1e-12);
  EXPECT_LE(sums["fig"], 0.4 + 1e-12);
  EXPECT_GE(sums["fig"], 0.02 - 1e-12);
  EXPECT_GE(sums["utility"], 0.01 - 1e-12);
  EXPECT_LE(sums["utility"], 0.1 + 1e-12);
  EXPECT_GE(sums["airline"], 0.01 - 1e-12);
  EXPECT_LE(sums["airline"], 0.05 + 1e-12);
}

TEST(EfficientFrontier, SectorLimitsHoldUnderEveryObjective) {
  const auto ef = frontier(with_sectors({}));
  const auto sharpe = ef.max_sharpe(0.02);
  expect_solved_accurately(sharpe);
  expect_sector_limits_hold(sharpe.weights);
  // Unconstrained max Sharpe puts 0.45 in tech and 0.33 in MA: the limits bind.
  EXPECT_NEAR(sharpe.weights.head(5).sum() + sharpe.weights(6), 0.2, 1e-12);
  EXPECT_LT(ef.performance(sharpe.weights, 0.02).sharpe, 1.2847714127003216);
  expect_sector_limits_hold(ef.efficient_risk(0.19).weights);
  expect_sector_limits_hold(ef.min_volatility().weights);
  const auto shorting = frontier(with_sectors(bounds(-kNone, kNone)));
  expect_sector_limits_hold(shorting.min_volatility().weights);
}

TEST(EfficientFrontier, WeightBoundsHoldInMaxSharpe) {
  {
    const auto p = frontier(bounds(0.03, 0.13)).max_sharpe(0.02);
    EXPECT_NEAR(p.weights.sum(), 1.0, 1e-12);
    EXPECT_GE(p.weights.minCoeff(), 0.03 - 1e-12);
    EXPECT_LE(p.weights.maxCoeff(), 0.13 + 1e-12);
  }
  PortfolioConstraints c;
  for (int i = 0; i < 10; ++i) {
    c.bounds.push_back({0.01, 0.13});
    c.bounds.push_back({0.02, 0.11});
  }
  const auto p = frontier(c).max_sharpe(0.02);
  for (Eigen::Index i = 0; i < 20; ++i) {
    EXPECT_GE(p.weights(i), c.bounds[i].lower - 1e-12);
    EXPECT_LE(p.weights(i), c.bounds[i].upper + 1e-12);
  }
}

TEST(EfficientFrontier, LinearConstraintsOnNamedWeightsHoldInMaxSharpe) {
  // test_max_sharpe_explicit_bound: w[GOOG] >= 0.2, w[FB] == 0.15, w[BABA] + w[AMZN] <= 0.1.
  PortfolioConstraints c;
  c.linear = {{{{"GOOG", 1.0}}, Relation::GreaterEqual, 0.2, "GOOG at least 0.2"},
              {{{"FB", 1.0}}, Relation::Equal, 0.15, "FB exactly 0.15"},
              {{{"BABA", 1.0}, {"AMZN", 1.0}}, Relation::LessEqual, 0.1, "BABA and AMZN at most 0.1"}};
  const auto p = frontier(c).max_sharpe(0.02);
  expect_solved_accurately(p);
  EXPECT_NEAR(p.weights.sum(), 1.0, 1e-12);
  EXPECT_GE(p.weights(0), 0.2 - 1e-12);
  EXPECT_NEAR(p.weights(2), 0.15, 1e-12);
  EXPECT_LE(p.weights(3) + p.weights(4), 0.1 + 1e-12);
}

TEST(EfficientFrontier, L2UnderMaxSharpeMaximisesTheRegularisedRatio) {
  // Our max Sharpe with gamma maximises (mu'w - rf) / sqrt(w'Sw + gamma w'w). No other
  // admissible portfolio may do better on that ratio: check the regularised min-volatility,
  // quadratic-utility and unregularised max-Sharpe portfolios, and equal weights.
  PortfolioConstraints c;
  c.gamma = 0.5;
  const auto ef = frontier(c);
  const Eigen::MatrixXd regularised = stocks().sample + 0.5 * Eigen::MatrixXd::Identity(20, 20);
  const auto ratio = [&](const Eigen::VectorXd& w) {
    return (stocks().mu.dot(w) - 0.02) / std::sqrt(w.dot(regularised * w));
  };
  const Eigen::VectorXd best = ef.max_sharpe(0.02).weights;
  const double best_ratio = ratio(best);
  EXPECT_GT(best_ratio, ratio(ef.min_volatility().weights));
  EXPECT_GT(best_ratio, ratio(ef.max_quadratic_utility(1.0).weights));
  EXPECT_GT(best_ratio, ratio(ef.max_quadratic_utility(10.0).weights));
  EXPECT_GT(best_ratio, ratio(frontier().max_sharpe(0.02).weights));
  EXPECT_GT(best_ratio, ratio(Eigen::VectorXd::Constant(20, 0.05)));
  // And regularisation spreads the weights: more names above 1 %.
  EXPECT_GT((best.array() > 0.01).count(), (frontier().max_sharpe(0.02).weights.array() > 0.01).count());
}

// --- Errors that help ---

TEST(EfficientFrontier, TargetReturnAboveTheBestNamesTheBest) {
  try {
    (void)frontier().efficient_return(0.5);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Infeasible);
    EXPECT_EQ(
        std::string(e.what()),
        "target return 0.5 is above 0.388666, the highest expected return any admissible portfolio reaches");
  }
}

TEST(EfficientFrontier, TargetVolatilityBelowTheMinimumNamesTheMinimum) {
  try {
    (void)frontier().efficient_risk(0.1);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "target volatility 0.1 is below 0.159151, the minimum volatility any admissible portfolio reaches");
  }
}

TEST(EfficientFrontier, RiskFreeRateMustBeFiniteAndBelowTheBestReturn) {
  const auto ef = frontier();
  EXPECT_THAT([&] { (void)ef.max_sharpe(std::numeric_limits<double>::quiet_NaN()); },
              testing::ThrowsMessage<Error>(testing::HasSubstr("risk-free rate must be finite")));
  EXPECT_THAT([&] { (void)ef.max_sharpe(0.4); },
              testing::ThrowsMessage<Error>(testing::StrEq(
                  "risk-free rate 0.4 is at or above 0.388666, the highest expected return any admissible "
                  "portfolio reaches: no portfolio earns an excess return")));
}

TEST(EfficientFrontier, ConflictingBoundsAndSectorLimitsSayWhichConflict) {
  EXPECT_THAT([] { (void)frontier(bounds(0.06, 1.0)); },
              testing::ThrowsMessage<Error>(testing::StrEq(
                  "weight bounds conflict with the budget: the lower bounds sum to 1.2, above the required "
                  "total weight 1")));
  EXPECT_THAT([] { (void)frontier(bounds(0.0, 0.04)); },
              testing::ThrowsMessage<Error>(testing::HasSubstr("the upper bounds sum to 0.8, below")));
  PortfolioConstraints c = bounds(0.0, 0.1);
  c.sector_of = sector_map();
  c.sector_limits = {{"energy", 0.3, 1.0}};
  EXPECT_THAT([&] { (void)frontier(c); },
              testing::ThrowsMessage<Error>(testing::StrEq(
                  "sector energy lower limit 0.3 is above 0.2, the sum of its assets' upper bounds")));
  // Two sectors whose lower limits together exceed the budget: the solver names the rows.
  PortfolioConstraints both;
  both.sector_of = sector_map();
  both.sector_limits = {{"tech", 0.6, 1.0}, {"retail", 0.6, 1.0}};
  EXPECT_THAT([&] { (void)frontier(both).min_volatility(); },
              testing::ThrowsMessage<Error>(testing::AllOf(testing::HasSubstr("cannot all hold"),
                                                           testing::HasSubstr("lower limit 0.6"))));
}

TEST(EfficientFrontier, UnknownSymbolsInConstraintsAreRejected) {
  PortfolioConstraints c;
  c.linear = {{{{"NOPE", 1.0}}, Relation::LessEqual, 0.1, ""}};
  EXPECT_THAT([&] { (void)frontier(c); },
              testing::ThrowsMessage<Error>(testing::StrEq("linear constraint 1 names unknown symbol NOPE")));
}

TEST(EfficientFrontier, MaxReturnWithoutBoundsIsReportedUnbounded) {
  EXPECT_THAT([] { (void)frontier(bounds(-kNone, kNone)).max_return(); },
              testing::ThrowsMessage<Error>(testing::HasSubstr("max return: the objective is unbounded")));
  const auto p = frontier().max_return();
  EXPECT_NEAR(p.weights(16), 1.0, 1e-15);  // all in MA
}

// --- Helpers ---

TEST(PortfolioPerformance, ComputesReturnVolatilityAndSharpeByHand) {
  // w = (0.5, 0.5), mu = (0.1, 0.2), S = [[0.04, 0.01], [0.01, 0.09]]:
  // return 0.15, variance 0.25 * (0.04 + 0.09 + 0.02) = 0.0375, Sharpe (0.15 - 0.02) / sqrt(0.0375).
  Eigen::MatrixXd S(2, 2);
  S << 0.04, 0.01, 0.01, 0.09;
  const Performance p = portfolio_performance(Eigen::Vector2d(0.5, 0.5), Eigen::Vector2d(0.1, 0.2), S, 0.02);
  EXPECT_DOUBLE_EQ(p.expected_return, 0.15);
  EXPECT_DOUBLE_EQ(p.volatility, std::sqrt(0.0375));
  EXPECT_DOUBLE_EQ(p.sharpe, 0.13 / std::sqrt(0.0375));
}

TEST(CleanWeights, CutsTinyWeightsAndRoundsToFiveDecimals) {
  Eigen::VectorXd w(5);
  w << 0.123456789, 5e-5, -2e-5, -0.3333333, 0.000123456;
  const Eigen::VectorXd c = clean_weights(w);
  EXPECT_EQ(c(0), 0.12346);
  EXPECT_EQ(c(1), 0.0);
  EXPECT_EQ(c(2), 0.0);
  EXPECT_EQ(c(3), -0.33333);
  EXPECT_EQ(c(4), 0.00012);
}

TEST(Frontier, RunsFromMinimumVolatilityToMaximumReturn) {
  const auto ef = frontier();
  const auto points = ef.frontier(5);
  ASSERT_EQ(points.size(), 5u);
  EXPECT_NEAR(points.front().expected_return, 0.15056821399482578, 1e-9);
  EXPECT_NEAR(points.front().volatility, 0.15915084514118694, 1e-9);
  EXPECT_NEAR(points.back().expected_return, stocks().mu(16), 1e-12);
  EXPECT_NEAR(points.back().volatility, std::sqrt(stocks().sample(16, 16)), 1e-12);
  for (std::size_t k = 1; k < points.size(); ++k) {
    EXPECT_GT(points[k].expected_return, points[k - 1].expected_return);
    EXPECT_GT(points[k].volatility, points[k - 1].volatility);
  }
}

}  // namespace
}  // namespace tranche::optimize
