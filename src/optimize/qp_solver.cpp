#include "tranche/optimize/qp_solver.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <limits>

namespace tranche::optimize {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

enum class Bound : unsigned char { Free, Lower, Upper };

// P x touching only the columns where x is non-zero: portfolio iterates are mostly zeros, and
// this keeps the cost proportional to the number of holdings rather than to n^2.
Eigen::VectorXd times_sparse(const Eigen::MatrixXd& P, const Eigen::VectorXd& x) {
  Eigen::VectorXd out = Eigen::VectorXd::Zero(P.rows());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (x(i) != 0.0) out.noalias() += x(i) * P.col(i);
  }
  return out;
}

// The problem the active-set iteration works on: bounds plus general rows, the first
// `equalities` of which are equalities (always in the working set).
struct RowProblem {
  const Eigen::MatrixXd* P = nullptr;  // nullptr: P = 0 (a linear program)
  Eigen::VectorXd q;
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  Eigen::MatrixXd A;
  Eigen::VectorXd b;
  Eigen::Index equalities = 0;
};

// The solution of the equality-constrained subproblem on the working set:
//   minimise 1/2 d'P_FF d + g_F'd  subject to  A_WF d = r
// `newton` is false when the reduced Hessian is singular along a descent direction: then d
// is a ray of zero curvature and the step is limited only by the constraints.
struct Subproblem {
  Eigen::VectorXd d;
  Eigen::VectorXd lambda;  // multipliers of the working rows: g_F + P_FF d + A_WF' lambda = 0
  bool newton = true;
  bool indefinite = false;  // P has negative curvature on the working set: not convex
};

class ActiveSet {
 public:
  ActiveSet(const RowProblem& problem, Eigen::VectorXd x, std::vector<Bound> state, std::vector<char> working,
            const QpOptions& options)
      : problem_(problem), options_(options), x_(std::move(x)), state_(std::move(state)) {
    const Eigen::Index rows = problem_.A.rows();
    in_working_.assign(static_cast<std::size_t>(rows), 0);
    for (Eigen::Index row = 0; row < rows; ++row) {
      if (row < problem_.equalities || working[static_cast<std::size_t>(row)] != 0) add_row(row);
    }
    for (Eigen::Index i = 0; i < x_.size(); ++i) {
      if (state_[static_cast<std::size_t>(i)] == Bound::Free) free_.push_back(static_cast<int>(i));
    }
    hessian_scale_ = 0.0;
    if (problem_.P != nullptr && problem_.P->size() > 0)
      hessian_scale_ = problem_.P->diagonal().cwiseAbs().maxCoeff();
    refresh();
  }

  QpStatus run(int& iterations, std::string& message) {
    bool at_minimum = false;
    Subproblem last;
    while (true) {
      if (iterations >= options_.max_iterations) {
        message = fmt::format("no optimum after {} iterations", iterations);
        return QpStatus::IterationLimit;
      }
      ++iterations;
      if (!at_minimum) {
        last = solve_subproblem();
        if (last.indefinite) {
          message = "P is not positive semidefinite: the problem is not convex";
          return QpStatus::NumericalTrouble;
        }
        if (!last.d.allFinite() || !last.lambda.allFinite()) {
          message = "the working-set system became singular";
          return QpStatus::NumericalTrouble;
        }
        const double step_size = last.d.size() == 0 ? 0.0 : last.d.cwiseAbs().maxCoeff();
        const double x_size = 1.0 + (x_.size() == 0 ? 0.0 : x_.cwiseAbs().maxCoeff());
        // With as many working rows as free variables there is no room to move: the step
        // only corrects rounding in the rows. Apply it and look at the multipliers, rather
        // than let rounding noise block on a bound (which would make the rows dependent).
        const bool square = free_.size() <= working_.size();
        if (last.newton && square && step_size <= 1e-9 * x_size) take_step(last.d, 1.0);
        at_minimum = last.newton && (square ? step_size <= 1e-9 * x_size : step_size <= 1e-15 * x_size);
      }
      if (at_minimum) {
        if (!drop_worst(last.lambda)) return QpStatus::Optimal;
        at_minimum = false;
        continue;
      }
      const Blocking block = ratio_test(last.d);
      double alpha = block.alpha;
      if (last.newton) {
        alpha = std::min(1.0, block.alpha);
      } else if (!std::isfinite(block.alpha)) {
        unbounded_direction_ = Eigen::VectorXd::Zero(x_.size());
        for (std::size_t f = 0; f < free_.size(); ++f)
          unbounded_direction_(free_[f]) = last.d(static_cast<Eigen::Index>(f));
        message = "the objective decreases without bound along a feasible direction";
        return QpStatus::Unbounded;
      }
      take_step(last.d, alpha);
      if (block.index >= 0 && alpha >= block.alpha) {
        add_blocking(block);
      } else {
        at_minimum = last.newton;  // a full Newton step lands on the working-set minimum
      }
    }
  }

