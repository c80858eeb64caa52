#include "tranche/data/returns.hpp"

#include <cmath>
#include <utility>

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

  // Missing returns per row, counted a column at a time (the matrix is column-major).
  Eigen::VectorXi missing = Eigen::VectorXi::Zero(pairs);
  for (Eigen::Index column = 0; column < symbols; ++column) {
    missing += all.col(column).array().isNaN().cast<int>().matrix();
  }
  std::vector<Eigen::Index> kept;
  kept.reserve(static_cast<std::size_t>(pairs));
  for (Eigen::Index row = 0; row < pairs; ++row) {
    const bool keep = drop == DropRows::AllMissing ? missing(row) < symbols : missing(row) == 0;
    if (keep) kept.push_back(row);
  }
  for (const Eigen::Index row : kept) out.dates.push_back(prices.dates[static_cast<std::size_t>(row) + 1]);
  if (static_cast<Eigen::Index>(kept.size()) == pairs) {
    out.values = std::move(all);
  } else {
    out.values = all(kept, Eigen::all);
  }
  return out;
}

}  // namespace tranche::data
