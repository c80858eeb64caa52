// Exchange calendars on the bundled NYSE tables (data/calendars) and on small bad tables.
// Expected UTC times follow from New York wall-clock times: EST is UTC-5, EDT is UTC-4
// (in 2024 EDT ran from 2024-03-10 to 2024-11-03).

#include "tranche/core/calendar.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "tranche/core/error.hpp"

namespace tranche {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

constexpr Date ymd(int y, unsigned m, unsigned d) { return Date{year{y} / month{m} / day{d}}; }
Timestamp at(std::string_view text) { return parse_timestamp(text); }

// Loaded once: the tables are read-only and loading takes a few milliseconds.
const NyseCalendar& nyse() {
  static const NyseCalendar calendar = NyseCalendar::load(TRANCHE_DATA_DIR);
  return calendar;
}

// The message of the tranche::Error that f throws.
template <class F>
std::string error_message(F&& f, ErrorKind expected_kind = ErrorKind::InvalidArgument) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), expected_kind) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return "";
}

TEST(NyseCalendar, ClosesAtOnePmDayAfterThanksgiving) {
  const auto session = nyse().session(ymd(2024, 11, 29));
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->open, at("2024-11-29T14:30:00Z"));   // 09:30 EST
  EXPECT_EQ(session->close, at("2024-11-29T18:00:00Z"));  // 13:00 EST
  EXPECT_TRUE(session->early_close);
  EXPECT_FALSE(session->late_open);
  EXPECT_TRUE(nyse().is_open(at("2024-11-29T17:59:59Z")));
  EXPECT_FALSE(nyse().is_open(at("2024-11-29T18:00:00Z")));
}

TEST(NyseCalendar, ClosedOnTheNationalDayOfMourningForJimmyCarter) {
  EXPECT_FALSE(nyse().is_session(ymd(2025, 1, 9)));
  EXPECT_FALSE(nyse().is_open(at("2025-01-09T15:00:00Z")));
  EXPECT_TRUE(nyse().is_session(ymd(2025, 1, 8)));
  EXPECT_TRUE(nyse().is_session(ymd(2025, 1, 10)));
}

TEST(NyseCalendar, ClosedOnIndependenceDayAndGoodFriday) {
  EXPECT_FALSE(nyse().is_session(ymd(2024, 7, 4)));
  EXPECT_FALSE(nyse().is_open(at("2024-07-04T15:00:00Z")));
  EXPECT_FALSE(nyse().is_session(ymd(2024, 3, 29)));
  EXPECT_FALSE(nyse().is_open(at("2024-03-29T15:00:00Z")));
}

TEST(NyseCalendar, OpensAnHourEarlierInUtcAfterTheSpringClockChange) {
  // Friday 2024-03-08 is EST (UTC-5); Monday 2024-03-11 is EDT (UTC-4).
  const auto friday = nyse().session(ymd(2024, 3, 8));
  const auto monday = nyse().session(ymd(2024, 3, 11));
  ASSERT_TRUE(friday && monday);
  EXPECT_EQ(friday->open, at("2024-03-08T14:30:00Z"));
  EXPECT_EQ(friday->close, at("2024-03-08T21:00:00Z"));
  EXPECT_EQ(monday->open, at("2024-03-11T13:30:00Z"));
  EXPECT_EQ(monday->close, at("2024-03-11T20:00:00Z"));
  EXPECT_TRUE(nyse().is_open(at("2024-03-11T13:45:00Z")));
  EXPECT_FALSE(nyse().is_open(at("2024-03-08T14:15:00Z")));
}

TEST(NyseCalendar, NeverTradesOnASaturday) {
  EXPECT_FALSE(nyse().is_session(ymd(2024, 11, 30)));
  EXPECT_FALSE(nyse().is_open(at("2024-11-30T15:00:00Z")));
}

TEST(NyseCalendar, IsOpenFromTheOpeningInstantUntilJustBeforeTheClose) {
  // Wednesday 2024-11-27, a regular session: 09:30-16:00 EST = 14:30-21:00 UTC.
  EXPECT_FALSE(nyse().is_open(at("2024-11-27T14:29:59.999999999Z")));
  EXPECT_TRUE(nyse().is_open(at("2024-11-27T14:30:00Z")));
  EXPECT_TRUE(nyse().is_open(at("2024-11-27T20:59:59.999999999Z")));
  EXPECT_FALSE(nyse().is_open(at("2024-11-27T21:00:00Z")));  // 16:00:00 exactly is closed
  EXPECT_FALSE(nyse().is_open(at("2024-11-27T16:00:00-05:00")));
}

