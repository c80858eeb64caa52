#include "tranche/optimize/efficient_frontier.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "tranche/core/error.hpp"

namespace tranche::optimize {

namespace {

std::string bound_text(double value) { return std::isfinite(value) ? fmt::format("{:.6g}", value) : "none"; }

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorKind::InvalidArgument, message); }
[[noreturn]] void infeasible(const std::string& message) { throw Error(ErrorKind::Infeasible, message); }

}  // namespace

Performance portfolio_performance(const Eigen::VectorXd& weights, const Eigen::VectorXd& expected_returns,
                                  const Eigen::MatrixXd& covariance, double risk_free_rate) {
  if (weights.size() != expected_returns.size() || covariance.rows() != weights.size() ||
      covariance.cols() != weights.size()) {
    invalid("portfolio performance: weights, expected returns and covariance differ in size");
  }
  if (!std::isfinite(risk_free_rate))
    invalid(fmt::format("risk-free rate must be finite, got {}", risk_free_rate));
  Performance out;
  out.expected_return = weights.dot(expected_returns);
  out.volatility = std::sqrt(weights.dot(covariance * weights));
  out.sharpe = (out.expected_return - risk_free_rate) / out.volatility;
  return out;
}

Eigen::VectorXd clean_weights(const Eigen::VectorXd& weights, double cutoff, int decimals) {
  const double scale = std::pow(10.0, decimals);
  Eigen::VectorXd out(weights.size());
  for (Eigen::Index i = 0; i < weights.size(); ++i) {
    const double w = std::abs(weights(i)) < cutoff ? 0.0 : weights(i);
    // numpy.round: round half to even on the scaled value (the default rounding mode), + 0.0
    // turns -0 into 0.
    out(i) = std::nearbyint(w * scale) / scale + 0.0;
  }
  return out;
}

void EfficientFrontier::Rows::add(const Eigen::RowVectorXd& a, double rhs, std::string name) {
  A.conservativeResize(A.rows() + 1, a.size());
  A.row(A.rows() - 1) = a;
  b.conservativeResize(b.size() + 1);
  b(b.size() - 1) = rhs;
  names.push_back(std::move(name));
}

