// The dense QP solver on problems solved by hand, on infeasible and unbounded problems, and
// on random convex problems checked against the KKT conditions.

#include "tranche/optimize/qp_solver.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <limits>
#include <sstream>

namespace tranche::optimize {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Budget-constrained minimum variance: min w'Sw s.t. sum w = 1, as a QP with P = 2S.
QpProblem min_variance(const Eigen::MatrixXd& S, double lower, double upper) {
  QpProblem p = QpProblem::with_variables(S.rows());
  p.P = 2.0 * S;
  p.lower.setConstant(lower);
  p.upper.setConstant(upper);
  p.A_eq = Eigen::MatrixXd::Ones(1, S.rows());
  p.b_eq = Eigen::VectorXd::Ones(1);
  return p;
}

void expect_accurate(const QpResult& r) {
  EXPECT_LT(r.primal_residual, 1e-12);
  EXPECT_LT(r.dual_residual, 1e-12);
  EXPECT_LT(r.complementarity, 1e-12);
}

TEST(QpSolver, TwoAssetMinimumVarianceMatchesClosedForm) {
  // w1 = (s2^2 - c) / (s1^2 + s2^2 - 2c) = 0.084 / 0.118; variance (s1^2 s2^2 - c^2) / 0.118.
  Eigen::MatrixXd S(2, 2);
  S << 0.04, 0.006, 0.006, 0.09;
  const QpResult r = solve_qp(min_variance(S, -kInf, kInf));
  ASSERT_EQ(r.status, QpStatus::Optimal) << r.message;
  EXPECT_NEAR(r.x(0), 0.084 / 0.118, 1e-15);
  EXPECT_NEAR(r.x(1), 0.034 / 0.118, 1e-15);
  EXPECT_NEAR(r.objective, 0.003564 / 0.118, 1e-16);
  // Stationarity 2Sw + y = 0: y = -2 * variance.
  EXPECT_NEAR(r.y_eq(0), -2.0 * 0.003564 / 0.118, 1e-15);
  expect_accurate(r);
}

TEST(QpSolver, TwoAssetMinimumVarianceStopsAtAnUpperBound) {
  // The unconstrained optimum puts 0.712 in asset 1; capped at 0.5 the budget forces (0.5, 0.5),
  // and the cap's multiplier is the gradient gap: 2(S w)_1 - 2(S w)_2 = 2(0.023 - 0.048).
  Eigen::MatrixXd S(2, 2);
  S << 0.04, 0.006, 0.006, 0.09;
  QpProblem p = min_variance(S, 0.0, 1.0);
  p.upper(0) = 0.5;
  const QpResult r = solve_qp(p);
  ASSERT_EQ(r.status, QpStatus::Optimal) << r.message;
  EXPECT_NEAR(r.x(0), 0.5, 1e-15);
  EXPECT_NEAR(r.x(1), 0.5, 1e-15);
  EXPECT_NEAR(r.z_bounds(0), 2.0 * (0.023 - 0.048), 1e-15);
  expect_accurate(r);
}

TEST(QpSolver, ThreeUncorrelatedAssetsWeighInverseToVariance) {
  // Diagonal S = diag(0.04, 0.09, 0.16): w_i proportional to 1/s_i^2 = (25, 100/9, 6.25),
  // that is (36, 16, 9) / 61.
  const Eigen::Vector3d variances(0.04, 0.09, 0.16);
  const Eigen::MatrixXd S = variances.asDiagonal();
  const QpResult r = solve_qp(min_variance(S, 0.0, 1.0));
  ASSERT_EQ(r.status, QpStatus::Optimal) << r.message;
  EXPECT_NEAR(r.x(0), 36.0 / 61.0, 1e-15);
  EXPECT_NEAR(r.x(1), 16.0 / 61.0, 1e-15);
  EXPECT_NEAR(r.x(2), 9.0 / 61.0, 1e-15);
  expect_accurate(r);
}

TEST(QpSolver, ProjectionOntoTheSimplexDropsTheNegativeCoordinate) {
  // min 1/2 |x - c|^2 over the simplex, c = (0.8, 0.6, -1): threshold 0.2 gives (0.6, 0.4, 0);
  // multipliers: y = 0.2 on the budget, z_3 = x_3 - c_3 + y = 1.2 on the lower bound.
  QpProblem p = QpProblem::with_variables(3);
  p.P = Eigen::MatrixXd::Identity(3, 3);
  p.q = -Eigen::Vector3d(0.8, 0.6, -1.0);
  p.lower.setZero();
  p.A_eq = Eigen::MatrixXd::Ones(1, 3);
  p.b_eq = Eigen::VectorXd::Ones(1);
  const QpResult r = solve_qp(p);
  ASSERT_EQ(r.status, QpStatus::Optimal) << r.message;
  EXPECT_NEAR(r.x(0), 0.6, 1e-15);
  EXPECT_NEAR(r.x(1), 0.4, 1e-15);
  EXPECT_EQ(r.x(2), 0.0);
  EXPECT_NEAR(r.y_eq(0), 0.2, 1e-15);
  EXPECT_NEAR(r.z_bounds(2), 1.2, 1e-15);
  expect_accurate(r);
}

TEST(QpSolver, ActiveInequalityGetsAPositiveMultiplier) {
  // min 1/2|x|^2 - x1 - x2 s.t. x1 + x2 <= 1: x = (0.5, 0.5), multiplier 0.5.
  QpProblem p = QpProblem::with_variables(2);
  p.P = Eigen::MatrixXd::Identity(2, 2);
  p.q = Eigen::Vector2d(-1.0, -1.0);
  p.A_in = Eigen::MatrixXd::Ones(1, 2);
  p.b_in = Eigen::VectorXd::Ones(1);
  const QpResult r = solve_qp(p);
  ASSERT_EQ(r.status, QpStatus::Optimal) << r.message;
  EXPECT_NEAR(r.x(0), 0.5, 1e-15);
  EXPECT_NEAR(r.x(1), 0.5, 1e-15);
  EXPECT_NEAR(r.y_in(0), 0.5, 1e-15);
  expect_accurate(r);
}

TEST(QpSolver, LinearProgramPicksTheBestVertex) {
  // max 2 x1 + 3 x2 + x3 over the simplex with x2 <= 0.25: x = (0.75, 0.25, 0).
  QpProblem p = QpProblem::with_variables(3);
  p.q = -Eigen::Vector3d(2.0, 3.0, 1.0);
  p.lower.setZero();
  p.upper(1) = 0.25;
  p.A_eq = Eigen::MatrixXd::Ones(1, 3);
  p.b_eq = Eigen::VectorXd::Ones(1);
  const QpResult r = solve_qp(p);
  ASSERT_EQ(r.status, QpStatus::Optimal) << r.message;
  EXPECT_NEAR(r.x(0), 0.75, 1e-15);
  EXPECT_NEAR(r.x(1), 0.25, 1e-15);
  EXPECT_EQ(r.x(2), 0.0);
  EXPECT_NEAR(r.objective, -2.25, 1e-15);
  expect_accurate(r);
}

TEST(QpSolver, ConflictingRowsAreReportedInfeasibleByName) {
  // x1 + x2 = 1 with x >= 0 cannot also have x1 + x2 <= 0.5.
  QpProblem p = QpProblem::with_variables(2);
  p.P = Eigen::MatrixXd::Identity(2, 2);
  p.lower.setZero();
  p.A_eq = Eigen::MatrixXd::Ones(1, 2);
  p.b_eq = Eigen::VectorXd::Ones(1);
  p.A_in = Eigen::MatrixXd::Ones(1, 2);
  p.b_in = Eigen::VectorXd::Constant(1, 0.5);
  p.eq_names = {"budget"};
  p.in_names = {"cap on the sum"};
  const QpResult r = solve_qp(p);
  EXPECT_EQ(r.status, QpStatus::Infeasible);
  EXPECT_NE(r.message.find("off by 0.5"), std::string::npos) << r.message;
  EXPECT_TRUE(r.message.find("budget") != std::string::npos ||
              r.message.find("cap on the sum") != std::string::npos)
      << r.message;
}

TEST(QpSolver, CrossedBoundsAreInfeasibleAndNamed) {
  QpProblem p = QpProblem::with_variables(2);
  p.lower(1) = 0.6;
  p.upper(1) = 0.4;
  p.variable_names = {"weight A", "weight B"};
  const QpResult r = solve_qp(p);
  EXPECT_EQ(r.status, QpStatus::Infeasible);
  EXPECT_EQ(r.message, "weight B: lower bound 0.6 is above upper bound 0.4");
}

TEST(QpSolver, LinearObjectiveWithoutBoundsIsUnbounded) {
  // max x1 + 2 x2 s.t. x1 + x2 = 1 with shorting unlimited: x2 -> +inf, x1 -> -inf.
  QpProblem p = QpProblem::with_variables(2);
  p.q = -Eigen::Vector2d(1.0, 2.0);
  p.A_eq = Eigen::MatrixXd::Ones(1, 2);
  p.b_eq = Eigen::VectorXd::Ones(1);
  p.variable_names = {"a", "b"};
  const QpResult r = solve_qp(p);
  EXPECT_EQ(r.status, QpStatus::Unbounded);
  EXPECT_NE(r.message.find("moving a, b"), std::string::npos) << r.message;
}

TEST(QpSolver, SemidefiniteQuadraticWithAFlatDirectionIsUnbounded) {
  // P = diag(1, 0): x1 settles at 0 while x2 descends forever.
  QpProblem p = QpProblem::with_variables(2);
  p.P(0, 0) = 1.0;
  p.q = Eigen::Vector2d(0.0, -1.0);
  p.lower(0) = -1.0;
  const QpResult r = solve_qp(p);
  EXPECT_EQ(r.status, QpStatus::Unbounded);
}

TEST(QpSolver, IndefiniteQuadraticIsReportedNotSolved) {
  // P = diag(1, -1) is not convex. From the start (-1, -1) the gradient frees x2, whose
  // curvature is -1: the solver must say so rather than return a saddle point.
  QpProblem p = QpProblem::with_variables(2);
  p.P(0, 0) = 1.0;
  p.P(1, 1) = -1.0;
  p.lower.setConstant(-1.0);
  p.upper.setConstant(1.0);
  p.q = Eigen::Vector2d(0.1, -1.5);
  const QpResult r = solve_qp(p);
  EXPECT_EQ(r.status, QpStatus::NumericalTrouble);
  EXPECT_EQ(r.message, "P is not positive semidefinite: the problem is not convex");
}

TEST(QpSolver, NonFiniteDataIsRejected) {
  QpProblem p = QpProblem::with_variables(2);
  p.q(0) = std::numeric_limits<double>::quiet_NaN();
  const QpResult r = solve_qp(p);
  EXPECT_EQ(r.status, QpStatus::NumericalTrouble);
  EXPECT_EQ(r.message, "the problem data contain NaN, infinite or overflowing values");
}

TEST(QpSolver, IterationLimitIsReportedNotHidden) {
  const Eigen::Vector3d variances(0.04, 0.09, 0.16);
  QpOptions options;
  options.max_iterations = 1;
  const QpResult r = solve_qp(min_variance(variances.asDiagonal(), 0.0, 1.0), options);
  EXPECT_EQ(r.status, QpStatus::IterationLimit);
  EXPECT_EQ(r.message, "no optimum after 1 iterations");
}

TEST(QpSolver, RedundantEqualityRowsAreHandled) {
  // The budget stated twice (once scaled): same answer as stated once.
  const Eigen::Vector3d variances(0.04, 0.09, 0.16);
  QpProblem p = min_variance(variances.asDiagonal(), 0.0, 1.0);
  p.A_eq = Eigen::MatrixXd::Ones(2, 3);
  p.A_eq.row(1) *= 2.0;
  p.b_eq = Eigen::Vector2d(1.0, 2.0);
  const QpResult r = solve_qp(p);
  ASSERT_EQ(r.status, QpStatus::Optimal) << r.message;
  EXPECT_NEAR(r.x(0), 36.0 / 61.0, 1e-15);
  EXPECT_NEAR(r.x(2), 9.0 / 61.0, 1e-15);
  EXPECT_LT(r.primal_residual, 1e-12);
  EXPECT_LT(r.dual_residual, 1e-12);
}

// A random convex problem with a known feasible point, so that it is feasible by construction,
// and finite bounds on every variable, so that it is bounded.
struct RandomProblem {
  QpProblem problem;
  Eigen::VectorXd feasible_point;
};

RandomProblem random_problem() {
  const int n = *rc::gen::inRange(2, 14);
  const int rank = *rc::gen::inRange(0, n + 1);
  const int inequalities = *rc::gen::inRange(0, 4);
  const auto uniform = [](double lo, double hi) {
    return lo + (hi - lo) * (*rc::gen::inRange(0, 1000001)) / 1e6;
  };
  RandomProblem out;
  QpProblem& p = out.problem;
  p = QpProblem::with_variables(n);
  Eigen::MatrixXd B(n, std::max(rank, 1));
  for (Eigen::Index i = 0; i < B.size(); ++i) B.data()[i] = uniform(-1.0, 1.0);
  if (rank == 0) B.setZero();
  p.P = B * B.transpose();
  for (int i = 0; i < n; ++i) p.q(i) = uniform(-1.0, 1.0);
  out.feasible_point.resize(n);
  for (int i = 0; i < n; ++i) {
    p.lower(i) = uniform(-1.0, 0.0);
    p.upper(i) = p.lower(i) + uniform(0.0, 1.5);
    out.feasible_point(i) = uniform(p.lower(i), p.upper(i));
  }
  p.A_eq = Eigen::MatrixXd::Ones(1, n);
  p.b_eq = p.A_eq * out.feasible_point;
  p.A_in.resize(inequalities, n);
  for (Eigen::Index i = 0; i < p.A_in.size(); ++i) p.A_in.data()[i] = uniform(-1.0, 1.0);
  p.b_in = p.A_in * out.feasible_point;
  for (int row = 0; row < inequalities; ++row) p.b_in(row) += uniform(0.0, 0.3);
  return out;
}

TEST(QpSolver, RandomConvexProblemsAreSolvedToKktAccuracy) {
  rc::detail::TestParams params;
  params.seed = 20261122;
  params.maxSuccess = 300;
  rc::detail::TestMetadata metadata;
  metadata.id = "random convex problems";
  const auto outcome = rc::detail::checkTestable(
      [] {
        const RandomProblem random = random_problem();
        const QpResult r = solve_qp(random.problem);
        RC_ASSERT(r.status == QpStatus::Optimal);
        RC_ASSERT(r.primal_residual < 1e-9);
        RC_ASSERT(r.dual_residual < 1e-9);
        RC_ASSERT(r.complementarity < 1e-9);
        RC_ASSERT((r.y_in.array() >= -1e-12).all());
        // No feasible point does better.
        const Eigen::VectorXd& f = random.feasible_point;
        const double at_feasible = 0.5 * f.dot(random.problem.P * f) + random.problem.q.dot(f);
        RC_ASSERT(r.objective <= at_feasible + 1e-12);
        // Same input, same bits.
        const QpResult again = solve_qp(random.problem);
        RC_ASSERT(again.x == r.x);
        // A warm start anywhere (here: outside the bounds, scaled) reaches the same optimum.
        QpOptions warm;
        warm.initial_point = 1.7 * random.feasible_point + Eigen::VectorXd::Constant(f.size(), 0.3);
        const QpResult restarted = solve_qp(random.problem, warm);
        RC_ASSERT(restarted.status == QpStatus::Optimal);
        RC_ASSERT(restarted.primal_residual < 1e-9);
        RC_ASSERT(restarted.dual_residual < 1e-9);
        RC_ASSERT(std::abs(restarted.objective - r.objective) <= 1e-10 * (1.0 + std::abs(r.objective)));
      },
      metadata, params);
  rc::detail::FailureResult failure;
  std::ostringstream why;
  if (outcome.match(failure)) rc::detail::printResultMessage(outcome, why);
  EXPECT_FALSE(outcome.match(failure)) << why.str();
  rc::detail::SuccessResult success;
  EXPECT_TRUE(outcome.match(success));
}

}  // namespace
}  // namespace tranche::optimize