  // One last solve on the final working set, from fresh data, so that the equality rows and
  // stationarity hold to rounding rather than to accumulated drift. When the working set has a
  // unique minimiser, it is solved for from scratch (free variables from 0, rows in index
  // order), so the answer depends on the working set alone, not on the path that found it: a
  // constraint that never binds leaves the result unchanged to the bit. Otherwise (a face of
  // optima, or a from-scratch point far from the iterate) the iterate is corrected instead.
  // The multipliers returned follow working_rows() as it is after the call. `from_scratch`
  // false: correct the iterate only (phase 1, whose point phase 2 starts from).
  Eigen::VectorXd polish(bool from_scratch) {
    if (from_scratch) {
      std::sort(working_.begin(), working_.end());
      const Eigen::VectorXd iterate = x_;
      for (const int i : free_) x_(i) = 0.0;
      refresh();
      const Subproblem fresh = solve_subproblem();
      if (fresh.newton && fresh.d.allFinite()) {
        take_step(fresh.d, 1.0);
        const double scale = 1.0 + iterate.cwiseAbs().maxCoeff();
        if ((x_ - iterate).cwiseAbs().maxCoeff() <= 1e-9 * scale) {
          refresh();
          return fresh.lambda;
        }
      }
      x_ = iterate;
    }
    refresh();
    const Subproblem last = solve_subproblem();
    if (last.newton && last.d.allFinite()) take_step(last.d, 1.0);
    refresh();
    return last.lambda;
  }

  const Eigen::VectorXd& x() const { return x_; }
  const std::vector<Bound>& state() const { return state_; }
  const std::vector<int>& working_rows() const { return working_; }
  const std::vector<int>& free_variables() const { return free_; }
  const Eigen::VectorXd& unbounded_direction() const { return unbounded_direction_; }

 private:
  struct Blocking {
    double alpha = kInfinity;
    Eigen::Index index = -1;  // variable index, or row index when is_row
    bool is_row = false;
    Bound bound = Bound::Free;
  };

  void refresh() {
    g_ = problem_.q;
    if (problem_.P != nullptr) g_ += times_sparse(*problem_.P, x_);
    Ax_ = times_sparse(problem_.A, x_);
  }

  void add_row(Eigen::Index row) {
    in_working_[static_cast<std::size_t>(row)] = 1;
    working_.push_back(static_cast<int>(row));
  }