EfficientFrontier::EfficientFrontier(std::vector<std::string> symbols, Eigen::VectorXd expected_returns,
                                     Eigen::MatrixXd covariance, PortfolioConstraints constraints)
    : symbols_(std::move(symbols)),
      mu_(std::move(expected_returns)),
      sigma_(std::move(covariance)),
      constraints_(std::move(constraints)) {
  const Eigen::Index n = static_cast<Eigen::Index>(symbols_.size());
  if (n == 0) invalid("the efficient frontier needs at least one asset");
  if (mu_.size() != n) invalid(fmt::format("{} expected returns for {} assets", mu_.size(), n));
  if (sigma_.rows() != n || sigma_.cols() != n) {
    invalid(fmt::format("covariance is {}x{} for {} assets", sigma_.rows(), sigma_.cols(), n));
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(mu_(i))) invalid(fmt::format("expected return of {} is not finite", symbols_[i]));
  }
  if (!sigma_.allFinite()) invalid("the covariance matrix has non-finite entries");
  std::map<std::string, Eigen::Index> index;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!index.emplace(symbols_[i], i).second) invalid(fmt::format("symbol {} appears twice", symbols_[i]));
  }
  if (!std::isfinite(constraints_.gamma) || constraints_.gamma < 0.0) {
    invalid(fmt::format("L2 regularisation gamma must be finite and >= 0, got {}", constraints_.gamma));
  }
  if (!std::isfinite(constraints_.transaction_cost) || constraints_.transaction_cost < 0.0) {
    invalid(fmt::format("transaction cost must be finite and >= 0, got {}", constraints_.transaction_cost));
  }
  if (constraints_.current_weights &&
      (constraints_.current_weights->size() != n || !constraints_.current_weights->allFinite())) {
    invalid(fmt::format("current weights: expected {} finite values", n));
  }

  // Bounds.
  const auto& bounds = constraints_.bounds;
  if (!bounds.empty() && bounds.size() != 1 && static_cast<Eigen::Index>(bounds.size()) != n) {
    invalid(fmt::format("weight bounds: give one pair or one per asset ({}), got {}", n, bounds.size()));
  }
  lower_.resize(n);
  upper_.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const WeightBounds b = bounds.empty() ? WeightBounds{} : bounds.size() == 1 ? bounds[0] : bounds[i];
    if (std::isnan(b.lower) || std::isnan(b.upper))
      invalid(fmt::format("weight bounds of {} are not numbers", symbols_[i]));
    if (b.lower > b.upper) {
      infeasible(fmt::format("weight bounds of {} conflict: lower {} is above upper {}", symbols_[i],
                             bound_text(b.lower), bound_text(b.upper)));
    }
    lower_(i) = b.lower;
    upper_(i) = b.upper;
  }
  const double budget = constraints_.market_neutral ? 0.0 : 1.0;
  const double lower_sum = lower_.sum();
  const double upper_sum = upper_.sum();
  if (lower_sum > budget + 1e-12) {
    infeasible(
        fmt::format("weight bounds conflict with the budget: the lower bounds sum to {:.6g}, above the "
                    "required total weight {}",
                    lower_sum, budget));
  }
  if (upper_sum < budget - 1e-12) {
    infeasible(
        fmt::format("weight bounds conflict with the budget: the upper bounds sum to {:.6g}, below the "
                    "required total weight {}",
                    upper_sum, budget));
  }
  equalities_.A.resize(0, n);
  inequalities_.A.resize(0, n);
  equalities_.add(Eigen::RowVectorXd::Ones(n), budget, fmt::format("budget (weights sum to {})", budget));

  // Sector limits.
  for (const auto& [symbol, sector] : constraints_.sector_of) {
    if (index.find(symbol) == index.end()) invalid(fmt::format("sector map names unknown symbol {}", symbol));
  }
  std::set<std::string> limited;
  for (const SectorLimit& limit : constraints_.sector_limits) {
    if (!limited.insert(limit.sector).second) invalid(fmt::format("sector {} has two limits", limit.sector));
    if (std::isnan(limit.lower) || std::isnan(limit.upper))
      invalid(fmt::format("sector {} limits are not numbers", limit.sector));
    Eigen::RowVectorXd member = Eigen::RowVectorXd::Zero(n);
    for (const auto& [symbol, sector] : constraints_.sector_of) {
      if (sector == limit.sector) member(index[symbol]) = 1.0;
    }
    if (member.sum() == 0.0)
      invalid(fmt::format("sector {} has a limit but no symbol in the sector map", limit.sector));
    if (limit.lower > limit.upper) {
      infeasible(fmt::format("sector {} limits conflict: lower {} is above upper {}", limit.sector,
                             bound_text(limit.lower), bound_text(limit.upper)));
    }
    const double most = member.dot(upper_);
    const double least = member.dot(lower_);
    if (limit.lower > most + 1e-12) {
      infeasible(
          fmt::format("sector {} lower limit {:.6g} is above {:.6g}, the sum of its assets' upper bounds",
                      limit.sector, limit.lower, most));
    }
    if (limit.upper < least - 1e-12) {
      infeasible(
          fmt::format("sector {} upper limit {:.6g} is below {:.6g}, the sum of its assets' lower bounds",
                      limit.sector, limit.upper, least));
    }
    if (std::isfinite(limit.upper)) {
      inequalities_.add(member, limit.upper,
                        fmt::format("sector {} upper limit {:.6g}", limit.sector, limit.upper));
    }
    if (std::isfinite(limit.lower)) {
      inequalities_.add(-member, -limit.lower,
                        fmt::format("sector {} lower limit {:.6g}", limit.sector, limit.lower));
    }
  }

  // Extra linear constraints.
  for (std::size_t c = 0; c < constraints_.linear.size(); ++c) {
    const LinearConstraint& constraint = constraints_.linear[c];
    const std::string label =
        constraint.label.empty() ? fmt::format("linear constraint {}", c + 1) : constraint.label;
    if (!std::isfinite(constraint.rhs)) invalid(fmt::format("{}: right-hand side must be finite", label));
    Eigen::RowVectorXd a = Eigen::RowVectorXd::Zero(n);
    for (const auto& [symbol, coefficient] : constraint.coefficients) {
      const auto found = index.find(symbol);
      if (found == index.end()) invalid(fmt::format("{} names unknown symbol {}", label, symbol));
      if (!std::isfinite(coefficient))
        invalid(fmt::format("{}: coefficient of {} must be finite", label, symbol));
      a(found->second) = coefficient;
    }
    switch (constraint.relation) {
      case Relation::LessEqual:
        inequalities_.add(a, constraint.rhs, label);
        break;
      case Relation::GreaterEqual:
        inequalities_.add(-a, -constraint.rhs, label);
        break;
      case Relation::Equal:
        equalities_.add(a, constraint.rhs, label);
        break;
    }
  }
}

