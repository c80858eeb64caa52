#pragma once
// Checks and small statistics shared by the estimators over a returns matrix with NaN for
// missing values (rows = dates, columns = assets).

#include <Eigen/Core>
#include <string_view>

namespace tranche::optimize::detail {

using ReturnsRef = Eigen::Ref<const Eigen::MatrixXd>;

// Throws Error (InvalidArgument) when the matrix has no rows or columns, or an infinite return.
void require_usable_returns(const ReturnsRef& returns);
// Throws Error (InvalidArgument) unless `value` is finite and > 0; `name` names the parameter.
void require_positive(double value, std::string_view name);
// Throws InsufficientReturns naming the first column with fewer than `needed` returns.
void require_column_counts(const ReturnsRef& returns, Eigen::Index needed, std::string_view what_for);

// 1 where a return is present, 0 where it is missing.
Eigen::MatrixXd presence_mask(const ReturnsRef& returns);
bool has_missing(const ReturnsRef& returns);

// The weights of pandas' ewm(span, adjust=True) at the last of `rows` rows: (1 - alpha)^age,
// alpha = 1 / (1 + (span - 1) / 2), age 0 for the last row.
Eigen::VectorXd ewm_weights(Eigen::Index rows, double span);

// Covariance (ddof 1) of two series over the rows where both are present, or NaN with fewer
// than 2 such rows; `common` receives that row count.
double pairwise_covariance(const Eigen::Ref<const Eigen::VectorXd>& x,
                           const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Index& common);

}  // namespace tranche::optimize::detail
