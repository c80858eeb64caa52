#pragma once
// Model portfolios: the target weights an account's goal follows, one model per risk bucket.
// Weights are exact decimals. The optimizer's doubles become decimals only in clean_weights,
// the one named boundary (Decimal::from_double, then a largest-remainder split of exactly 1).

#include <map>
#include <string>
#include <vector>

#include "tranche/core/decimal.hpp"

namespace tranche::wealth {

struct ModelWeight {
  std::string symbol;
  Decimal weight;
};

// What sum of weights a model accepts.
enum class WeightSum {
  // The weights sum to exactly 1: splits of an order then sum exactly to the order.
  Exact,
  // The weights are printed to d decimals (as clean_weights leaves them), so their sum may
  // miss 1 by up to half a unit of the d-th decimal per nonzero weight. They are used as
  // printed: splits then sum to amount x (sum of weights), not to the amount. This is how
  // the robo-advisor chapter's Moderate (sum 1.00001) and Conservative (0.99999) models run.
  Printed,
};

class ModelPortfolio {
 public:
  // Checks: a name, at least one weight > 0, no negative weight, no symbol twice, and the sum
  // rule. Error(InvalidArgument) naming the model and the offending value otherwise.
  ModelPortfolio(std::string name, std::vector<ModelWeight> weights, WeightSum rule = WeightSum::Exact);

  const std::string& name() const { return name_; }
  // In the order given, zero weights included.
  const std::vector<ModelWeight>& weights() const { return weights_; }
  Decimal weight_sum() const { return weight_sum_; }
  Decimal weight(const std::string& symbol) const;  // zero when absent

 private:
  std::string name_;
  std::vector<ModelWeight> weights_;
  Decimal weight_sum_;
};

// PyPortfolioOpt's clean_weights(cutoff, rounding), held exactly: weights whose magnitude is
// below `cutoff` become 0, the rest are converted (Decimal::from_double at 18 decimals,
// half-even) and rounded to `decimals` decimals by a largest-remainder split of exactly 1 in
// proportion to them, so the result sums to exactly 1 (PyPortfolioOpt's own rounding can miss
// 1 by a few units of the last decimal). Negative weights (short positions) are an error.
std::vector<ModelWeight> clean_weights(const std::map<std::string, double>& raw, double cutoff = 1e-4,
                                       int decimals = 5);

}  // namespace tranche::wealth