TEST(NyseCalendar, NextOpenSkipsTheWeekend) {
  EXPECT_EQ(nyse().next_open(at("2024-11-29T18:30:00Z")), at("2024-12-02T14:30:00Z"));
  EXPECT_EQ(nyse().next_open(at("2024-11-30T12:00:00Z")), at("2024-12-02T14:30:00Z"));
}

TEST(NyseCalendar, NextOpenSkipsGoodFridayAndTheWeekend) {
  // Thursday 2024-03-28 close -> Monday 2024-04-01 open (EDT).
  EXPECT_EQ(nyse().next_open(at("2024-03-28T20:00:00Z")), at("2024-04-01T13:30:00Z"));
  // From the early close of 2024-07-03 over Independence Day to Friday 2024-07-05.
  EXPECT_EQ(nyse().next_open(at("2024-07-03T17:00:00Z")), at("2024-07-05T13:30:00Z"));
}

TEST(NyseCalendar, NextOpenAfterSeptember11IsTheLateOpenOfSeptember17) {
  // Closed 2001-09-11 to 2001-09-14; reopened Monday 2001-09-17 at 09:33 EDT.
  EXPECT_EQ(nyse().next_open(at("2001-09-10T20:00:00Z")), at("2001-09-17T13:33:00Z"));
}

TEST(NyseCalendar, NextOpenIsStrictlyAfterTheGivenInstant) {
  EXPECT_EQ(nyse().next_open(at("2024-12-02T14:30:00Z")), at("2024-12-03T14:30:00Z"));
  EXPECT_EQ(nyse().next_open(at("2024-12-02T14:29:59Z")), at("2024-12-02T14:30:00Z"));
}

TEST(NyseCalendar, NextCloseOnAnEarlyCloseDayIsOnePm) {
  EXPECT_EQ(nyse().next_close(at("2024-11-29T15:00:00Z")), at("2024-11-29T18:00:00Z"));
  EXPECT_EQ(nyse().next_close(at("2024-11-29T08:00:00Z")), at("2024-11-29T18:00:00Z"));
  // At the close itself the next close is the next session's.
  EXPECT_EQ(nyse().next_close(at("2024-11-29T18:00:00Z")), at("2024-12-02T21:00:00Z"));
}

TEST(NyseCalendar, Has252SessionsIn2024And250In2025) {
  // 2024 has 366 days starting on a Monday: 52 weeks plus a Monday and a Tuesday, so 262
  // weekdays. nyse_holidays.csv lists 10 dates in 2024 (grep -c '^2024' counts them; the
  // loader rejects weekends), so 262 - 10 = 252. 2025: 365 days from a Wednesday = 261
  // weekdays, minus 11 listed closures (10 holidays and 2025-01-09) = 250.
  const auto sessions_2024 = nyse().sessions(ymd(2024, 1, 1), ymd(2024, 12, 31));
  ASSERT_EQ(sessions_2024.size(), 252U);
  EXPECT_EQ(sessions_2024.front().date, ymd(2024, 1, 2));
  EXPECT_EQ(sessions_2024.back().date, ymd(2024, 12, 31));
  EXPECT_EQ(nyse().sessions(ymd(2025, 1, 1), ymd(2025, 12, 31)).size(), 250U);
}

TEST(NyseCalendar, SessionsIncludeBothEndsOfTheRange) {
  const auto sessions = nyse().sessions(ymd(2024, 11, 27), ymd(2024, 12, 2));
  ASSERT_EQ(sessions.size(), 3U);  // Wednesday, Friday (Thursday is Thanksgiving), Monday
  EXPECT_EQ(sessions[0], (Session{ymd(2024, 11, 27), at("2024-11-27T14:30:00Z"), at("2024-11-27T21:00:00Z"),
                                  false, false}));
  EXPECT_EQ(sessions[1], (Session{ymd(2024, 11, 29), at("2024-11-29T14:30:00Z"), at("2024-11-29T18:00:00Z"),
                                  true, false}));
  EXPECT_EQ(sessions[2].date, ymd(2024, 12, 2));
  EXPECT_TRUE(nyse().sessions(ymd(2024, 11, 30), ymd(2024, 12, 1)).empty());
}

