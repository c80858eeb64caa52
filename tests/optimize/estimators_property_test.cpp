// The fast paths of the pairwise estimators against their definitions on random returns with
// random gaps: sample_cov against a two-pass covariance over each pair's common rows, exp_cov
// against pandas' ewm recurrence run pair by pair. Covers complete data (one product), gaps
// before each column's first return only (one product per listing date) and gaps anywhere
// (products over the presence masks). Seeded under CTest (RC_PARAMS in tests/CMakeLists.txt).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <optional>

#include "tranche/optimize/estimation_error.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace tranche::optimize {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum GapShape { kNoGaps, kLeadingGaps, kAnywhere };

// Returns of 0.1 bp steps in [-5 %, 5 %], with gaps of the chosen shape.
Eigen::MatrixXd random_returns(int rows, int columns, GapShape shape) {
  Eigen::MatrixXd returns(rows, columns);
  for (int column = 0; column < columns; ++column) {
    const int leading = shape == kLeadingGaps ? *rc::gen::inRange(0, rows) : 0;
    for (int row = 0; row < rows; ++row) {
      const bool missing = row < leading || (shape == kAnywhere && *rc::gen::inRange(0, 100) < 20);
      returns(row, column) = missing ? kNaN : *rc::gen::inRange(-500, 501) / 10000.0;
    }
  }
  return returns;
}

// Two-pass covariance (ddof 1) over the rows where both are present, and how many there are.
std::pair<double, int> reference_covariance(const Eigen::MatrixXd& returns, int i, int j) {
  double sum_i = 0.0, sum_j = 0.0;
  int n = 0;
  for (int t = 0; t < returns.rows(); ++t) {
    if (std::isnan(returns(t, i)) || std::isnan(returns(t, j))) continue;
    sum_i += returns(t, i);
    sum_j += returns(t, j);
    ++n;
  }
  if (n < 2) return {kNaN, n};
  double products = 0.0;
  for (int t = 0; t < returns.rows(); ++t) {
    if (std::isnan(returns(t, i)) || std::isnan(returns(t, j))) continue;
    products += (returns(t, i) - sum_i / n) * (returns(t, j) - sum_j / n);
  }
  return {products / (n - 1), n};
}

// pandas' ewm(span, adjust=True, ignore_na=False).mean() at the last element, run step by step.
double reference_ewm_last(const Eigen::VectorXd& values, double span) {
  const double decay = 1.0 - 1.0 / (1.0 + (span - 1.0) / 2.0);
  double average = kNaN;
  double old_weight = 1.0;
  for (Eigen::Index t = 0; t < values.size(); ++t) {
    const bool observed = !std::isnan(values(t));
    if (std::isnan(average)) {
      if (observed) average = values(t);
      continue;
    }
    old_weight *= decay;
    if (observed) {
      average = (old_weight * average + values(t)) / (old_weight + 1.0);
      old_weight += 1.0;
    }
  }
  return average;
}

double column_mean(const Eigen::MatrixXd& returns, int column) {
  double sum = 0.0;
  int n = 0;
  for (int t = 0; t < returns.rows(); ++t) {
    if (std::isnan(returns(t, column))) continue;
    sum += returns(t, column);
    ++n;
  }
  return sum / n;
}

GapShape any_shape() { return *rc::gen::element(kNoGaps, kLeadingGaps, kAnywhere); }

RC_GTEST_PROP(EstimatorsProperty, SampleCovIsThePairwiseCovarianceOfEveryPair, ()) {
  const int rows = *rc::gen::inRange(3, 40);
  const int columns = *rc::gen::inRange(1, 6);
  const Eigen::MatrixXd returns = random_returns(rows, columns, any_shape());
  Eigen::MatrixXd expected(columns, columns);
  int fewest_common = rows;
  for (int i = 0; i < columns; ++i) {
    for (int j = 0; j < columns; ++j) {
      const auto [covariance, common] = reference_covariance(returns, i, j);
      expected(i, j) = covariance;
      fewest_common = std::min(fewest_common, common);
    }
  }
  if (fewest_common < 2) {
    RC_ASSERT_THROWS_AS(sample_cov(returns), InsufficientReturns);
    return;
  }
  const CovarianceEstimate estimate = sample_cov(returns, {.frequency = 1.0});
  if (!estimate.warnings.empty()) {
    // Pairwise covariances can be indefinite: then the repaired matrix is PSD up to rounding.
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(estimate.matrix, Eigen::EigenvaluesOnly);
    RC_ASSERT(eigen.eigenvalues().minCoeff() > -1e-15);
    return;
  }
  for (int i = 0; i < columns; ++i) {
    for (int j = 0; j < columns; ++j) {
      const double scale = std::sqrt(std::abs(expected(i, i) * expected(j, j)));
      RC_ASSERT(std::abs(estimate.matrix(i, j) - expected(i, j)) <= 1e-12 * scale + 1e-18);
    }
  }
}

RC_GTEST_PROP(EstimatorsProperty, ExpCovIsPandasEwmOfEachPairsCentredProducts, ()) {
  const int rows = *rc::gen::inRange(2, 60);
  const int columns = *rc::gen::inRange(1, 5);
  const double span = *rc::gen::inRange(1, 200);
  const Eigen::MatrixXd returns = random_returns(rows, columns, any_shape());
  Eigen::MatrixXd expected(columns, columns);
  for (int i = 0; i < columns; ++i) {
    for (int j = 0; j < columns; ++j) {
      const double mean_i = column_mean(returns, i);
      const double mean_j = column_mean(returns, j);
      const Eigen::VectorXd products = (returns.col(i).array() - mean_i) * (returns.col(j).array() - mean_j);
      expected(i, j) = reference_ewm_last(products, span);
    }
  }
  if (expected.hasNaN()) {  // a column without returns or a pair without a common row
    RC_ASSERT_THROWS_AS(exp_cov(returns, span), InsufficientReturns);
    return;
  }
  const CovarianceEstimate estimate = exp_cov(returns, span, {.frequency = 1.0});
  if (!estimate.warnings.empty()) return;  // repaired: checked by the repair's own tests
  for (int i = 0; i < columns; ++i) {
    for (int j = 0; j < columns; ++j) {
      const double scale = std::sqrt(std::abs(expected(i, i) * expected(j, j)));
      RC_ASSERT(std::abs(estimate.matrix(i, j) - expected(i, j)) <= 1e-12 * scale + 1e-18);
    }
  }
}

}  // namespace
}  // namespace tranche::optimize
