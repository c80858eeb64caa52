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

// "YYYY-MM-DD", a real calendar date; nullopt for anything else.
std::optional<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(Date date);

// An ISO 8601 instant: "2024-11-29T18:00:00Z", "2024-11-29T13:00:00-05:00",
// fractional seconds to nanoseconds allowed. A time without a zone suffix is rejected
// (ambiguous). Throws tranche::Error (Parse) naming the text and what was expected.
Timestamp parse_timestamp(std::string_view text);
// "2024-11-29T18:00:00Z", with fractional seconds only when non-zero.
std::string format_timestamp(Timestamp t);

}  // namespace tranche
