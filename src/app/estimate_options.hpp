#pragma once
// The estimation options shared by `tranche estimate` and `tranche optimize` (--prices,
// --returns, --risk, --span, ...) and the computation they describe: load the prices, take
// daily returns, estimate expected returns and a covariance matrix.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "tranche/optimize/estimates.hpp"

namespace tranche::app {

struct EstimateOptions {
  std::string prices;               // price CSV (wide or long form)
  std::string returns = "mean";     // a name from optimize::return_model_names()
  bool no_compounding = false;      // arithmetic instead of compounded annualisation
  std::optional<double> span;       // EMA span for --returns ema and --risk exp
  double frequency = 252.0;         // periods per year
  std::string risk = "sample";      // a name from optimize::risk_model_names()
  std::optional<double> benchmark;  // daily semicovariance benchmark
  std::string market;               // market price CSV for --returns capm
  double risk_free_rate = 0.0;      // annual
};

// Registers the options on `command`; values land in `options`, which must outlive parsing.
void add_estimate_options(CLI::App& command, EstimateOptions& options);

// Rejects options that do not apply to the chosen models (for example --market without
// --returns capm) with a CLI::ValidationError (exit code 2).
void check_estimate_options(const EstimateOptions& options);

// Checks the options, loads the price files and estimates. Throws CLI::ValidationError for
// inconsistent options and tranche::Error for unreadable files or unusable data.
optimize::Estimates compute_estimates(const EstimateOptions& options);

}  // namespace tranche::app
