#include "tranche/wealth/goal_planning.hpp"

#include <cmath>
#include <random>

#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace tranche::wealth {

namespace {

constexpr double kLowestReturn = -0.99;
constexpr double kHighestReturn = 10.0;

void check_plan(const GoalPlan& plan) {
  if (plan.years < 1) throw Error(ErrorKind::InvalidArgument, "a goal's horizon must be at least 1 year");
  if (plan.initial < 0 || plan.monthly < 0 || plan.target <= 0 || plan.initial + plan.monthly <= 0) {
    throw Error(
        ErrorKind::InvalidArgument,
        "a goal needs a positive target and a non-negative, not all zero, initial amount and contribution");
  }
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

double future_value(const GoalPlan& plan, double annual_return) {
  const double yearly = 12.0 * plan.monthly;
  const double t = plan.years;
  // Near r = 0, ((1 + r)^T - 1) / r loses its digits; expm1/log1p keep them, and r = 0 is the limit.
  if (annual_return == 0.0) return plan.initial + yearly * t;
  const double growth_minus_one = std::expm1(t * std::log1p(annual_return));
  return plan.initial * (1.0 + growth_minus_one) + yearly * growth_minus_one / annual_return;
}

std::optional<double> required_return(const GoalPlan& plan) {
  check_plan(plan);
  double low = kLowestReturn, high = kHighestReturn;
  if (future_value(plan, high) < plan.target) return std::nullopt;
  if (future_value(plan, low) >= plan.target) return low;
  // FV(low) < target <= FV(high); halve until the bracket is below 1e-12 (about 44 steps).
  while (high - low > 1e-12) {
    const double mid = 0.5 * (low + high);
    (future_value(plan, mid) >= plan.target ? high : low) = mid;
  }
  return 0.5 * (low + high);
}

double success_probability(const GoalPlan& plan, double mean_return, double volatility) {
  if (!(volatility > 0)) throw Error(ErrorKind::InvalidArgument, "volatility must be positive");
  const auto r = required_return(plan);
  if (!r) return 0.0;
  return 1.0 - normal_cdf((*r - mean_return) * std::sqrt(static_cast<double>(plan.years)) / volatility);
}

double monte_carlo_success_probability(const GoalPlan& plan, double mean_return, double volatility, int paths,
                                       std::uint64_t seed) {
  check_plan(plan);
  if (paths < 1) throw Error(ErrorKind::InvalidArgument, "Monte Carlo needs at least one path");
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> yearly_return(mean_return, volatility);
  const double yearly = 12.0 * plan.monthly;
  int successes = 0;
  for (int p = 0; p < paths; ++p) {
    double wealth = plan.initial;
    for (int y = 0; y < plan.years; ++y) wealth = wealth * (1.0 + yearly_return(engine)) + yearly;
    successes += wealth >= plan.target ? 1 : 0;
  }
  return static_cast<double>(successes) / paths;
}

const char* to_string(BandPosition position) {
  switch (position) {
    case BandPosition::Below:
      return "below";
    case BandPosition::Inside:
      return "inside";
    case BandPosition::Above:
      return "above";
  }
  return "?";
}

GoalProbabilityTable GoalProbabilityTable::load(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  CsvReader r(text, path.string());
  r.read_header();
  const auto c_realize = r.require_column("Realize"), c_min = r.require_column("MinP"),
             c_max = r.require_column("MaxP");
  GoalProbabilityTable table;
  while (r.next_record()) {
    const auto priority = parse_priority(r.cell(c_realize));
    if (!priority)
      r.fail(c_realize,
             "expected Dreams, Wishes, Wants or Needs, found " + quote_for_message(r.cell(c_realize)));
    const ProbabilityBand band{r.number(c_min), r.number(c_max)};
    if (band.min < 0 || band.min > 1) r.fail(c_min, "expected a probability between 0 and 1");
    if (band.max < band.min || band.max > 1) r.fail(c_max, "expected a probability between MinP and 1");
    if (!table.bands_.emplace(*priority, band).second) r.fail(c_realize, "priority listed twice");
  }
  for (auto p : {Priority::Dreams, Priority::Wishes, Priority::Wants, Priority::Needs})
    if (!table.bands_.contains(p))
      throw InputError({path.string(), 0, 0, "Realize"}, std::string("no row for priority ") + to_string(p));
  return table;
}

BandPosition GoalProbabilityTable::position(Priority priority, double probability) const {
  const auto band = bands_.at(priority);
  if (probability < band.min) return BandPosition::Below;
  if (probability > band.max) return BandPosition::Above;
  return BandPosition::Inside;
}

}  // namespace tranche::wealth
