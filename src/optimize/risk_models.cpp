#include "tranche/optimize/risk_models.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

#include "optimize/returns_matrix.hpp"
#include "tranche/core/error.hpp"
#include "tranche/optimize/estimation_error.hpp"

namespace tranche::optimize {

namespace {

using detail::ReturnsRef;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// A'A for a tall A, through a symmetric rank update (half the work of a general product).
MatrixXd gram(const MatrixXd& a) {
  MatrixXd result = MatrixXd::Zero(a.cols(), a.cols());
  result.selfadjointView<Eigen::Lower>().rankUpdate(a.transpose());
  return result.selfadjointView<Eigen::Lower>();
}

// Missing returns replaced by 0.
MatrixXd zero_filled(const ReturnsRef& returns) {
  return returns.unaryExpr([](double value) { return std::isnan(value) ? 0.0 : value; });
}

// Each column's mean over its present returns (NaN for an empty column).
VectorXd present_means(const ReturnsRef& returns) {
  VectorXd means(returns.cols());
  for (Index column = 0; column < returns.cols(); ++column) {
    double sum = 0.0;
    Index count = 0;
    for (Index row = 0; row < returns.rows(); ++row) {
      const double value = returns(row, column);
      if (std::isnan(value)) continue;
      sum += value;
      ++count;
    }
    means(column) = sum / static_cast<double>(count);
  }
  return means;
}

// Returns minus their column means, missing returns then set to 0.
MatrixXd centred_zero_filled(const ReturnsRef& returns, const VectorXd& means) {
  MatrixXd centred(returns.rows(), returns.cols());
  for (Index column = 0; column < returns.cols(); ++column) {
    for (Index row = 0; row < returns.rows(); ++row) {
      const double value = returns(row, column);
      centred(row, column) = std::isnan(value) ? 0.0 : value - means(column);
    }
  }
  return centred;
}

void throw_if_pair_short(const MatrixXd& common_counts, Index needed, const char* what_for) {
  for (Index j = 0; j < common_counts.cols(); ++j) {
    for (Index i = j; i < common_counts.rows(); ++i) {
      if (common_counts(i, j) < static_cast<double>(needed)) {
        throw InsufficientReturns(static_cast<std::size_t>(j), static_cast<std::size_t>(i),
                                  static_cast<std::size_t>(common_counts(i, j)),
                                  static_cast<std::size_t>(needed), what_for);
      }
    }
  }
}

// Each column's first present row, when every column's missing returns all come before that
// row (assets listed at different dates, no later gaps); nothing otherwise.
std::optional<std::vector<Index>> leading_gap_starts(const ReturnsRef& returns) {
  std::vector<Index> starts(static_cast<std::size_t>(returns.cols()));
  for (Index column = 0; column < returns.cols(); ++column) {
    Index row = 0;
    while (row < returns.rows() && std::isnan(returns(row, column))) ++row;
    starts[static_cast<std::size_t>(column)] = row;
    for (; row < returns.rows(); ++row) {
      if (std::isnan(returns(row, column))) return std::nullopt;
    }
  }
  return starts;
}

// Pairwise covariance when each column runs from its start row to the end. With the columns
// sorted by start and grouped by equal start, a group's pairs with itself and with every
// column that starts no later share exactly the rows from the group's start: one product over
// those rows per group, about one symmetric product's work in all.
MatrixXd staggered_start_covariance(const ReturnsRef& returns, const std::vector<Index>& starts) {
  const Index columns = returns.cols();
  std::vector<Index> order(static_cast<std::size_t>(columns));
  std::iota(order.begin(), order.end(), Index{0});
  const auto start_of = [&starts](Index column) { return starts[static_cast<std::size_t>(column)]; };
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return start_of(a) < start_of(b); });
  const VectorXd means = present_means(returns);
  MatrixXd sorted(returns.rows(), columns);  // shifted by column means, zero where missing
  for (Index k = 0; k < columns; ++k) {
    const Index column = order[static_cast<std::size_t>(k)];
    sorted.col(k) = returns.col(column).unaryExpr(
        [mean = means(column)](double value) { return std::isnan(value) ? 0.0 : value - mean; });
  }
  MatrixXd covariance(columns, columns);
  Index group_begin = 0;
  while (group_begin < columns) {
    const Index start = start_of(order[static_cast<std::size_t>(group_begin)]);
    Index group_end = group_begin;
    while (group_end < columns && start_of(order[static_cast<std::size_t>(group_end)]) == start) ++group_end;
    const Index common = returns.rows() - start;  // at least 2: every column has 2 returns
    const auto earlier = sorted.block(start, 0, common, group_end);
    const MatrixXd products =
        earlier.transpose() * sorted.block(start, group_begin, common, group_end - group_begin);
    const VectorXd sums = earlier.colwise().sum().transpose();
    const double n = static_cast<double>(common);
    for (Index g = group_begin; g < group_end; ++g) {
      for (Index e = 0; e < group_end; ++e) {
        const double value = (products(e, g - group_begin) - sums(e) * sums(g) / n) / (n - 1.0);
        const Index i = order[static_cast<std::size_t>(e)];
        const Index j = order[static_cast<std::size_t>(g)];
        covariance(i, j) = value;
        covariance(j, i) = value;
      }
    }
    group_begin = group_end;
  }
  return covariance;
}

