// Price loading: the bundled PyPortfolioOpt file, the small fixtures of each form and
// dialect, and the exact message of each kind of bad input.

#include "tranche/data/prices.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace tranche::data {
namespace {

using std::chrono::April;
using std::chrono::January;

Date day(std::chrono::year_month_day ymd) { return Date{ymd}; }

std::string fixture(const std::string& name) { return std::string(TRANCHE_FIXTURES_DIR) + "/prices/" + name; }

const PriceTable& stock_prices() {
  static const PriceTable table = load_prices(std::string(TRANCHE_DATA_DIR) + "/prices/stock_prices.csv");
  return table;
}

double close(const PriceTable& table, const std::string& symbol, Date date) {
  const auto column = std::find(table.symbols.begin(), table.symbols.end(), symbol) - table.symbols.begin();
  const auto row = std::find(table.dates.begin(), table.dates.end(), date) - table.dates.begin();
  EXPECT_LT(static_cast<std::size_t>(column), table.cols()) << symbol;
  EXPECT_LT(static_cast<std::size_t>(row), table.rows()) << format_iso_date(date);
  return table.closes(row, column);
}

// The message of the InputError `load_prices` throws for a fixture, without the path prefix
// (the fixture's full path is checked to start the message).
std::string error_of(const std::string& name) {
  const std::string path = fixture(name);
  try {
    load_prices(path);
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.substr(0, path.size()), path) << message;
    return message.substr(path.size());
  }
  ADD_FAILURE() << name << " loaded without error";
  return "";
}

TEST(StockPricesCsv, Has7126RowsOf20SymbolsInHeaderOrder) {
  const PriceTable& table = stock_prices();
  EXPECT_EQ(table.rows(), 7126u);  // `wc -l` gives 7127 lines, one of them the header
  const std::vector<std::string> symbols = {"GOOG", "AAPL", "FB", "BABA", "AMZN", "GE",   "AMD",
                                            "WMT",  "BAC",  "GM", "T",    "UAA",  "SHLD", "XOM",
                                            "RRC",  "BBY",  "MA", "PFE",  "JPM",  "SBUX"};
  EXPECT_EQ(table.symbols, symbols);
  EXPECT_EQ(table.closes.rows(), 7126);
  EXPECT_EQ(table.closes.cols(), 20);
}

TEST(StockPricesCsv, RunsFrom1989_12_29To2018_04_11) {
  const PriceTable& table = stock_prices();
  EXPECT_EQ(table.dates.front(), day(std::chrono::year{1989} / 12 / 29));
  EXPECT_EQ(table.dates.back(), day(std::chrono::year{2018} / April / 11));
}

TEST(StockPricesCsv, HoldsTheCellsOfTheFile) {
  const PriceTable& table = stock_prices();
  // Line 3: 1990-01-02,,0.123853,...; last line: 2018-04-11,1019.969971,...,MA 172.360001,...
  EXPECT_EQ(close(table, "AAPL", day(std::chrono::year{1990} / January / 2)), 0.123853);
  EXPECT_EQ(table.closes(7125, 16), 172.360001);  // MA, last row
  EXPECT_EQ(close(table, "GOOG", day(std::chrono::year{2018} / April / 11)), 1019.969971);
  EXPECT_EQ(close(table, "SHLD", day(std::chrono::year{2018} / April / 11)), 3.3);
  EXPECT_TRUE(std::isnan(close(table, "GOOG", day(std::chrono::year{1990} / January / 2))));
}

TEST(StockPricesCsv, Has35589MissingCells) {
  // Counted with: awk -F, 'NR>1{for(i=2;i<=NF;i++) if($i=="") n++} END{print n}' stock_prices.csv
  EXPECT_EQ(stock_prices().missing(), 35589u);
}

TEST(StockPricesCsv, CoverageGivesEachSymbolsFirstDateAndMissingCells) {
  // First dates as in the data's README (late listings); missing = rows before the first date,
  // counted with awk -F, 'NR>1 && $N==""' for the symbol's column N.
  const auto symbols = coverage(stock_prices());
  ASSERT_EQ(symbols.size(), 20u);
  EXPECT_EQ(symbols[0].symbol, "GOOG");
  EXPECT_EQ(symbols[0].first, day(std::chrono::year{2004} / 8 / 19));
  EXPECT_EQ(symbols[0].last, day(std::chrono::year{2018} / April / 11));
  EXPECT_EQ(symbols[0].missing, 3691u);
  EXPECT_EQ(symbols[1].symbol, "AAPL");
  EXPECT_EQ(symbols[1].first, day(std::chrono::year{1989} / 12 / 29));
  EXPECT_EQ(symbols[1].missing, 0u);
  EXPECT_EQ(symbols[3].symbol, "BABA");
  EXPECT_EQ(symbols[3].first, day(std::chrono::year{2014} / 9 / 19));
  EXPECT_EQ(symbols[3].missing, 6230u);
}

