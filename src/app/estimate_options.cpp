#include "app/estimate_options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "tranche/core/error.hpp"
#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"

namespace tranche::app {

namespace {

std::optional<double> parse_number(const std::string& text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

// A validator accepting finite numbers of at least `minimum` (or above it, when `strict`).
CLI::Validator number_at_least(double minimum, bool strict) {
  const std::string description = fmt::format("NUMBER {} {}", strict ? ">" : ">=", minimum);
  return CLI::Validator(
      [minimum, strict](std::string& input) -> std::string {
        const std::optional<double> value = parse_number(input);
        if (!value) return fmt::format("expected a number, got '{}'", input);
        if (strict ? !(*value > minimum) : !(*value >= minimum)) {
          return fmt::format("must be {} {}, got {}", strict ? ">" : ">=", minimum, input);
        }
        return {};
      },
      description);
}

CLI::Validator finite_number() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        return parse_number(input) ? std::string() : fmt::format("expected a number, got '{}'", input);
      },
      "NUMBER");
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out.append(out.empty() ? "" : "|").append(name);
  return out;
}

}  // namespace

void add_estimate_options(CLI::App& command, EstimateOptions& options) {
  command
      .add_option("--prices", options.prices,
                  "Price CSV, wide (date,SYM,...) or long (date,symbol,...,close)")
      ->required();
  command
      .add_option("--returns", options.returns,
                  "Expected returns: " + joined(optimize::return_model_names()) + " (default mean)")
      ->check(CLI::IsMember(optimize::return_model_names()));
  command.add_flag("--no-compounding", options.no_compounding,
                   "Annualise returns arithmetically (mean * frequency) instead of compounding");
  command
      .add_option(
          "--span", options.span,
          "Span of the exponential weights for --returns ema (default 500) and --risk exp (default 180)")
      ->check(number_at_least(1.0, false));
  command.add_option("--frequency", options.frequency, "Return periods per year (default 252)")
      ->check(number_at_least(0.0, true));
  command
      .add_option("--risk", options.risk,
                  "Risk model: " + joined(optimize::risk_model_names()) + " (default sample)")
      ->check(CLI::IsMember(optimize::risk_model_names()));
  command
      .add_option("--benchmark", options.benchmark,
                  "Daily benchmark return for --risk semicovariance (default 0.000079)")
      ->check(finite_number());
  command.add_option("--market", options.market,
                     "Market price CSV (one series) for --returns capm; default: "
                     "the equal-weighted mean of the assets");
  command.add_option("--risk-free-rate", options.risk_free_rate, "Annual risk-free rate (default 0)")
      ->check(finite_number());
}

void check_estimate_options(const EstimateOptions& options) {
  if (!options.market.empty() && options.returns != "capm") {
    throw CLI::ValidationError("--market", "applies to --returns capm only");
  }
  if (options.benchmark && options.risk != "semicovariance") {
    throw CLI::ValidationError("--benchmark", "applies to --risk semicovariance only");
  }
  if (options.span && options.returns != "ema" && options.risk != "exp") {
    throw CLI::ValidationError("--span", "applies to --returns ema and --risk exp only");
  }
}

optimize::Estimates compute_estimates(const EstimateOptions& options) {
  check_estimate_options(options);
  optimize::EstimateSettings settings;
  // The option checks admit only names these parse.
  settings.returns =
      optimize::parse_return_model(options.returns).value_or(optimize::ReturnModel::MeanHistorical);
  settings.risk = optimize::parse_risk_model(options.risk).value_or(optimize::RiskModel::Sample);
  settings.compounding =
      options.no_compounding ? optimize::Compounding::Arithmetic : optimize::Compounding::Geometric;
  settings.span = options.span;
  settings.frequency = options.frequency;
  if (options.benchmark) settings.benchmark = *options.benchmark;
  settings.risk_free_rate = options.risk_free_rate;

  const data::ReturnsTable returns = data::returns_from_prices(data::load_prices(options.prices));
  if (returns.values.rows() == 0) {
    throw tranche::Error(tranche::ErrorKind::InvalidArgument,
                         fmt::format("{}: fewer than two dated prices, so no returns", options.prices));
  }
  if (options.market.empty()) return optimize::estimate(returns, settings);
  const data::ReturnsTable market = data::returns_from_prices(data::load_prices(options.market));
  if (market.symbols.size() != 1) {
    throw tranche::Error(
        tranche::ErrorKind::InvalidArgument,
        fmt::format("{}: a market file holds one series, found {}", options.market, market.symbols.size()));
  }
  return optimize::estimate(returns, settings, &market);
}

}  // namespace tranche::app