// Daily pairwise-complete sample covariance, ddof 1 (pandas DataFrame.cov).
MatrixXd daily_sample_covariance(const ReturnsRef& returns) {
  const char* what_for = "a sample covariance";
  detail::require_column_counts(returns, 2, what_for);
  if (!detail::has_missing(returns)) {
    // Complete data: one symmetric product of the centred returns.
    const MatrixXd centred = returns.rowwise() - returns.colwise().mean();
    return gram(centred) / static_cast<double>(returns.rows() - 1);
  }
  if (const auto starts = leading_gap_starts(returns)) return staggered_start_covariance(returns, *starts);
  // Missing data: entry (i, j) needs the rows where both are present. With x shifted by its
  // column mean (covariance is shift invariant, and the shift keeps the sums small) and zero
  // where missing, and M the presence mask:
  //   n = M'M (common rows), P = X'X, A = X'M (A_ij = sum of x_i over rows where j is present)
  //   cov_ij = (P_ij - A_ij A_ji / n_ij) / (n_ij - 1)
  const MatrixXd mask = detail::presence_mask(returns);
  const MatrixXd shifted = centred_zero_filled(returns, present_means(returns));
  const MatrixXd common = gram(mask);
  throw_if_pair_short(common, 2, what_for);
  const MatrixXd products = gram(shifted);
  const MatrixXd partial_sums = shifted.transpose() * mask;
  MatrixXd covariance(returns.cols(), returns.cols());
  for (Index j = 0; j < returns.cols(); ++j) {
    for (Index i = j; i < returns.cols(); ++i) {
      const double n = common(i, j);
      const double value = (products(i, j) - partial_sums(i, j) * partial_sums(j, i) / n) / (n - 1.0);
      covariance(i, j) = value;
      covariance(j, i) = value;
    }
  }
  return covariance;
}

// pandas' ewm(span, adjust=True).mean() recurrence at the last row of the products of two
// centred series, over the rows where both are present. Used when the closed-form weights
// underflow (a pair whose last common row is thousands of rows before the end at a short span).
double ewm_mean_of_products(const MatrixXd& centred, const MatrixXd& mask, Index i, Index j, double span) {
  const double decay = 1.0 - 1.0 / (1.0 + (span - 1.0) / 2.0);
  double average = std::nan("");
  double old_weight = 1.0;
  for (Index row = 0; row < centred.rows(); ++row) {
    const bool observed = mask(row, i) > 0.0 && mask(row, j) > 0.0;
    const double value = centred(row, i) * centred(row, j);
    if (std::isnan(average)) {
      if (observed) average = value;
      continue;
    }
    old_weight *= decay;
    if (observed) {
      if (average != value) average = (old_weight * average + value) / (old_weight + 1.0);
      old_weight += 1.0;
    }
  }
  return average;
}