TEST(NyseCalendar, OpenedAtTenThirtyOnDecember18th1995) {
  const auto session = nyse().session(ymd(1995, 12, 18));
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->open, at("1995-12-18T15:30:00Z"));  // 10:30 EST
  EXPECT_EQ(session->close, at("1995-12-18T21:00:00Z"));
  EXPECT_TRUE(session->late_open);
  EXPECT_FALSE(session->early_close);
  EXPECT_FALSE(nyse().is_open(at("1995-12-18T15:00:00Z")));
  EXPECT_EQ(nyse().next_open(at("1995-12-18T14:30:00Z")), at("1995-12-18T15:30:00Z"));
}

TEST(NyseCalendar, SnowDayOf1996OpenedLateAndClosedEarly) {
  const auto session = nyse().session(ymd(1996, 1, 8));
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->open, at("1996-01-08T16:00:00Z"));   // 11:00 EST
  EXPECT_EQ(session->close, at("1996-01-08T19:00:00Z"));  // 14:00 EST
  EXPECT_TRUE(session->late_open);
  EXPECT_TRUE(session->early_close);
}

TEST(NyseCalendar, CoversTheYearsOfTheHolidayTable) {
  EXPECT_EQ(nyse().coverage().first, ymd(1990, 1, 1));
  EXPECT_EQ(nyse().coverage().last, ymd(2035, 12, 31));
  EXPECT_TRUE(nyse().is_session(ymd(2035, 12, 31)));
  EXPECT_EQ(nyse().sessions(ymd(1990, 1, 1), ymd(2035, 12, 31)).size(), 11577U);  // counted in Python
}

TEST(NyseCalendar, RefusesRequestsOutsideItsData) {
  EXPECT_THAT(error_message([] { nyse().session(ymd(2036, 1, 2)); }),
              HasSubstr("the NYSE calendar covers 1990-01-01 to 2035-12-31; 2036-01-02 is outside it"));
  EXPECT_THAT(error_message([] { nyse().is_open(at("1989-12-29T15:00:00Z")); }),
              HasSubstr("covers 1990-01-01 to 2035-12-31; 1989-12-29T15:00:00Z"));
  // 1990-01-01 starts at 05:00 UTC (midnight EST); 04:59 UTC is still 1989 in New York.
  EXPECT_THAT(error_message([] { nyse().is_open(at("1990-01-01T04:59:00Z")); }), HasSubstr("outside it"));
  EXPECT_FALSE(nyse().is_open(at("1990-01-01T05:00:00Z")));
  // The last session opens 2035-12-31 at 14:30 UTC: no open after it is known.
  EXPECT_THAT(error_message([] { nyse().next_open(at("2035-12-31T15:00:00Z")); }),
              HasSubstr("the next session open after 2035-12-31T15:00:00Z is outside it"));
  EXPECT_EQ(nyse().next_close(at("2035-12-31T15:00:00Z")), at("2035-12-31T21:00:00Z"));
  EXPECT_THAT(error_message([] { nyse().sessions(ymd(2035, 12, 1), ymd(2036, 1, 31)); }),
              HasSubstr("2036-01-31 is outside it"));
}

TEST(NyseCalendar, RejectsASessionRangeThatEndsBeforeItStarts) {
  EXPECT_THAT(error_message([] { nyse().sessions(ymd(2024, 12, 31), ymd(2024, 1, 1)); }),
              HasSubstr("2024-12-31 to 2024-01-01 ends before it starts"));
}

// The per-day index behind is_open / next_open / next_close agrees with a plain binary search
// over the full session list, at random instants of 1990-2035 and at every open and close.
RC_GTEST_PROP(NyseCalendar, LookupsAgreeWithABinarySearchOverAllSessions, ()) {
  static const std::vector<Session> all = nyse().sessions(ymd(1990, 1, 1), ymd(2035, 12, 31));
  const auto first = at("1990-01-01T05:00:00Z").time_since_epoch().count();
  const auto last = at("2035-12-31T14:29:59Z").time_since_epoch().count();
  auto t = Timestamp{nanoseconds{*rc::gen::inRange(first, last)}};
  // Half the time, land exactly on a session boundary, where off-by-one errors live.
  if (*rc::gen::arbitrary<bool>()) {
    const Session& s = all[*rc::gen::inRange<std::size_t>(0, all.size() - 1)];
    t = *rc::gen::arbitrary<bool>() ? s.open : s.close;
    if (t >= at("2035-12-31T14:30:00Z")) t = s.open - hours{24};
  }
  const auto by_open =
      std::upper_bound(all.begin(), all.end(), t, [](Timestamp x, const Session& s) { return x < s.open; });
  const auto by_close =
      std::upper_bound(all.begin(), all.end(), t, [](Timestamp x, const Session& s) { return x < s.close; });
  const bool expected_open = by_open != all.begin() && t < std::prev(by_open)->close;
  RC_ASSERT(nyse().is_open(t) == expected_open);
  RC_ASSERT(nyse().next_open(t) == by_open->open);
  RC_ASSERT(nyse().next_close(t) == by_close->close);
}

