#include "tranche/optimize/frontier_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tranche/core/error.hpp"

namespace tranche::optimize {

namespace {

constexpr double kWidth = 640.0;
constexpr double kHeight = 420.0;
constexpr double kLeft = 70.0;
constexpr double kRight = 20.0;
constexpr double kTop = 30.0;
constexpr double kBottom = 50.0;

// An axis over [low, high] with "nice" tick steps (1, 2 or 5 times a power of ten).
struct Axis {
  double low;
  double high;
  double step;

  static Axis spanning(double low, double high) {
    if (!(high > low)) {
      const double pad = std::max(std::abs(low) * 0.05, 1e-3);
      low -= pad;
      high += pad;
    }
    const double margin = 0.05 * (high - low);
    low -= margin;
    high += margin;
    const double raw = (high - low) / 5.0;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / power;
    const double step = (fraction < 1.5 ? 1.0 : fraction < 3.5 ? 2.0 : fraction < 7.5 ? 5.0 : 10.0) * power;
    return Axis{low, high, step};
  }
  // Ticks inside [low, high], as integer multiples of step (exact, no accumulated drift).
  std::vector<double> ticks() const {
    std::vector<double> out;
    for (double k = std::ceil(low / step); k * step <= high; k += 1.0) out.push_back(k * step);
    return out;
  }
  int percent_decimals() const {
    return std::max(0, -static_cast<int>(std::floor(std::log10(step * 100.0))));
  }
};

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string frontier_csv(const std::vector<FrontierPoint>& points, const std::vector<std::string>& symbols) {
  std::string out = "expected_return,volatility";
  for (const auto& symbol : symbols) out.append(",").append(symbol);
  out += "\n";
  for (const FrontierPoint& point : points) {
    if (point.weights.size() != static_cast<Eigen::Index>(symbols.size())) {
      throw Error(ErrorKind::InvalidArgument, "frontier CSV: a point's weights do not match the symbols");
    }
    out += fmt::format("{},{}", point.expected_return, point.volatility);
    for (Eigen::Index i = 0; i < point.weights.size(); ++i) out += fmt::format(",{}", point.weights(i) + 0.0);
    out += "\n";
  }
  return out;
}

std::string frontier_svg(const std::vector<FrontierPoint>& points,
                         const std::vector<MarkedPortfolio>& marks) {
  if (points.empty()) throw Error(ErrorKind::InvalidArgument, "frontier plot: no points to draw");
  double v_low = points.front().volatility;
  double v_high = v_low;
  double r_low = points.front().expected_return;
  double r_high = r_low;
  const auto extend = [&](double volatility, double expected_return) {
    v_low = std::min(v_low, volatility);
    v_high = std::max(v_high, volatility);
    r_low = std::min(r_low, expected_return);
    r_high = std::max(r_high, expected_return);
  };
  for (const auto& point : points) extend(point.volatility, point.expected_return);
  for (const auto& mark : marks) extend(mark.performance.volatility, mark.performance.expected_return);
  const Axis x = Axis::spanning(v_low, v_high);
  const Axis y = Axis::spanning(r_low, r_high);
  const double plot_width = kWidth - kLeft - kRight;
  const double plot_height = kHeight - kTop - kBottom;
  const auto px = [&](double volatility) {
    return kLeft + (volatility - x.low) / (x.high - x.low) * plot_width;
  };
  const auto py = [&](double expected_return) {
    return kTop + (y.high - expected_return) / (y.high - y.low) * plot_height;
  };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      kWidth, kHeight);
  svg += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"white\"/>\n", kWidth, kHeight);
  svg += fmt::format(
      "<text x=\"{:.2f}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">Efficient frontier</text>\n",
      kLeft + plot_width / 2.0);
  // Grid and tick labels.
  for (double tick : x.ticks()) {
    svg += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\" stroke=\"#dddddd\"/>\n"
        "<text x=\"{0:.2f}\" y=\"{3:.2f}\" text-anchor=\"middle\">{4:.{5}f}%</text>\n",
        px(tick), kTop, kTop + plot_height, kTop + plot_height + 16.0, tick * 100.0 + 0.0,
        x.percent_decimals());
  }
  for (double tick : y.ticks()) {
    svg += fmt::format(
        "<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{2:.2f}\" y2=\"{1:.2f}\" stroke=\"#dddddd\"/>\n"
        "<text x=\"{3:.2f}\" y=\"{4:.2f}\" text-anchor=\"end\">{5:.{6}f}%</text>\n",
        kLeft, py(tick), kLeft + plot_width, kLeft - 6.0, py(tick) + 4.0, tick * 100.0 + 0.0,
        y.percent_decimals());
  }
  svg += fmt::format(
      "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"none\" stroke=\"black\"/>\n",
      kLeft, kTop, plot_width, plot_height);
  svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" text-anchor=\"middle\">Annual volatility</text>\n",
                     kLeft + plot_width / 2.0, kHeight - 12.0);
  svg += fmt::format(
      "<text x=\"16\" y=\"{0:.2f}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {0:.2f})\">Expected "
      "annual "
      "return</text>\n",
      kTop + plot_height / 2.0);
  // The curve.
  svg += "<polyline fill=\"none\" stroke=\"#333333\" stroke-width=\"2\" points=\"";
  for (std::size_t k = 0; k < points.size(); ++k) {
    svg += fmt::format("{}{:.2f},{:.2f}", k == 0 ? "" : " ", px(points[k].volatility),
                       py(points[k].expected_return));
  }
  svg += "\"/>\n";
  // The marks.
  static const char* const colours[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd"};
  for (std::size_t m = 0; m < marks.size(); ++m) {
    const double cx = px(marks[m].performance.volatility);
    const double cy = py(marks[m].performance.expected_return);
    svg += fmt::format(
        "<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"6\" fill=\"{}\"/>\n"
        "<text x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n",
        cx, cy, colours[m % 4], cx + 9.0, cy - 8.0, escape(marks[m].label));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace tranche::optimize
