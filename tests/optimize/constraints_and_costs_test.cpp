// Linear constraints written as text and the transaction-cost penalty, on PyPortfolioOpt's
// 20-stock data (data/prices/stock_prices.csv) with mean_historical_return and sample_cov,
// long-only, as `tranche optimize --constraint ... --current-weights ... --transaction-cost K`
// builds them.
//
// Expected numbers: PyPortfolioOpt (not installed here) has no published numbers for these
// cases, so they come from an exact KKT solve in numpy 1.24 / scipy 1.10: scipy's SLSQP
// (ftol 1e-15) finds the active set (weights at 0, inequalities holding with equality, weights
// left at their current value), numpy solves the KKT linear system on that set exactly, and the
// multipliers are checked to have the right signs (so the point is the optimum, not just a
// stationary point). The unconstrained min-volatility portfolio of the same script reproduces
// PyPortfolioOpt's published (0.15056821399482578, 0.15915084514118694, 0.8204054077060996).

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"
#include "tranche/optimize/constraint_expression.hpp"
#include "tranche/optimize/efficient_frontier.hpp"
#include "tranche/optimize/expected_returns.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace tranche::optimize {
namespace {

struct StockData {
  std::vector<std::string> symbols;
  Eigen::VectorXd mu;
  Eigen::MatrixXd sample;
};

const StockData& stocks() {
  static const StockData data = [] {
    const data::ReturnsTable returns = data::returns_from_prices(
        data::load_prices(std::string(TRANCHE_DATA_DIR) + "/prices/stock_prices.csv"));
    return StockData{returns.symbols, mean_historical_return(returns.values),
                     sample_cov(returns.values).matrix};
  }();
  return data;
}

Eigen::Index index_of(const std::string& symbol) {
  const auto& s = stocks().symbols;
  return static_cast<Eigen::Index>(std::find(s.begin(), s.end(), symbol) - s.begin());
}

EfficientFrontier frontier(PortfolioConstraints constraints) {
  return EfficientFrontier(stocks().symbols, stocks().mu, stocks().sample, std::move(constraints));
}

PortfolioConstraints with_constraints(const std::vector<std::string>& texts) {
  PortfolioConstraints c;
  for (const std::string& text : texts)
    c.linear.push_back(to_linear_constraint(parse_constraint_expression(text), stocks().symbols));
  return c;
}

void expect_solved_accurately(const OptimizedPortfolio& p) {
  EXPECT_EQ(p.report.status, QpStatus::Optimal);
  EXPECT_LT(p.report.primal_residual, 1e-9);
  EXPECT_LT(p.report.dual_residual, 1e-9);
}

void expect_performance(const EfficientFrontier& ef, const Eigen::VectorXd& w, double expected_return,
                        double volatility, double sharpe) {
  const Performance p = ef.performance(w, 0.02);
  EXPECT_NEAR(p.expected_return, expected_return, 1e-9 * expected_return);
  EXPECT_NEAR(p.volatility, volatility, 1e-9 * volatility);
  EXPECT_NEAR(p.sharpe, sharpe, 1e-9 * sharpe);
}

void expect_weights(const Eigen::VectorXd& w, const std::map<std::string, double>& expected) {
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    const auto found = expected.find(stocks().symbols[static_cast<std::size_t>(i)]);
    const double want = found == expected.end() ? 0.0 : found->second;
    EXPECT_NEAR(w(i), want, 1e-10) << stocks().symbols[static_cast<std::size_t>(i)];
  }
}

// --- Linear constraints on named weights ---

TEST(NamedWeightConstraints, BindingConstraintsMoveMinVolatilityToTheKktOptimum) {
  // Unconstrained, GOOG holds 0.003 and T + 0.5 XOM is 0.271: both constraints bind.
  const auto ef = frontier(with_constraints({"GOOG >= 0.05", "T + 0.5*XOM <= 0.2"}));
  const auto p = ef.min_volatility();
  expect_solved_accurately(p);
  const Eigen::VectorXd& w = p.weights;
  EXPECT_NEAR(w(index_of("GOOG")), 0.05, 1e-15);
  EXPECT_NEAR(w(index_of("T")) + 0.5 * w(index_of("XOM")), 0.2, 1e-15);
  EXPECT_NEAR(w.sum(), 1.0, 1e-15);
  expect_weights(w, {{"GOOG", 0.05000000000000007},
                     {"AAPL", 0.01126650284144387},
                     {"FB", 0.09669436860890632},
                     {"BABA", 0.12357629262862424},
                     {"GE", 0.00520619042132539},
                     {"WMT", 0.1960608029043296},
                     {"GM", 0.12641551377231253},
                     {"T", 0.12216263255625992},
                     {"XOM", 0.15567473488748018},
                     {"RRC", 0.002832303613826507},
                     {"PFE", 0.0992996724731023},
                     {"SBUX", 0.010810985292389086}});
  expect_performance(ef, w, 0.15628016114637172, 0.1601836911845153, 0.8507742588438099);
}