TEST(AlwaysOpenCalendar, HasOneSessionPerUtcDayIncludingWeekends) {
  const AlwaysOpenCalendar crypto;
  const auto saturday = crypto.session(ymd(2024, 11, 30));
  ASSERT_TRUE(saturday.has_value());
  EXPECT_EQ(saturday->open, at("2024-11-30T00:00:00Z"));
  EXPECT_EQ(saturday->close, at("2024-12-01T00:00:00Z"));
  EXPECT_TRUE(crypto.is_open(at("2024-11-30T15:00:00Z")));
  EXPECT_TRUE(crypto.is_open(at("2024-12-25T00:00:00Z")));
  EXPECT_EQ(crypto.sessions(ymd(2024, 1, 1), ymd(2024, 12, 31)).size(), 366U);  // leap year
}

TEST(AlwaysOpenCalendar, NextOpenAndNextCloseAreTheNextUtcMidnight) {
  const AlwaysOpenCalendar crypto;
  EXPECT_EQ(crypto.next_open(at("2024-11-30T12:00:00Z")), at("2024-12-01T00:00:00Z"));
  EXPECT_EQ(crypto.next_close(at("2024-11-30T12:00:00Z")), at("2024-12-01T00:00:00Z"));
  EXPECT_EQ(crypto.next_open(at("2024-12-01T00:00:00Z")), at("2024-12-02T00:00:00Z"));
}

TEST(AlwaysOpenCalendar, RefusesDatesATimestampCannotHold) {
  const AlwaysOpenCalendar crypto;
  EXPECT_THAT(error_message([&] { crypto.session(ymd(2262, 1, 1)); }),
              HasSubstr("the 24/7 calendar covers 1678-01-01 to 2261-12-31; 2262-01-01 is outside it"));
  EXPECT_THAT(error_message([&] { crypto.next_open(at("2261-12-31T12:00:00Z")); }), HasSubstr("outside it"));
}

TEST(CalendarRegistry, FindsNyseUnderItsAliasesRegardlessOfCase) {
  const CalendarRegistry registry = CalendarRegistry::standard(TRANCHE_DATA_DIR);
  const ExchangeCalendar& nyse_calendar = registry.for_venue("NYSE");
  EXPECT_EQ(nyse_calendar.name(), "NYSE");
  EXPECT_EQ(&registry.for_venue("XNYS"), &nyse_calendar);
  EXPECT_EQ(&registry.for_venue("NASDAQ"), &nyse_calendar);
  EXPECT_EQ(&registry.for_venue("nyse"), &nyse_calendar);
  EXPECT_EQ(registry.for_venue("CRYPTO").name(), "24/7");
  EXPECT_EQ(&registry.for_venue("24/7"), &registry.for_venue("crypto"));
  EXPECT_TRUE(registry.for_venue("crypto").is_open(at("2024-11-30T15:00:00Z")));
}

TEST(CalendarRegistry, NamesTheKnownVenuesForAnUnknownOne) {
  const CalendarRegistry registry = CalendarRegistry::standard(TRANCHE_DATA_DIR);
  EXPECT_THAT(error_message([&] { registry.for_venue("LSE"); }, ErrorKind::NotFound),
              HasSubstr("no calendar for the venue 'LSE'; known venues: 24/7, CRYPTO, NASDAQ, NYSE, XNYS"));
}

