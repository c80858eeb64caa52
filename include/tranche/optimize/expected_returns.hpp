#pragma once
// Expected annual returns estimated from daily returns, with PyPortfolioOpt 1.5.6's
// conventions so that results can be compared with it number for number.
//
// Input: a returns matrix, one row per date (oldest first), one column per asset, NaN where a
// return is missing (for example before an asset was listed). Output: one annual expected
// return per column. Errors: tranche::Error (InvalidArgument) for an empty matrix, an infinite
// return or a bad parameter; InsufficientReturns when a column has no return at all.

#include <Eigen/Core>
#include <optional>

namespace tranche::optimize {

// How daily returns become an annual figure.
enum class Compounding {
  Geometric,   // growth compounded: (1 + daily)^frequency - 1 (PyPortfolioOpt's default)
  Arithmetic,  // daily mean times frequency
};

// Per column over its non-missing returns r_1..r_n:
//   Geometric:  prod(1 + r_t)^(frequency / n) - 1
//   Arithmetic: mean(r_t) * frequency
Eigen::VectorXd mean_historical_return(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                       Compounding compounding = Compounding::Geometric,
                                       double frequency = 252.0);

// Exponentially weighted mean of each column at the last row, as pandas'
// ewm(span, adjust=True).mean(): weights (1 - alpha)^age with alpha = 2 / (span + 1); a
// missing return drops out but still ages the older ones. Then annualised:
//   Geometric:  (1 + ewm_mean)^frequency - 1
//   Arithmetic: ewm_mean * frequency
Eigen::VectorXd ema_historical_return(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                      Compounding compounding = Compounding::Geometric, double span = 500.0,
                                      double frequency = 252.0);

// Capital asset pricing model: risk_free_rate + beta_i * (market_annual - risk_free_rate), with
// beta_i = cov(r_i, m) / var(m) (pairwise-complete, ddof 1) and market_annual the market's mean
// historical return (same compounding rule). `market` is the market's return on each row of
// `returns` (NaN where unknown); without it, the market is the equal-weighted mean of the
// assets' available returns on each row.
Eigen::VectorXd capm_return(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                            const std::optional<Eigen::VectorXd>& market = std::nullopt,
                            double risk_free_rate = 0.0, Compounding compounding = Compounding::Geometric,
                            double frequency = 252.0);

}  // namespace tranche::optimize