TEST(WidePrices, ReadsEveryCellOfASmallFile) {
  const PriceTable table = load_prices(fixture("wide.csv"));
  EXPECT_EQ(table.symbols, (std::vector<std::string>{"AAPL", "MSFT", "SPY"}));
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_EQ(table.dates[0], day(std::chrono::year{2024} / January / 2));
  EXPECT_EQ(table.dates[2], day(std::chrono::year{2024} / January / 4));
  Eigen::MatrixXd expected(3, 3);
  expected << 185.64, 370.87, 472.65, 184.25, 370.60, 468.79, 181.91, 367.94, 467.28;
  EXPECT_EQ(table.closes, expected);
  EXPECT_EQ(table.missing(), 0u);
}

TEST(WidePrices, ReadsCrlfLinesWithoutAFinalLineBreakAsTheLfFile) {
  const PriceTable lf = load_prices(fixture("wide.csv"));
  const PriceTable crlf = load_prices(fixture("wide_crlf.csv"));
  EXPECT_EQ(crlf.symbols, lf.symbols);
  EXPECT_EQ(crlf.dates, lf.dates);
  EXPECT_EQ(crlf.closes, lf.closes);
}

TEST(WidePrices, ReadsOldMacLineBreaks) {
  // Lone "\r" line breaks: the table grows past the size guessed from "\n" line breaks.
  const PriceTable table = parse_prices("date,A\r2024-01-02,1\r2024-01-03,2\r2024-01-04,3", "cr.csv");
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_EQ(table.closes(0, 0), 1.0);
  EXPECT_EQ(table.closes(2, 0), 3.0);
  EXPECT_EQ(table.dates[2], day(std::chrono::year{2024} / January / 4));
}

TEST(WidePrices, SkipsAUtf8ByteOrderMark) {
  const PriceTable lf = load_prices(fixture("wide.csv"));
  const PriceTable bom = load_prices(fixture("wide_bom.csv"));
  EXPECT_EQ(bom.symbols, lf.symbols);  // "date" is recognised, "AAPL" has no stray bytes
  EXPECT_EQ(bom.closes, lf.closes);
}

TEST(WidePrices, KeepsEmptyCellsAndPandasMarkersAsMissing) {
  // 2024-01-02,,370.87,            (AAPL and SPY empty)
  // (a blank line, skipped)
  // 2024-01-03,184.25,NA,"468.79"  (MSFT "NA"; SPY quoted)
  // 2024-01-04,181.91,NaN,467.28   (MSFT "NaN")
  const PriceTable table = load_prices(fixture("wide_missing.csv"));
  ASSERT_EQ(table.rows(), 3u);
  EXPECT_TRUE(std::isnan(table.closes(0, 0)));
  EXPECT_EQ(table.closes(0, 1), 370.87);
  EXPECT_TRUE(std::isnan(table.closes(0, 2)));
  EXPECT_TRUE(std::isnan(table.closes(1, 1)));
  EXPECT_EQ(table.closes(1, 2), 468.79);
  EXPECT_TRUE(std::isnan(table.closes(2, 1)));
  EXPECT_EQ(table.closes(2, 2), 467.28);
  EXPECT_EQ(table.missing(), 4u);
}