TEST(CalendarRegistry, RefusesANameThatIsAlreadyTaken) {
  CalendarRegistry registry;
  registry.add({"CRYPTO"}, std::make_shared<AlwaysOpenCalendar>());
  EXPECT_THAT(error_message([&] {
                registry.add({"FX", "crypto"}, std::make_shared<AlwaysOpenCalendar>());
              }),
              HasSubstr("'crypto' already has a calendar"));
  EXPECT_EQ(registry.venues(), std::vector<std::string>{"CRYPTO"});  // FX not half-added
}

TEST(InstrumentVenues, MapsListedSymbolsAndFallsBackToTheDefault) {
  const CalendarRegistry registry = CalendarRegistry::standard(TRANCHE_DATA_DIR);
  InstrumentVenues venues("NYSE");
  venues.assign("BTC-USD", "CRYPTO");
  EXPECT_EQ(venues.venue_of("BTC-USD"), "CRYPTO");
  EXPECT_EQ(venues.venue_of("AAPL"), "NYSE");
  const Timestamp saturday_noon = at("2024-11-30T17:00:00Z");
  EXPECT_TRUE(venues.calendar_of("BTC-USD", registry).is_open(saturday_noon));
  EXPECT_FALSE(venues.calendar_of("AAPL", registry).is_open(saturday_noon));
}

// ---- Bad tables: each test writes the three files into its own temporary folder. ----

class NyseTables : public ::testing::Test {
 protected:
  // A valid one-year set: 2024 with two holidays and one early close.
  std::string holidays = "date,name\n2024-01-01,New Year's Day\n2024-07-04,Independence Day\n";
  std::string early_closes = "date,close_time\n2024-07-03,13:00\n";
  std::string late_opens = "date,open_time\n";

  std::filesystem::path write() const {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("tranche_calendar_" + std::to_string(getpid()) + "_" + test->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "calendars");
    std::ofstream(dir / "calendars" / "nyse_holidays.csv", std::ios::binary) << holidays;
    std::ofstream(dir / "calendars" / "nyse_early_closes.csv", std::ios::binary) << early_closes;
    std::ofstream(dir / "calendars" / "nyse_late_opens.csv", std::ios::binary) << late_opens;
    return dir;
  }

  // The message NyseCalendar::load throws for the tables.
  std::string load_error() const {
    const std::filesystem::path dir = write();
    std::string message = error_message([&] { NyseCalendar::load(dir); }, ErrorKind::Parse);
    std::filesystem::remove_all(dir);
    return message;
  }
};

TEST_F(NyseTables, ValidTablesDefineCoverageAndSessions) {
  // As a spreadsheet may save it: a byte order mark, CRLF line ends, a blank line.
  holidays =
      "\xEF\xBB\xBF"
      "date,name\r\n2024-01-01,New Year's Day\r\n\r\n2024-07-04,Independence Day\r\n";
  const std::filesystem::path dir = write();
  const NyseCalendar calendar = NyseCalendar::load(dir);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(calendar.coverage().first, ymd(2024, 1, 1));
  EXPECT_EQ(calendar.coverage().last, ymd(2024, 12, 31));
  EXPECT_EQ(calendar.sessions(ymd(2024, 1, 1), ymd(2024, 12, 31)).size(), 260U);  // 262 weekdays - 2
  EXPECT_EQ(calendar.session(ymd(2024, 7, 3))->close, at("2024-07-03T17:00:00Z"));
  EXPECT_TRUE(calendar.is_session(ymd(2024, 3, 29)));  // Good Friday is not in these tables
}

TEST_F(NyseTables, RejectsAnImpossibleDate) {
  holidays += "2023-02-29,Leap Day\n";
  EXPECT_EQ(load_error(),
            "nyse_holidays.csv:4:1: field 'date': expected a date YYYY-MM-DD, found '2023-02-29'");
}

TEST_F(NyseTables, RejectsAMalformedTime) {
  early_closes = "date,close_time\n2024-07-03,1:00\n";
  EXPECT_EQ(load_error(),
            "nyse_early_closes.csv:2:12: field 'close_time': expected a New York time HH:MM, found '1:00'");
  early_closes = "date,close_time\n2024-07-03,13:60\n";
  EXPECT_THAT(load_error(), HasSubstr("found '13:60'"));
}

TEST_F(NyseTables, RejectsADateListedTwice) {
  holidays += "2024-07-04,Independence Day\n";
  EXPECT_EQ(load_error(),
            "nyse_holidays.csv:4:1: field 'date': 2024-07-04 is listed twice (first on line 3)");
}

