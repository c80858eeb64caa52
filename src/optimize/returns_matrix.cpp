#include "optimize/returns_matrix.hpp"

#include <fmt/format.h>

#include <cmath>

#include "tranche/core/error.hpp"
#include "tranche/optimize/estimation_error.hpp"

namespace tranche::optimize {

InsufficientReturns::InsufficientReturns(std::size_t first, std::optional<std::size_t> second,
                                         std::size_t observations, std::size_t needed,
                                         const std::string& what)
    : Error(ErrorKind::InvalidArgument,
            second ? fmt::format("columns {} and {} have {} returns in common; {} needs at least {}", first,
                                 *second, observations, what, needed)
                   : fmt::format("column {} has {} returns; {} needs at least {}", first, observations, what,
                                 needed)),
      first_(first),
      second_(second),
      observations_(observations),
      needed_(needed),
      what_for_(what) {}

std::string describe_insufficient_returns(const InsufficientReturns& error, const std::string& first_name,
                                          const std::string& second_name) {
  if (error.second()) {
    return fmt::format("{} and {} have {} returns in common; {} needs at least {}", first_name, second_name,
                       error.observations(), error.what_for(), error.needed());
  }
  return fmt::format("{} has {} returns; {} needs at least {}", first_name, error.observations(),
                     error.what_for(), error.needed());
}

namespace detail {

void require_usable_returns(const ReturnsRef& returns) {
  if (returns.rows() == 0 || returns.cols() == 0) {
    throw Error(ErrorKind::InvalidArgument, fmt::format("no returns to estimate from ({} rows, {} columns)",
                                                        returns.rows(), returns.cols()));
  }
  for (Eigen::Index column = 0; column < returns.cols(); ++column) {
    for (Eigen::Index row = 0; row < returns.rows(); ++row) {
      if (std::isinf(returns(row, column))) {
        throw Error(ErrorKind::InvalidArgument,
                    fmt::format("return at row {}, column {} is infinite (a zero price?)", row, column));
      }
    }
  }
}

void require_positive(double value, std::string_view name) {
  if (!std::isfinite(value) || value <= 0.0) {
    throw Error(ErrorKind::InvalidArgument,
                fmt::format("{} must be a finite number > 0, got {}", name, value));
  }
}

void require_column_counts(const ReturnsRef& returns, Eigen::Index needed, std::string_view what_for) {
  for (Eigen::Index column = 0; column < returns.cols(); ++column) {
    Eigen::Index count = 0;
    for (Eigen::Index row = 0; row < returns.rows(); ++row) count += std::isnan(returns(row, column)) ? 0 : 1;
    if (count < needed) {
      throw InsufficientReturns(static_cast<std::size_t>(column), std::nullopt,
                                static_cast<std::size_t>(count), static_cast<std::size_t>(needed),
                                std::string(what_for));
    }
  }
}

Eigen::MatrixXd presence_mask(const ReturnsRef& returns) {
  return returns.unaryExpr([](double value) { return std::isnan(value) ? 0.0 : 1.0; });
}

bool has_missing(const ReturnsRef& returns) { return returns.hasNaN(); }

Eigen::VectorXd ewm_weights(Eigen::Index rows, double span) {
  const double center_of_mass = (span - 1.0) / 2.0;
  const double alpha = 1.0 / (1.0 + center_of_mass);
  const double decay = 1.0 - alpha;
  Eigen::VectorXd weights(rows);
  for (Eigen::Index row = 0; row < rows; ++row) {
    weights(row) = std::pow(decay, static_cast<double>(rows - 1 - row));
  }
  return weights;
}

double pairwise_covariance(const Eigen::Ref<const Eigen::VectorXd>& x,
                           const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Index& common) {
  double sum_x = 0.0;
  double sum_y = 0.0;
  common = 0;
  for (Eigen::Index row = 0; row < x.size(); ++row) {
    if (std::isnan(x(row)) || std::isnan(y(row))) continue;
    sum_x += x(row);
    sum_y += y(row);
    ++common;
  }
  if (common < 2) return std::nan("");
  const double mean_x = sum_x / static_cast<double>(common);
  const double mean_y = sum_y / static_cast<double>(common);
  double products = 0.0;
  for (Eigen::Index row = 0; row < x.size(); ++row) {
    if (std::isnan(x(row)) || std::isnan(y(row))) continue;
    products += (x(row) - mean_x) * (y(row) - mean_y);
  }
  return products / static_cast<double>(common - 1);
}

}  // namespace detail
}  // namespace tranche::optimize