  Subproblem solve_subproblem() const {
    const Eigen::Index k = static_cast<Eigen::Index>(free_.size());
    const Eigen::Index m = static_cast<Eigen::Index>(working_.size());
    if (m > k) {  // dependent working rows: reported by the caller as numerical trouble
      Subproblem broken;
      broken.d = Eigen::VectorXd::Zero(k);
      broken.lambda = Eigen::VectorXd::Constant(m, std::numeric_limits<double>::quiet_NaN());
      return broken;
    }
    Eigen::MatrixXd A_wf(m, k);
    Eigen::VectorXd r(m);
    for (Eigen::Index w = 0; w < m; ++w) {
      const Eigen::Index row = working_[static_cast<std::size_t>(w)];
      for (Eigen::Index f = 0; f < k; ++f) A_wf(w, f) = problem_.A(row, free_[static_cast<std::size_t>(f)]);
      r(w) = problem_.b(row) - Ax_(row);
    }
    Eigen::VectorXd g_f(k);
    for (Eigen::Index f = 0; f < k; ++f) g_f(f) = g_(free_[static_cast<std::size_t>(f)]);
    Eigen::MatrixXd P_ff = Eigen::MatrixXd::Zero(k, k);
    if (problem_.P != nullptr) P_ff = (*problem_.P)(free_, free_);

    Subproblem out;
    if (k == 0) {
      out.d = Eigen::VectorXd(0);
      out.lambda = Eigen::VectorXd::Zero(m);
      return out;
    }
    // Range space: P_FF positive definite (the usual case for a covariance).
    if (hessian_scale_ > 0.0) {
      Eigen::LLT<Eigen::MatrixXd> llt(P_ff);
      const double floor = 1e-10 * P_ff.diagonal().cwiseAbs().maxCoeff();
      if (llt.info() == Eigen::Success && (llt.matrixLLT().diagonal().array().square() > floor).all()) {
        const auto L = llt.matrixL();
        const Eigen::VectorXd u = L.solve(g_f);
        if (m == 0) {
          out.d = -llt.matrixU().solve(u);
          out.lambda = Eigen::VectorXd(0);
          return out;
        }
        const Eigen::MatrixXd Y = L.solve(A_wf.transpose());
        const Eigen::MatrixXd S = Y.transpose() * Y;
        Eigen::LLT<Eigen::MatrixXd> s_llt(S);
        if (s_llt.info() == Eigen::Success) {
          out.lambda = s_llt.solve(-Y.transpose() * u - r);
          out.d = -llt.matrixU().solve(u + Y * out.lambda);
          return out;
        }
      }
    }
    // Null space: P_FF singular (a linear program, or a semidefinite P).
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(A_wf.transpose());
    const Eigen::MatrixXd Q = qr.householderQ() * Eigen::MatrixXd::Identity(k, k);
    const Eigen::MatrixXd R = qr.matrixQR().topLeftCorner(m, m).triangularView<Eigen::Upper>();
    const Eigen::MatrixXd Q1 = Q.leftCols(m);
    const Eigen::MatrixXd Z = Q.rightCols(k - m);
    Eigen::VectorXd d = Eigen::VectorXd::Zero(k);
    if (m > 0) d = Q1 * R.transpose().triangularView<Eigen::Lower>().solve(r);
    const Eigen::VectorXd g_shift = g_f + P_ff * d;
    if (k > m && problem_.P == nullptr) {
      // A linear program: every direction in the null space has zero curvature.
      const Eigen::VectorXd gz = Z.transpose() * g_shift;
      const double size = gz.cwiseAbs().maxCoeff();
      if (size > 1e-300 && size > 1e-14 * g_f.cwiseAbs().maxCoeff()) {
        out.newton = false;
        out.d = -(Z * gz);
        out.lambda = Eigen::VectorXd::Zero(m);
        return out;
      }
    } else if (k > m) {
      const Eigen::MatrixXd H = Z.transpose() * P_ff * Z;
      const Eigen::VectorXd gz = Z.transpose() * g_shift;
      Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(H);
      const double tolerance = 1e-11 * hessian_scale_;
      if (H.rows() > 0 && eig.eigenvalues()(0) < -1e-9 * hessian_scale_) {
        out.indefinite = true;
        return out;
      }
      Eigen::VectorXd ray = Eigen::VectorXd::Zero(k - m);
      Eigen::VectorXd newton = Eigen::VectorXd::Zero(k - m);
      for (Eigen::Index j = 0; j < H.rows(); ++j) {
        const Eigen::VectorXd v = eig.eigenvectors().col(j);
        const double along = v.dot(gz);
        if (eig.eigenvalues()(j) <= tolerance) {
          ray -= along * v;
        } else {
          newton -= (along / eig.eigenvalues()(j)) * v;
        }
      }
      const double gradient_size = gz.cwiseAbs().maxCoeff();
      if (ray.size() > 0 && ray.cwiseAbs().maxCoeff() > 1e-12 * gradient_size &&
          ray.cwiseAbs().maxCoeff() > 1e-300) {
        out.newton = false;
        out.d = Z * ray;
        out.lambda = Eigen::VectorXd::Zero(m);
        return out;
      }
      d += Z * newton;
    }
    out.d = d;
    out.lambda = Eigen::VectorXd::Zero(m);
    if (m > 0) {
      const Eigen::VectorXd rhs = -(Q1.transpose() * (g_f + P_ff * d));
      out.lambda = R.triangularView<Eigen::Upper>().solve(rhs);
    }
    return out;
  }