std::vector<std::string> EfficientFrontier::weight_names() const {
  std::vector<std::string> names;
  names.reserve(symbols_.size());
  for (const auto& symbol : symbols_) names.push_back("weight " + symbol);
  return names;
}

QpProblem EfficientFrontier::weight_problem(double risk, double gamma_weight,
                                            const Eigen::VectorXd& linear) const {
  const Eigen::Index n = mu_.size();
  const bool costs = constraints_.current_weights && constraints_.transaction_cost > 0.0;
  const Eigen::Index variables = costs ? 3 * n : n;
  QpProblem p = QpProblem::with_variables(0);
  p.q = Eigen::VectorXd::Zero(variables);
  p.lower = Eigen::VectorXd::Constant(variables, -kNoBound);
  p.upper = Eigen::VectorXd::Constant(variables, kNoBound);
  if (risk != 0.0 || gamma_weight != 0.0) {  // else a linear program: P stays empty
    p.P = Eigen::MatrixXd::Zero(variables, variables);
    p.P.topLeftCorner(n, n) = 2.0 * risk * sigma_;
    p.P.topLeftCorner(n, n).diagonal().array() += 2.0 * gamma_weight;
  }
  p.q.head(n) = linear;
  p.lower.head(n) = lower_;
  p.upper.head(n) = upper_;
  p.variable_names = weight_names();
  p.A_eq = Eigen::MatrixXd::Zero(equalities_.A.rows() + (costs ? n : 0), variables);
  p.A_eq.topLeftCorner(equalities_.A.rows(), n) = equalities_.A;
  p.b_eq = Eigen::VectorXd::Zero(p.A_eq.rows());
  p.b_eq.head(equalities_.b.size()) = equalities_.b;
  p.eq_names = equalities_.names;
  p.A_in = Eigen::MatrixXd::Zero(inequalities_.A.rows(), variables);
  p.A_in.leftCols(n) = inequalities_.A;
  p.b_in = inequalities_.b;
  p.in_names = inequalities_.names;
  if (costs) {
    // w - buy + sell = current, buy, sell >= 0, cost * (buy + sell) in the objective.
    const Eigen::Index m = equalities_.A.rows();
    for (Eigen::Index i = 0; i < n; ++i) {
      p.A_eq(m + i, i) = 1.0;
      p.A_eq(m + i, n + i) = -1.0;
      p.A_eq(m + i, 2 * n + i) = 1.0;
      p.b_eq(m + i) = (*constraints_.current_weights)(i);
      p.eq_names.push_back("trade " + symbols_[i]);
      p.variable_names.push_back("buy " + symbols_[i]);
    }
    for (Eigen::Index i = 0; i < n; ++i) p.variable_names.push_back("sell " + symbols_[i]);
    p.lower.tail(2 * n).setZero();
    p.q.tail(2 * n).setConstant(constraints_.transaction_cost);
  }
  return p;
}

