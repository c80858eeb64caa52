#include "tranche/core/calendar.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "tranche/core/error.hpp"

namespace tranche {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

const std::string kNyseName = "NYSE";
const std::string kNyseZone = "America/New_York";
constexpr minutes kNyseRegularOpen = hours{9} + minutes{30};
constexpr minutes kNyseRegularClose = hours{16};

std::string range_text(DateRange range) {
  return format_iso_date(range.first) + " to " + format_iso_date(range.last);
}

[[noreturn]] void outside_coverage(const std::string& calendar, DateRange coverage, const std::string& what) {
  throw Error(ErrorKind::InvalidArgument, "the " + calendar + " calendar covers " + range_text(coverage) +
                                              "; " + what + " is outside it");
}

std::string format_clock_minutes(minutes time_of_day) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(time_of_day.count() / 60),
                static_cast<int>(time_of_day.count() % 60));
  return buffer;
}

const char* weekday_name(std::chrono::weekday day) {
  static const char* const names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};
  return names[day.c_encoding()];
}

bool is_weekend(Date date) {
  const std::chrono::weekday day{date};
  return day == std::chrono::Saturday || day == std::chrono::Sunday;
}

// ---- The three NYSE tables: small CSV files with a fixed header and no quoting. ----

struct CsvField {
  std::string text;
  std::size_t column;  // 1-based character column where the field starts
};

struct CsvRow {
  std::size_t line;
  std::vector<CsvField> fields;
};

struct CsvTable {
  std::string file;          // as shown in messages: the file name
  std::vector<CsvRow> rows;  // data rows, header excluded, blank lines skipped
};

CsvTable read_table(const std::filesystem::path& path, std::string_view expected_header) {
  CsvTable table;
  table.file = path.filename().string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::Io,
                "cannot read the calendar table " + path.string() + ": the file is missing or unreadable");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();

  // A spreadsheet may save a UTF-8 byte order mark before the header.
  std::size_t line_start = content.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::size_t line_number = 0;
  bool seen_header = false;
  while (line_start < content.size()) {
    std::size_t line_end = content.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = content.size();
    std::string_view line = std::string_view(content).substr(line_start, line_end - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_number;
    line_start = line_end + 1;
    if (!seen_header) {
      if (line != expected_header) {
        throw InputError(
            {table.file, line_number, 1, ""},
            "expected the header '" + std::string(expected_header) + "', found '" + std::string(line) + "'");
      }
      seen_header = true;
      continue;
    }
    if (line.empty()) continue;
    CsvRow row{line_number, {}};
    std::size_t field_start = 0;
    while (true) {
      const std::size_t comma = line.find(',', field_start);
      const std::size_t field_end = comma == std::string_view::npos ? line.size() : comma;
      row.fields.push_back({std::string(line.substr(field_start, field_end - field_start)), field_start + 1});
      if (comma == std::string_view::npos) break;
      field_start = comma + 1;
    }
    table.rows.push_back(std::move(row));
  }
  if (!seen_header) {
    throw InputError({table.file, 1, 1, ""},
                     "expected the header '" + std::string(expected_header) + "', found an empty file");
  }
  return table;
}

// Checks the row has exactly the header's fields.
void check_field_count(const CsvTable& table, const CsvRow& row, std::string_view header) {
  const std::size_t expected = static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1;
  if (row.fields.size() == expected) return;
  const std::size_t column =
      row.fields.size() > expected ? row.fields[expected].column : row.fields.back().column;
  throw InputError({table.file, row.line, column, ""}, "expected " + std::to_string(expected) + " fields (" +
                                                           std::string(header) + "), found " +
                                                           std::to_string(row.fields.size()));
}

