// `tranche calendar`: a venue's trading sessions over a date range, or whether it is open
// at an instant and when it next opens and closes.

#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "tranche/core/calendar.hpp"
#include "tranche/core/error.hpp"

namespace tranche::app {

namespace {

struct CalendarOptions {
  std::string venue = "NYSE";
  std::string from;
  std::string to;
  std::string at;
};

Date read_date(const std::string& text, const char* option) {
  const auto date = parse_iso_date(text);
  if (!date) {
    throw Error(ErrorKind::Parse,
                std::string(option) + ": invalid date '" + text + "': expected a real date YYYY-MM-DD");
  }
  return *date;
}

std::string venue_label(std::string_view venue) {
  std::string label(venue);
  for (char& c : label) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return label;
}

// "09:30 EST": the venue's wall clock, for session times that fall on the session's date.
std::string local_clock(Timestamp t, const std::string& zone) {
  const LocalTime local = to_local(t, zone);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local.time_of_day).count();
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return buffer + (" " + local.abbreviation);
}

// "2024-12-02T14:30:00Z (2024-12-02T09:30:00-05:00 EST)"
std::string utc_and_local(Timestamp t, const std::string& zone) {
  return format_timestamp(t) + " (" + format_timestamp_in_zone(t, zone) + " " +
         to_local(t, zone).abbreviation + ")";
}

void print_sessions(const ExchangeCalendar& calendar, const CalendarOptions& options) {
  const Date from = read_date(options.from, "--from");
  const Date to = read_date(options.to, "--to");
  const std::vector<Session> sessions = calendar.sessions(from, to);
  const std::string& zone = calendar.time_zone();
  for (const Session& session : sessions) {
    std::cout << format_iso_date(session.date) << "  open " << format_timestamp(session.open) << " ("
              << local_clock(session.open, zone) << ")  close " << format_timestamp(session.close) << " ("
              << local_clock(session.close, zone) << ")";
    if (session.late_open) std::cout << "  late open";
    if (session.early_close) std::cout << "  early close";
    std::cout << "\n";
  }
  if (sessions.empty()) {
    std::cerr << "no " << venue_label(options.venue) << " sessions from " << options.from << " to "
              << options.to << "\n";
  }
}

void print_state_at(const ExchangeCalendar& calendar, const CalendarOptions& options) {
  const Timestamp t = parse_timestamp(options.at);
  const std::string& zone = calendar.time_zone();
  // Asked first, so an instant outside the calendar's data fails before anything is printed.
  const bool open = calendar.is_open(t);
  const Timestamp next_open = calendar.next_open(t);
  const Timestamp next_close = calendar.next_close(t);
  std::cout << venue_label(options.venue) << " at " << utc_and_local(t, zone) << ": "
            << (open ? "open" : "closed") << "\n"
            << "next open:  " << utc_and_local(next_open, zone) << "\n"
            << "next close: " << utc_and_local(next_close, zone) << "\n";
}

}  // namespace

void add_calendar_command(CLI::App& app) {
  auto options = std::make_shared<CalendarOptions>();
  CLI::App* command = app.add_subcommand(
      "calendar",
      "Trading sessions of a venue over a date range (--from, --to), or whether it is open at an instant "
      "(--at)");
  command
      ->add_option("--venue", options->venue,
                   "Venue: NYSE (aliases XNYS, NASDAQ; tables in <data-dir>/calendars) or CRYPTO (alias "
                   "24/7, one session per UTC day); any case")
      ->capture_default_str();
  CLI::Option* from = command->add_option("--from", options->from, "First date of the range, YYYY-MM-DD");
  CLI::Option* to = command->add_option("--to", options->to, "Last date of the range (included), YYYY-MM-DD");
  CLI::Option* at = command->add_option(
      "--at", options->at, "An instant with its zone: 2024-11-29T18:30:00Z or 2024-11-29T13:30:00-05:00");
  from->needs(to);
  to->needs(from);
  at->excludes(from);
  at->excludes(to);
  command->footer(
      "With --from/--to, one line per session: the date, the open and close in UTC with the venue's "
      "local time in brackets, then 'late open' and/or 'early close' when the session is shortened.\n"
      "With --at: whether the venue is open at that instant (a session is open from its open up to, "
      "not including, its close), then the first open and the first close strictly after it.\n"
      "NYSE answers only inside its tables' years (1990-2035 as shipped); outside them it is an error.\n"
      "Examples:\n"
      "  tranche calendar --from 2024-11-25 --to 2024-12-02\n"
      "  tranche calendar --venue CRYPTO --at 2024-11-30T12:00:00Z\n"
      "Exit codes: 0 success, 1 bad date, timestamp, venue or calendar data, 2 bad usage.");
  command->callback([options, from, at] {
    if (from->count() == 0 && at->count() == 0) {
      throw CLI::ValidationError("calendar", "give --from DATE --to DATE, or --at TIMESTAMP");
    }
    const CalendarRegistry registry = CalendarRegistry::standard(data_dir());
    const ExchangeCalendar& calendar = registry.for_venue(options->venue);
    if (at->count() > 0) {
      print_state_at(calendar, *options);
    } else {
      print_sessions(calendar, *options);
    }
  });
}

}  // namespace tranche::app
