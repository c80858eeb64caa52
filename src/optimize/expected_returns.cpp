#include "tranche/optimize/expected_returns.hpp"

#include <fmt/format.h>

#include <cmath>

#include "optimize/returns_matrix.hpp"
#include "tranche/core/error.hpp"
#include "tranche/optimize/estimation_error.hpp"

namespace tranche::optimize {

namespace {

void require_span(double span) {
  if (!std::isfinite(span) || span < 1.0) {
    throw Error(ErrorKind::InvalidArgument, fmt::format("span must be a finite number >= 1, got {}", span));
  }
}

// Annual return of one series from its non-missing values.
double annual_mean(const Eigen::Ref<const Eigen::VectorXd>& series, Compounding compounding,
                   double frequency) {
  double growth = 1.0;
  double sum = 0.0;
  Eigen::Index count = 0;
  for (Eigen::Index row = 0; row < series.size(); ++row) {
    const double value = series(row);
    if (std::isnan(value)) continue;
    growth *= 1.0 + value;
    sum += value;
    ++count;
  }
  const double n = static_cast<double>(count);
  if (compounding == Compounding::Geometric) return std::pow(growth, frequency / n) - 1.0;
  return sum / n * frequency;
}

}  // namespace

Eigen::VectorXd mean_historical_return(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                       Compounding compounding, double frequency) {
  detail::require_usable_returns(returns);
  detail::require_positive(frequency, "frequency");
  detail::require_column_counts(returns, 1, "a mean historical return");
  Eigen::VectorXd result(returns.cols());
  for (Eigen::Index column = 0; column < returns.cols(); ++column) {
    result(column) = annual_mean(returns.col(column), compounding, frequency);
  }
  return result;
}

Eigen::VectorXd ema_historical_return(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                      Compounding compounding, double span, double frequency) {
  detail::require_usable_returns(returns);
  detail::require_positive(frequency, "frequency");
  require_span(span);
  detail::require_column_counts(returns, 1, "an exponentially weighted mean return");
  const Eigen::VectorXd weights = detail::ewm_weights(returns.rows(), span);
  Eigen::VectorXd result(returns.cols());
  for (Eigen::Index column = 0; column < returns.cols(); ++column) {
    double weighted_sum = 0.0;
    double weight_total = 0.0;
    for (Eigen::Index row = 0; row < returns.rows(); ++row) {
      const double value = returns(row, column);
      if (std::isnan(value)) continue;
      weighted_sum += weights(row) * value;
      weight_total += weights(row);
    }
    const double daily = weighted_sum / weight_total;
    result(column) =
        compounding == Compounding::Geometric ? std::pow(1.0 + daily, frequency) - 1.0 : daily * frequency;
  }
  return result;
}

Eigen::VectorXd capm_return(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                            const std::optional<Eigen::VectorXd>& market, double risk_free_rate,
                            Compounding compounding, double frequency) {
  detail::require_usable_returns(returns);
  detail::require_positive(frequency, "frequency");
  if (!std::isfinite(risk_free_rate)) {
    throw Error(ErrorKind::InvalidArgument,
                fmt::format("risk-free rate must be finite, got {}", risk_free_rate));
  }
  Eigen::VectorXd market_returns;
  if (market) {
    if (market->size() != returns.rows()) {
      throw Error(ErrorKind::InvalidArgument, fmt::format("market returns have {} rows, asset returns {}",
                                                          market->size(), returns.rows()));
    }
    if (market->array().isInf().any()) {
      throw Error(ErrorKind::InvalidArgument, "a market return is infinite (a zero price?)");
    }
    market_returns = *market;
  } else {
    // The equal-weighted market: each row's mean over the assets with a return that day.
    market_returns.resize(returns.rows());
    for (Eigen::Index row = 0; row < returns.rows(); ++row) {
      double sum = 0.0;
      Eigen::Index count = 0;
      for (Eigen::Index column = 0; column < returns.cols(); ++column) {
        const double value = returns(row, column);
        if (std::isnan(value)) continue;
        sum += value;
        ++count;
      }
      market_returns(row) = count > 0 ? sum / static_cast<double>(count) : std::nan("");
    }
  }
  const std::size_t market_column = static_cast<std::size_t>(returns.cols());
  Eigen::Index market_count = 0;
  const double market_variance = detail::pairwise_covariance(market_returns, market_returns, market_count);
  if (market_count < 2) {
    throw InsufficientReturns(market_column, std::nullopt, static_cast<std::size_t>(market_count), 2,
                              "a CAPM market variance");
  }
  if (!(market_variance > 0.0)) {
    throw Error(ErrorKind::InvalidArgument, "the market returns do not vary: CAPM betas are undefined");
  }
  const double market_annual = annual_mean(market_returns, compounding, frequency);
  Eigen::VectorXd result(returns.cols());
  for (Eigen::Index column = 0; column < returns.cols(); ++column) {
    Eigen::Index common = 0;
    const double covariance = detail::pairwise_covariance(returns.col(column), market_returns, common);
    if (common < 2) {
      throw InsufficientReturns(static_cast<std::size_t>(column), market_column,
                                static_cast<std::size_t>(common), 2, "a CAPM beta");
    }
    const double beta = covariance / market_variance;
    result(column) = risk_free_rate + beta * (market_annual - risk_free_rate);
  }
  return result;
}

}  // namespace tranche::optimize
