// `tranche estimate --prices FILE [--returns ...] [--risk ...] [--format table|json]`: prints
// the expected annual returns and the annual covariance matrix the optimizer would use.

#include <fmt/core.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.hpp"
#include "app/estimate_options.hpp"

namespace tranche::app {

namespace {

struct EstimateCommandOptions {
  EstimateOptions estimate;
  std::string format = "table";
};

void print_json(const optimize::Estimates& estimates) {
  nlohmann::ordered_json out;
  nlohmann::ordered_json expected = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < estimates.symbols.size(); ++i) {
    expected[estimates.symbols[i]] = estimates.expected_returns(static_cast<Eigen::Index>(i));
  }
  out["expected_returns"] = expected;
  nlohmann::ordered_json matrix = nlohmann::ordered_json::array();
  for (Eigen::Index row = 0; row < estimates.covariance.rows(); ++row) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (Eigen::Index column = 0; column < estimates.covariance.cols(); ++column) {
      values.push_back(estimates.covariance(row, column));
    }
    matrix.push_back(values);
  }
  out["covariance"] = {{"symbols", estimates.symbols}, {"matrix", matrix}};
  // nlohmann writes each double in the shortest form that reads back to the same bits.
  fmt::print("{}\n", out.dump(2));
}

void print_table(const EstimateOptions& options, const optimize::Estimates& estimates) {
  std::size_t width = 6;
  for (const auto& symbol : estimates.symbols) width = std::max(width, symbol.size());
  fmt::print("expected annual returns ({}, {}, frequency {})\n", options.returns,
             options.no_compounding ? "arithmetic" : "compounded", options.frequency);
  fmt::print("{:<{}}  {:>12}\n", "symbol", width, "return");
  for (std::size_t i = 0; i < estimates.symbols.size(); ++i) {
    fmt::print("{:<{}}  {:>12.6f}\n", estimates.symbols[i], width,
               estimates.expected_returns(static_cast<Eigen::Index>(i)));
  }
  fmt::print("\nannual covariance ({})", options.risk);
  if (estimates.shrinkage) fmt::print(", shrinkage {:.6g}", *estimates.shrinkage);
  fmt::print("\n{:<{}}", "", width);
  const std::size_t cell = std::max<std::size_t>(width, 10);
  for (const auto& symbol : estimates.symbols) fmt::print("  {:>{}}", symbol, cell);
  fmt::print("\n");
  for (std::size_t row = 0; row < estimates.symbols.size(); ++row) {
    fmt::print("{:<{}}", estimates.symbols[row], width);
    for (std::size_t column = 0; column < estimates.symbols.size(); ++column) {
      fmt::print("  {:>{}.6f}",
                 estimates.covariance(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)),
                 cell);
    }
    fmt::print("\n");
  }
}

}  // namespace

void add_estimate_command(CLI::App& app) {
  auto options = std::make_shared<EstimateCommandOptions>();
  auto* command = app.add_subcommand(
      "estimate", "Print expected annual returns and the annual covariance matrix of a price file");
  add_estimate_options(*command, options->estimate);
  command->add_option("--format", options->format, "Output: table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  command->callback([options] {
    const optimize::Estimates estimates = compute_estimates(options->estimate);
    for (const std::string& warning : estimates.warnings)
      std::cerr << "tranche: warning: " << warning << "\n";
    if (options->format == "json") {
      print_json(estimates);
    } else {
      print_table(options->estimate, estimates);
    }
  });
}

}  // namespace tranche::app
