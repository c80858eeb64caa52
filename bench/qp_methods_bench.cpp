// The measurement behind the choice of QP method (docs/benchmarks.md): the active-set solver
// against an OSQP-style ADMM with a polish step, written here only for the comparison, on the
// same dense long-only problems: minimum variance and efficient return (target 0.20) over
// factor-model covariances of 20 to 1000 assets. Counters report each method's objective gap
// to the active-set optimum and its worst KKT residual, so speed is compared at known accuracy.

#include <benchmark/benchmark.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>
#include <limits>
#include <map>
#include <random>

#include "tranche/optimize/expected_returns.hpp"
#include "tranche/optimize/qp_solver.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace {

using tranche::optimize::QpProblem;

struct Data {
  Eigen::VectorXd mu;
  Eigen::MatrixXd covariance;
};

// Same factor model as optimize_bench.cpp, smaller code: 5 factors, 2520 days.
const Data& data(int n) {
  static std::map<int, Data> cache;
  if (auto found = cache.find(n); found != cache.end()) return found->second;
  std::mt19937_64 rng(20240607u + static_cast<unsigned>(n));
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const int days = 2520;
  Eigen::MatrixXd factors(days, 5);
  const double vol[5] = {0.01, 0.006, 0.005, 0.004, 0.003};
  for (int t = 0; t < days; ++t) {
    for (int f = 0; f < 5; ++f) factors(t, f) = (f == 0 ? 0.0004 : 0.0) + vol[f] * normal(rng);
  }
  Eigen::MatrixXd betas(5, n);
  for (int i = 0; i < n; ++i) {
    betas(0, i) = 0.5 + uniform(rng);
    for (int f = 1; f < 5; ++f) betas(f, i) = 0.6 * normal(rng);
  }
  Eigen::MatrixXd returns = factors * betas;
  for (int i = 0; i < n; ++i) {
    const double alpha = 0.0002 + 0.0002 * normal(rng);
    const double idio = 0.008 + 0.017 * uniform(rng);
    for (int t = 0; t < days; ++t) returns(t, i) += alpha + idio * normal(rng);
  }
  Data d{tranche::optimize::mean_historical_return(returns), tranche::optimize::sample_cov(returns).matrix};
  return cache.emplace(n, std::move(d)).first->second;
}

QpProblem portfolio_problem(const Data& d, bool target_return) {
  const Eigen::Index n = d.mu.size();
  QpProblem p = QpProblem::with_variables(n);
  p.P = 2.0 * d.covariance;
  p.lower.setZero();
  p.upper.setOnes();
  p.A_eq = Eigen::MatrixXd::Ones(1, n);
  p.b_eq = Eigen::VectorXd::Ones(1);
  if (target_return) {
    p.A_in = -d.mu.transpose();
    p.b_in = Eigen::VectorXd::Constant(1, -0.2);
  }
  return p;
}