  // Drops the working constraint whose multiplier has the wrong sign by the largest margin.
  // Returns false when every sign is right: the current point is optimal.
  bool drop_worst(const Eigen::VectorXd& lambda) {
    const double scale = 1.0 + (g_.size() == 0 ? 0.0 : g_.cwiseAbs().maxCoeff());
    const double tolerance = options_.optimality_tolerance * scale;
    double worst = tolerance;
    Eigen::Index worst_variable = -1;
    Eigen::Index worst_row = -1;
    // Reduced costs of the variables held at a bound: g_i + a_W,i' lambda.
    Eigen::VectorXd reduced = g_;
    for (std::size_t w = 0; w < working_.size(); ++w) {
      reduced.noalias() += lambda(static_cast<Eigen::Index>(w)) * problem_.A.row(working_[w]).transpose();
    }
    for (Eigen::Index i = 0; i < x_.size(); ++i) {
      const Bound s = state_[static_cast<std::size_t>(i)];
      if (s == Bound::Free || problem_.lower(i) == problem_.upper(i)) continue;
      const double violation = s == Bound::Lower ? -reduced(i) : reduced(i);
      if (violation > worst) {
        worst = violation;
        worst_variable = i;
      }
    }
    for (std::size_t w = 0; w < working_.size(); ++w) {
      if (working_[w] < problem_.equalities) continue;
      const double violation = -lambda(static_cast<Eigen::Index>(w));
      if (violation > worst) {
        worst = violation;
        worst_variable = -1;
        worst_row = static_cast<Eigen::Index>(w);
      }
    }
    if (worst_variable >= 0) {
      state_[static_cast<std::size_t>(worst_variable)] = Bound::Free;
      free_.insert(std::lower_bound(free_.begin(), free_.end(), static_cast<int>(worst_variable)),
                   static_cast<int>(worst_variable));
      return true;
    }
    if (worst_row >= 0) {
      in_working_[static_cast<std::size_t>(working_[static_cast<std::size_t>(worst_row)])] = 0;
      working_.erase(working_.begin() + worst_row);
      return true;
    }
    return false;
  }

  Blocking ratio_test(const Eigen::VectorXd& d) const {
    Blocking block;
    if (d.size() == 0) return block;
    const double d_size = d.cwiseAbs().maxCoeff();
    for (std::size_t f = 0; f < free_.size(); ++f) {
      const Eigen::Index i = free_[f];
      const double di = d(static_cast<Eigen::Index>(f));
      if (std::abs(di) <= 1e-13 * d_size) continue;
      double alpha = kInfinity;
      Bound bound = Bound::Free;
      if (di < 0.0 && std::isfinite(problem_.lower(i))) {
        alpha = std::max(0.0, (problem_.lower(i) - x_(i)) / di);
        bound = Bound::Lower;
      } else if (di > 0.0 && std::isfinite(problem_.upper(i))) {
        alpha = std::max(0.0, (problem_.upper(i) - x_(i)) / di);
        bound = Bound::Upper;
      }
      if (alpha < block.alpha) block = Blocking{alpha, i, false, bound};
    }
    const Eigen::Index rows = problem_.A.rows();
    if (rows > problem_.equalities) {
      Eigen::VectorXd Ad = Eigen::VectorXd::Zero(rows);
      for (std::size_t f = 0; f < free_.size(); ++f)
        Ad.noalias() += d(static_cast<Eigen::Index>(f)) * problem_.A.col(free_[f]);
      for (Eigen::Index row = problem_.equalities; row < rows; ++row) {
        if (in_working_[static_cast<std::size_t>(row)] != 0) continue;
        const double row_size = problem_.A.row(row).cwiseAbs().maxCoeff();
        if (Ad(row) <= 1e-13 * d_size * row_size) continue;
        const double alpha = std::max(0.0, (problem_.b(row) - Ax_(row)) / Ad(row));
        if (alpha < block.alpha) block = Blocking{alpha, row, true, Bound::Free};
      }
    }
    return block;
  }

  void take_step(const Eigen::VectorXd& d, double alpha) {
    if (alpha == 0.0) return;
    for (std::size_t f = 0; f < free_.size(); ++f) {
      const Eigen::Index i = free_[f];
      const double step = alpha * d(static_cast<Eigen::Index>(f));
      x_(i) += step;
      if (problem_.P != nullptr) g_.noalias() += step * problem_.P->col(i);
      Ax_.noalias() += step * problem_.A.col(i);
    }
  }

  void add_blocking(const Blocking& block) {
    if (block.is_row) {
      add_row(block.index);
      return;
    }
    const Eigen::Index i = block.index;
    const double target = block.bound == Bound::Lower ? problem_.lower(i) : problem_.upper(i);
    const double shift = target - x_(i);
    x_(i) = target;
    if (problem_.P != nullptr) g_.noalias() += shift * problem_.P->col(i);
    Ax_.noalias() += shift * problem_.A.col(i);
    state_[static_cast<std::size_t>(i)] = block.bound;
    free_.erase(std::find(free_.begin(), free_.end(), static_cast<int>(i)));
  }

