// Random damage to a valid price file either still loads into a consistent table or is
// refused with an InputError pointing inside the text: never a crash, another exception or a
// half-filled table. Seeded under CTest (RC_PARAMS in tests/CMakeLists.txt), so every run checks
// the same cases; CI runs them under ASan and UBSan too.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "tranche/core/error.hpp"
#include "tranche/data/prices.hpp"

namespace tranche::data {
namespace {

const std::string kWide =
    "date,AAPL,MSFT,SPY\n2024-01-02,185.64,370.87,472.65\n2024-01-03,184.25,,468.79\n"
    "2024-01-04,181.91,367.94,\"467.28\"\n";
const std::string kLong =
    "date,symbol,open,high,low,close,volume\n2024-01-03,MSFT,369.01,373.26,368.51,370.60,23083500\n"
    "2024-01-02,MSFT,373.86,375.90,366.77,370.87,25258600\n2024-01-02,AAPL,187.15,188.44,183.89,185.64,"
    "8248\n";

// One edit: what to do, where (taken modulo the text's size) and which byte to write.
enum Edit { kInsert, kErase, kReplace, kDuplicateLine, kTruncate, kEditCount };
using Mutation = std::tuple<int, std::size_t, char>;

std::string mutate(std::string text, const std::vector<Mutation>& mutations) {
  for (const auto& [edit, where, byte] : mutations) {
    const std::size_t at = text.empty() ? 0 : where % (text.size() + 1);
    switch (edit % kEditCount) {
      case kInsert:
        text.insert(at, 1, byte);
        break;
      case kErase:
        if (at < text.size()) text.erase(at, 1);
        break;
      case kReplace:
        if (at < text.size()) text[at] = byte;
        break;
      case kDuplicateLine: {
        const std::size_t start = text.rfind('\n', at == 0 ? 0 : at - 1);
        const std::size_t line_start = start == std::string::npos || at == 0 ? 0 : start + 1;
        const std::size_t line_end = std::min(text.find('\n', line_start), text.size());
        text.insert(line_start, text.substr(line_start, line_end - line_start) + "\n");
        break;
      }
      case kTruncate:
        text.resize(at);
        break;
    }
  }
  return text;
}

std::size_t line_count(const std::string& text) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++lines;
  }
  return lines;
}

rc::Gen<std::vector<Mutation>> mutations() {
  const auto bytes = rc::gen::element<char>(',', '\n', '\r', '"', '-', '+', '.', '0', '1', '9', 'e', 'N', 'A',
                                            ' ', 'x', '\0', '\xEF', '\xBB', '\xBF');
  return rc::gen::resize(
      8, rc::gen::container<std::vector<Mutation>>(rc::gen::tuple(
             rc::gen::inRange(0, static_cast<int>(kEditCount)), rc::gen::arbitrary<std::size_t>(), bytes)));
}

void loads_or_refuses_within_the_text(const std::string& original, const std::vector<Mutation>& edits) {
  const std::string text = mutate(original, edits);
  try {
    const PriceTable table = parse_prices(text, "mutated.csv");
    RC_ASSERT(static_cast<std::size_t>(table.closes.rows()) == table.dates.size());
    RC_ASSERT(static_cast<std::size_t>(table.closes.cols()) == table.symbols.size());
    RC_ASSERT(std::adjacent_find(table.dates.begin(), table.dates.end(), std::greater_equal<>()) ==
              table.dates.end());
    RC_ASSERT(std::set<std::string>(table.symbols.begin(), table.symbols.end()).size() ==
              table.symbols.size());
    RC_ASSERT(
        std::none_of(table.symbols.begin(), table.symbols.end(), [](const auto& s) { return s.empty(); }));
    RC_ASSERT((table.closes.array().isNaN() || (table.closes.array() > 0 && table.closes.array().isFinite()))
                  .all());
  } catch (const InputError& error) {
    const std::size_t delimiters = static_cast<std::size_t>(std::count(text.begin(), text.end(), ','));
    RC_ASSERT(std::string(error.what()).rfind("mutated.csv:", 0) == 0);
    RC_ASSERT(error.where().line >= 1);
    RC_ASSERT(error.where().line <= line_count(text));
    RC_ASSERT(error.where().column <= delimiters + 2);  // a record has at most delimiters + 1 cells
  }
}

RC_GTEST_PROP(PricesProperty, DamagedWideFilesLoadConsistentlyOrFailInsideTheText, ()) {
  loads_or_refuses_within_the_text(kWide, *mutations());
}

RC_GTEST_PROP(PricesProperty, DamagedLongFilesLoadConsistentlyOrFailInsideTheText, ()) {
  loads_or_refuses_within_the_text(kLong, *mutations());
}

// Outcome of a load: the closes by (symbol, date) it gave, or the message it threw.
using Outcome = std::variant<std::map<std::pair<std::string, Date>, double>, std::string>;

RC_GTEST_PROP(PricesProperty, BarsAndPricesOfADamagedLongFileAgree, ()) {
  const std::string text = mutate(kLong, *mutations());
  Outcome from_bars;
  try {
    std::map<std::pair<std::string, Date>, double> closes;
    for (const auto& series : parse_bars(text, "mutated.csv")) {
      for (const auto& bar : series.bars) {
        if (!std::isnan(bar.close)) closes[{series.symbol, bar.date}] = bar.close;
      }
    }
    from_bars = closes;
  } catch (const InputError& error) {
    // Bars need every OHLCV column; prices do not, so only other refusals must match.
    RC_PRE(error.detail().rfind("expected a column named", 0) != 0);
    from_bars = std::string(error.what());
  }
  Outcome from_prices;
  try {
    const PriceTable table = parse_prices(text, "mutated.csv");
    std::map<std::pair<std::string, Date>, double> closes;
    for (std::size_t c = 0; c < table.cols(); ++c) {
      for (std::size_t r = 0; r < table.rows(); ++r) {
        const double value = table.closes(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
        if (!std::isnan(value)) closes[{table.symbols[c], table.dates[r]}] = value;
      }
    }
    from_prices = closes;
  } catch (const InputError& error) {
    from_prices = std::string(error.what());
  }
  RC_ASSERT(from_bars == from_prices);
}

}  // namespace
}  // namespace tranche::data
