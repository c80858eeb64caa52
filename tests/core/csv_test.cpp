// The CSV reader: dialect (quotes, line endings, blank lines, BOM), header lookup, typed
// cells, and where its errors point.

#include "tranche/core/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tranche {
namespace {

std::vector<std::vector<std::string>> records_of(std::string_view text) {
  CsvReader reader(text, "t.csv");
  std::vector<std::vector<std::string>> out;
  while (reader.next_record()) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < reader.cell_count(); ++i) cells.emplace_back(reader.cell(i));
    out.push_back(cells);
  }
  return out;
}

std::string message_of(std::string_view text) {
  try {
    CsvReader reader(text, "t.csv");
    reader.read_header();
    while (reader.next_record()) {
    }
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

using Records = std::vector<std::vector<std::string>>;

TEST(CsvReader, SplitsCellsAtDelimitersAndRecordsAtAnyLineBreak) {
  EXPECT_EQ(records_of("a,b\nc,d\r\ne,f\rg,h"), (Records{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}}));
}

TEST(CsvReader, KeepsEmptyCellsIncludingALastOne) {
  EXPECT_EQ(records_of(",x,\n,"), (Records{{"", "x", ""}, {"", ""}}));
}

TEST(CsvReader, SkipsBlankLinesButCountsThem) {
  CsvReader reader("a\n\n\r\nb\n\n", "t.csv");
  ASSERT_TRUE(reader.next_record());
  EXPECT_EQ(reader.line(), 1u);
  ASSERT_TRUE(reader.next_record());
  EXPECT_EQ(reader.cell(0), "b");
  EXPECT_EQ(reader.line(), 4u);
  EXPECT_FALSE(reader.next_record());
}

TEST(CsvReader, UnquotesCellsWithDelimitersLineBreaksAndDoubledQuotes) {
  CsvReader reader("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\nnext,\"\",x\"y\n", "t.csv");
  ASSERT_TRUE(reader.next_record());
  ASSERT_EQ(reader.cell_count(), 3u);
  EXPECT_EQ(reader.cell(0), "a,b");
  EXPECT_EQ(reader.cell(1), "say \"hi\"");
  EXPECT_EQ(reader.cell(2), "two\nlines");
  ASSERT_TRUE(reader.next_record());
  EXPECT_EQ(reader.line(), 3u);  // the quoted line break counts
  EXPECT_EQ(reader.cell(1), "");
  EXPECT_EQ(reader.cell(2), "x\"y");  // a quote inside an unquoted cell is kept
}

TEST(CsvReader, SkipsAByteOrderMark) {
  EXPECT_EQ(records_of("\xEF\xBB\xBFid\n1\n"), (Records{{"id"}, {"1"}}));
}

TEST(CsvReader, UsesAnotherDelimiterWhenAsked) {
  CsvReader reader("a;b,c\n", "t.csv", ';');
  ASSERT_TRUE(reader.next_record());
  EXPECT_EQ(reader.cell(1), "b,c");
}

TEST(CsvReader, FindsHeaderColumnsIgnoringCase) {
  CsvReader reader("Date,Symbol,CLOSE\n", "t.csv");
  reader.read_header();
  EXPECT_EQ(reader.find_column("date"), 0u);
  EXPECT_EQ(reader.find_column("close"), 2u);
  EXPECT_EQ(reader.find_column("volume"), std::nullopt);
  EXPECT_EQ(reader.require_column("symbol"), 1u);
  try {
    reader.require_column("volume");
    FAIL() << "found a missing column";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), "t.csv:1: expected a column named 'volume' in the header");
  }
}

TEST(CsvReader, ChecksEveryRecordAgainstTheHeader) {
  EXPECT_EQ(message_of("a,b,c\n1,2,3\n1,2\n"),
            "t.csv:3:3: field 'c': expected 3 cells as in the header, found 2");
  EXPECT_EQ(message_of("a,b\n1,2,3\n"), "t.csv:2:3: expected 2 cells as in the header, found 3");
}

TEST(CsvReader, RefusesTextAfterAClosingQuote) {
  EXPECT_EQ(
      message_of("a,b\n\"1\"x,2\n"),
      "t.csv:2:1: field 'a': expected a delimiter or the end of the line after a closing quote, found 'x'");
}