TEST(NamedWeightConstraints, AnEqualityTiesTwoWeightsTogether) {
  // Unconstrained, FB holds 0.099 and AMZN nothing.
  const auto ef = frontier(with_constraints({"AMZN - FB == 0"}));
  const auto p = ef.min_volatility();
  expect_solved_accurately(p);
  EXPECT_NEAR(p.weights(index_of("AMZN")), p.weights(index_of("FB")), 1e-15);
  expect_weights(p.weights, {{"GOOG", 0.01934745085188244},
                             {"AAPL", 0.01333103630982099},
                             {"FB", 0.014964220475981902},
                             {"BABA", 0.14745320170321197},
                             {"AMZN", 0.014964220475981902},
                             {"WMT", 0.17853552228994216},
                             {"GM", 0.1290355120557021},
                             {"T", 0.1815120465192391},
                             {"XOM", 0.19449487692154138},
                             {"PFE", 0.0939621114804661},
                             {"SBUX", 0.012399800916229931}});
  expect_performance(ef, p.weights, 0.14397370264046522, 0.1626749559889975, 0.7620945823329447);
}

TEST(NamedWeightConstraints, ConstraintsThatDoNotBindLeaveTheWeightsUnchangedBitForBit) {
  // Unconstrained: XOM 0.189, FB + BABA 0.224, T - WMT -0.0002, GOOG 0.003. Some of these rows
  // block the solver on its way (it then takes more steps), yet the optimum is the same bits.
  const Eigen::VectorXd free_weights = frontier({}).min_volatility().weights;
  for (const std::vector<std::string>& texts : std::vector<std::vector<std::string>>{
           {"XOM <= 0.5"},
           {"FB + BABA >= 0.1"},
           {"-WMT + T >= -0.1"},
           {"GOOG <= 0.9"},
           {"XOM <= 0.5", "FB + BABA >= 0.1", "-WMT + T >= -0.1", "GOOG <= 0.9"}}) {
    SCOPED_TRACE(texts.back());
    const auto p = frontier(with_constraints(texts)).min_volatility();
    expect_solved_accurately(p);
    for (Eigen::Index i = 0; i < free_weights.size(); ++i) EXPECT_EQ(p.weights(i), free_weights(i)) << i;
  }
}

RC_GTEST_PROP(NamedWeightConstraintsProperty, AnySlackConstraintLeavesMinVolatilityUnchangedToTheBit, ()) {
  // A random combination of named weights, bounded 1e-6 to 0.1 away from its value at the
  // unconstrained optimum, on the side that keeps that optimum admissible.
  static const Eigen::VectorXd free_weights = frontier({}).min_volatility().weights;
  const auto picked = *rc::gen::suchThat(
      rc::gen::unique<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, stocks().symbols.size())),
      [](const std::vector<std::size_t>& v) { return !v.empty(); });
  std::string text;
  double value = 0.0;
  for (const std::size_t i : picked) {
    const double coefficient = *rc::gen::inRange(-300, 301) / 100.0;
    RC_PRE(coefficient != 0.0);
    text +=
        fmt::format("{} {}*{} ", coefficient < 0.0 ? "-" : "+", std::abs(coefficient), stocks().symbols[i]);
    value += coefficient * free_weights(static_cast<Eigen::Index>(i));
  }
  const double margin = std::pow(10.0, -*rc::gen::inRange(1, 7));
  const bool upper = *rc::gen::arbitrary<bool>();
  text += fmt::format("{} {}", upper ? "<=" : ">=", upper ? value + margin : value - margin);
  const auto p = frontier(with_constraints({text})).min_volatility();
  RC_ASSERT(p.report.status == QpStatus::Optimal);
  for (Eigen::Index i = 0; i < free_weights.size(); ++i) RC_ASSERT(p.weights(i) == free_weights(i));
}