TEST_F(NyseTables, RejectsAWeekend) {
  holidays += "2024-11-30,Not a holiday\n";
  EXPECT_EQ(load_error(),
            "nyse_holidays.csv:4:1: field 'date': 2024-11-30 is a Saturday; the NYSE never trades on "
            "weekends, so list weekdays only");
}

TEST_F(NyseTables, RejectsAnEarlyCloseOnAHoliday) {
  early_closes = "date,close_time\n2024-07-03,13:00\n2024-07-04,13:00\n";
  EXPECT_EQ(load_error(),
            "nyse_early_closes.csv:3:1: field 'date': 2024-07-04 is a holiday (nyse_holidays.csv line 3), "
            "not a trading day");
}

TEST_F(NyseTables, RejectsAnEarlyCloseThatIsNotEarly) {
  early_closes = "date,close_time\n2024-07-03,16:30\n";
  EXPECT_EQ(
      load_error(),
      "nyse_early_closes.csv:2:12: field 'close_time': expected an early close before 16:00, found 16:30");
}

TEST_F(NyseTables, RejectsALateOpenThatIsNotLate) {
  late_opens = "date,open_time\n2024-03-01,09:00\n";
  EXPECT_EQ(load_error(),
            "nyse_late_opens.csv:2:12: field 'open_time': expected a late open after 09:30 and before 16:00, "
            "found 09:00");
}

TEST_F(NyseTables, RejectsACloseBeforeTheLateOpen) {
  late_opens = "date,open_time\n2024-07-03,12:00\n";
  early_closes = "date,close_time\n2024-07-03,11:00\n";
  EXPECT_EQ(
      load_error(),
      "nyse_early_closes.csv:2:12: field 'close_time': the close 11:00 is not after the session's open, "
      "12:00 (nyse_late_opens.csv line 2)");
}

TEST_F(NyseTables, RejectsAWrongHeader) {
  holidays = "day,name\n2024-01-01,New Year's Day\n";
  EXPECT_EQ(load_error(), "nyse_holidays.csv:1:1: expected the header 'date,name', found 'day,name'");
  holidays = "";
  EXPECT_EQ(load_error(), "nyse_holidays.csv:1:1: expected the header 'date,name', found an empty file");
}

TEST_F(NyseTables, RejectsExtraAndMissingFields) {
  holidays += "2024-12-25,Christmas Day,extra\n";
  EXPECT_EQ(load_error(), "nyse_holidays.csv:4:26: expected 2 fields (date,name), found 3");
  holidays = "date,name\n2024-12-25\n";
  EXPECT_EQ(load_error(), "nyse_holidays.csv:2:1: expected 2 fields (date,name), found 1");
}

TEST_F(NyseTables, RejectsAHolidayWithoutAName) {
  holidays += "2024-12-25,\n";
  EXPECT_EQ(load_error(), "nyse_holidays.csv:4:12: field 'name': expected the holiday's name, found nothing");
}

TEST_F(NyseTables, RejectsAnEarlyCloseOutsideTheHolidayYears) {
  early_closes = "date,close_time\n2025-07-03,13:00\n";
  EXPECT_EQ(
      load_error(),
      "nyse_early_closes.csv:2:1: field 'date': 2025-07-03 is outside the years nyse_holidays.csv covers "
      "(2024-01-01 to 2024-12-31)");
}

TEST_F(NyseTables, RejectsAYearWithoutHolidays) {
  holidays = "date,name\n2023-01-02,New Year's Day\n2025-01-01,New Year's Day\n";
  EXPECT_EQ(
      load_error(),
      "nyse_holidays.csv:3:1: field 'date': no holiday is listed for 2024, yet the table covers 2023 to "
      "2025: every covered year needs its holidays");
}

TEST_F(NyseTables, RejectsAnEmptyHolidayTable) {
  holidays = "date,name\n";
  EXPECT_EQ(load_error(),
            "nyse_holidays.csv: no holidays listed: the table's years define the calendar's coverage");
}

TEST_F(NyseTables, ReportsAMissingFile) {
  const std::filesystem::path dir = write();
  std::filesystem::remove(dir / "calendars" / "nyse_late_opens.csv");
  EXPECT_THAT(error_message([&] { NyseCalendar::load(dir); }, ErrorKind::Io),
              HasSubstr("nyse_late_opens.csv: the file is missing or unreadable"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tranche