OptimizedPortfolio EfficientFrontier::solve_weights(const QpProblem& problem, const char* objective,
                                                    const Eigen::VectorXd& warm_start) const {
  OptimizedPortfolio out;
  QpOptions options;
  options.initial_point = warm_start;
  out.report = solve_qp(problem, options);
  if (out.report.status == QpStatus::Infeasible) {
    infeasible(fmt::format("{}: the constraints cannot all hold: {}", objective, out.report.message));
  }
  if (out.report.status == QpStatus::Unbounded) {
    invalid(fmt::format("{}: the objective is unbounded ({}); give finite weight bounds", objective,
                        out.report.message));
  }
  if (out.report.status != QpStatus::Optimal) {
    throw Error(ErrorKind::InvalidArgument,
                fmt::format("{}: the solver stopped with status '{}': {}", objective,
                            to_string(out.report.status), out.report.message));
  }
  out.weights = out.report.x.head(mu_.size());
  return out;
}

OptimizedPortfolio EfficientFrontier::min_volatility() const {
  return solve_weights(weight_problem(1.0, constraints_.gamma, Eigen::VectorXd::Zero(mu_.size())),
                       "min volatility");
}

OptimizedPortfolio EfficientFrontier::max_quadratic_utility(double risk_aversion) const {
  if (!std::isfinite(risk_aversion) || risk_aversion <= 0.0) {
    invalid(fmt::format("risk aversion must be a positive number, got {}", risk_aversion));
  }
  return solve_weights(weight_problem(0.5 * risk_aversion, constraints_.gamma, -mu_),
                       "max quadratic utility");
}

OptimizedPortfolio EfficientFrontier::max_return() const {
  return solve_weights(weight_problem(0.0, constraints_.gamma, -mu_), "max return");
}

double EfficientFrontier::max_achievable_return() const {
  QpProblem p = weight_problem(0.0, 0.0, -mu_);
  p.q.tail(p.q.size() - mu_.size()).setZero();  // costs do not limit what is achievable
  const QpResult r = solve_qp(p);
  if (r.status == QpStatus::Unbounded) return kNoBound;
  if (r.status == QpStatus::Infeasible) infeasible("the constraints cannot all hold: " + r.message);
  if (r.status != QpStatus::Optimal) {
    invalid(fmt::format("finding the highest achievable return: solver status '{}': {}", to_string(r.status),
                        r.message));
  }
  return mu_.dot(r.x.head(mu_.size()));
}

OptimizedPortfolio EfficientFrontier::efficient_return(double target_return) const {
  if (!std::isfinite(target_return))
    invalid(fmt::format("target return must be finite, got {}", target_return));
  return efficient_return_below(target_return, max_achievable_return(), Eigen::VectorXd());
}

OptimizedPortfolio EfficientFrontier::efficient_return_below(double target_return, double best,
                                                             const Eigen::VectorXd& warm_start) const {
  if (target_return > best + 1e-12 * (1.0 + std::abs(best))) {
    infeasible(
        fmt::format("target return {:.6g} is above {:.6g}, the highest expected return any admissible "
                    "portfolio reaches",
                    target_return, best));
  }
  QpProblem p = weight_problem(1.0, constraints_.gamma, Eigen::VectorXd::Zero(mu_.size()));
  const Eigen::Index rows = p.A_in.rows();
  p.A_in.conservativeResize(rows + 1, Eigen::NoChange);
  p.A_in.row(rows).setZero();
  p.A_in.row(rows).head(mu_.size()) = -mu_.transpose();
  p.b_in.conservativeResize(rows + 1);
  p.b_in(rows) = -target_return;
  p.in_names.push_back(fmt::format("target return {:.6g}", target_return));
  return solve_weights(p, "efficient return", warm_start);
}