  const RowProblem& problem_;
  const QpOptions& options_;
  Eigen::VectorXd x_;
  Eigen::VectorXd g_;
  Eigen::VectorXd Ax_;
  std::vector<Bound> state_;
  std::vector<char> in_working_;
  std::vector<int> working_;
  std::vector<int> free_;
  double hessian_scale_ = 0.0;
  Eigen::VectorXd unbounded_direction_;
};

std::string name_of(const std::vector<std::string>& names, Eigen::Index index, const char* kind) {
  if (index < static_cast<Eigen::Index>(names.size()) && !names[static_cast<std::size_t>(index)].empty()) {
    return names[static_cast<std::size_t>(index)];
  }
  return fmt::format("{} {}", kind, index);
}

// A NaN or an infinity anywhere makes the (vectorised) sum non-finite; so would entries near
// the largest double, which are as unusable.
bool all_finite(const QpProblem& p) {
  const auto finite = [](const auto& m) { return std::isfinite(m.sum()); };
  const auto no_nan = [](const Eigen::VectorXd& v) { return !v.array().isNaN().any(); };
  return finite(p.P) && finite(p.q) && finite(p.A_eq) && finite(p.b_eq) && finite(p.A_in) && finite(p.b_in) &&
         no_nan(p.lower) && no_nan(p.upper);
}

}  // namespace

QpProblem QpProblem::with_variables(Eigen::Index n) {
  QpProblem p;
  p.P = Eigen::MatrixXd::Zero(n, n);
  p.q = Eigen::VectorXd::Zero(n);
  p.lower = Eigen::VectorXd::Constant(n, -kInfinity);
  p.upper = Eigen::VectorXd::Constant(n, kInfinity);
  p.A_eq = Eigen::MatrixXd(0, n);
  p.b_eq = Eigen::VectorXd(0);
  p.A_in = Eigen::MatrixXd(0, n);
  p.b_in = Eigen::VectorXd(0);
  return p;
}

const char* to_string(QpStatus status) {
  switch (status) {
    case QpStatus::Optimal:
      return "optimal";
    case QpStatus::Infeasible:
      return "infeasible";
    case QpStatus::Unbounded:
      return "unbounded";
    case QpStatus::IterationLimit:
      return "iteration limit";
    case QpStatus::NumericalTrouble:
      return "numerical trouble";
  }
  return "unknown";
}

void compute_residuals(const QpProblem& p, QpResult& result) {
  const Eigen::VectorXd& x = result.x;
  double primal = 0.0;
  double complementarity = 0.0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    primal = std::max({primal, p.lower(i) - x(i), x(i) - p.upper(i)});
    const double z = result.z_bounds(i);
    if (z > 0.0) complementarity = std::max(complementarity, z * std::abs(x(i) - p.lower(i)));
    if (z < 0.0) complementarity = std::max(complementarity, -z * std::abs(p.upper(i) - x(i)));
  }
  if (p.A_eq.rows() > 0) primal = std::max(primal, (p.A_eq * x - p.b_eq).cwiseAbs().maxCoeff());
  if (p.A_in.rows() > 0) {
    const Eigen::VectorXd slack = p.b_in - p.A_in * x;
    primal = std::max(primal, (-slack).maxCoeff());
    for (Eigen::Index row = 0; row < slack.size(); ++row) {
      complementarity = std::max(complementarity, std::abs(result.y_in(row) * slack(row)));
    }
  }
  Eigen::VectorXd stationarity = p.q - result.z_bounds;
  if (p.P.size() > 0) stationarity += times_sparse(p.P, x);
  if (p.A_eq.rows() > 0) stationarity.noalias() += p.A_eq.transpose() * result.y_eq;
  if (p.A_in.rows() > 0) stationarity.noalias() += p.A_in.transpose() * result.y_in;
  result.primal_residual = std::max(primal, 0.0);
  result.dual_residual = stationarity.size() == 0 ? 0.0 : stationarity.cwiseAbs().maxCoeff();
  result.complementarity = complementarity;
  result.objective = p.q.dot(x);
  if (p.P.size() > 0) result.objective += 0.5 * x.dot(times_sparse(p.P, x));
}

