#include "tranche/core/time.hpp"

#include <charconv>
#include <cstdio>

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
  if (hour > 23 || minute > 59 || second > 60) bad_timestamp(text, "a valid time of day");
  long long offset_minutes = 0;
  if (at == text.size()) bad_timestamp(text, "a zone: Z or +HH:MM/-HH:MM");
  if (text[at] == 'Z' && at + 1 == text.size()) {
    // UTC
  } else if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
    int oh = 0, om = 0;
    if (!parse_digits(text, at + 1, 2, oh) || !parse_digits(text, at + 4, 2, om) || oh > 23 || om > 59) {
      bad_timestamp(text, "an offset as +HH:MM");
    }
    offset_minutes = (oh * 60 + om) * (text[at] == '-' ? -1 : 1);
  } else {
    bad_timestamp(text, "a zone: Z or +HH:MM/-HH:MM");
  }
  using namespace std::chrono;
  return Timestamp{*date} + hours{hour} + minutes{minute} + seconds{second} + nanoseconds{nanos} -
         minutes{offset_minutes};
}

std::string format_timestamp(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const auto since_midnight = t - day;
  const auto h = duration_cast<hours>(since_midnight);
  const auto m = duration_cast<minutes>(since_midnight - h);
  const auto s = duration_cast<seconds>(since_midnight - h - m);
  const auto ns = (since_midnight - h - m - s).count();
  char buffer[48];
  if (ns == 0) {
    std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02dZ", format_iso_date(day).c_str(),
                  static_cast<int>(h.count()), static_cast<int>(m.count()), static_cast<int>(s.count()));
  } else {
    std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d.%09lldZ", format_iso_date(day).c_str(),
                  static_cast<int>(h.count()), static_cast<int>(m.count()), static_cast<int>(s.count()),
                  static_cast<long long>(ns));
  }
  return buffer;
}

}  // namespace tranche
