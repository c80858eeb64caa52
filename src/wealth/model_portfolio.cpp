#include "tranche/wealth/model_portfolio.hpp"

#include <algorithm>
#include <cmath>

#include "tranche/core/error.hpp"

namespace tranche::wealth {

namespace {
[[noreturn]] void invalid(const std::string& model, const std::string& what) {
  throw Error(ErrorKind::InvalidArgument, "model portfolio '" + model + "': " + what);
}
}  // namespace

ModelPortfolio::ModelPortfolio(std::string name, std::vector<ModelWeight> weights, WeightSum rule)
    : name_(std::move(name)), weights_(std::move(weights)) {
  if (name_.empty()) invalid(name_, "a model needs a name");
  int decimals = 0;
  std::size_t nonzero = 0;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    const auto& w = weights_[i];
    if (w.symbol.empty()) invalid(name_, "weight " + std::to_string(i + 1) + " has no symbol");
    if (w.weight.sign() < 0) invalid(name_, w.symbol + " has a negative weight " + w.weight.to_string());
    for (std::size_t j = 0; j < i; ++j)
      if (weights_[j].symbol == w.symbol) invalid(name_, w.symbol + " is listed twice");
    weight_sum_ += w.weight;
    decimals = std::max(decimals, w.weight.decimals());
    if (w.weight.sign() > 0) ++nonzero;
  }
  if (nonzero == 0) invalid(name_, "no weight above zero");
  const Decimal one = Decimal::from_int(1);
  if (rule == WeightSum::Exact) {
    if (weight_sum_ != one) invalid(name_, "weights sum to " + weight_sum_.to_string() + ", not exactly 1");
    return;
  }
  // Half a unit of the last printed decimal per nonzero weight.
  Int128 unit = 1;
  for (int d = decimals; d < Decimal::kScale; ++d) unit *= 10;
  const Decimal tolerance = Decimal::from_raw(unit / 2) * static_cast<std::int64_t>(nonzero);
  if ((weight_sum_ - one).abs() > tolerance) {
    invalid(name_, "weights sum to " + weight_sum_.to_string() + ", further from 1 than the rounding of " +
                       std::to_string(nonzero) + " weights printed to " + std::to_string(decimals) +
                       " decimals explains (" + tolerance.to_string() + ")");
  }
}

Decimal ModelPortfolio::weight(const std::string& symbol) const {
  for (const auto& w : weights_)
    if (w.symbol == symbol) return w.weight;
  return {};
}

std::vector<ModelWeight> clean_weights(const std::map<std::string, double>& raw, double cutoff,
                                       int decimals) {
  std::vector<ModelWeight> cleaned;
  std::vector<Decimal> kept;
  for (const auto& [symbol, value] : raw) {
    if (!std::isfinite(value))
      throw Error(ErrorKind::InvalidArgument, "clean_weights: " + symbol + " is not finite");
    if (std::abs(value) < cutoff) {
      kept.push_back(Decimal());
    } else {
      if (value < 0)
        throw Error(ErrorKind::InvalidArgument,
                    "clean_weights: " + symbol + " has a short weight " + std::to_string(value));
      kept.push_back(Decimal::from_double(value, Decimal::kScale, Rounding::HalfEven));
    }
    cleaned.push_back({symbol, {}});
  }
  if (std::all_of(kept.begin(), kept.end(), [](Decimal d) { return d.is_zero(); }))
    throw Error(ErrorKind::InvalidArgument, "clean_weights: every weight is below the cutoff");
  const auto parts = allocate(Decimal::from_int(1), kept, decimals);
  for (std::size_t i = 0; i < parts.size(); ++i) cleaned[i].weight = parts[i];
  return cleaned;
}

}  // namespace tranche::wealth