TEST(WidePrices, AHeaderAloneIsAnEmptyTableWithItsSymbols) {
  const PriceTable table = parse_prices("date,AAPL,MSFT\n", "header_only.csv");
  EXPECT_EQ(table.symbols, (std::vector<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(table.rows(), 0u);
  EXPECT_EQ(table.closes.rows(), 0);
  EXPECT_EQ(table.closes.cols(), 2);
}

TEST(LongPrices, PivotsClosesIntoSortedSymbolsAndTheUnionOfDates) {
  // long.csv holds MSFT and AAPL rows out of order, MSFT's close of 2024-01-04 empty and one
  // SPY row on 2024-01-05 only.
  const PriceTable table = load_prices(fixture("long.csv"));
  EXPECT_EQ(table.symbols, (std::vector<std::string>{"AAPL", "MSFT", "SPY"}));
  ASSERT_EQ(table.rows(), 4u);
  EXPECT_EQ(table.dates.front(), day(std::chrono::year{2024} / January / 2));
  EXPECT_EQ(table.dates.back(), day(std::chrono::year{2024} / January / 5));
  const double nan = std::nan("");
  Eigen::MatrixXd expected(4, 3);
  expected << 185.64, 370.87, nan,  //
      184.25, 370.60, nan,          //
      181.91, nan, nan,             //
      nan, nan, 467.92;
  for (Eigen::Index r = 0; r < 4; ++r) {
    for (Eigen::Index c = 0; c < 3; ++c) {
      if (std::isnan(expected(r, c))) {
        EXPECT_TRUE(std::isnan(table.closes(r, c))) << r << "," << c;
      } else {
        EXPECT_EQ(table.closes(r, c), expected(r, c)) << r << "," << c;
      }
    }
  }
  EXPECT_EQ(table.missing(), 6u);
}

TEST(LongPrices, NeedsOnlyDateSymbolAndCloseColumnsInAnyOrder) {
  const PriceTable table = load_prices(fixture("long_closes_only.csv"));
  EXPECT_EQ(table.symbols, std::vector<std::string>{"AAPL"});
  ASSERT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.closes(1, 0), 184.25);
}

TEST(LongBars, GroupsBarsBySymbolInDateOrder) {
  const auto series = load_bars(fixture("long.csv"));
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].symbol, "AAPL");
  ASSERT_EQ(series[0].bars.size(), 3u);
  const Bar& first = series[0].bars[0];  // 2024-01-02,AAPL,187.15,188.44,183.89,185.64,82488700
  EXPECT_EQ(first.date, day(std::chrono::year{2024} / January / 2));
  EXPECT_EQ(first.open, 187.15);
  EXPECT_EQ(first.high, 188.44);
  EXPECT_EQ(first.low, 183.89);
  EXPECT_EQ(first.close, 185.64);
  EXPECT_EQ(first.volume, 82488700.0);
  EXPECT_EQ(series[0].bars[2].date, day(std::chrono::year{2024} / January / 4));
  EXPECT_EQ(series[1].symbol, "MSFT");
  ASSERT_EQ(series[1].bars.size(), 3u);
  EXPECT_TRUE(std::isnan(series[1].bars[2].close));  // 2024-01-04,MSFT,...,,20901500
  EXPECT_EQ(series[1].bars[2].volume, 20901500.0);
  EXPECT_EQ(series[2].symbol, "SPY");
  ASSERT_EQ(series[2].bars.size(), 1u);
  EXPECT_TRUE(std::isnan(series[2].bars[0].volume));
}

TEST(LongBars, NeedEveryBarColumn) {
  const std::string path = fixture("long_closes_only.csv");
  try {
    load_bars(path);
    FAIL() << "loaded bars without open, high, low and volume";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), path + ":1: expected a column named 'open' in the header");
  }
}

TEST(LongBars, AndPricesReportTheEarliestRepeatedDateAndSymbol) {
  // Line 4 repeats line 3 (AAPL) and line 5 repeats line 2 (MSFT): line 4 comes first.
  const std::string text =
      "date,symbol,open,high,low,close,volume\n"
      "2024-01-03,MSFT,1,1,1,1,1\n"
      "2024-01-02,AAPL,1,1,1,1,1\n"
      "2024-01-02,AAPL,2,2,2,2,2\n"
      "2024-01-03,MSFT,1,1,1,1,1\n";
  const std::string expected = "bars.csv:4: duplicate row for 'AAPL' on 2024-01-02 (first at line 3)";
  try {
    parse_bars(text, "bars.csv");
    ADD_FAILURE() << "bars loaded with a repeated row";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), expected);
  }
  try {
    parse_prices(text, "bars.csv");
    ADD_FAILURE() << "prices loaded with a repeated row";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), expected);
  }
}

TEST(PriceErrors, ANonNumberNamesItsCell) {
  EXPECT_EQ(error_of("error_not_a_number.csv"), ":3:3: field 'MSFT': expected a number, found 'abc'");
}

TEST(PriceErrors, ADuplicateSymbolNamesBothColumns) {
  EXPECT_EQ(error_of("error_duplicate_symbol.csv"), ":1:4: duplicate column name 'AAPL' (also column 2)");
}

TEST(PriceErrors, AnEmptyHeaderNameIsRejected) {
  EXPECT_EQ(error_of("error_empty_symbol.csv"), ":1:3: expected a column name, found an empty cell");
}

