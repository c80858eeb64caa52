// Model portfolios built by the optimizer. The reference is PyPortfolioOpt 1.5.6's test suite
// on the bundled stock_prices.csv (mean historical returns, sample covariance, long-only):
// efficient_return(0.25) has volatility 0.18723269942026335 and Sharpe 1.2284179030274036 at
// rf 0.02. Cleaning to 5 decimals moves each weight by at most 5e-6 (plus the cutoff's 1e-4
// for dropped ones), so the cleaned model sits within 1e-4 of those figures.

#include "tranche/wealth/model_builder.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tranche/core/error.hpp"
#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"
#include "tranche/optimize/efficient_frontier.hpp"

namespace tranche::wealth {
namespace {

const optimize::Estimates& stock_estimates() {
  static const optimize::Estimates estimates =
      optimize::estimate(data::returns_from_prices(
                             data::load_prices(std::string(TRANCHE_DATA_DIR) + "/prices/stock_prices.csv")),
                         optimize::EstimateSettings{});
  return estimates;
}

TEST(BuildModel, EfficientReturnModelMatchesPyPortfolioOptAndSumsToExactlyOne) {
  const auto& estimates = stock_estimates();
  const ModelPortfolio model = build_model({"Growth", 0.25}, estimates);
  EXPECT_EQ(model.name(), "Growth");
  EXPECT_EQ(model.weight_sum(), Decimal::from_int(1));  // exactly, not within a tolerance
  Eigen::VectorXd weights(static_cast<Eigen::Index>(estimates.symbols.size()));
  for (std::size_t i = 0; i < estimates.symbols.size(); ++i) {
    const Decimal w = model.weight(estimates.symbols[i]);
    EXPECT_GE(w.sign(), 0) << estimates.symbols[i];
    EXPECT_LE(w.decimals(), 5) << estimates.symbols[i];
    weights[static_cast<Eigen::Index>(i)] = w.to_double();
  }
  const auto p =
      optimize::portfolio_performance(weights, estimates.expected_returns, estimates.covariance, 0.02);
  EXPECT_NEAR(p.expected_return, 0.25, 1e-4);
  EXPECT_NEAR(p.volatility, 0.18723269942026335, 1e-4);
  EXPECT_NEAR(p.sharpe, 1.2284179030274036, 1e-3);
}

TEST(BuildModel, ALowerTargetGivesALessVolatileModel) {
  // PyPortfolioOpt's min volatility on the same data: return 0.15056821399482578, volatility
  // 0.15915084514118694; a target just above it sits just above that volatility.
  const auto& estimates = stock_estimates();
  const ModelPortfolio model = build_model({"Conservative", 0.16}, estimates);
  EXPECT_EQ(model.weight_sum(), Decimal::from_int(1));
  Eigen::VectorXd weights(static_cast<Eigen::Index>(estimates.symbols.size()));
  for (std::size_t i = 0; i < estimates.symbols.size(); ++i)
    weights[static_cast<Eigen::Index>(i)] = model.weight(estimates.symbols[i]).to_double();
  const auto p = optimize::portfolio_performance(weights, estimates.expected_returns, estimates.covariance);
  EXPECT_NEAR(p.expected_return, 0.16, 1e-4);
  EXPECT_GT(p.volatility, 0.15915084514118694 - 1e-5);
  EXPECT_LT(p.volatility, 0.18723269942026335);
}

TEST(BuildModel, ATargetAboveEveryLongOnlyPortfolioIsAnError) {
  EXPECT_THROW(build_model({"Impossible", 5.0}, stock_estimates()), Error);
}

TEST(LoadModelTargets, NamesTheBadCell) {
  const auto path = std::filesystem::temp_directory_path() / "tranche_model_targets_test.csv";
  std::ofstream(path) << "model,target_return\nGrowth,0.25\nModerate,abc\n";
  try {
    load_model_targets(path);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tranche_model_targets_test.csv:3:2: field 'target_return'"),
              std::string::npos)
        << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tranche::wealth