CovarianceEstimate finish(MatrixXd daily, const RiskModelOptions& options, std::optional<double> shrinkage) {
  PsdRepairResult repaired = fix_nonpositive_semidefinite(daily * options.frequency, options.repair);
  return CovarianceEstimate{std::move(repaired.matrix), shrinkage, std::move(repaired.warnings)};
}

void check_inputs(const ReturnsRef& returns, const RiskModelOptions& options) {
  detail::require_usable_returns(returns);
  detail::require_positive(options.frequency, "frequency");
}

struct Shrunk {
  MatrixXd matrix;
  double intensity;
};

// scikit-learn 1.2 ledoit_wolf on returns with missing values as 0.
Shrunk constant_variance_target(const ReturnsRef& returns) {
  const MatrixXd filled = zero_filled(returns);
  const MatrixXd centred = filled.rowwise() - filled.colwise().mean();
  const double t = static_cast<double>(returns.rows());
  const double n = static_cast<double>(returns.cols());
  const MatrixXd empirical = gram(centred) / t;
  const double mu = empirical.trace() / n;
  if (returns.cols() == 1) return {empirical, 0.0};
  // beta_ = sum of the entries of (X^2)'(X^2) = sum over rows of (sum_i x_ti^2)^2.
  const double beta_sum = centred.rowwise().squaredNorm().squaredNorm();
  // delta_ = sum of squared entries of X'X / t^2 = ||empirical||_F^2.
  const double delta_sum = empirical.squaredNorm();
  double beta = (beta_sum / t - delta_sum) / (n * t);
  const double delta = (delta_sum - 2.0 * mu * empirical.trace() + n * mu * mu) / n;
  beta = std::min(beta, delta);
  const double shrinkage = beta == 0.0 ? 0.0 : beta / delta;
  MatrixXd shrunk = (1.0 - shrinkage) * empirical;
  shrunk.diagonal().array() += shrinkage * mu;
  return {shrunk, shrinkage};
}

// Ledoit and Wolf (2001), as PyPortfolioOpt 1.5.6 computes it: missing returns as 0, the market
// the equal-weighted mean of the demeaned returns, covariances normalised by t.
Shrunk single_factor_target(const ReturnsRef& returns) {
  const MatrixXd filled = zero_filled(returns);
  const MatrixXd xm = filled.rowwise() - filled.colwise().mean();
  const double t = static_cast<double>(returns.rows());
  const VectorXd market = xm.rowwise().mean();
  const double market_mean = market.mean();
  const VectorXd market_centred = market.array() - market_mean;
  const MatrixXd xm_centred = xm.rowwise() - xm.colwise().mean();
  const MatrixXd sample = gram(xm_centred) / t;
  const VectorXd betas = xm_centred.transpose() * market_centred / t;
  const double market_variance = market_centred.squaredNorm() / t;
  if (!(market_variance > 0.0)) {
    throw Error(ErrorKind::InvalidArgument,
                "the equal-weighted market does not vary: no single-factor target");
  }
  MatrixXd target = betas * betas.transpose() / market_variance;
  target.diagonal() = sample.diagonal();

  const double c = (sample - target).squaredNorm();
  const MatrixXd y = xm.array().square().matrix();
  // p = sum(y'y) / t - sum(sample^2); sum of the entries of y'y = sum over rows of (row sum of y)^2.
  const double p = y.rowwise().sum().squaredNorm() / t - sample.squaredNorm();
  const double r_diagonal = y.squaredNorm() / t - sample.diagonal().squaredNorm();
  // z = xm with each row scaled by the market's (uncentred) return that row.
  const MatrixXd z = xm.array().colwise() * market.array();
  const VectorXd z_beta = z * betas;
  const double beta_s_beta = betas.dot(sample * betas);
  // v1 = y'z / t - betas_i * sample_ij; roff1 = (sum_ij v1_ij beta_j - sum_i v1_ii beta_i) / var_m.
  const double v1_weighted = y.rowwise().sum().dot(z_beta) / t - beta_s_beta;
  const VectorXd v1_diagonal =
      (y.array() * z.array()).colwise().sum().transpose() / t - betas.array() * sample.diagonal().array();
  const double roff1 = (v1_weighted - v1_diagonal.dot(betas)) / market_variance;
  // v3 = z'z / t - var_m * sample; roff3 = (sum_ij v3_ij b_i b_j - sum_i v3_ii b_i^2) / var_m^2.
  const double v3_weighted = z_beta.squaredNorm() / t - market_variance * beta_s_beta;
  const VectorXd v3_diagonal =
      z.array().square().colwise().sum().transpose() / t - market_variance * sample.diagonal().array();
  const double roff3 =
      (v3_weighted - v3_diagonal.dot(betas.cwiseAbs2())) / (market_variance * market_variance);
  const double r = r_diagonal + 2.0 * roff1 - roff3;
  const double k = (p - r) / c;
  const double shrinkage = std::clamp(k / t, 0.0, 1.0);
  return {shrinkage * target + (1.0 - shrinkage) * sample, shrinkage};
}

