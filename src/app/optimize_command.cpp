// `tranche optimize --prices FILE --objective ... [--format table|json|csv]`: estimates expected
// returns and a covariance matrix (the options of `tranche estimate`), solves one mean-variance
// objective under the given bounds and constraints (sectors, linear constraints on named
// weights, a transaction cost against current weights), and prints the weights and performance;
// optionally the efficient frontier as CSV and an SVG plot.

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/estimate_options.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"
#include "tranche/optimize/constraint_expression.hpp"
#include "tranche/optimize/efficient_frontier.hpp"
#include "tranche/optimize/frontier_plot.hpp"

namespace tranche::app {

namespace {

struct OptimizeOptions {
  EstimateOptions estimate;
  std::string objective;
  std::optional<double> target_return;
  std::optional<double> target_volatility;
  std::optional<double> risk_aversion;
  std::string bounds = "0,1";
  double gamma = 0.0;
  bool market_neutral = false;
  std::string sectors;
  std::string sector_limits;
  std::vector<std::string> constraints;
  std::string current_weights;
  std::optional<double> transaction_cost;
  std::optional<int> frontier;
  std::string plot;
  std::string frontier_csv;
  std::string format = "table";
  bool clean = false;
};

// PyPortfolioOpt's objective_functions.transaction_cost default.
constexpr double kDefaultTransactionCost = 0.001;

const std::vector<std::string>& objective_names() {
  static const std::vector<std::string> names = {"min-volatility",        "max-sharpe",
                                                 "max-quadratic-utility", "efficient-risk",
                                                 "efficient-return",      "max-return"};
  return names;
}

std::optional<double> parse_bound(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  if (text == "none") return std::nullopt;
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value)) {
    throw CLI::ValidationError("--bounds", fmt::format("expected a number or 'none', got '{}'", text));
  }
  return value;
}

optimize::WeightBounds parse_bounds(const std::string& text) {
  const auto comma = text.find(',');
  if (comma == std::string::npos || text.find(',', comma + 1) != std::string::npos) {
    throw CLI::ValidationError("--bounds",
                               fmt::format("expected LO,HI (e.g. 0,1 or none,none), got '{}'", text));
  }
  const std::optional<double> lower = parse_bound(text.substr(0, comma));
  const std::optional<double> upper = parse_bound(text.substr(comma + 1));
  return {lower.value_or(-optimize::kNoBound), upper.value_or(optimize::kNoBound)};
}

void check_options(const OptimizeOptions& o) {
  const auto only_for = [&](bool given, const char* option, const char* objective) {
    if (given && o.objective != objective) {
      throw CLI::ValidationError(option, fmt::format("applies to --objective {} only", objective));
    }
  };
  only_for(o.target_return.has_value(), "--target-return", "efficient-return");
  only_for(o.target_volatility.has_value(), "--target-volatility", "efficient-risk");
  only_for(o.risk_aversion.has_value(), "--risk-aversion", "max-quadratic-utility");
  if (o.objective == "efficient-return" && !o.target_return) {
    throw CLI::ValidationError("--objective", "efficient-return needs --target-return");
  }
  if (o.objective == "efficient-risk" && !o.target_volatility) {
    throw CLI::ValidationError("--objective", "efficient-risk needs --target-volatility");
  }
  if (o.sectors.empty() != o.sector_limits.empty()) {
    throw CLI::ValidationError("--sectors", "--sectors and --sector-limits go together");
  }
  if (o.transaction_cost && !(std::isfinite(*o.transaction_cost) && *o.transaction_cost >= 0.0)) {
    throw CLI::ValidationError("--transaction-cost",
                               fmt::format("expected a finite number >= 0, got {}", *o.transaction_cost));
  }
  if (o.transaction_cost && o.current_weights.empty()) {
    throw CLI::ValidationError("--transaction-cost", "needs --current-weights FILE");
  }
  if ((!o.plot.empty() || !o.frontier_csv.empty()) && !o.frontier) {
    throw CLI::ValidationError("--plot", "--plot and --frontier-csv need --frontier N");
  }
  if (o.frontier && o.plot.empty() && o.frontier_csv.empty()) {
    throw CLI::ValidationError("--frontier", "needs --plot FILE.svg or --frontier-csv FILE");
  }
}

