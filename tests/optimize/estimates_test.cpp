// The symbol-carrying estimation entry point: model names, market alignment by date, messages
// that name symbols, and warnings gathered for the caller.

#include "tranche/optimize/estimates.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "tranche/core/error.hpp"

namespace tranche::optimize {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Date day(int year, unsigned month, unsigned day_of_month) {
  return Date(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day_of_month));
}

data::ReturnsTable table(std::vector<std::string> symbols, std::vector<Date> dates, Eigen::MatrixXd values) {
  return data::ReturnsTable{std::move(symbols), std::move(dates), std::move(values)};
}

TEST(ModelNames, RoundTripAndRejectUnknownNames) {
  for (const std::string& name : risk_model_names()) {
    ASSERT_TRUE(parse_risk_model(name).has_value()) << name;
    EXPECT_EQ(to_string(*parse_risk_model(name)), name);
  }
  for (const std::string& name : return_model_names()) {
    ASSERT_TRUE(parse_return_model(name).has_value()) << name;
    EXPECT_EQ(to_string(*parse_return_model(name)), name);
  }
  EXPECT_EQ(parse_risk_model("ledoit-wolf-single-factor"), RiskModel::LedoitWolfSingleFactor);
  EXPECT_EQ(parse_return_model("ema"), ReturnModel::Ema);
  EXPECT_FALSE(parse_risk_model("ledoit_wolf").has_value());
  EXPECT_FALSE(parse_return_model("").has_value());
  EXPECT_EQ(risk_model_names().size(), 7u);
}

TEST(AlignMarketReturns, LeftJoinsOnDateWithNaNWhereTheMarketHasNoReturn) {
  const data::ReturnsTable market = table({"SPY"}, {day(2024, 1, 2), day(2024, 1, 4), day(2024, 1, 5)},
                                          (Eigen::MatrixXd(3, 1) << 0.01, 0.02, 0.03).finished());
  const Eigen::VectorXd aligned =
      align_market_returns(market, {day(2024, 1, 1), day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 5)});
  ASSERT_EQ(aligned.size(), 4);
  EXPECT_TRUE(std::isnan(aligned(0)));
  EXPECT_EQ(aligned(1), 0.01);
  EXPECT_TRUE(std::isnan(aligned(2)));
  EXPECT_EQ(aligned(3), 0.03);
}

TEST(Estimate, CombinesTheChosenModelsForNamedSymbols) {
  // By hand: A = 0.1, -0.1, 0.2 ; B = 0.0, 0.1, -0.1 (frequency 1, arithmetic).
  //   means 0.2/3 and 0; var A = (0.1-m)^2+(-0.1-m)^2+(0.2-m)^2 over 2, m = 1/15.
  const data::ReturnsTable returns =
      table({"A", "B"}, {day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)},
            (Eigen::MatrixXd(3, 2) << 0.1, 0.0, -0.1, 0.1, 0.2, -0.1).finished());
  EstimateSettings settings;
  settings.compounding = Compounding::Arithmetic;
  settings.frequency = 1.0;
  const Estimates estimates = estimate(returns, settings);
  EXPECT_EQ(estimates.symbols, (std::vector<std::string>{"A", "B"}));
  EXPECT_NEAR(estimates.expected_returns(0), 0.2 / 3.0, 1e-16);
  EXPECT_NEAR(estimates.expected_returns(1), 0.0, 1e-17);
  const double m = 1.0 / 15.0;
  const double variance_a = ((0.1 - m) * (0.1 - m) + (-0.1 - m) * (-0.1 - m) + (0.2 - m) * (0.2 - m)) / 2.0;
  EXPECT_NEAR(estimates.covariance(0, 0), variance_a, 1e-16);
  // cov(A, B) = sum (a - m)(b - 0) / 2 = ((-0.1 - m) 0.1 + (0.2 - m)(-0.1)) / 2
  EXPECT_NEAR(estimates.covariance(0, 1), ((-0.1 - m) * 0.1 + (0.2 - m) * -0.1) / 2.0, 1e-16);
  EXPECT_FALSE(estimates.shrinkage.has_value());
  EXPECT_TRUE(estimates.warnings.empty());
}

TEST(Estimate, ReportsTheShrinkageIntensityAndTheSpanChoice) {
  const data::ReturnsTable returns =
      table({"A", "B"}, {day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)},
            (Eigen::MatrixXd(3, 2) << 0.1, 0.0, -0.1, 0.1, 0.2, -0.1).finished());
  EstimateSettings settings;
  settings.risk = RiskModel::OracleApproximating;
  EXPECT_TRUE(estimate(returns, settings).shrinkage.has_value());
  // One span drives both the EMA return and the exponential covariance when given.
  settings.returns = ReturnModel::Ema;
  settings.risk = RiskModel::Exponential;
  settings.span = 3.0;
  settings.frequency = 1.0;
  settings.compounding = Compounding::Arithmetic;
  const Estimates estimates = estimate(returns, settings);
  // EMA of A with weights 0.25, 0.5, 1: (0.025 - 0.05 + 0.2) / 1.75 = 0.1.
  EXPECT_NEAR(estimates.expected_returns(0), 0.1, 1e-16);
}

TEST(Estimate, NamesTheSymbolsWhenReturnsAreTooFew) {
  const data::ReturnsTable returns =
      table({"OLD", "NEW"}, {day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)},
            (Eigen::MatrixXd(3, 2) << 0.1, kNaN, -0.1, kNaN, kNaN, 0.05).finished());
  try {
    estimate(returns, EstimateSettings{});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "NEW has 1 returns; a sample covariance needs at least 2");
  }
}

TEST(Estimate, NamesTheMarketWhenItHasTooFewReturns) {
  const data::ReturnsTable returns = table({"A"}, {day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)},
                                           (Eigen::MatrixXd(3, 1) << 0.1, -0.1, 0.2).finished());
  const data::ReturnsTable market =
      table({"SPY"}, {day(2024, 1, 4)}, (Eigen::MatrixXd(1, 1) << 0.01).finished());
  EstimateSettings settings;
  settings.returns = ReturnModel::Capm;
  try {
    estimate(returns, settings, &market);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "the market has 1 returns; a CAPM market variance needs at least 2");
  }
}

TEST(Estimate, WarnsAboutGapsAfterASymbolsFirstReturn) {
  // A leading gap (not listed yet) is normal; a later one is not.
  const data::ReturnsTable returns =
      table({"A", "B"}, {day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4), day(2024, 1, 5)},
            (Eigen::MatrixXd(4, 2) << kNaN, 0.1, 0.1, kNaN, 0.2, 0.3, -0.1, 0.2).finished());
  const Estimates estimates = estimate(returns, EstimateSettings{});
  ASSERT_EQ(estimates.warnings.size(), 1u);
  EXPECT_EQ(estimates.warnings[0], "B has 1 missing returns after its first one; check the price file");
}

}  // namespace
}  // namespace tranche::optimize
