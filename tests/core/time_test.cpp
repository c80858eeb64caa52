// Dates, ISO 8601 instants and time-zone conversions. Expected Unix times were computed with
// Python's datetime (for example datetime(2024, 11, 29, 18, tzinfo=timezone.utc).timestamp()).

#include "tranche/core/time.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tranche/core/error.hpp"

namespace tranche {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

constexpr Date ymd(int y, unsigned m, unsigned d) { return Date{year{y} / month{m} / day{d}}; }

// The error kind and message parse_timestamp throws for text.
Error timestamp_error(std::string_view text) {
  try {
    parse_timestamp(text);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for '" << text << "'";
  return Error(ErrorKind::InvalidArgument, "");
}

TEST(ParseIsoDate, ReadsAValidDate) {
  EXPECT_EQ(parse_iso_date("2024-11-29"), ymd(2024, 11, 29));
  EXPECT_EQ(parse_iso_date("1970-01-01"), Date{});
}

TEST(ParseIsoDate, AcceptsFebruary29OnlyInLeapYears) {
  EXPECT_EQ(parse_iso_date("2024-02-29"), ymd(2024, 2, 29));
  EXPECT_EQ(parse_iso_date("2000-02-29"), ymd(2000, 2, 29));  // divisible by 400: leap
  EXPECT_EQ(parse_iso_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_iso_date("1900-02-29"), std::nullopt);  // divisible by 100, not 400: not leap
}

TEST(ParseIsoDate, RejectsImpossibleAndMalformedDates) {
  for (const char* text :
       {"2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00", "2023-4-01", "2023/04/01", "20230401", "",
        " 2023-04-01", "2023-04-01 ", "2023-04-01T", "2023-0a-01", "+023-04-01"}) {
    EXPECT_EQ(parse_iso_date(text), std::nullopt) << text;
  }
}

TEST(FormatIsoDate, PadsMonthAndDay) {
  EXPECT_EQ(format_iso_date(ymd(2024, 3, 5)), "2024-03-05");
  EXPECT_EQ(format_iso_date(ymd(1969, 12, 31)), "1969-12-31");
}

TEST(ParseTimestamp, ReadsUtcInstants) {
  EXPECT_EQ(parse_timestamp("2024-11-29T18:00:00Z").time_since_epoch(), seconds{1732903200});
  EXPECT_EQ(parse_timestamp("1970-01-01T00:00:00Z").time_since_epoch(), nanoseconds{0});
  // Before the epoch: the Apollo 11 landing, Unix time -14182940.
  EXPECT_EQ(parse_timestamp("1969-07-20T20:17:40Z").time_since_epoch(), seconds{-14182940});
}

TEST(ParseTimestamp, AllowsOmittedSecondsAndASpaceSeparator) {
  EXPECT_EQ(parse_timestamp("2024-11-29T18:00Z"), parse_timestamp("2024-11-29T18:00:00Z"));
  EXPECT_EQ(parse_timestamp("2024-11-29 18:00:00Z"), parse_timestamp("2024-11-29T18:00:00Z"));
}

TEST(ParseTimestamp, SubtractsTheUtcOffset) {
  const Timestamp utc = parse_timestamp("2024-11-29T18:00:00Z");
  EXPECT_EQ(parse_timestamp("2024-11-29T13:00:00-05:00"), utc);
  EXPECT_EQ(parse_timestamp("2024-11-29T23:30:00+05:30"), utc);
  EXPECT_EQ(parse_timestamp("2024-11-29T18:00:00+00:00"), utc);
  // The offset can move the instant to another UTC date.
  EXPECT_EQ(parse_timestamp("2024-11-29T22:00:00-05:00"), parse_timestamp("2024-11-30T03:00:00Z"));
}

TEST(ParseTimestamp, ReadsFractionalSecondsToTheNanosecond) {
  const Timestamp whole = parse_timestamp("2024-11-29T18:00:00Z");
  EXPECT_EQ(parse_timestamp("2024-11-29T18:00:00.5Z") - whole, milliseconds{500});
  EXPECT_EQ(parse_timestamp("2024-11-29T18:00:00.000001Z") - whole, microseconds{1});
  EXPECT_EQ(parse_timestamp("2024-11-29T18:00:00.123456789Z") - whole, nanoseconds{123456789});
  EXPECT_EQ(parse_timestamp("2024-11-29T13:00:00.25-05:00") - whole, milliseconds{250});
}

TEST(ParseTimestamp, RejectsAnInstantWithoutAZone) {
  const Error error = timestamp_error("2024-11-29T18:00:00");
  EXPECT_EQ(error.kind(), ErrorKind::Parse);
  EXPECT_THAT(error.what(), HasSubstr("'2024-11-29T18:00:00'"));
  EXPECT_THAT(error.what(), HasSubstr("a zone: Z or +HH:MM/-HH:MM"));
}

TEST(ParseTimestamp, RejectsAnImpossibleDate) {
  EXPECT_THAT(timestamp_error("2023-02-29T12:00:00Z").what(), HasSubstr("a valid date YYYY-MM-DD"));
}

TEST(ParseTimestamp, RejectsOutOfRangeTimesOfDay) {
  EXPECT_THAT(timestamp_error("2024-11-29T24:00:00Z").what(), HasSubstr("a valid time of day"));
  EXPECT_THAT(timestamp_error("2024-11-29T18:60:00Z").what(), HasSubstr("a valid time of day"));
  // A leap second has no Timestamp of its own: rejected rather than moved to the next minute.
  EXPECT_THAT(timestamp_error("2016-12-31T23:59:60Z").what(), HasSubstr("a valid time of day"));
}

TEST(ParseTimestamp, RejectsMalformedFractionsAndOffsets) {
  EXPECT_THAT(timestamp_error("2024-11-29T18:00:00.Z").what(), HasSubstr("digits after the decimal point"));
  EXPECT_THAT(timestamp_error("2024-11-29T18:00:00.1234567891Z").what(), HasSubstr("at most 9 fractional"));
  EXPECT_THAT(timestamp_error("2024-11-29T18:00:00+24:00").what(), HasSubstr("an offset as +HH:MM"));
  for (const char* text : {"2024-11-29T18:00:00+0500", "2024-11-29T18:00:00+05", "2024-11-29T18:00:00z",
                           "2024-11-29T18:00:00Z ", "2024-11-29T18:00:00ZZ"}) {
    EXPECT_THAT(timestamp_error(text).what(), HasSubstr("a zone: Z or +HH:MM/-HH:MM")) << text;
  }
  EXPECT_THAT(timestamp_error("2024-11-29X18:00:00Z").what(), HasSubstr("'T' between date and time"));
  EXPECT_THAT(timestamp_error("2024-11-29T1800Z").what(), HasSubstr("YYYY-MM-DDTHH:MM"));
  EXPECT_THAT(timestamp_error("2024-11-29T18:00:0Z").what(), HasSubstr("seconds as SS"));
}

TEST(ParseTimestamp, RejectsDatesANanosecondTimestampCannotHold) {
  // 64-bit nanoseconds reach 1677-09-21 .. 2262-04-11; whole years 1678 .. 2261 are accepted.
  EXPECT_THAT(timestamp_error("9999-12-31T00:00:00Z").what(), HasSubstr("from 1678-01-01 to 2261-12-31"));
  EXPECT_THAT(timestamp_error("1600-01-01T00:00:00Z").what(), HasSubstr("from 1678-01-01 to 2261-12-31"));
  EXPECT_EQ(parse_timestamp("2261-12-31T23:59:59.999999999Z"), Timestamp{ymd(2262, 1, 1)} - nanoseconds{1});
  EXPECT_EQ(parse_timestamp("1678-01-01T00:00:00Z"), Timestamp{ymd(1678, 1, 1)});
}

TEST(FormatTimestamp, ShowsFractionalSecondsOnlyWhenPresent) {
  const Timestamp t = Timestamp{ymd(2024, 11, 29)} + hours{18};
  EXPECT_EQ(format_timestamp(t), "2024-11-29T18:00:00Z");
  EXPECT_EQ(format_timestamp(t + milliseconds{500}), "2024-11-29T18:00:00.500000000Z");
  EXPECT_EQ(format_timestamp(t + nanoseconds{7}), "2024-11-29T18:00:00.000000007Z");
}

TEST(FormatTimestamp, HandlesInstantsBeforeTheEpoch) {
  EXPECT_EQ(format_timestamp(Timestamp{nanoseconds{-1}}), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_timestamp(Timestamp{seconds{-14182940}}), "1969-07-20T20:17:40Z");
}

RC_GTEST_PROP(FormatTimestamp, IsReadBackByParseTimestamp, ()) {
  const auto first = Timestamp{kFirstTimestampDate}.time_since_epoch().count();
  const auto last = (Timestamp{kLastTimestampDate + days{1}} - nanoseconds{1}).time_since_epoch().count();
  const Timestamp t{nanoseconds{*rc::gen::inRange(first, last)}};
  RC_ASSERT(parse_timestamp(format_timestamp(t)) == t);
}

TEST(ToLocal, ShowsNewYorkWinterAndSummerClocks) {
  const LocalTime winter = to_local(parse_timestamp("2024-11-29T18:00:00Z"), "America/New_York");
  EXPECT_EQ(winter.date, ymd(2024, 11, 29));
  EXPECT_EQ(winter.time_of_day, hours{13});
  EXPECT_EQ(winter.utc_offset, hours{-5});
  EXPECT_EQ(winter.abbreviation, "EST");
  const LocalTime summer = to_local(parse_timestamp("2024-07-01T18:00:00Z"), "America/New_York");
  EXPECT_EQ(summer.time_of_day, hours{14});
  EXPECT_EQ(summer.utc_offset, hours{-4});
  EXPECT_EQ(summer.abbreviation, "EDT");
}

TEST(ToLocal, FollowsTheSpringForwardChange) {
  // 2024-03-10 02:00 EST became 03:00 EDT, at 07:00 UTC.
  const LocalTime before = to_local(parse_timestamp("2024-03-10T06:59:59Z"), "America/New_York");
  EXPECT_EQ(before.time_of_day, hours{1} + minutes{59} + seconds{59});
  EXPECT_EQ(before.abbreviation, "EST");
  const LocalTime after = to_local(parse_timestamp("2024-03-10T07:00:00Z"), "America/New_York");
  EXPECT_EQ(after.time_of_day, hours{3});
  EXPECT_EQ(after.abbreviation, "EDT");
}

TEST(ToLocal, ShowsTheLocalDateWhenItDiffersFromUtc) {
  const LocalTime local = to_local(parse_timestamp("2024-11-30T03:00:00Z"), "America/New_York");
  EXPECT_EQ(local.date, ymd(2024, 11, 29));
  EXPECT_EQ(local.time_of_day, hours{22});
}

TEST(ToLocal, RejectsAZoneTheDatabaseDoesNotKnow) {
  try {
    to_local(Timestamp{}, "Mars/Olympus_Mons");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_THAT(e.what(), HasSubstr("'Mars/Olympus_Mons'"));
  }
}

TEST(FormatTimestampInZone, WritesTheOffsetAndIsReadBack) {
  const Timestamp t = parse_timestamp("2024-11-29T14:30:00Z");
  EXPECT_EQ(format_timestamp_in_zone(t, "America/New_York"), "2024-11-29T09:30:00-05:00");
  EXPECT_EQ(format_timestamp_in_zone(t, "Asia/Kolkata"), "2024-11-29T20:00:00+05:30");
  EXPECT_EQ(format_timestamp_in_zone(t, "Etc/UTC"), "2024-11-29T14:30:00+00:00");
  EXPECT_EQ(parse_timestamp(format_timestamp_in_zone(t, "America/New_York")), t);
}

TEST(FromLocal, UsesTheOffsetInForceOnThatDate) {
  // The NYSE open on either side of the 2024-03-10 change: 09:30 EST then 09:30 EDT.
  EXPECT_EQ(from_local(ymd(2024, 3, 8), hours{9} + minutes{30}, "America/New_York"),
            parse_timestamp("2024-03-08T14:30:00Z"));
  EXPECT_EQ(from_local(ymd(2024, 3, 11), hours{9} + minutes{30}, "America/New_York"),
            parse_timestamp("2024-03-11T13:30:00Z"));
}

TEST(FromLocal, RejectsAReadingSkippedOrRepeatedByDaylightSaving) {
  try {
    from_local(ymd(2024, 3, 10), hours{2} + minutes{30}, "America/New_York");
    FAIL() << "no error for a skipped time";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    EXPECT_THAT(e.what(), HasSubstr("2024-03-10 02:30:00 in America/New_York does not exist"));
  }
  try {
    from_local(ymd(2024, 11, 3), hours{1} + minutes{30}, "America/New_York");
    FAIL() << "no error for a repeated time";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("is ambiguous"));
  }
}

}  // namespace
}  // namespace tranche