TEST(PriceErrors, AShortRowNamesTheFirstMissingColumn) {
  EXPECT_EQ(error_of("error_short_row.csv"), ":3:4: field 'SPY': expected 4 cells as in the header, found 3");
}

TEST(PriceErrors, ALongRowNamesTheFirstExtraColumn) {
  EXPECT_EQ(error_of("error_long_row.csv"), ":3:5: expected 4 cells as in the header, found 5");
}

TEST(PriceErrors, DatesMustAscend) {
  EXPECT_EQ(error_of("error_dates_descending.csv"),
            ":4:1: field 'date': expected a date after 2024-01-04 (dates must ascend), found '2024-01-03'");
}

TEST(PriceErrors, ARepeatedDateNamesItsFirstLine) {
  EXPECT_EQ(error_of("error_duplicate_date.csv"),
            ":4:1: field 'date': duplicate date 2024-01-03 (first at line 3)");
}

TEST(PriceErrors, ANegativePriceIsRejected) {
  EXPECT_EQ(error_of("error_negative_price.csv"),
            ":2:2: field 'AAPL': expected a price greater than 0, found '-185.64'");
}

TEST(PriceErrors, AZeroPriceIsRejected) {
  EXPECT_EQ(error_of("error_zero_price.csv"),
            ":2:3: field 'MSFT': expected a price greater than 0, found '0'");
}

TEST(PriceErrors, AnInfinitePriceIsRejected) {
  EXPECT_EQ(error_of("error_infinite_price.csv"),
            ":2:3: field 'MSFT': expected a finite number, found 'inf'");
}

TEST(PriceErrors, AnImpossibleDateIsRejected) {
  EXPECT_EQ(error_of("error_bad_date.csv"),
            ":3:1: field 'date': expected a date YYYY-MM-DD, found '2024-02-30'");
}

TEST(PriceErrors, TheWideFormStartsWithADateColumn) {
  EXPECT_EQ(error_of("error_first_column_not_date.csv"),
            ":1:1: expected 'date' as the first column, found 'day'");
}

TEST(PriceErrors, TheWideFormNeedsASymbol) {
  EXPECT_EQ(error_of("error_no_symbols.csv"), ":1:2: expected a column per symbol after 'date', found none");
}

TEST(PriceErrors, AnEmptyFileHasNoHeader) {
  EXPECT_EQ(error_of("error_empty.csv"), ":1: expected a header row, found an empty file");
}

TEST(PriceErrors, AnUnterminatedQuoteIsRejected) {
  EXPECT_EQ(error_of("error_unterminated_quote.csv"),
            ":3:2: field 'AAPL': expected a closing quote for the quoted cell, found the end of the file");
}

TEST(PriceErrors, ALongRowRepeatingADateAndSymbolNamesBothLines) {
  EXPECT_EQ(error_of("error_long_duplicate_row.csv"),
            ":5: duplicate row for 'AAPL' on 2024-01-03 (first at line 3)");
}

TEST(PriceErrors, ALongRowNeedsASymbol) {
  EXPECT_EQ(error_of("error_long_empty_symbol.csv"),
            ":3:2: field 'symbol': expected a symbol, found an empty cell");
}

TEST(PriceErrors, ANegativeVolumeIsRejected) {
  EXPECT_EQ(error_of("error_long_negative_volume.csv"),
            ":2:7: field 'volume': expected a volume of 0 or more, found '-5'");
}

TEST(PriceErrors, TheLongFormNeedsADateColumn) {
  EXPECT_EQ(error_of("error_long_no_date.csv"), ":1: expected a column named 'date' in the header");
}

TEST(PriceErrors, AMissingFileIsNotFound) {
  try {
    load_prices("no/such/prices.csv");
    FAIL() << "loaded a missing file";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::NotFound);
    EXPECT_EQ(std::string(error.what()), "cannot read 'no/such/prices.csv': No such file or directory");
  }
}

TEST(PriceErrors, ParsedTextIsNamedAsGiven) {
  try {
    parse_prices("date,AAPL\n2024-01-02,x\n", "inline.csv");
    FAIL() << "parsed a bad number";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), "inline.csv:2:2: field 'AAPL': expected a number, found 'x'");
    EXPECT_EQ(error.where().line, 2u);
    EXPECT_EQ(error.where().column, 2u);
    EXPECT_EQ(error.where().field, "AAPL");
    EXPECT_EQ(error.detail(), "expected a number, found 'x'");
  }
}

}  // namespace
}  // namespace tranche::data