// OSQP's iteration (Stellato et al. 2020) on l <= Cx <= u with C = [I; A] (A = [A_eq; A_in],
// the identity applied implicitly): one dense Cholesky of P + sigma I + C'RC (R = rho, 1e3 rho on
// equality rows), over-relaxation 1.6, stopping at residuals 1e-7, then a polish: the KKT system
// on the rows the multipliers mark active.
Eigen::VectorXd admm(const QpProblem& p, int& iterations) {
  const Eigen::Index n = p.q.size();
  const Eigen::Index rows = p.A_eq.rows() + p.A_in.rows();
  const Eigen::Index m = n + rows;
  Eigen::MatrixXd A(rows, n);
  A << p.A_eq, p.A_in;
  const auto times_C = [&](const Eigen::VectorXd& v) {
    Eigen::VectorXd out(m);
    out << v, A * v;
    return out;
  };
  const auto times_C_transpose = [&](const Eigen::VectorXd& w) -> Eigen::VectorXd {
    return w.head(n) + A.transpose() * w.tail(rows);
  };
  Eigen::VectorXd l(m);
  Eigen::VectorXd u(m);
  l << p.lower, p.b_eq, Eigen::VectorXd::Constant(p.A_in.rows(), -std::numeric_limits<double>::infinity());
  u << p.upper, p.b_eq, p.b_in;
  const double rho = 0.1;
  const double sigma = 1e-6;
  const double alpha = 1.6;
  Eigen::VectorXd R = Eigen::VectorXd::Constant(m, rho);
  R.segment(n, p.A_eq.rows()).setConstant(1e3 * rho);
  Eigen::MatrixXd K = p.P + A.transpose() * R.tail(rows).asDiagonal() * A;
  K.diagonal().array() += sigma + rho;
  const Eigen::LLT<Eigen::MatrixXd> factor(K);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd z = Eigen::VectorXd::Zero(m);
  Eigen::VectorXd y = Eigen::VectorXd::Zero(m);
  for (iterations = 1; iterations <= 20000; ++iterations) {
    const Eigen::VectorXd x_tilde = factor.solve(sigma * x - p.q + times_C_transpose(R.cwiseProduct(z) - y));
    const Eigen::VectorXd z_tilde = times_C(x_tilde);
    x = alpha * x_tilde + (1.0 - alpha) * x;
    const Eigen::VectorXd z_relaxed = alpha * z_tilde + (1.0 - alpha) * z;
    const Eigen::VectorXd z_next = (z_relaxed + y.cwiseQuotient(R)).cwiseMax(l).cwiseMin(u);
    y += R.cwiseProduct(z_relaxed - z_next);
    z = z_next;
    if (iterations % 10 == 0) {
      const double primal = (times_C(x) - z).cwiseAbs().maxCoeff();
      const double dual = (p.P * x + p.q + times_C_transpose(y)).cwiseAbs().maxCoeff();
      if (primal < 1e-7 && dual < 1e-7) break;
    }
  }
  // Polish on the active rows.
  std::vector<int> active;
  for (Eigen::Index i = 0; i < m; ++i) {
    if (l(i) == u(i) || (y(i) < 0.0 && z(i) - l(i) < -y(i)) || (y(i) > 0.0 && u(i) - z(i) < y(i))) {
      active.push_back(static_cast<int>(i));
    }
  }
  const Eigen::Index k = static_cast<Eigen::Index>(active.size());
  Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(n + k, n + k);
  Eigen::VectorXd rhs(n + k);
  kkt.topLeftCorner(n, n) = p.P;
  rhs.head(n) = -p.q;
  for (Eigen::Index a = 0; a < k; ++a) {
    const int row = active[static_cast<std::size_t>(a)];
    Eigen::RowVectorXd c = Eigen::RowVectorXd::Zero(n);
    if (row < n) {
      c(row) = 1.0;
    } else {
      c = A.row(row - n);
    }
    kkt.block(n + a, 0, 1, n) = c;
    kkt.block(0, n + a, n, 1) = c.transpose();
    rhs(n + a) = y(row) < 0.0 ? l(row) : u(row);
  }
  const Eigen::VectorXd solution = kkt.partialPivLu().solve(rhs);
  return solution.head(n);
}

double objective(const QpProblem& p, const Eigen::VectorXd& x) { return 0.5 * x.dot(p.P * x) + p.q.dot(x); }

void active_set(benchmark::State& state, bool target_return) {
  const QpProblem p = portfolio_problem(data(static_cast<int>(state.range(0))), target_return);
  tranche::optimize::QpResult r;
  for (auto _ : state) {
    r = tranche::optimize::solve_qp(p);
    benchmark::DoNotOptimize(r.x.data());
  }
  state.counters["iterations"] = r.iterations;
  state.counters["kkt_residual"] = std::max(r.primal_residual, r.dual_residual);
}

void admm_polish(benchmark::State& state, bool target_return) {
  const QpProblem p = portfolio_problem(data(static_cast<int>(state.range(0))), target_return);
  Eigen::VectorXd x;
  int iterations = 0;
  for (auto _ : state) {
    x = admm(p, iterations);
    benchmark::DoNotOptimize(x.data());
  }
  const tranche::optimize::QpResult exact = tranche::optimize::solve_qp(p);
  state.counters["iterations"] = iterations;
  state.counters["objective_gap"] = (objective(p, x) - exact.objective) / std::abs(exact.objective);
  double infeasibility = std::max((p.A_eq * x - p.b_eq).cwiseAbs().maxCoeff(), -x.minCoeff());
  if (p.A_in.rows() > 0) infeasibility = std::max(infeasibility, (p.A_in * x - p.b_in).maxCoeff());
  state.counters["infeasibility"] = infeasibility;
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : {20, 100, 500, 1000}) b->Arg(n);
  b->Unit(benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(active_set, min_variance, false)->Apply(sizes);
BENCHMARK_CAPTURE(admm_polish, min_variance, false)->Apply(sizes);
BENCHMARK_CAPTURE(active_set, efficient_return, true)->Apply(sizes);
BENCHMARK_CAPTURE(admm_polish, efficient_return, true)->Apply(sizes);

}  // namespace