// Ledoit and Wolf (2003), as PyPortfolioOpt 1.5.6 computes it: the pairwise sample covariance S
// with ddof 1 for the target and the shrunk matrix, the returns with missing values as 0 for
// the intensity.
Shrunk constant_correlation_target(const ReturnsRef& returns) {
  const MatrixXd s = daily_sample_covariance(returns);
  const Index columns = returns.cols();
  const double n = static_cast<double>(columns);
  const double t = static_cast<double>(returns.rows());
  if (columns < 2) return {s, 0.0};
  const VectorXd variance = s.diagonal();
  const VectorXd deviation = variance.cwiseSqrt();
  for (Index i = 0; i < columns; ++i) {
    if (!(deviation(i) > 0.0)) {
      throw Error(ErrorKind::InvalidArgument,
                  fmt::format("column {} does not vary: its correlations, and so the constant-correlation "
                              "target, are undefined",
                              i));
    }
  }
  const MatrixXd deviation_outer = deviation * deviation.transpose();
  const double mean_correlation = ((s.array() / deviation_outer.array()).sum() - n) / (n * (n - 1.0));
  MatrixXd target = mean_correlation * deviation_outer;
  target.diagonal() = variance;

  const MatrixXd filled = zero_filled(returns);
  const MatrixXd xm = filled.rowwise() - filled.colwise().mean();
  const MatrixXd y = xm.array().square().matrix();
  const MatrixXd help = gram(xm) / t;  // xm'xm / t
  // pi = y'y / t - 2 (xm'xm) o S / t + S o S, summed; its diagonal kept apart.
  const double pi_hat =
      y.rowwise().sum().squaredNorm() / t - 2.0 * (help.array() * s.array()).sum() + s.array().square().sum();
  const VectorXd pi_diagonal = y.array().square().colwise().sum().transpose() / t -
                               2.0 * help.diagonal().array() * variance.array() + variance.array().square();
  // theta_ij = (xm^3)'xm / t - help_ii S_ij - help_ij var_i + var_i S_ij off the diagonal, weighted
  // by dev_j / dev_i. The first term's weighted sum is over rows of
  // (sum_i xm_ti^3 / dev_i)(sum_j xm_tj dev_j), less its diagonal sum of xm^4.
  const VectorXd inverse_deviation = deviation.cwiseInverse();
  const MatrixXd cubes = xm.array().cube().matrix();
  const double term1_all = (cubes * inverse_deviation).dot(xm * deviation) / t;
  const double term1_diagonal = xm.array().square().square().sum() / t;
  // Weighted sums of the other terms over all (i, j), then their diagonal removed.
  const MatrixXd weights = inverse_deviation * deviation.transpose();  // dev_j / dev_i
  const double rest_all =
      (weights.array() * (-(help.diagonal().asDiagonal() * s).array() -
                          (variance.asDiagonal() * help).array() + (variance.asDiagonal() * s).array()))
          .sum();
  const double rest_diagonal =
      (-help.diagonal().array() * variance.array() - variance.array() * help.diagonal().array() +
       variance.array() * variance.array())
          .sum();
  const double theta_weighted = (term1_all - term1_diagonal) + (rest_all - rest_diagonal);
  const double rho_hat = pi_diagonal.sum() + mean_correlation * theta_weighted;
  const double gamma_hat = (s - target).squaredNorm();
  const double kappa = (pi_hat - rho_hat) / gamma_hat;
  const double shrinkage = std::clamp(kappa / t, 0.0, 1.0);
  return {shrinkage * target + (1.0 - shrinkage) * s, shrinkage};
}

}  // namespace