// symbol,sector
std::map<std::string, std::string> load_sectors(const std::string& path) {
  const std::string text = read_text_file(path);
  CsvReader reader(text, path);
  reader.read_header();
  const std::size_t symbol = reader.require_column("symbol");
  const std::size_t sector = reader.require_column("sector");
  std::map<std::string, std::string> out;
  while (reader.next_record()) {
    const std::string name(reader.cell(symbol));
    if (name.empty()) reader.fail(symbol, "expected a symbol, found an empty cell");
    if (reader.cell(sector).empty()) reader.fail(sector, "expected a sector name, found an empty cell");
    if (!out.emplace(name, std::string(reader.cell(sector))).second) {
      reader.fail(symbol, fmt::format("symbol {} is listed twice", name));
    }
  }
  return out;
}

// sector,lower,upper (an empty cell or 'none': no limit on that side)
std::vector<optimize::SectorLimit> load_sector_limits(const std::string& path) {
  const std::string text = read_text_file(path);
  CsvReader reader(text, path);
  reader.read_header();
  const std::size_t sector = reader.require_column("sector");
  const std::size_t lower = reader.require_column("lower");
  const std::size_t upper = reader.require_column("upper");
  std::vector<optimize::SectorLimit> out;
  while (reader.next_record()) {
    const auto limit = [&](std::size_t column, double none) {
      std::string cell(reader.cell(column));
      std::transform(cell.begin(), cell.end(), cell.begin(), [](unsigned char c) { return std::tolower(c); });
      return cell == "none" ? none : reader.optional_number(column).value_or(none);
    };
    if (reader.cell(sector).empty()) reader.fail(sector, "expected a sector name, found an empty cell");
    out.push_back({std::string(reader.cell(sector)), limit(lower, -optimize::kNoBound),
                   limit(upper, optimize::kNoBound)});
  }
  return out;
}

// The syntax of each --constraint; the symbols are checked once the prices are loaded.
std::vector<optimize::ConstraintExpression> parse_constraints(const std::vector<std::string>& texts) {
  std::vector<optimize::ConstraintExpression> out;
  for (const std::string& text : texts) {
    try {
      out.push_back(optimize::parse_constraint_expression(text));
    } catch (const optimize::ConstraintExpressionError& e) {
      throw CLI::ValidationError("--constraint", e.what());
    }
  }
  return out;
}

// symbol,weight, one row per held symbol of `symbols`; the others weigh 0.
Eigen::VectorXd load_current_weights(const std::string& path, const std::vector<std::string>& symbols) {
  const std::string text = read_text_file(path);
  CsvReader reader(text, path);
  reader.read_header();
  const std::size_t symbol = reader.require_column("symbol");
  const std::size_t weight = reader.require_column("weight");
  Eigen::VectorXd out = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(symbols.size()));
  std::vector<bool> seen(symbols.size(), false);
  while (reader.next_record()) {
    const std::string name(reader.cell(symbol));
    if (name.empty()) reader.fail(symbol, "expected a symbol, found an empty cell");
    const auto found = std::find(symbols.begin(), symbols.end(), name);
    if (found == symbols.end()) {
      reader.fail(symbol,
                  fmt::format("expected a column of the prices, found symbol {}", quote_for_message(name)));
    }
    const auto index = static_cast<std::size_t>(found - symbols.begin());
    if (seen[index]) reader.fail(symbol, fmt::format("symbol {} is listed twice", name));
    seen[index] = true;
    out(static_cast<Eigen::Index>(index)) = reader.number(weight);
  }
  return out;
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  out.close();
  if (!out) throw Error(ErrorKind::Io, fmt::format("{}: cannot write the file", path));
}

std::string objective_title(const OptimizeOptions& o) {
  if (o.objective == "efficient-return") return fmt::format("efficient-return (target {})", *o.target_return);
  if (o.objective == "efficient-risk")
    return fmt::format("efficient-risk (target volatility {})", *o.target_volatility);
  if (o.objective == "max-quadratic-utility") {
    return fmt::format("max-quadratic-utility (risk aversion {})", o.risk_aversion.value_or(1.0));
  }
  return o.objective;
}