QpResult solve_qp(const QpProblem& problem, const QpOptions& options) {
  const Eigen::Index n = problem.variables();
  const Eigen::Index m_eq = problem.A_eq.rows();
  const Eigen::Index m_in = problem.A_in.rows();
  QpResult result;
  result.x = Eigen::VectorXd::Zero(n);
  result.y_eq = Eigen::VectorXd::Zero(m_eq);
  result.y_in = Eigen::VectorXd::Zero(m_in);
  result.z_bounds = Eigen::VectorXd::Zero(n);
  const bool linear = problem.P.size() == 0;
  if ((!linear && (problem.P.rows() != n || problem.P.cols() != n)) || problem.lower.size() != n ||
      problem.upper.size() != n || problem.A_eq.cols() != n || problem.b_eq.size() != m_eq ||
      problem.A_in.cols() != n || problem.b_in.size() != m_in) {
    result.status = QpStatus::NumericalTrouble;
    result.message = "the problem's matrices and vectors do not have matching sizes";
    return result;
  }
  if (!all_finite(problem)) {
    result.status = QpStatus::NumericalTrouble;
    result.message = "the problem data contain NaN, infinite or overflowing values";
    return result;
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (problem.lower(i) > problem.upper(i)) {
      result.status = QpStatus::Infeasible;
      result.message =
          fmt::format("{}: lower bound {} is above upper bound {}",
                      name_of(problem.variable_names, i, "variable"), problem.lower(i), problem.upper(i));
      return result;
    }
  }

  // Phase 1: find a feasible point. Variables start at a finite bound (0 when free), or at
  // the warm start clipped into the bounds (held where it sits on a bound, free elsewhere);
  // one artificial variable per equality row and per violated inequality row absorbs the
  // residual, and a linear program drives their sum to zero.
  Eigen::VectorXd x0(n);
  std::vector<Bound> state0(static_cast<std::size_t>(n));
  const bool warm = options.initial_point.size() == n && options.initial_point.allFinite();
  for (Eigen::Index i = 0; i < n; ++i) {
    if (warm) {
      x0(i) = std::clamp(options.initial_point(i), problem.lower(i), problem.upper(i));
      state0[static_cast<std::size_t>(i)] = x0(i) == problem.lower(i)   ? Bound::Lower
                                            : x0(i) == problem.upper(i) ? Bound::Upper
                                                                        : Bound::Free;
    } else if (std::isfinite(problem.lower(i))) {
      x0(i) = problem.lower(i);
      state0[static_cast<std::size_t>(i)] = Bound::Lower;
    } else if (std::isfinite(problem.upper(i))) {
      x0(i) = problem.upper(i);
      state0[static_cast<std::size_t>(i)] = Bound::Upper;
    } else {
      x0(i) = 0.0;
      state0[static_cast<std::size_t>(i)] = Bound::Free;
    }
  }
  const Eigen::VectorXd eq_residual = problem.b_eq - problem.A_eq * x0;
  const Eigen::VectorXd in_violation = problem.A_in * x0 - problem.b_in;
  std::vector<Eigen::Index> violated;
  for (Eigen::Index row = 0; row < m_in; ++row) {
    if (in_violation(row) > 0.0) violated.push_back(row);
  }
  const Eigen::Index artificials = m_eq + static_cast<Eigen::Index>(violated.size());
  const Eigen::Index n1 = n + artificials;
  RowProblem phase1;
  phase1.q = Eigen::VectorXd::Zero(n1);
  phase1.q.tail(artificials).setOnes();
  phase1.lower = Eigen::VectorXd::Zero(n1);
  phase1.upper = Eigen::VectorXd::Constant(n1, kInfinity);
  phase1.lower.head(n) = problem.lower;
  phase1.upper.head(n) = problem.upper;
  phase1.A = Eigen::MatrixXd::Zero(m_eq + m_in, n1);
  phase1.b.resize(m_eq + m_in);
  phase1.A.topLeftCorner(m_eq, n) = problem.A_eq;
  phase1.A.bottomLeftCorner(m_in, n) = problem.A_in;
  phase1.b << problem.b_eq, problem.b_in;
  phase1.equalities = m_eq;
  Eigen::VectorXd x1(n1);
  x1.head(n) = x0;
  std::vector<Bound> state1 = state0;
  state1.resize(static_cast<std::size_t>(n1), Bound::Free);
  for (Eigen::Index row = 0; row < m_eq; ++row) {
    phase1.A(row, n + row) = eq_residual(row) >= 0.0 ? 1.0 : -1.0;
    x1(n + row) = std::abs(eq_residual(row));
  }
  for (std::size_t v = 0; v < violated.size(); ++v) {
    const Eigen::Index column = n + m_eq + static_cast<Eigen::Index>(v);
    phase1.A(m_eq + violated[v], column) = -1.0;
    x1(column) = in_violation(violated[v]);
  }
  const double data_scale = 1.0 + std::max({problem.b_eq.size() ? problem.b_eq.cwiseAbs().maxCoeff() : 0.0,
                                            problem.b_in.size() ? problem.b_in.cwiseAbs().maxCoeff() : 0.0,
                                            x0.size() ? x0.cwiseAbs().maxCoeff() : 0.0});
  const double feasibility = options.feasibility_tolerance * data_scale;

  ActiveSet first(phase1, x1, state1, std::vector<char>(static_cast<std::size_t>(m_eq + m_in), 0), options);
  int iterations = 0;
  std::string message;
  QpStatus status = first.run(iterations, message);
  result.iterations = iterations;
  if (status != QpStatus::Optimal) {
    result.status = status == QpStatus::Unbounded ? QpStatus::NumericalTrouble : status;
    result.x = first.x().head(n);
    result.message = message;
    return result;
  }
  first.polish(false);
  {
    std::vector<std::string> unmet;
    for (Eigen::Index row = 0; row < m_eq; ++row) {
      if (first.x()(n + row) > feasibility) {
        unmet.push_back(fmt::format("{} (off by {:.6g})", name_of(problem.eq_names, row, "equality"),
                                    first.x()(n + row)));
      }
    }
    for (std::size_t v = 0; v < violated.size(); ++v) {
      const double excess = first.x()(n + m_eq + static_cast<Eigen::Index>(v));
      if (excess > feasibility) {
        unmet.push_back(
            fmt::format("{} (off by {:.6g})", name_of(problem.in_names, violated[v], "inequality"), excess));
      }
    }
    if (!unmet.empty()) {
      result.status = QpStatus::Infeasible;
      result.x = first.x().head(n);
      std::string joined;
      for (const auto& u : unmet) joined += (joined.empty() ? "" : ", ") + u;
      result.message = "no point satisfies all constraints together; closest point still misses: " + joined;
      return result;
    }
  }

  // Phase 2 from the feasible vertex. Artificial variables are dropped; an artificial still
  // free (degenerate) is swapped for a held variable so the working rows stay independent,
  // or its row is dropped from the working set when it is implied by the others.
  std::vector<Bound> state2(first.state().begin(), first.state().begin() + n);
  std::vector<char> working2(static_cast<std::size_t>(m_eq + m_in), 0);
  for (int row : first.working_rows()) working2[static_cast<std::size_t>(row)] = 1;
  Eigen::VectorXd x2 = first.x().head(n);
  const auto rank_of = [&](const std::vector<Bound>& s, const std::vector<char>& w) {
    std::vector<int> cols;
    std::vector<int> rows;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (s[static_cast<std::size_t>(i)] == Bound::Free) cols.push_back(static_cast<int>(i));
    }
    for (Eigen::Index row = 0; row < m_eq + m_in; ++row) {
      if (w[static_cast<std::size_t>(row)] != 0) rows.push_back(static_cast<int>(row));
    }
    if (rows.empty()) return std::pair<Eigen::Index, Eigen::Index>{0, 0};
    if (cols.empty()) return std::pair<Eigen::Index, Eigen::Index>{0, static_cast<Eigen::Index>(rows.size())};
    const Eigen::MatrixXd block = phase1.A(rows, cols);
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(block);
    qr.setThreshold(1e-10);
    return std::pair<Eigen::Index, Eigen::Index>{qr.rank(), static_cast<Eigen::Index>(rows.size())};
  };
  const bool degenerate = std::any_of(first.free_variables().begin(), first.free_variables().end(),
                                      [n](int i) { return i >= n; });
  if (degenerate) {
    for (Eigen::Index row = 0; row < m_eq + m_in; ++row) {
      if (working2[static_cast<std::size_t>(row)] == 0) continue;
      auto [rank, count] = rank_of(state2, working2);
      if (rank == count) break;
      bool repaired = false;
      for (Eigen::Index i = 0; i < n && !repaired; ++i) {
        if (state2[static_cast<std::size_t>(i)] == Bound::Free || problem.lower(i) == problem.upper(i))
          continue;
        if (phase1.A(row, i) == 0.0) continue;
        auto trial = state2;
        trial[static_cast<std::size_t>(i)] = Bound::Free;
        if (rank_of(trial, working2).first > rank) {
          state2 = trial;
          repaired = true;
        }
      }
      if (!repaired) working2[static_cast<std::size_t>(row)] = 0;
    }
  }
  // An equality row can leave the working set only as implied by the rest; keep them in
  // the row problem as inequalities of both signs so feasibility is still guarded.
  RowProblem phase2;
  phase2.P = linear ? nullptr : &problem.P;
  phase2.q = problem.q;
  phase2.lower = problem.lower;
  phase2.upper = problem.upper;
  std::vector<int> row_order;  // phase-2 row -> (problem row, sign)
  std::vector<double> row_sign;
  for (Eigen::Index row = 0; row < m_eq; ++row) {
    if (working2[static_cast<std::size_t>(row)] != 0) {
      row_order.push_back(static_cast<int>(row));
      row_sign.push_back(1.0);
    }
  }
  phase2.equalities = static_cast<Eigen::Index>(row_order.size());
  std::vector<char> working_in;
  for (Eigen::Index row = 0; row < m_eq; ++row) {
    if (working2[static_cast<std::size_t>(row)] == 0) {
      row_order.push_back(static_cast<int>(row));
      row_sign.push_back(1.0);
      row_order.push_back(static_cast<int>(row));
      row_sign.push_back(-1.0);
      working_in.push_back(0);
      working_in.push_back(0);
    }
  }
  for (Eigen::Index row = m_eq; row < m_eq + m_in; ++row) {
    row_order.push_back(static_cast<int>(row));
    row_sign.push_back(1.0);
    working_in.push_back(working2[static_cast<std::size_t>(row)]);
  }
  const Eigen::Index rows2 = static_cast<Eigen::Index>(row_order.size());
  phase2.A.resize(rows2, n);
  phase2.b.resize(rows2);
  for (Eigen::Index r = 0; r < rows2; ++r) {
    const double sign = row_sign[static_cast<std::size_t>(r)];
    const int source = row_order[static_cast<std::size_t>(r)];
    phase2.A.row(r) = sign * phase1.A.row(source).head(n);
    phase2.b(r) = sign * phase1.b(source);
  }
  std::vector<char> working_all(static_cast<std::size_t>(phase2.equalities), 1);
  working_all.insert(working_all.end(), working_in.begin(), working_in.end());

  ActiveSet second(phase2, x2, state2, working_all, options);
  status = second.run(iterations, message);
  result.iterations = iterations;
  result.x = second.x();
  if (status != QpStatus::Optimal) {
    result.status = status;
    result.message = message;
    if (status == QpStatus::Unbounded) {
      std::string moving;
      const Eigen::VectorXd& d = second.unbounded_direction();
      for (Eigen::Index i = 0; i < n && moving.size() < 200; ++i) {
        if (d(i) != 0.0)
          moving += (moving.empty() ? "" : ", ") + name_of(problem.variable_names, i, "variable");
      }
      result.message += " (moving " + moving + ")";
    }
    compute_residuals(problem, result);
    return result;
  }
  const Eigen::VectorXd lambda = second.polish(true);
  // Rounding can leave a free variable a few ulps outside its bounds (a long-only weight of
  // -1e-16): put it back, so bounds hold exactly; the residuals below are of this point.
  result.x = second.x().cwiseMax(problem.lower).cwiseMin(problem.upper);
  // Multipliers back in the problem's own rows.
  const auto& working = second.working_rows();
  for (std::size_t w = 0; w < working.size(); ++w) {
    const int r = working[w];
    const int source = row_order[static_cast<std::size_t>(r)];
    const double value = row_sign[static_cast<std::size_t>(r)] * lambda(static_cast<Eigen::Index>(w));
    if (source < m_eq) {
      result.y_eq(source) += value;
    } else {
      result.y_in(source - m_eq) = value;
    }
  }
  Eigen::VectorXd reduced = problem.q;
  if (!linear) reduced += times_sparse(problem.P, result.x);
  if (m_eq > 0) reduced.noalias() += problem.A_eq.transpose() * result.y_eq;
  if (m_in > 0) reduced.noalias() += problem.A_in.transpose() * result.y_in;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (second.state()[static_cast<std::size_t>(i)] != Bound::Free) result.z_bounds(i) = reduced(i);
  }
  compute_residuals(problem, result);
  result.status = QpStatus::Optimal;
  // For a positive semidefinite P the largest entry is on the diagonal.
  const double gradient_scale = 1.0 + (n > 0 ? problem.q.cwiseAbs().maxCoeff() : 0.0) +
                                (linear ? 0.0 : problem.P.diagonal().cwiseAbs().maxCoeff());
  if (result.primal_residual > feasibility || result.dual_residual > 1e-9 * gradient_scale) {
    result.status = QpStatus::NumericalTrouble;
    result.message = fmt::format("final residuals too large: primal {:.3g}, dual {:.3g}",
                                 result.primal_residual, result.dual_residual);
  }
  return result;
}

}  // namespace tranche::optimize
