#include "tranche/core/time.hpp"

#include <date/tz.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "tranche/core/error.hpp"

namespace tranche {

namespace {

bool parse_digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

const date::time_zone* find_zone(std::string_view zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::runtime_error&) {
    throw Error(ErrorKind::NotFound, "time zone '" + std::string(zone) +
                                         "' is not in the system tz database (a name such as "
                                         "America/New_York; is the tzdata package installed?)");
  }
}

// "HH:MM:SS" or "HH:MM:SS.fffffffff" for a time since midnight.
std::string format_clock(std::chrono::nanoseconds since_midnight) {
  using namespace std::chrono;
  const auto h = duration_cast<hours>(since_midnight);
  const auto m = duration_cast<minutes>(since_midnight - h);
  const auto s = duration_cast<seconds>(since_midnight - h - m);
  const auto ns = (since_midnight - h - m - s).count();
  char buffer[32];
  if (ns == 0) {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", static_cast<int>(h.count()),
                  static_cast<int>(m.count()), static_cast<int>(s.count()));
  } else {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d.%09lld", static_cast<int>(h.count()),
                  static_cast<int>(m.count()), static_cast<int>(s.count()), static_cast<long long>(ns));
  }
  return buffer;
}

[[noreturn]] void bad_timestamp(std::string_view text, const char* expected) {
  throw Error(ErrorKind::Parse, "invalid timestamp '" + std::string(text) + "': expected " + expected +
                                    " (for example 2024-11-29T18:00:00Z)");
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!parse_digits(text, 0, 4, y) || !parse_digits(text, 5, 2, m) || !parse_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

std::string format_iso_date(Date date) {
  const std::chrono::year_month_day ymd{date};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

Timestamp parse_timestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM[:SS[.fffffffff]](Z|+HH:MM|-HH:MM)
  if (text.size() < 17) bad_timestamp(text, "YYYY-MM-DDTHH:MM[:SS[.f]] followed by Z or an offset");
  const auto date = parse_iso_date(text.substr(0, 10));
  if (!date) bad_timestamp(text, "a valid date YYYY-MM-DD");
  if (*date < kFirstTimestampDate || *date > kLastTimestampDate) {
    bad_timestamp(text, "a date from 1678-01-01 to 2261-12-31 (the range of nanosecond timestamps)");
  }
  if (text[10] != 'T' && text[10] != ' ') bad_timestamp(text, "'T' between date and time");
  int hour = 0, minute = 0, second = 0;
  if (!parse_digits(text, 11, 2, hour) || text[13] != ':' || !parse_digits(text, 14, 2, minute)) {
    bad_timestamp(text, "the time as HH:MM");
  }
  std::size_t at = 16;
  long long nanos = 0;
  if (at < text.size() && text[at] == ':') {
    if (!parse_digits(text, at + 1, 2, second)) bad_timestamp(text, "seconds as SS");
    at += 3;
    if (at < text.size() && text[at] == '.') {
      ++at;
      int digits = 0;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        if (++digits > 9) bad_timestamp(text, "at most 9 fractional digits of seconds");
        nanos = nanos * 10 + (text[at] - '0');
        ++at;
      }
      if (digits == 0) bad_timestamp(text, "digits after the decimal point");
      for (int i = digits; i < 9; ++i) nanos *= 10;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) bad_timestamp(text, "a valid time of day");
  long long offset_minutes = 0;
  if (at == text.size()) bad_timestamp(text, "a zone: Z or +HH:MM/-HH:MM");
  if (text[at] == 'Z' && at + 1 == text.size()) {
    // UTC
  } else if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
    int oh = 0, om = 0;
    if (!parse_digits(text, at + 1, 2, oh) || !parse_digits(text, at + 4, 2, om) || oh > 23 || om > 59) {
      bad_timestamp(text, "an offset as +HH:MM");
    }
    offset_minutes = static_cast<long long>(oh * 60 + om) * (text[at] == '-' ? -1 : 1);
  } else {
    bad_timestamp(text, "a zone: Z or +HH:MM/-HH:MM");
  }
  using namespace std::chrono;
  return Timestamp{*date} + hours{hour} + minutes{minute} + seconds{second} + nanoseconds{nanos} -
         minutes{offset_minutes};
}

std::string format_timestamp(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  return format_iso_date(day) + "T" + format_clock(t - day) + "Z";
}

LocalTime to_local(Timestamp t, std::string_view zone) {
  using namespace std::chrono;
  const date::sys_info info = find_zone(zone)->get_info(t);
  const auto local = t + info.offset;  // sys_time shifted by the offset: the local clock reading
  const auto day = floor<days>(local);
  return LocalTime{day, local - day, duration_cast<minutes>(info.offset), info.abbrev};
}

std::string format_timestamp_in_zone(Timestamp t, std::string_view zone) {
  const LocalTime local = to_local(t, zone);
  const long long offset = local.utc_offset.count();
  const long long magnitude = std::llabs(offset);
  char suffix[32];
  std::snprintf(suffix, sizeof suffix, "%c%02lld:%02lld", offset < 0 ? '-' : '+', magnitude / 60,
                magnitude % 60);
  return format_iso_date(local.date) + "T" + format_clock(local.time_of_day) + suffix;
}

Timestamp from_local(Date local_date, std::chrono::minutes time_of_day, std::string_view zone) {
  using namespace std::chrono;
  if (local_date < kFirstTimestampDate || local_date > kLastTimestampDate) {
    throw Error(ErrorKind::InvalidArgument, "the date " + format_iso_date(local_date) +
                                                " is outside the range of nanosecond timestamps "
                                                "(1678-01-01 to 2261-12-31)");
  }
  const date::local_time<minutes> reading{local_date.time_since_epoch() + time_of_day};
  const date::local_info info = find_zone(zone)->get_info(reading);
  if (info.result != date::local_info::unique) {
    throw Error(ErrorKind::InvalidArgument,
                "the local time " + format_iso_date(local_date) + " " + format_clock(time_of_day) + " in " +
                    std::string(zone) +
                    (info.result == date::local_info::nonexistent
                         ? " does not exist (skipped by a daylight-saving change)"
                         : " is ambiguous (repeated by a daylight-saving change)"));
  }
  return Timestamp{local_date} + time_of_day - info.first.offset;
}

}  // namespace tranche