// Parses the date field (first) of a row and rejects weekends and dates listed twice.
Date read_weekday(const CsvTable& table, const CsvRow& row, std::map<Date, std::size_t>& first_line_by_date) {
  const CsvField& field = row.fields[0];
  const SourceLocation where{table.file, row.line, field.column, "date"};
  const auto date = parse_iso_date(field.text);
  if (!date) {
    throw InputError(where, "expected a date YYYY-MM-DD, found '" + std::string(field.text) + "'");
  }
  if (is_weekend(*date)) {
    throw InputError(where, format_iso_date(*date) + " is a " + weekday_name(std::chrono::weekday{*date}) +
                                "; the NYSE never trades on weekends, so list weekdays only");
  }
  const auto [it, inserted] = first_line_by_date.emplace(*date, row.line);
  if (!inserted) {
    throw InputError(where, format_iso_date(*date) + " is listed twice (first on line " +
                                std::to_string(it->second) + ")");
  }
  return *date;
}

minutes read_clock(const CsvTable& table, const CsvRow& row, std::size_t index, const char* field_name) {
  const CsvField& field = row.fields[index];
  const std::string_view text = field.text;
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() == 5 && digit(0) && digit(1) && text[2] == ':' && digit(3) && digit(4)) {
    const int hour = (text[0] - '0') * 10 + (text[1] - '0');
    const int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (hour <= 23 && minute <= 59) return hours{hour} + minutes{minute};
  }
  throw InputError({table.file, row.line, field.column, field_name},
                   "expected a New York time HH:MM, found '" + std::string(text) + "'");
}

struct NyseTables {
  DateRange coverage;
  std::map<Date, std::size_t> holiday_lines;                     // date -> line in nyse_holidays.csv
  std::map<Date, std::pair<minutes, std::size_t>> early_closes;  // date -> (close, line)
  std::map<Date, std::pair<minutes, std::size_t>> late_opens;    // date -> (open, line)
};

constexpr std::string_view kHolidaysHeader = "date,name";
constexpr std::string_view kEarlyClosesHeader = "date,close_time";
constexpr std::string_view kLateOpensHeader = "date,open_time";

void read_holidays(const std::filesystem::path& dir, NyseTables& tables) {
  const CsvTable table = read_table(dir / "nyse_holidays.csv", kHolidaysHeader);
  std::map<int, std::size_t> first_line_by_year;
  for (const CsvRow& row : table.rows) {
    check_field_count(table, row, kHolidaysHeader);
    const Date date = read_weekday(table, row, tables.holiday_lines);
    if (row.fields[1].text.empty()) {
      throw InputError({table.file, row.line, row.fields[1].column, "name"},
                       "expected the holiday's name, found nothing");
    }
    first_line_by_year.emplace(static_cast<int>(std::chrono::year_month_day{date}.year()), row.line);
  }
  if (first_line_by_year.empty()) {
    throw InputError({table.file, 0, 0, ""},
                     "no holidays listed: the table's years define the calendar's coverage");
  }
  // Coverage is whole years; a year without any holiday means rows are missing.
  for (auto it = std::next(first_line_by_year.begin()); it != first_line_by_year.end(); ++it) {
    const int previous_year = std::prev(it)->first;
    if (it->first != previous_year + 1) {
      throw InputError({table.file, it->second, 1, "date"},
                       "no holiday is listed for " + std::to_string(previous_year + 1) +
                           ", yet the table covers " + std::to_string(first_line_by_year.begin()->first) +
                           " to " + std::to_string(first_line_by_year.rbegin()->first) +
                           ": every covered year needs its holidays");
    }
  }
  const std::chrono::year first_year{first_line_by_year.begin()->first};
  const std::chrono::year last_year{first_line_by_year.rbegin()->first};
  tables.coverage = {Date{first_year / 1 / 1}, Date{last_year / 12 / 31}};
}

// Checks a date of an early close or late open: covered and not a holiday.
void check_trading_day(const CsvTable& table, const CsvRow& row, Date date, const NyseTables& tables) {
  const SourceLocation where{table.file, row.line, row.fields[0].column, "date"};
  if (date < tables.coverage.first || date > tables.coverage.last) {
    throw InputError(where, format_iso_date(date) + " is outside the years nyse_holidays.csv covers (" +
                                range_text(tables.coverage) + ")");
  }
  if (const auto holiday = tables.holiday_lines.find(date); holiday != tables.holiday_lines.end()) {
    throw InputError(where, format_iso_date(date) + " is a holiday (nyse_holidays.csv line " +
                                std::to_string(holiday->second) + "), not a trading day");
  }
}