TEST(CsvReader, ParsesNumbersWithFromChars) {
  CsvReader reader("x\n+1.5\n-2e3\n0.000001\n", "t.csv");
  reader.read_header();
  std::vector<double> values;
  while (reader.next_record()) values.push_back(reader.number(0));
  EXPECT_EQ(values, (std::vector<double>{1.5, -2000.0, 0.000001}));
}

TEST(CsvReader, ExplainsWhyANumberIsRejected) {
  const auto number_error = [](std::string_view cell) {
    const std::string text = "x\n" + std::string(cell) + "\n";
    CsvReader reader(text, "t.csv");
    reader.read_header();
    reader.next_record();
    try {
      reader.number(0);
    } catch (const InputError& error) {
      return error.detail();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(number_error("1.5x"), "expected a number, found '1.5x'");
  EXPECT_EQ(number_error("1e999"), "expected a number within the range of a double, found '1e999'");
  EXPECT_EQ(number_error("-inf"), "expected a finite number, found '-inf'");
  EXPECT_EQ(number_error("+-1"), "expected a number, found '+-1'");
  EXPECT_EQ(number_error(" 1"), "expected a number, found ' 1'");
  EXPECT_EQ(number_error("NA"), "expected a number, found 'NA'");
}

TEST(CsvReader, TreatsPandasMissingMarkersAsNoNumber) {
  CsvReader reader("x,y,z,w\n,NA,nan,#N/A\n", "t.csv");
  reader.read_header();
  ASSERT_TRUE(reader.next_record());
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(reader.optional_number(i), std::nullopt) << i;
}

TEST(CsvReader, ParsesIsoDates) {
  CsvReader reader("d\n2024-02-29\n2023-02-29\n", "t.csv");
  reader.read_header();
  ASSERT_TRUE(reader.next_record());
  EXPECT_EQ(reader.date(0), Date{std::chrono::year{2024} / 2 / 29});
  ASSERT_TRUE(reader.next_record());
  try {
    reader.date(0);
    FAIL() << "accepted 2023-02-29";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              "t.csv:3:1: field 'd': expected a date YYYY-MM-DD, found '2023-02-29'");
  }
}

TEST(CsvReader, LocatesARecordLevelErrorByLineAlone) {
  CsvReader reader("id,name\nA1,x\n\nA1,y\n", "accounts.csv");
  reader.read_header();
  ASSERT_TRUE(reader.next_record());
  ASSERT_TRUE(reader.next_record());
  try {
    reader.fail_record("duplicate account 'A1' (first at line 2)");
    FAIL() << "fail_record returned";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()), "accounts.csv:4: duplicate account 'A1' (first at line 2)");
    EXPECT_EQ(error.where().column, 0u);
  }
}

TEST(CsvReader, WorksWithoutAHeader) {
  EXPECT_EQ(records_of("1,2,3\n4\n"), (Records{{"1", "2", "3"}, {"4"}}));
}

TEST(QuoteForMessage, EscapesControlBytesAndShortensLongText) {
  EXPECT_EQ(quote_for_message("a\tb\x01"), "'a\\x09b\\x01'");
  EXPECT_EQ(quote_for_message("abcdefgh", 3), "'abc...'");
}

TEST(ReadTextFile, ReturnsTheBytesOfAFile) {
  const std::string text = read_text_file(std::string(TRANCHE_FIXTURES_DIR) + "/prices/wide_crlf.csv");
  EXPECT_EQ(text.substr(0, 20), "date,AAPL,MSFT,SPY\r\n");
  EXPECT_EQ(text.back(), '8');  // 467.28, no final line break
}

TEST(ReadTextFile, ReportsADirectoryAsAnIoError) {
  const std::string dir = TRANCHE_FIXTURES_DIR;
  try {
    read_text_file(dir);
    FAIL() << "read a directory";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Io);
    EXPECT_EQ(std::string(error.what()), "cannot read '" + dir + "': Is a directory");
  }
}

}  // namespace
}  // namespace tranche