OptimizedPortfolio EfficientFrontier::efficient_risk(double target_volatility) const {
  if (!std::isfinite(target_volatility) || target_volatility <= 0.0) {
    invalid(fmt::format("target volatility must be a positive number, got {}", target_volatility));
  }
  // The solutions of min w'Sw + t (gamma |w|^2 + costs - mu'w) trace the frontier from the
  // minimum-volatility portfolio (t = 0) towards the maximum return one (t -> inf), with
  // volatility rising in t: find the t whose volatility is the target.
  const Eigen::Index n = mu_.size();
  int solves = 0;
  Eigen::VectorXd previous;  // each solve starts from the last one's solution
  // One problem, updated in place for each t: only P's diagonal and q change.
  QpProblem p = weight_problem(1.0, 0.0, Eigen::VectorXd::Zero(n));
  const Eigen::VectorXd risk_diagonal = p.P.diagonal();
  const Eigen::VectorXd cost_q = p.q.tail(p.q.size() - n);
  const auto solve_at = [&](double t) {
    p.P.diagonal() = risk_diagonal.array() + 2.0 * t * constraints_.gamma;
    p.q.head(n) = -t * mu_;
    p.q.tail(cost_q.size()) = t * cost_q;
    ++solves;
    OptimizedPortfolio out = solve_weights(p, "efficient risk", previous);
    previous = out.report.x;
    return out;
  };
  const auto excess = [&](const OptimizedPortfolio& portfolio) {
    // w'Sw over the held assets only.
    double variance = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (portfolio.weights(i) != 0.0)
        variance += portfolio.weights(i) * sigma_.col(i).dot(portfolio.weights);
    }
    return std::sqrt(variance) - target_volatility;
  };
  OptimizedPortfolio low = solve_at(0.0);
  double f_low = excess(low);
  const double tolerance = 1e-13 * target_volatility;
  if (f_low > tolerance) {
    infeasible(
        fmt::format("target volatility {:.6g} is below {:.6g}, the minimum volatility any admissible "
                    "portfolio reaches",
                    target_volatility, f_low + target_volatility));
  }
  if (f_low >= -tolerance) {
    low.solves = solves;
    return low;
  }
  double t_low = 0.0;
  double t_high = 1.0;
  OptimizedPortfolio high = solve_at(t_high);
  double f_high = excess(high);
  while (f_high < 0.0) {
    if (t_high > 1e12) {
      // The volatility limit never binds: the answer is the unconstrained return maximiser.
      ++solves;
      OptimizedPortfolio best =
          solve_weights(weight_problem(0.0, constraints_.gamma, -mu_), "efficient risk");
      best.solves = solves;
      return best;
    }
    t_low = t_high;
    low = std::move(high);
    f_low = f_high;
    t_high *= 8.0;
    high = solve_at(t_high);
    f_high = excess(high);
  }
  // Illinois regula falsi: volatility is piecewise smooth in t, so this converges fast.
  int side = 0;
  OptimizedPortfolio best = std::abs(f_low) < std::abs(f_high) ? low : high;
  for (int iteration = 0; iteration < 200; ++iteration) {
    if (std::abs(f_high) <= tolerance) {
      best = high;
      break;
    }
    if (std::abs(f_low) <= tolerance) {
      best = low;
      break;
    }
    if (t_high - t_low <= 1e-15 * t_high) {
      best = std::abs(f_low) < std::abs(f_high) ? low : high;
      break;
    }
    double t = (t_low * f_high - t_high * f_low) / (f_high - f_low);
    if (!(t > t_low && t < t_high)) t = 0.5 * (t_low + t_high);
    OptimizedPortfolio middle = solve_at(t);
    const double f = excess(middle);
    if (f < 0.0) {
      t_low = t;
      low = std::move(middle);
      f_low = f;
      if (side == -1) f_high *= 0.5;
      side = -1;
    } else {
      t_high = t;
      high = std::move(middle);
      f_high = f;
      if (side == 1) f_low *= 0.5;
      side = 1;
    }
    best = std::abs(f_low) < std::abs(f_high) ? low : high;
  }
  best.solves = solves;
  return best;
}