void run(const OptimizeOptions& o) {
  check_options(o);
  const std::vector<optimize::ConstraintExpression> expressions = parse_constraints(o.constraints);
  optimize::PortfolioConstraints constraints;
  constraints.bounds = {parse_bounds(o.bounds)};
  constraints.gamma = o.gamma;
  constraints.market_neutral = o.market_neutral;
  if (!o.sectors.empty()) {
    constraints.sector_of = load_sectors(o.sectors);
    constraints.sector_limits = load_sector_limits(o.sector_limits);
  }
  const optimize::Estimates estimates = compute_estimates(o.estimate);
  for (const std::string& warning : estimates.warnings) std::cerr << "tranche: warning: " << warning << "\n";
  for (const auto& expression : expressions) {
    constraints.linear.push_back(optimize::to_linear_constraint(expression, estimates.symbols));
  }
  if (!o.current_weights.empty()) {
    constraints.current_weights = load_current_weights(o.current_weights, estimates.symbols);
    constraints.transaction_cost = o.transaction_cost.value_or(kDefaultTransactionCost);
  }
  const double rf = o.estimate.risk_free_rate;
  const optimize::EfficientFrontier ef(estimates.symbols, estimates.expected_returns, estimates.covariance,
                                       constraints);

  const auto started = std::chrono::steady_clock::now();
  optimize::OptimizedPortfolio portfolio;
  if (o.objective == "min-volatility") portfolio = ef.min_volatility();
  if (o.objective == "max-sharpe") portfolio = ef.max_sharpe(rf);
  if (o.objective == "max-quadratic-utility")
    portfolio = ef.max_quadratic_utility(o.risk_aversion.value_or(1.0));
  if (o.objective == "efficient-risk") portfolio = ef.efficient_risk(*o.target_volatility);
  if (o.objective == "efficient-return") portfolio = ef.efficient_return(*o.target_return);
  if (o.objective == "max-return") portfolio = ef.max_return();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const Eigen::VectorXd weights = o.clean ? optimize::clean_weights(portfolio.weights) : portfolio.weights;
  const optimize::Performance performance = ef.performance(weights, rf);
  // Sum of |w - current|: the fraction of the portfolio traded.
  std::optional<double> turnover;
  if (constraints.current_weights) turnover = (weights - *constraints.current_weights).lpNorm<1>();

  if (o.frontier) {
    const auto points = ef.frontier(*o.frontier);
    if (!o.frontier_csv.empty())
      write_file(o.frontier_csv, optimize::frontier_csv(points, estimates.symbols));
    if (!o.plot.empty()) {
      std::vector<optimize::MarkedPortfolio> marks;
      // Max Sharpe is undefined for some requests (market neutral, costs, rf too high): then
      // the plot goes without that mark, and says why.
      try {
        marks.push_back({"max Sharpe", ef.performance(ef.max_sharpe(rf).weights, rf)});
      } catch (const Error& e) {
        std::cerr << "tranche: warning: the plot has no max-Sharpe mark: " << e.what() << "\n";
      }
      marks.push_back({"min volatility", ef.performance(ef.min_volatility().weights, rf)});
      write_file(o.plot, optimize::frontier_svg(points, marks));
    }
  }

  const auto& symbols = estimates.symbols;
  if (o.format == "json") {
    nlohmann::ordered_json out;
    nlohmann::ordered_json w = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < symbols.size(); ++i)
      w[symbols[i]] = weights(static_cast<Eigen::Index>(i)) + 0.0;
    out["weights"] = w;
    out["performance"] = {{"expected_return", performance.expected_return},
                          {"volatility", performance.volatility},
                          {"sharpe", performance.sharpe}};
    if (turnover) out["turnover"] = *turnover;
    out["solve_seconds"] = seconds;
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (o.format == "csv") {
    fmt::print("symbol,weight\n");
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      fmt::print("{},{}\n", symbols[i], weights(static_cast<Eigen::Index>(i)) + 0.0);
    }
    return;
  }
  std::size_t width = 6;
  for (const auto& symbol : symbols) width = std::max(width, symbol.size());
  fmt::print("{} portfolio ({}, {} covariance{})\n", objective_title(o), o.estimate.returns, o.estimate.risk,
             o.clean ? ", cleaned" : "");
  fmt::print("{:<{}}  {:>10}\n", "symbol", width, "weight");
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    fmt::print("{:<{}}  {:>10.5f}\n", symbols[i], width, weights(static_cast<Eigen::Index>(i)) + 0.0);
  }
  fmt::print("\nExpected annual return: {:.1f}%\n", 100.0 * performance.expected_return);
  fmt::print("Annual volatility: {:.1f}%\n", 100.0 * performance.volatility);
  fmt::print("Sharpe ratio (risk-free rate {}): {:.2f}\n", rf, performance.sharpe);
  if (turnover) {
    fmt::print("Turnover from current weights: {:.1f}% (transaction cost {})\n", 100.0 * *turnover,
               constraints.transaction_cost);
  }
  fmt::print(
      "Solved in {:.3f} ms: {} QP iteration(s) over {} solve(s), primal residual {:.1e}, KKT residual "
      "{:.1e}\n",
      seconds * 1e3, portfolio.report.iterations, portfolio.solves, portfolio.report.primal_residual,
      portfolio.report.dual_residual);
}

}  // namespace