void read_late_opens(const std::filesystem::path& dir, NyseTables& tables) {
  const CsvTable table = read_table(dir / "nyse_late_opens.csv", kLateOpensHeader);
  std::map<Date, std::size_t> first_line_by_date;
  for (const CsvRow& row : table.rows) {
    check_field_count(table, row, kLateOpensHeader);
    const Date date = read_weekday(table, row, first_line_by_date);
    check_trading_day(table, row, date, tables);
    const minutes open = read_clock(table, row, 1, "open_time");
    if (open <= kNyseRegularOpen || open >= kNyseRegularClose) {
      throw InputError(
          {table.file, row.line, row.fields[1].column, "open_time"},
          "expected a late open after 09:30 and before 16:00, found " + format_clock_minutes(open));
    }
    tables.late_opens.emplace(date, std::pair{open, row.line});
  }
}

void read_early_closes(const std::filesystem::path& dir, NyseTables& tables) {
  const CsvTable table = read_table(dir / "nyse_early_closes.csv", kEarlyClosesHeader);
  std::map<Date, std::size_t> first_line_by_date;
  for (const CsvRow& row : table.rows) {
    check_field_count(table, row, kEarlyClosesHeader);
    const Date date = read_weekday(table, row, first_line_by_date);
    check_trading_day(table, row, date, tables);
    const minutes close = read_clock(table, row, 1, "close_time");
    const SourceLocation where{table.file, row.line, row.fields[1].column, "close_time"};
    if (close >= kNyseRegularClose) {
      throw InputError(where, "expected an early close before 16:00, found " + format_clock_minutes(close));
    }
    minutes open = kNyseRegularOpen;
    std::string open_source = "the regular 09:30";
    if (const auto late = tables.late_opens.find(date); late != tables.late_opens.end()) {
      open = late->second.first;
      open_source = format_clock_minutes(open) + " (nyse_late_opens.csv line " +
                    std::to_string(late->second.second) + ")";
    }
    if (close <= open) {
      throw InputError(where, "the close " + format_clock_minutes(close) +
                                  " is not after the session's open, " + open_source);
    }
    tables.early_closes.emplace(date, std::pair{close, row.line});
  }
}

}  // namespace

// ---- NyseCalendar ----

NyseCalendar NyseCalendar::load(const std::filesystem::path& data_dir) {
  const std::filesystem::path dir = data_dir / "calendars";
  NyseTables tables;
  read_holidays(dir, tables);
  read_late_opens(dir, tables);
  read_early_closes(dir, tables);

  std::vector<Session> sessions;
  for (Date date = tables.coverage.first; date <= tables.coverage.last; date += days{1}) {
    if (is_weekend(date) || tables.holiday_lines.contains(date)) continue;
    const auto late = tables.late_opens.find(date);
    const auto early = tables.early_closes.find(date);
    const bool late_open = late != tables.late_opens.end();
    const bool early_close = early != tables.early_closes.end();
    const minutes open = late_open ? late->second.first : kNyseRegularOpen;
    const minutes close = early_close ? early->second.first : kNyseRegularClose;
    sessions.push_back(Session{date, from_local(date, open, kNyseZone), from_local(date, close, kNyseZone),
                               early_close, late_open});
  }
  return NyseCalendar(tables.coverage, std::move(sessions));
}