OptimizedPortfolio EfficientFrontier::max_sharpe(double risk_free_rate) const {
  if (!std::isfinite(risk_free_rate))
    invalid(fmt::format("risk-free rate must be finite, got {}", risk_free_rate));
  if (constraints_.market_neutral) {
    invalid("max Sharpe needs weights that sum to 1: it cannot be market neutral");
  }
  if (constraints_.current_weights && constraints_.transaction_cost > 0.0) {
    invalid("max Sharpe cannot include transaction costs: they do not scale with the portfolio");
  }
  const double best = max_achievable_return();
  if (risk_free_rate >= best) {
    invalid(
        fmt::format("risk-free rate {:.6g} is at or above {:.6g}, the highest expected return any admissible "
                    "portfolio reaches: no portfolio earns an excess return",
                    risk_free_rate, best));
  }
  // y = k w with k = sum(y) > 0. Each constraint a'w <= b becomes (a - b 1)'y <= 0.
  const Eigen::Index n = mu_.size();
  QpProblem p = QpProblem::with_variables(n);
  p.P = 2.0 * sigma_;
  p.P.diagonal().array() += 2.0 * constraints_.gamma;
  p.variable_names = weight_names();
  const bool long_only = (lower_.array() >= 0.0).all();
  Rows in;
  in.A.resize(0, n);
  Rows eq;
  eq.A.resize(0, n);
  const Eigen::RowVectorXd ones = Eigen::RowVectorXd::Ones(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::RowVectorXd unit = Eigen::RowVectorXd::Zero(n);
    unit(i) = 1.0;
    if (lower_(i) == 0.0) {
      p.lower(i) = 0.0;
    } else if (std::isfinite(lower_(i))) {
      in.add(lower_(i) * ones - unit, 0.0,
             fmt::format("weight {} lower bound {:.6g}", symbols_[i], lower_(i)));
    }
    if (upper_(i) == 0.0) {
      p.upper(i) = 0.0;
    } else if (std::isfinite(upper_(i)) && !(long_only && upper_(i) >= 1.0)) {
      // With every y >= 0, y_i <= sum(y) already, so an upper bound of 1 or more is implied.
      in.add(unit - upper_(i) * ones, 0.0,
             fmt::format("weight {} upper bound {:.6g}", symbols_[i], upper_(i)));
    }
  }
  for (Eigen::Index row = 1; row < equalities_.A.rows(); ++row) {  // row 0 is the budget
    eq.add(equalities_.A.row(row) - equalities_.b(row) * ones, 0.0, equalities_.names[row]);
  }
  for (Eigen::Index row = 0; row < inequalities_.A.rows(); ++row) {
    in.add(inequalities_.A.row(row) - inequalities_.b(row) * ones, 0.0, inequalities_.names[row]);
  }
  if (!long_only) in.add(-ones, 0.0, "positive scale (weights sum to 1)");
  eq.add((mu_.array() - risk_free_rate).matrix().transpose(), 1.0, "unit excess return");
  p.A_eq = eq.A;
  p.b_eq = eq.b;
  p.eq_names = eq.names;
  p.A_in = in.A;
  p.b_in = in.b;
  p.in_names = in.names;
  OptimizedPortfolio out = solve_weights(p, "max Sharpe");
  const double scale = out.weights.sum();
  if (!(scale > 0.0)) {
    invalid(
        "max Sharpe: the best ratio is approached only by a zero-investment portfolio; bound the weights");
  }
  out.weights /= scale;
  return out;
}

std::vector<FrontierPoint> EfficientFrontier::frontier(int points) const {
  if (points < 2) invalid(fmt::format("the frontier needs at least 2 points, got {}", points));
  const double highest = max_achievable_return();
  if (!std::isfinite(highest)) invalid("the frontier needs bounded weights: the highest return is unbounded");
  const double lowest = mu_.dot(min_volatility().weights);
  std::vector<FrontierPoint> out;
  out.reserve(static_cast<std::size_t>(points));
  Eigen::VectorXd last_solution;  // each point starts from its neighbour's solution
  for (int k = 0; k < points; ++k) {
    const double target =
        k == points - 1 ? highest : lowest + (highest - lowest) * static_cast<double>(k) / (points - 1);
    OptimizedPortfolio portfolio =
        efficient_return_below(target, highest, out.empty() ? Eigen::VectorXd() : last_solution);
    last_solution = portfolio.report.x;
    const Performance perf = performance(portfolio.weights);
    out.push_back(FrontierPoint{perf.expected_return, perf.volatility, std::move(portfolio.weights)});
  }
  return out;
}

}  // namespace tranche::optimize
