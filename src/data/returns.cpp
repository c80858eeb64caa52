#include "tranche/data/returns.hpp"

#include <cmath>

namespace tranche::data {

ReturnsTable returns_from_prices(const PriceTable& prices, ReturnKind kind, DropRows drop) {
  ReturnsTable out;
  out.symbols = prices.symbols;
  const auto symbols = static_cast<Eigen::Index>(prices.cols());
  if (prices.rows() < 2) {
    out.values.resize(0, symbols);
    return out;
  }
  const auto pairs = static_cast<Eigen::Index>(prices.rows() - 1);
  // NaN in either price gives NaN, as pct_change(fill_method=None) does.
  Eigen::MatrixXd all = prices.closes.bottomRows(pairs).array() / prices.closes.topRows(pairs).array();
  if (kind == ReturnKind::Simple) {
    all.array() -= 1.0;
  } else {
    all = all.array().log().matrix();
  }

  std::vector<Eigen::Index> kept;
  kept.reserve(static_cast<std::size_t>(pairs));
  for (Eigen::Index row = 0; row < pairs; ++row) {
    const Eigen::Index missing = all.row(row).array().isNaN().count();
    const bool keep = drop == DropRows::AllMissing ? missing < symbols : missing == 0;
    if (keep) kept.push_back(row);
  }
  out.values.resize(static_cast<Eigen::Index>(kept.size()), symbols);
  out.dates.reserve(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out.values.row(static_cast<Eigen::Index>(i)) = all.row(kept[i]);
    out.dates.push_back(prices.dates[static_cast<std::size_t>(kept[i]) + 1]);
  }
  return out;
}

}  // namespace tranche::data