NyseCalendar::NyseCalendar(DateRange coverage, std::vector<Session> sessions)
    : coverage_(coverage),
      covered_from_(from_local(coverage.first, minutes{0}, kNyseZone)),
      covered_until_(from_local(coverage.last + days{1}, minutes{0}, kNyseZone)),
      sessions_(std::move(sessions)),
      session_index_by_day_(static_cast<std::size_t>((coverage.last - coverage.first).count() + 1), -1) {
  opens_.reserve(sessions_.size());
  closes_.reserve(sessions_.size());
  for (std::size_t i = 0; i < sessions_.size(); ++i) {
    opens_.push_back(sessions_[i].open);
    closes_.push_back(sessions_[i].close);
    session_index_by_day_[static_cast<std::size_t>((sessions_[i].date - coverage_.first).count())] =
        static_cast<int>(i);
  }
  // covered_from_ <= t < covered_until_ for every query, so these UTC days are all it can fall on.
  first_utc_day_ = std::chrono::floor<days>(covered_from_);
  const Date last_utc_day = std::chrono::floor<days>(covered_until_);
  for (Date day = first_utc_day_; day <= last_utc_day; day += days{1}) {
    const auto first_open = std::lower_bound(opens_.begin(), opens_.end(), Timestamp{day});
    const auto first_close = std::lower_bound(closes_.begin(), closes_.end(), Timestamp{day});
    first_open_by_utc_day_.push_back(static_cast<std::uint32_t>(first_open - opens_.begin()));
    first_close_by_utc_day_.push_back(static_cast<std::uint32_t>(first_close - closes_.begin()));
  }
}

std::size_t NyseCalendar::first_after(const std::vector<Timestamp>& times,
                                      const std::vector<std::uint32_t>& first_by_utc_day, Timestamp t) const {
  std::size_t index =
      first_by_utc_day[static_cast<std::size_t>((std::chrono::floor<days>(t) - first_utc_day_).count())];
  while (index < times.size() && times[index] <= t) ++index;
  return index;
}

const std::string& NyseCalendar::name() const { return kNyseName; }
const std::string& NyseCalendar::time_zone() const { return kNyseZone; }

void NyseCalendar::check_covered(Date date) const {
  if (date < coverage_.first || date > coverage_.last)
    outside_coverage(kNyseName, coverage_, format_iso_date(date));
}

void NyseCalendar::check_covered(Timestamp t) const {
  if (t < covered_from_ || t >= covered_until_) {
    outside_coverage(kNyseName, coverage_,
                     format_timestamp(t) + " (" + format_timestamp_in_zone(t, kNyseZone) + ")");
  }
}

std::optional<Session> NyseCalendar::session(Date date) const {
  check_covered(date);
  const int index = session_index_by_day_[static_cast<std::size_t>((date - coverage_.first).count())];
  if (index < 0) return std::nullopt;
  return sessions_[static_cast<std::size_t>(index)];
}

bool NyseCalendar::is_open(Timestamp t) const {
  check_covered(t);
  // The last session opening at or before t is the only one that can contain it.
  const std::size_t after = first_after(opens_, first_open_by_utc_day_, t);
  return after > 0 && t < closes_[after - 1];
}

Timestamp NyseCalendar::next_open(Timestamp t) const {
  check_covered(t);
  const std::size_t next = first_after(opens_, first_open_by_utc_day_, t);
  if (next == opens_.size()) {
    outside_coverage(kNyseName, coverage_, "the next session open after " + format_timestamp(t));
  }
  return opens_[next];
}

Timestamp NyseCalendar::next_close(Timestamp t) const {
  check_covered(t);
  const std::size_t next = first_after(closes_, first_close_by_utc_day_, t);
  if (next == closes_.size()) {
    outside_coverage(kNyseName, coverage_, "the next session close after " + format_timestamp(t));
  }
  return closes_[next];
}

std::vector<Session> NyseCalendar::sessions(Date from, Date to) const {
  if (from > to) {
    throw Error(ErrorKind::InvalidArgument, "the session range " + format_iso_date(from) + " to " +
                                                format_iso_date(to) + " ends before it starts");
  }
  check_covered(from);
  check_covered(to);
  const auto first = std::lower_bound(sessions_.begin(), sessions_.end(), from,
                                      [](const Session& s, Date d) { return s.date < d; });
  const auto last =
      std::upper_bound(first, sessions_.end(), to, [](Date d, const Session& s) { return d < s.date; });
  return {first, last};
}

// ---- AlwaysOpenCalendar ----

namespace {
const std::string kUtcZone = "Etc/UTC";
constexpr DateRange kAlwaysOpenCoverage{kFirstTimestampDate, kLastTimestampDate};
}  // namespace

AlwaysOpenCalendar::AlwaysOpenCalendar(std::string name) : name_(std::move(name)) {}

