#pragma once
// Daily returns from prices, with pandas' missing-value semantics: a return is missing when
// either price is missing (pct_change with fill_method=None); then rows are dropped as
// dropna(how="all") does (PyPortfolioOpt's convention) or dropna() (how="any").

#include <Eigen/Core>
#include <string>
#include <vector>

#include "tranche/core/time.hpp"
#include "tranche/data/prices.hpp"

namespace tranche::data {

enum class ReturnKind { Simple, Log };           // p1/p0 - 1, or ln(p1/p0)
enum class DropRows { AllMissing, AnyMissing };  // dropna(how="all") / dropna(how="any")

struct ReturnsTable {
  std::vector<std::string> symbols;
  std::vector<Date> dates;  // the date of the later price of each pair
  Eigen::MatrixXd values;   // dates.size() x symbols.size(), NaN where missing
};

ReturnsTable returns_from_prices(const PriceTable& prices, ReturnKind kind = ReturnKind::Simple,
                                 DropRows drop = DropRows::AllMissing);

}  // namespace tranche::data
