#pragma once
// Mean-variance portfolios (PyPortfolioOpt 1.5.6's EfficientFrontier, same conventions and
// numbers): minimum volatility, maximum Sharpe, maximum quadratic utility, efficient risk,
// efficient return and maximum return, under weight bounds, a budget (or market neutrality),
// sector limits and extra linear constraints, with optional L2 regularisation and a
// transaction-cost penalty. Every problem is solved exactly by the active-set QP solver; a
// request that cannot be met throws tranche::Error with a message that says why.

#include <Eigen/Core>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tranche/optimize/qp_solver.hpp"

namespace tranche::optimize {

inline constexpr double kNoBound = std::numeric_limits<double>::infinity();

// Bounds on one weight; -kNoBound / +kNoBound mean none (PyPortfolioOpt's None).
struct WeightBounds {
  double lower = 0.0;
  double upper = 1.0;
};

// The total weight of one sector must lie in [lower, upper].
struct SectorLimit {
  std::string sector;
  double lower = -kNoBound;
  double upper = kNoBound;
};

enum class Relation { LessEqual, GreaterEqual, Equal };

// sum_i coefficient_i * weight(symbol_i) (relation) rhs, e.g. {"AAPL": 1, "MSFT": 1} <= 0.3.
struct LinearConstraint {
  std::map<std::string, double> coefficients;
  Relation relation = Relation::LessEqual;
  double rhs = 0.0;
  std::string label;  // used in error messages; generated when empty
};

struct PortfolioConstraints {
  // Empty: (0, 1) for every asset; one entry: the same for every asset; else one per asset.
  std::vector<WeightBounds> bounds;
  bool market_neutral = false;                   // weights sum to 0 instead of 1
  std::map<std::string, std::string> sector_of;  // symbol -> sector
  std::vector<SectorLimit> sector_limits;
  std::vector<LinearConstraint> linear;
  // L2 regularisation: gamma * |w|^2 is added to the risk term (see max_sharpe for how it
  // keeps its meaning there).
  double gamma = 0.0;
  // Transaction cost: cost * sum_i |w_i - current_i|, when current weights are given.
  std::optional<Eigen::VectorXd> current_weights;
  double transaction_cost = 0.0;
};

struct Performance {
  double expected_return = 0.0;
  double volatility = 0.0;
  double sharpe = 0.0;
};

// An optimised portfolio and the solver's report on the last problem solved for it.
struct OptimizedPortfolio {
  Eigen::VectorXd weights;
  QpResult report;
  int solves = 1;  // number of QPs solved (efficient risk solves a short sequence)
};

// Expected annual return, annual volatility and Sharpe ratio (return - rf) / volatility.
Performance portfolio_performance(const Eigen::VectorXd& weights, const Eigen::VectorXd& expected_returns,
                                  const Eigen::MatrixXd& covariance, double risk_free_rate = 0.0);

// PyPortfolioOpt's clean_weights: |w| < cutoff becomes 0, then rounding to `decimals` places
// (half to even, as numpy.round).
Eigen::VectorXd clean_weights(const Eigen::VectorXd& weights, double cutoff = 1e-4, int decimals = 5);

struct FrontierPoint {
  double expected_return = 0.0;
  double volatility = 0.0;
  Eigen::VectorXd weights;
};

class EfficientFrontier {
 public:
  // Throws InvalidArgument on mismatched sizes, non-finite inputs, unknown symbols in
  // constraints, and Infeasible on bounds or sector limits that contradict each other or the
  // budget (naming them).
  EfficientFrontier(std::vector<std::string> symbols, Eigen::VectorXd expected_returns,
                    Eigen::MatrixXd covariance, PortfolioConstraints constraints = {});

  // min w'Sw (+ gamma |w|^2 + costs).
  OptimizedPortfolio min_volatility() const;
  // max (mu'w - rf) / sqrt(w'Sw), solved exactly through y = k w, k > 0: min y'Sy subject to
  // (mu - rf)'y = 1 and every constraint made homogeneous in (y, k). With gamma > 0 the risk
  // is w'(S + gamma I)w, which stays homogeneous, so the problem solved is exactly
  // max (mu'w - rf) / sqrt(w'Sw + gamma |w|^2). (PyPortfolioOpt adds gamma |y|^2 after the
  // change of variables, which weighs the penalty by k^2: its issue #523.) Rejects a
  // non-finite rf, an rf at or above the best achievable return, market neutrality and
  // transaction costs (not homogeneous).
  OptimizedPortfolio max_sharpe(double risk_free_rate = 0.0) const;
  // max mu'w - risk_aversion/2 w'Sw (- gamma |w|^2 - costs).
  OptimizedPortfolio max_quadratic_utility(double risk_aversion = 1.0) const;
  // max mu'w (- gamma |w|^2 - costs) subject to sqrt(w'Sw) <= target_volatility.
  OptimizedPortfolio efficient_risk(double target_volatility) const;
  // min w'Sw (+ gamma |w|^2 + costs) subject to mu'w >= target_return.
  OptimizedPortfolio efficient_return(double target_return) const;
  // max mu'w (- gamma |w|^2 - costs): a linear program when gamma = 0 and no costs.
  OptimizedPortfolio max_return() const;

  // The highest mu'w any admissible portfolio reaches; +inf when unbounded.
  double max_achievable_return() const;
  // `points` portfolios of evenly spaced returns from the minimum-volatility portfolio's
  // return to the highest achievable (each an efficient_return solve).
  std::vector<FrontierPoint> frontier(int points) const;

  Performance performance(const Eigen::VectorXd& weights, double risk_free_rate = 0.0) const {
    return portfolio_performance(weights, mu_, sigma_, risk_free_rate);
  }
  const std::vector<std::string>& symbols() const { return symbols_; }
  const Eigen::VectorXd& expected_returns() const { return mu_; }
  const Eigen::MatrixXd& covariance() const { return sigma_; }

 private:
  struct Rows {
    Eigen::MatrixXd A;
    Eigen::VectorXd b;
    std::vector<std::string> names;
    void add(const Eigen::RowVectorXd& a, double rhs, std::string name);
  };
  // The problem over the weights (plus, with transaction costs, the buy and sell amounts):
  // min w' (risk * S + gamma_weight * I) w + linear'w + costs, under every constraint.
  QpProblem weight_problem(double risk, double gamma_weight, const Eigen::VectorXd& linear) const;
  // `warm_start`: a neighbouring problem's solution (QpOptions::initial_point), or empty.
  OptimizedPortfolio solve_weights(const QpProblem& problem, const char* objective,
                                   const Eigen::VectorXd& warm_start = Eigen::VectorXd()) const;
  // efficient_return once the highest achievable return is known.
  OptimizedPortfolio efficient_return_below(double target_return, double highest,
                                            const Eigen::VectorXd& warm_start) const;
  std::vector<std::string> weight_names() const;

  std::vector<std::string> symbols_;
  Eigen::VectorXd mu_;
  Eigen::MatrixXd sigma_;
  PortfolioConstraints constraints_;
  Eigen::VectorXd lower_;
  Eigen::VectorXd upper_;
  Rows equalities_;    // in weight space: budget and linear equalities
  Rows inequalities_;  // in weight space: sector limits and linear inequalities (a'w <= b)
};

}  // namespace tranche::optimize