void add_optimize_command(CLI::App& app) {
  auto options = std::make_shared<OptimizeOptions>();
  auto* command = app.add_subcommand(
      "optimize", "Build a mean-variance portfolio (PyPortfolioOpt's EfficientFrontier) from a price file");
  add_estimate_options(*command, options->estimate);
  command->add_option("--objective", options->objective, "What to optimise")
      ->required()
      ->check(CLI::IsMember(objective_names()));
  command->add_option("--target-return", options->target_return,
                      "Annual return to reach at minimum volatility (efficient-return)");
  command
      ->add_option("--target-volatility", options->target_volatility,
                   "Annual volatility allowed while maximising return (efficient-risk)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--risk-aversion", options->risk_aversion,
                   "Risk aversion of max-quadratic-utility (default 1)")
      ->check(CLI::PositiveNumber);
  command->add_option("--bounds", options->bounds,
                      "Weight bounds LO,HI for every asset; 'none' for no bound (default 0,1)");
  command->add_option("--gamma", options->gamma, "L2 regularisation gamma (default 0)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--market-neutral", options->market_neutral, "Weights sum to 0 instead of 1");
  command->add_option("--sectors", options->sectors, "CSV symbol,sector");
  command->add_option("--sector-limits", options->sector_limits,
                      "CSV sector,lower,upper (empty or 'none': no limit on that side)");
  command
      ->add_option("--constraint", options->constraints,
                   "Linear constraint on named weights, repeatable: [c*]SYMBOL {+|- [c*]SYMBOL} <=|>=|== "
                   "NUMBER, e.g. 'AAPL + 0.5*MSFT <= 0.3', 'GOOG >= 0.05', 'AMZN - FB == 0' (symbols are "
                   "price columns; write others in double quotes: \"BRK-B\")")
      ->type_name("EXPR")
      ->allow_extra_args(false);
  command
      ->add_option("--current-weights", options->current_weights,
                   "CSV symbol,weight of the portfolio held now (symbols left out weigh 0); adds the "
                   "transaction cost K * sum |w - current| to the objective")
      ->type_name("FILE");
  command
      ->add_option("--transaction-cost", options->transaction_cost,
                   fmt::format("K of the transaction cost against --current-weights (default {}, as "
                               "PyPortfolioOpt's transaction_cost; 0 for none)",
                               kDefaultTransactionCost))
      ->type_name("K");
  command->add_option("--frontier", options->frontier, "Also compute the efficient frontier at N points")
      ->check(CLI::Range(2, 10000));
  command->add_option("--plot", options->plot, "Write the frontier as an SVG plot to this file");
  command->add_option("--frontier-csv", options->frontier_csv, "Write the frontier points to this CSV file");
  command->add_option("--format", options->format, "Output: table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  command->add_flag("--clean", options->clean,
                    "Report cleaned weights (|w| < 1e-4 set to 0, rounded to 5 decimals)");
  command->callback([options] { run(*options); });
}

}  // namespace tranche::app
