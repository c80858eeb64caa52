#pragma once
// Goal planning: how likely a goal is to reach its target value, and whether that is below,
// inside or above the band its priority asks for (the chapter's Goal Probability Table.csv).
//
// The model (stated once, used by every function here): an initial amount invested now, a
// contribution of 12 x monthly paid at the end of each year, returns compounded yearly.
//   future value  FV(r) = P (1 + r)^T + C ((1 + r)^T - 1) / r,   C = 12 x monthly,
//                 and FV(0) = P + C T (the r = 0 limit, computed as such).
//   required return r*: FV(r*) = target, found by bisection (FV rises with r).
//   success probability (normal approximation): the average yearly return over T years is
//                 normal with mean mu and deviation sigma / sqrt(T), so
//                 P = 1 - Phi((r* - mu) sqrt(T) / sigma).
//   Monte Carlo: yearly returns drawn N(mu, sigma) on seeded paths, wealth compounded with the
//                contributions; the share of paths ending at or above the target.
// These are forecasts, in double precision; nothing here is booked.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>

#include "tranche/wealth/account.hpp"

namespace tranche::wealth {

struct GoalPlan {
  double initial = 0;  // invested now
  double monthly = 0;  // contributed each month (paid yearly, 12 at a time)
  double target = 0;   // value wanted at the horizon
  int years = 0;       // horizon T, at least 1
};

double future_value(const GoalPlan& plan, double annual_return);

// r* in [-0.99, 10]: nullopt when even 1000 % a year misses the target; -0.99 when the target
// is met whatever happens down to -99 % a year.
std::optional<double> required_return(const GoalPlan& plan);

// Normal approximation; 0 when no return in range reaches the target. sigma must be > 0.
double success_probability(const GoalPlan& plan, double mean_return, double volatility);

// Seeded: the same seed gives the same estimate.
double monte_carlo_success_probability(const GoalPlan& plan, double mean_return, double volatility, int paths,
                                       std::uint64_t seed);

enum class BandPosition { Below, Inside, Above };
const char* to_string(BandPosition position);

struct ProbabilityBand {
  double min = 0;
  double max = 0;
};

// Goal Probability Table.csv: Realize,Avoid,MinP,MaxP; one row per priority (Dreams, Wishes,
// Wants, Needs), each with min <= max in [0, 1]. InputError naming the cell otherwise, or when
// a priority is missing or listed twice.
class GoalProbabilityTable {
 public:
  static GoalProbabilityTable load(const std::filesystem::path& path);
  ProbabilityBand band(Priority priority) const { return bands_.at(priority); }
  // Below when p < min, above when p > max, inside otherwise.
  BandPosition position(Priority priority, double probability) const;

 private:
  std::map<Priority, ProbabilityBand> bands_;
};

}  // namespace tranche::wealth
