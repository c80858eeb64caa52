// The price loaders on arbitrary bytes: a text is a price table (or bars) that keeps the
// documented rules, or is refused with a tranche::Error; never a crash or another exception.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "tranche/core/error.hpp"
#include "tranche/data/prices.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const tranche::data::PriceTable table = tranche::data::parse_prices(text, "fuzz.csv");
    FUZZ_CHECK(static_cast<std::size_t>(table.closes.rows()) == table.rows());
    FUZZ_CHECK(static_cast<std::size_t>(table.closes.cols()) == table.cols());
    for (std::size_t row = 1; row < table.rows(); ++row) FUZZ_CHECK(table.dates[row - 1] < table.dates[row]);
    for (Eigen::Index r = 0; r < table.closes.rows(); ++r) {
      for (Eigen::Index c = 0; c < table.closes.cols(); ++c) {
        const double close = table.closes(r, c);
        FUZZ_CHECK(std::isnan(close) || (std::isfinite(close) && close > 0.0));
      }
    }
  } catch (const tranche::Error&) {
  }
  try {
    for (const auto& series : tranche::data::parse_bars(text, "fuzz.csv")) {
      FUZZ_CHECK(!series.symbol.empty());
      for (std::size_t i = 1; i < series.bars.size(); ++i)
        FUZZ_CHECK(series.bars[i - 1].date < series.bars[i].date);
    }
  } catch (const tranche::Error&) {
  }
  return 0;
}
