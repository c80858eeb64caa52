#pragma once
// Annual covariance matrices estimated from daily returns, with PyPortfolioOpt 1.5.6's (and
// for the shrinkage estimators scikit-learn's) conventions, so results compare number for number.
//
// Input: a returns matrix, one row per date (oldest first), one column per asset, NaN where a
// return is missing. Every estimate is annualised by `frequency` and then checked for positive
// semidefiniteness; a matrix that is not is repaired and the repair reported as a warning in the
// result (the library never prints). Errors: tranche::Error (InvalidArgument) for an empty
// matrix, an infinite return or a bad parameter; InsufficientReturns when a column or a pair of
// columns has too few returns for the estimator.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

namespace tranche::optimize {

// How a covariance matrix that is not positive semidefinite is made so.
enum class PsdRepair {
  Spectral,  // negative eigenvalues set to 0, matrix rebuilt from its eigenvectors
  Diagonal,  // 1.1 * |smallest eigenvalue| added to the diagonal
};

struct RiskModelOptions {
  double frequency = 252.0;  // periods per year
  PsdRepair repair = PsdRepair::Spectral;
};

struct CovarianceEstimate {
  Eigen::MatrixXd matrix;           // annualised, symmetric, positive semidefinite
  std::optional<double> shrinkage;  // the shrinkage intensity, for shrinkage estimators
  std::vector<std::string> warnings;
};

// Pairwise-complete sample covariance with ddof 1 (pandas DataFrame.cov): each entry uses the
// rows where both returns are present, centred on those rows' means. Needs 2 common rows per pair.
CovarianceEstimate sample_cov(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                              const RiskModelOptions& options = {});

// Semicovariance against a daily `benchmark`: D = min(r - benchmark, 0) with missing returns
// counted as 0, then D'D / T with T all rows.
CovarianceEstimate semicovariance(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                  double benchmark = 0.000079, const RiskModelOptions& options = {});

// Exponentially weighted covariance: each pair's products (r_i - mean_i)(r_j - mean_j), with
// each column centred on the mean of all its returns, averaged with pandas' ewm(span,
// adjust=True) weights at the last row over the rows where both are present.
CovarianceEstimate exp_cov(const Eigen::Ref<const Eigen::MatrixXd>& returns, double span = 180.0,
                           const RiskModelOptions& options = {});

// Target of a Ledoit-Wolf shrinkage.
enum class ShrinkageTarget {
  ConstantVariance,     // average variance times the identity (scikit-learn's ledoit_wolf)
  SingleFactor,         // Sharpe single-index model on the equal-weighted market (Ledoit-Wolf 2001)
  ConstantCorrelation,  // sample variances with the average correlation (Ledoit-Wolf 2003)
};

// Ledoit-Wolf shrinkage with its optimal intensity (reported in `shrinkage`). Missing returns are
// taken as 0 and covariances normalised by T (maximum likelihood), as PyPortfolioOpt does; the
// constant-correlation target starts from the pairwise sample covariance, as PyPortfolioOpt's.
CovarianceEstimate ledoit_wolf(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                               ShrinkageTarget target = ShrinkageTarget::ConstantVariance,
                               const RiskModelOptions& options = {});

// Oracle Approximating Shrinkage (Chen et al. 2010) towards the scaled identity, with
// scikit-learn 1.2's formula; missing returns taken as 0, normalisation by T.
CovarianceEstimate oracle_approximating(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                        const RiskModelOptions& options = {});

// Fixed shrinkage of the pairwise sample covariance S towards trace(S)/N times the identity:
// delta * F + (1 - delta) * S, delta in [0, 1].
CovarianceEstimate shrunk_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns, double delta = 0.2,
                                     const RiskModelOptions& options = {});

// True when a Cholesky factorisation of matrix + 1e-16 I succeeds (PyPortfolioOpt's test).
bool is_positive_semidefinite(const Eigen::Ref<const Eigen::MatrixXd>& matrix);

struct PsdRepairResult {
  Eigen::MatrixXd matrix;
  std::vector<std::string> warnings;  // empty when the input needed no repair
};

// Returns the matrix unchanged when positive semidefinite, else repaired by `method`.
PsdRepairResult fix_nonpositive_semidefinite(const Eigen::Ref<const Eigen::MatrixXd>& matrix,
                                             PsdRepair method = PsdRepair::Spectral);

}  // namespace tranche::optimize
