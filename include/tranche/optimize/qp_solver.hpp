#pragma once
// A dense convex quadratic-program solver on Eigen, for portfolio problems: an exact primal
// active-set method that works in the space of the free (off-bound) variables, so its cost
// grows with the number of non-zero weights rather than with the universe. It always reports a
// status and its residuals; the caller decides what to do with anything but Optimal.
//
//   minimise    1/2 x'Px + q'x
//   subject to  lower <= x <= upper          (entries may be -inf / +inf)
//               A_eq x  = b_eq
//               A_in x <= b_in
//
// P must be symmetric positive semidefinite; an empty P means zero (a linear program).
// Negative curvature met on the working set is reported as NumericalTrouble, not solved.

#include <Eigen/Core>
#include <string>
#include <vector>

namespace tranche::optimize {

struct QpProblem {
  Eigen::MatrixXd P;  // n x n, symmetric positive semidefinite; or empty: P = 0
  Eigen::VectorXd q;  // n
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  Eigen::MatrixXd A_eq;  // m_eq x n
  Eigen::VectorXd b_eq;
  Eigen::MatrixXd A_in;  // m_in x n
  Eigen::VectorXd b_in;
  // Optional names for diagnostics ("weight AAPL", "sector Tech upper"): empty, or one per
  // variable / row. Infeasibility messages name the constraints that could not be met.
  std::vector<std::string> variable_names;
  std::vector<std::string> eq_names;
  std::vector<std::string> in_names;

  // An unconstrained problem of `n` variables with P = 0 (n x n zeros), q = 0, infinite
  // bounds and no rows.
  static QpProblem with_variables(Eigen::Index n);
  Eigen::Index variables() const { return q.size(); }
};

enum class QpStatus { Optimal, Infeasible, Unbounded, IterationLimit, NumericalTrouble };
const char* to_string(QpStatus status);

struct QpOptions {
  int max_iterations = 10000;
  // Feasibility tolerance, relative to the size of the constraint data.
  double feasibility_tolerance = 1e-9;
  // Optimality tolerance on multiplier signs, relative to the size of the gradient.
  double optimality_tolerance = 1e-12;
  // Warm start: a point to start from (for example the solution of a neighbouring problem);
  // variables it puts on a bound start held there. Empty: start from a vertex of the bounds.
  // The optimum does not depend on it, only the number of iterations.
  Eigen::VectorXd initial_point;
};

struct QpResult {
  QpStatus status = QpStatus::NumericalTrouble;
  Eigen::VectorXd x;             // the solution (Optimal), else the last iterate
  double objective = 0.0;        // 1/2 x'Px + q'x at x
  Eigen::VectorXd y_eq;          // multipliers of A_eq x = b_eq
  Eigen::VectorXd y_in;          // multipliers of A_in x <= b_in (>= 0 at an optimum)
  Eigen::VectorXd z_bounds;      // bound multipliers: > 0 at an active lower, < 0 at an active upper
  double primal_residual = 0.0;  // largest violation of any bound or row
  double dual_residual = 0.0;    // max |Px + q + A_eq'y_eq + A_in'y_in - z_bounds|
  double complementarity = 0.0;  // largest |multiplier x slack|
  int iterations = 0;
  std::string message;  // what went wrong, naming constraints where it can; empty when Optimal
};

QpResult solve_qp(const QpProblem& problem, const QpOptions& options = {});

// Residuals of a candidate (x, multipliers) for `problem`, filled into `result`.
void compute_residuals(const QpProblem& problem, QpResult& result);

}  // namespace tranche::optimize
