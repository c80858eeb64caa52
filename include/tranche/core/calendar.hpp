#pragma once
// Exchange calendars: when a venue trades, as UTC instants. Local session times become UTC
// through the tz database; the NYSE tables are data files read at run time, so a new
// holiday is a data update, not a rebuild.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/time.hpp"

namespace tranche {

// One trading session: trading happens in [open, close).
struct Session {
  Date date;                 // the trading day in the venue's own time zone
  Timestamp open;            // first instant of trading
  Timestamp close;           // first instant after trading
  bool early_close = false;  // closes before the regular time
  bool late_open = false;    // opens after the regular time

  bool operator==(const Session&) const = default;
};

// The dates a calendar can answer for, both ends included.
struct DateRange {
  Date first;
  Date last;
};

// A venue's trading calendar. Every query outside coverage() throws tranche::Error
// (InvalidArgument) naming the covered range: a calendar never guesses.
// Implementations are immutable after construction and safe to share between threads.
class ExchangeCalendar {
 public:
  virtual ~ExchangeCalendar() = default;

  virtual const std::string& name() const = 0;
  // IANA zone of the venue's wall clock ("America/New_York"), for showing local times.
  virtual const std::string& time_zone() const = 0;
  virtual DateRange coverage() const = 0;

  // The session on a local date, nullopt when the venue does not trade that day.
  virtual std::optional<Session> session(Date date) const = 0;
  bool is_session(Date date) const { return session(date).has_value(); }
  // Whether t falls inside a session: open <= t < close.
  virtual bool is_open(Timestamp t) const = 0;
  // The first session open strictly after t.
  virtual Timestamp next_open(Timestamp t) const = 0;
  // The first session close strictly after t (the current session's close when open).
  virtual Timestamp next_close(Timestamp t) const = 0;
  // Every session with from <= date <= to, in order. Throws when from > to.
  virtual std::vector<Session> sessions(Date from, Date to) const = 0;
};

// The New York Stock Exchange: 09:30-16:00 America/New_York, Monday to Friday, except the
// holidays, early closes and late opens listed in <data_dir>/calendars/:
//   nyse_holidays.csv     date,name          weekdays closed all day
//   nyse_early_closes.csv date,close_time    trading days closing before 16:00 (HH:MM local)
//   nyse_late_opens.csv   date,open_time     trading days opening after 09:30 (HH:MM local)
// The tables cover whole calendar years: 1 January of the first year in nyse_holidays.csv
// to 31 December of the last, and every year in between must list at least one holiday.
class NyseCalendar final : public ExchangeCalendar {
 public:
  // Reads and checks all three tables. Throws tranche::InputError (file:line:column, field)
  // on a bad row: a malformed date or HH:MM, a weekend, a duplicate date, an early close or
  // late open on a holiday, a time outside the regular session, a date outside coverage;
  // tranche::Error (Io) when a file cannot be read. Nothing is half-loaded.
  static NyseCalendar load(const std::filesystem::path& data_dir);

  const std::string& name() const override;
  const std::string& time_zone() const override;
  DateRange coverage() const override { return coverage_; }
  std::optional<Session> session(Date date) const override;
  bool is_open(Timestamp t) const override;
  Timestamp next_open(Timestamp t) const override;
  Timestamp next_close(Timestamp t) const override;
  std::vector<Session> sessions(Date from, Date to) const override;

 private:
  NyseCalendar(DateRange coverage, std::vector<Session> sessions);
  void check_covered(Date date) const;
  void check_covered(Timestamp t) const;
  // The index of the first entry of times (opens_ or closes_) strictly after a covered t.
  std::size_t first_after(const std::vector<Timestamp>& times,
                          const std::vector<std::uint32_t>& first_by_utc_day, Timestamp t) const;

  DateRange coverage_;
  Timestamp covered_from_;         // local midnight starting coverage_.first, as UTC
  Timestamp covered_until_;        // local midnight ending coverage_.last, as UTC
  std::vector<Session> sessions_;  // every session in coverage, by date; they never overlap
  std::vector<Timestamp> opens_;   // sessions_[i].open, ascending
  std::vector<Timestamp> closes_;  // sessions_[i].close, ascending
  // Lookups in O(1): per UTC day from first_utc_day_, the index of the first open (close) at
  // or after that day's 00:00 UTC; a query then steps over at most that day's entries.
  Date first_utc_day_;
  std::vector<std::uint32_t> first_open_by_utc_day_;
  std::vector<std::uint32_t> first_close_by_utc_day_;
  std::vector<int> session_index_by_day_;  // local date - coverage_.first -> index in sessions_, or -1
};

// A venue that never closes (crypto): one session per UTC day, 00:00 to the next 00:00.
// Sessions abut, so is_open is always true; next_open and next_close are the next UTC
// midnight. Covers every date a Timestamp can hold.
class AlwaysOpenCalendar final : public ExchangeCalendar {
 public:
  explicit AlwaysOpenCalendar(std::string name = "24/7");

  const std::string& name() const override { return name_; }
  const std::string& time_zone() const override;
  DateRange coverage() const override;
  std::optional<Session> session(Date date) const override;
  bool is_open(Timestamp t) const override;
  Timestamp next_open(Timestamp t) const override;
  Timestamp next_close(Timestamp t) const override;
  std::vector<Session> sessions(Date from, Date to) const override;

 private:
  std::string name_;
};

// Calendars by venue name. Names match without regard to case.
class CalendarRegistry {
 public:
  // NYSE (also "XNYS", and "NASDAQ", an alias as in pandas_market_calendars) loaded from
  // data_dir, and "CRYPTO" (also "24/7") always open.
  static CalendarRegistry standard(const std::filesystem::path& data_dir);

  // Registers a calendar under each of the names. Throws Error (InvalidArgument) when a
  // name is already taken.
  void add(const std::vector<std::string>& venue_names, std::shared_ptr<const ExchangeCalendar> calendar);
  // Throws Error (NotFound) listing the known venues.
  const ExchangeCalendar& for_venue(std::string_view venue) const;
  // Every registered name, upper case, sorted.
  std::vector<std::string> venues() const;

 private:
  std::map<std::string, std::shared_ptr<const ExchangeCalendar>, std::less<>> by_venue_;
};

// Which venue each instrument trades on, with a default for instruments not listed.
class InstrumentVenues {
 public:
  explicit InstrumentVenues(std::string default_venue) : default_venue_(std::move(default_venue)) {}

  void assign(std::string symbol, std::string venue);
  const std::string& venue_of(std::string_view symbol) const;
  const ExchangeCalendar& calendar_of(std::string_view symbol, const CalendarRegistry& registry) const {
    return registry.for_venue(venue_of(symbol));
  }

 private:
  std::string default_venue_;
  std::map<std::string, std::string, std::less<>> venue_by_symbol_;
};

}  // namespace tranche
