#pragma once
// Time: instants are UTC nanoseconds since the Unix epoch; calendar dates are days.
// Wall-clock conversions go through the system tz database (date::tz), never hand-written
// daylight-saving rules.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tranche {

using Timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;
using Date = std::chrono::sys_days;

// The whole days a Timestamp (64-bit nanoseconds) can hold: 1678-01-01 to 2261-12-31 UTC.
// Dates outside are rejected rather than overflowing.
inline constexpr Date kFirstTimestampDate{std::chrono::year{1678} / 1 / 1};
inline constexpr Date kLastTimestampDate{std::chrono::year{2261} / 12 / 31};

// "YYYY-MM-DD", a real calendar date; nullopt for anything else.
std::optional<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(Date date);

// An ISO 8601 instant: "2024-11-29T18:00:00Z", "2024-11-29T13:00:00-05:00"; a space may
// stand for the 'T', seconds may be left out, fractional seconds go to nanoseconds. A time
// without a zone suffix is rejected (ambiguous), and so is a leap second (:60), which a
// Timestamp cannot represent. Throws tranche::Error (Parse) naming the text and what was
// expected.
Timestamp parse_timestamp(std::string_view text);
// "2024-11-29T18:00:00Z", with fractional seconds only when non-zero.
std::string format_timestamp(Timestamp t);

// What the clocks of an IANA time zone ("America/New_York") show at an instant.
struct LocalTime {
  Date date;                             // the local calendar date
  std::chrono::nanoseconds time_of_day;  // since local midnight
  std::chrono::minutes utc_offset;       // local minus UTC: -05:00 in a New York winter
  std::string abbreviation;              // "EST", "EDT"
};

// Throws tranche::Error (NotFound) when the system tz database has no such zone.
LocalTime to_local(Timestamp t, std::string_view zone);
// t as the zone's clocks show it, with the offset: "2024-11-29T09:30:00-05:00".
// parse_timestamp reads it back to t.
std::string format_timestamp_in_zone(Timestamp t, std::string_view zone);
// The instant at which the zone's clocks show time_of_day on local_date. Throws
// tranche::Error (InvalidArgument) when a daylight-saving change skips or repeats that
// reading, (NotFound) for an unknown zone.
Timestamp from_local(Date local_date, std::chrono::minutes time_of_day, std::string_view zone);

}  // namespace tranche
