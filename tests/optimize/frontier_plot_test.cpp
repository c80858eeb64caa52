// The frontier's CSV and SVG: exact text for a hand-made frontier, and the bundled data's
// frontier drawn with its max-Sharpe and min-volatility marks.

#include "tranche/optimize/frontier_plot.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tranche/core/error.hpp"

namespace tranche::optimize {
namespace {

std::vector<FrontierPoint> two_points() {
  return {FrontierPoint{0.1, 0.15, Eigen::Vector2d(0.75, 0.25)},
          FrontierPoint{0.2, 0.3, Eigen::Vector2d(0.0, 1.0)}};
}

TEST(FrontierCsv, WritesOneRowPerPointWithWeights) {
  EXPECT_EQ(frontier_csv(two_points(), {"AAA", "BBB"}),
            "expected_return,volatility,AAA,BBB\n"
            "0.1,0.15,0.75,0.25\n"
            "0.2,0.3,0,1\n");
}

TEST(FrontierCsv, RejectsWeightsThatDoNotMatchTheSymbols) {
  EXPECT_THROW((void)frontier_csv(two_points(), {"AAA"}), Error);
}

TEST(FrontierSvg, PlacesCurveAndMarksOnTheAxes) {
  // Volatility 0.15..0.30 padded by 5 % of the span (0.0075): x from 0.1425 to 0.3075 over
  // 550 px, so 0.15 lands at 70 + 0.0075 / 0.165 * 550 = 95.00 px; return 0.1..0.2 padded by
  // 0.005: y from 0.095 to 0.205 over 340 px, so 0.2 lands at 30 + 0.005 / 0.11 * 340 = 45.45.
  const std::string svg =
      frontier_svg(two_points(), {{"max Sharpe", {0.2, 0.3, 0.0}}, {"min volatility", {0.1, 0.15, 0.0}}});
  EXPECT_THAT(svg,
              testing::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"420\""));
  EXPECT_THAT(svg, testing::HasSubstr("points=\"95.00,354.55 595.00,45.45\""));
  EXPECT_THAT(svg, testing::HasSubstr("<circle cx=\"595.00\" cy=\"45.45\" r=\"6\" fill=\"#d62728\"/>"));
  EXPECT_THAT(svg, testing::HasSubstr(">max Sharpe</text>"));
  EXPECT_THAT(svg, testing::HasSubstr("<circle cx=\"95.00\" cy=\"354.55\" r=\"6\" fill=\"#1f77b4\"/>"));
  EXPECT_THAT(svg, testing::HasSubstr(">min volatility</text>"));
  // Ticks every 2 % (span 0.165 / 5 = 0.033: 3.3 x 10^-2 rounds to 2 x 10^-2), labelled in
  // percent, from 16 % to 30 % of volatility and 10 % to 20 % of return.
  EXPECT_THAT(svg, testing::HasSubstr("text-anchor=\"middle\">16%</text>"));
  EXPECT_THAT(svg, testing::HasSubstr("text-anchor=\"middle\">30%</text>"));
  EXPECT_THAT(svg, testing::Not(testing::HasSubstr("text-anchor=\"middle\">14%</text>")));
  EXPECT_THAT(svg, testing::HasSubstr("text-anchor=\"end\">10%</text>"));
  EXPECT_THAT(svg, testing::HasSubstr("text-anchor=\"end\">20%</text>"));
  EXPECT_THAT(svg, testing::EndsWith("</svg>\n"));
}

TEST(FrontierSvg, SameInputGivesTheSameBytes) {
  const std::vector<MarkedPortfolio> marks = {{"a & b", {0.15, 0.2, 0.0}}};
  const std::string first = frontier_svg(two_points(), marks);
  EXPECT_EQ(first, frontier_svg(two_points(), marks));
  EXPECT_THAT(first, testing::HasSubstr(">a &amp; b</text>"));
}

TEST(FrontierSvg, RefusesAnEmptyFrontier) { EXPECT_THROW((void)frontier_svg({}, {}), Error); }

}  // namespace
}  // namespace tranche::optimize