const std::string& AlwaysOpenCalendar::time_zone() const { return kUtcZone; }
DateRange AlwaysOpenCalendar::coverage() const { return kAlwaysOpenCoverage; }

namespace {
// The UTC day session on a date, throwing outside coverage.
Session utc_day_session(const std::string& calendar, Date date) {
  if (date < kAlwaysOpenCoverage.first || date > kAlwaysOpenCoverage.last) {
    outside_coverage(calendar, kAlwaysOpenCoverage, format_iso_date(date));
  }
  return Session{date, Timestamp{date}, Timestamp{date + days{1}}, false, false};
}
}  // namespace

std::optional<Session> AlwaysOpenCalendar::session(Date date) const { return utc_day_session(name_, date); }

bool AlwaysOpenCalendar::is_open(Timestamp t) const {
  utc_day_session(name_, std::chrono::floor<days>(t));  // throws outside coverage
  return true;
}

Timestamp AlwaysOpenCalendar::next_open(Timestamp t) const {
  const Date today = std::chrono::floor<days>(t);
  if (today >= kAlwaysOpenCoverage.last) {
    outside_coverage(name_, kAlwaysOpenCoverage, "the next session open after " + format_timestamp(t));
  }
  return utc_day_session(name_, today + days{1}).open;
}

Timestamp AlwaysOpenCalendar::next_close(Timestamp t) const {
  return utc_day_session(name_, std::chrono::floor<days>(t)).close;
}

std::vector<Session> AlwaysOpenCalendar::sessions(Date from, Date to) const {
  if (from > to) {
    throw Error(ErrorKind::InvalidArgument, "the session range " + format_iso_date(from) + " to " +
                                                format_iso_date(to) + " ends before it starts");
  }
  utc_day_session(name_, from);
  utc_day_session(name_, to);
  std::vector<Session> result;
  result.reserve(static_cast<std::size_t>((to - from).count() + 1));
  for (Date date = from; date <= to; date += days{1}) result.push_back(utc_day_session(name_, date));
  return result;
}

// ---- CalendarRegistry and InstrumentVenues ----

namespace {
std::string upper_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

CalendarRegistry CalendarRegistry::standard(const std::filesystem::path& data_dir) {
  CalendarRegistry registry;
  registry.add({"NYSE", "XNYS", "NASDAQ"}, std::make_shared<NyseCalendar>(NyseCalendar::load(data_dir)));
  registry.add({"CRYPTO", "24/7"}, std::make_shared<AlwaysOpenCalendar>("24/7"));
  return registry;
}

void CalendarRegistry::add(const std::vector<std::string>& venue_names,
                           std::shared_ptr<const ExchangeCalendar> calendar) {
  for (const std::string& venue : venue_names) {
    if (by_venue_.contains(upper_case(venue))) {
      throw Error(ErrorKind::InvalidArgument, "the venue '" + venue + "' already has a calendar");
    }
  }
  for (const std::string& venue : venue_names) by_venue_.emplace(upper_case(venue), calendar);
}

const ExchangeCalendar& CalendarRegistry::for_venue(std::string_view venue) const {
  const auto found = by_venue_.find(upper_case(venue));
  if (found != by_venue_.end()) return *found->second;
  std::string known;
  for (const auto& [name, calendar] : by_venue_) known.append(known.empty() ? "" : ", ").append(name);
  throw Error(ErrorKind::NotFound,
              "no calendar for the venue '" + std::string(venue) + "'; known venues: " + known);
}

std::vector<std::string> CalendarRegistry::venues() const {
  std::vector<std::string> names;
  for (const auto& [name, calendar] : by_venue_) names.push_back(name);
  return names;
}

void InstrumentVenues::assign(std::string symbol, std::string venue) {
  venue_by_symbol_.insert_or_assign(std::move(symbol), std::move(venue));
}

const std::string& InstrumentVenues::venue_of(std::string_view symbol) const {
  const auto found = venue_by_symbol_.find(symbol);
  return found == venue_by_symbol_.end() ? default_venue_ : found->second;
}

}  // namespace tranche