bool is_positive_semidefinite(const Eigen::Ref<const MatrixXd>& matrix) {
  if (matrix.hasNaN()) return false;
  MatrixXd nudged = matrix;
  nudged.diagonal().array() += 1e-16;
  Eigen::LLT<MatrixXd> cholesky(nudged);
  return cholesky.info() == Eigen::Success;
}

PsdRepairResult fix_nonpositive_semidefinite(const Eigen::Ref<const MatrixXd>& matrix, PsdRepair method) {
  if (is_positive_semidefinite(matrix)) return {matrix, {}};
  if (matrix.hasNaN()) {
    throw Error(ErrorKind::InvalidArgument, "the covariance matrix has undefined (NaN) entries");
  }
  Eigen::SelfAdjointEigenSolver<MatrixXd> eigen(matrix);
  if (eigen.info() != Eigen::Success) {
    throw Error(ErrorKind::InvalidArgument, "the covariance matrix's eigen-decomposition did not converge");
  }
  const double smallest = eigen.eigenvalues().minCoeff();
  PsdRepairResult result;
  if (method == PsdRepair::Spectral) {
    const VectorXd clipped = eigen.eigenvalues().cwiseMax(0.0);
    const MatrixXd rebuilt = eigen.eigenvectors() * clipped.asDiagonal() * eigen.eigenvectors().transpose();
    result.matrix = 0.5 * (rebuilt + rebuilt.transpose());
    result.warnings.push_back(
        fmt::format("the covariance matrix is not positive semidefinite (smallest eigenvalue {:.6g}); "
                    "negative eigenvalues "
                    "were set to 0",
                    smallest));
  } else {
    result.matrix = matrix;
    result.matrix.diagonal().array() -= 1.1 * smallest;
    result.warnings.push_back(
        fmt::format("the covariance matrix is not positive semidefinite (smallest eigenvalue {:.6g}); {:.6g} "
                    "was added to "
                    "the diagonal",
                    smallest, -1.1 * smallest));
  }
  // Clipped eigenvalues are 0 only up to rounding, so the repaired matrix is judged with a
  // tolerance relative to its largest eigenvalue rather than by the absolute 1e-16 nudge.
  if (!is_positive_semidefinite(result.matrix)) {
    Eigen::SelfAdjointEigenSolver<MatrixXd> check(result.matrix, Eigen::EigenvaluesOnly);
    const double scale = check.eigenvalues().cwiseAbs().maxCoeff();
    const double tolerance =
        64.0 * std::numeric_limits<double>::epsilon() * static_cast<double>(matrix.rows()) * scale;
    if (check.info() != Eigen::Success || check.eigenvalues().minCoeff() < -tolerance) {
      result.warnings.push_back("the covariance matrix could not be repaired; try a different risk model");
    }
  }
  return result;
}

CovarianceEstimate sample_cov(const Eigen::Ref<const MatrixXd>& returns, const RiskModelOptions& options) {
  check_inputs(returns, options);
  return finish(daily_sample_covariance(returns), options, std::nullopt);
}

CovarianceEstimate semicovariance(const Eigen::Ref<const MatrixXd>& returns, double benchmark,
                                  const RiskModelOptions& options) {
  check_inputs(returns, options);
  if (!std::isfinite(benchmark)) {
    throw Error(ErrorKind::InvalidArgument, fmt::format("benchmark must be finite, got {}", benchmark));
  }
  const MatrixXd drops = returns.unaryExpr(
      [benchmark](double value) { return std::isnan(value) ? 0.0 : std::min(value - benchmark, 0.0); });
  return finish(gram(drops) / static_cast<double>(returns.rows()), options, std::nullopt);
}

