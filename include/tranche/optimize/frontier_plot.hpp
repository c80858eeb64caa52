#pragma once
// The efficient frontier as files: a CSV of its points (return, volatility, one weight column
// per symbol) and a hand-written SVG chart of volatility against return with the maximum-Sharpe
// and minimum-volatility portfolios marked. Both are plain text with deterministic bytes: the
// same points always give the same file.

#include <string>
#include <vector>

#include "tranche/optimize/efficient_frontier.hpp"

namespace tranche::optimize {

// Header "expected_return,volatility,SYM1,...", then one row per point; numbers in the
// shortest form that reads back to the same double.
std::string frontier_csv(const std::vector<FrontierPoint>& points, const std::vector<std::string>& symbols);

struct MarkedPortfolio {
  std::string label;  // e.g. "max Sharpe"
  Performance performance;
};

// An SVG of the frontier curve with each marked portfolio drawn as a labelled dot. The axes
// span the points and the marks with a margin; ticks are labelled in percent.
std::string frontier_svg(const std::vector<FrontierPoint>& points, const std::vector<MarkedPortfolio>& marks);

}  // namespace tranche::optimize
