#pragma once
// Model portfolios built by the optimizer: for each risk bucket, the long-only efficient
// portfolio at the bucket's target return (minimum volatility subject to mu'w >= target),
// cleaned as PyPortfolioOpt's clean_weights and held as exact decimals summing to 1.

#include <filesystem>
#include <string>
#include <vector>

#include "tranche/optimize/estimates.hpp"
#include "tranche/wealth/model_portfolio.hpp"

namespace tranche::wealth {

struct ModelTarget {
  std::string model;     // e.g. "Moderate"
  double target_return;  // annual, as the estimates' expected returns
};

// The efficient-return portfolio of `estimates` at `target.target_return`, long-only with a
// budget of 1, through clean_weights(cutoff 1e-4, 5 decimals). Error(Infeasible) when the
// solver reports no optimum (a target above every long-only portfolio's return), with its
// message and the model's name.
ModelPortfolio build_model(const ModelTarget& target, const optimize::Estimates& estimates);

// model,target_return rows (one per model, names unique). InputError naming file, line and
// column for a bad cell.
std::vector<ModelTarget> load_model_targets(const std::filesystem::path& path);

}  // namespace tranche::wealth