CovarianceEstimate exp_cov(const Eigen::Ref<const MatrixXd>& returns, double span,
                           const RiskModelOptions& options) {
  check_inputs(returns, options);
  if (!std::isfinite(span) || span < 1.0) {
    throw Error(ErrorKind::InvalidArgument, fmt::format("span must be a finite number >= 1, got {}", span));
  }
  detail::require_column_counts(returns, 1, "an exponentially weighted covariance");
  const MatrixXd centred = centred_zero_filled(returns, present_means(returns));
  const VectorXd weights = detail::ewm_weights(returns.rows(), span);
  const VectorXd root_weights = weights.cwiseSqrt();
  // The weighted mean at the last row is sum_t w_t p_t / sum_t w_t over the rows where both
  // returns are present (pandas' recurrence, written in closed form).
  const MatrixXd numerator = gram(centred.array().colwise() * root_weights.array());
  MatrixXd daily(returns.cols(), returns.cols());
  if (!detail::has_missing(returns)) {
    daily = numerator / weights.sum();
  } else {
    const MatrixXd mask = detail::presence_mask(returns);
    const MatrixXd denominator = gram(mask.array().colwise() * root_weights.array());
    for (Index j = 0; j < returns.cols(); ++j) {
      for (Index i = j; i < returns.cols(); ++i) {
        double value = numerator(i, j) / denominator(i, j);
        // Below this the weights are near or past underflow and the ratio loses its digits.
        constexpr double kSmallestSafeWeight = 1e-250;
        if (!(denominator(i, j) > kSmallestSafeWeight)) {
          const double common = mask.col(i).dot(mask.col(j));
          if (common < 1.0) {
            throw InsufficientReturns(static_cast<std::size_t>(j), static_cast<std::size_t>(i), 0, 1,
                                      "an exponentially weighted covariance");
          }
          value = ewm_mean_of_products(centred, mask, i, j, span);
        }
        daily(i, j) = value;
        daily(j, i) = value;
      }
    }
  }
  return finish(std::move(daily), options, std::nullopt);
}

CovarianceEstimate ledoit_wolf(const Eigen::Ref<const MatrixXd>& returns, ShrinkageTarget target,
                               const RiskModelOptions& options) {
  check_inputs(returns, options);
  Shrunk shrunk = target == ShrinkageTarget::SingleFactor          ? single_factor_target(returns)
                  : target == ShrinkageTarget::ConstantCorrelation ? constant_correlation_target(returns)
                                                                   : constant_variance_target(returns);
  return finish(std::move(shrunk.matrix), options, shrunk.intensity);
}

CovarianceEstimate oracle_approximating(const Eigen::Ref<const MatrixXd>& returns,
                                        const RiskModelOptions& options) {
  check_inputs(returns, options);
  const MatrixXd filled = zero_filled(returns);
  const MatrixXd centred = filled.rowwise() - filled.colwise().mean();
  const double t = static_cast<double>(returns.rows());
  const double n = static_cast<double>(returns.cols());
  const MatrixXd empirical = gram(centred) / t;
  if (returns.cols() == 1) return finish(empirical, options, 0.0);
  const double mu = empirical.trace() / n;
  const double alpha = empirical.squaredNorm() / (n * n);
  const double numerator = alpha + mu * mu;
  const double denominator = (t + 1.0) * (alpha - mu * mu / n);
  const double shrinkage = denominator == 0.0 ? 1.0 : std::min(numerator / denominator, 1.0);
  MatrixXd shrunk = (1.0 - shrinkage) * empirical;
  shrunk.diagonal().array() += shrinkage * mu;
  return finish(std::move(shrunk), options, shrinkage);
}

CovarianceEstimate shrunk_covariance(const Eigen::Ref<const MatrixXd>& returns, double delta,
                                     const RiskModelOptions& options) {
  check_inputs(returns, options);
  if (!(delta >= 0.0 && delta <= 1.0)) {
    throw Error(ErrorKind::InvalidArgument, fmt::format("shrinkage delta must be in [0, 1], got {}", delta));
  }
  const MatrixXd s = daily_sample_covariance(returns);
  MatrixXd shrunk = (1.0 - delta) * s;
  shrunk.diagonal().array() += delta * s.trace() / static_cast<double>(s.rows());
  return finish(std::move(shrunk), options, delta);
}

}  // namespace tranche::optimize