TEST(NamedWeightConstraints, ContradictoryConstraintsAreNamedByTheirText) {
  const auto ef = frontier(with_constraints({"GOOG + AAPL >= 0.7", "AAPL + 2*GOOG <= 0.5"}));
  // The solver's phase 1 names the row it cannot meet by the constraint's text.
  EXPECT_THAT(
      [&] { (void)ef.min_volatility(); },
      testing::ThrowsMessage<Error>(testing::HasSubstr(
          "the constraints cannot all hold: no point satisfies all constraints together; closest point "
          "still misses: constraint 'GOOG + AAPL >= 0.7' (off by 0.2)")));
}

// --- Transaction cost against current weights (equal weights 0.05 held now) ---

PortfolioConstraints with_cost(double k) {
  PortfolioConstraints c;
  c.current_weights = Eigen::VectorXd::Constant(20, 0.05);
  c.transaction_cost = k;
  return c;
}

double turnover(const Eigen::VectorXd& w) { return (w - Eigen::VectorXd::Constant(20, 0.05)).lpNorm<1>(); }

TEST(TransactionCost, ZeroCostGivesTheUnpenalisedOptimumBitForBit) {
  const Eigen::VectorXd free_weights = frontier({}).min_volatility().weights;
  const Eigen::VectorXd w = frontier(with_cost(0.0)).min_volatility().weights;
  for (Eigen::Index i = 0; i < w.size(); ++i) EXPECT_EQ(w(i), free_weights(i)) << i;
}

TEST(TransactionCost, AHugeCostKeepsTheCurrentWeights) {
  // Trading weight i away from 0.05 gains at most |2 (S w)_i - lambda| < 1 per unit of risk:
  // a cost of 1 per unit traded never pays.
  const auto p = frontier(with_cost(1.0)).min_volatility();
  expect_solved_accurately(p);
  for (Eigen::Index i = 0; i < p.weights.size(); ++i) EXPECT_NEAR(p.weights(i), 0.05, 1e-15) << i;
}

TEST(TransactionCost, MiddleCostsMatchTheKktOptimum) {
  {
    const auto ef = frontier(with_cost(0.001));
    const auto p = ef.min_volatility();
    expect_solved_accurately(p);
    EXPECT_NEAR(turnover(p.weights), 1.1773466718331662, 1e-9);
    expect_performance(ef, p.weights, 0.15233473518101634, 0.15925853788980746, 0.8309427986371447);
  }
  {
    // Three weights stay exactly at 0.05: the cost exceeds what moving them would save.
    const auto ef = frontier(with_cost(0.01));
    const auto p = ef.min_volatility();
    expect_solved_accurately(p);
    EXPECT_EQ(((p.weights.array() - 0.05).abs() < 1e-15).count(), 3);
    EXPECT_NEAR(turnover(p.weights), 0.7443424587626936, 1e-9);
    expect_performance(ef, p.weights, 0.16783161951940967, 0.16576729818519959, 0.8918020691526763);
  }
}

TEST(TransactionCost, TurnoverFallsAsTheCostRises) {
  // KKT solves (see the top of the file): 1.24284 at K = 0, 1.23831 at 1e-4, 1.17735 at 1e-3,
  // 1.03906 at 3e-3, 0.74434 at 1e-2, 0.19742 at 3e-2, 0 at 1.
  const std::vector<std::pair<double, double>> expected = {{0.0, 1.2428364831891439},
                                                           {1e-4, 1.238307572447656},
                                                           {1e-3, 1.1773466718331662},
                                                           {3e-3, 1.0390629817662762},
                                                           {1e-2, 0.7443424587626936},
                                                           {3e-2, 0.19741879094118137},
                                                           {1.0, 0.0}};
  double previous = std::numeric_limits<double>::infinity();
  for (const auto& [k, want] : expected) {
    const double t = turnover(frontier(with_cost(k)).min_volatility().weights);
    EXPECT_NEAR(t, want, 1e-9) << "K = " << k;
    EXPECT_LT(t, previous) << "K = " << k;
    previous = t;
  }
}

}  // namespace
}  // namespace tranche::optimize
