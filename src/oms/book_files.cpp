#include "tranche/oms/book_files.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "oms/csv_cells.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace tranche::oms {

namespace fs = std::filesystem;
using detail::decimal_cell;
using detail::integer_cell;

namespace {

std::size_t line_breaks(std::string_view text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

struct CsvFile {
  std::string text;
  CsvReader reader;
  std::size_t lines;  // an upper bound on the records, to reserve vectors of millions once
  explicit CsvFile(const fs::path& path)
      : text(read_text_file(path)), reader(text, path.string()), lines(line_breaks(text) + 1) {
    reader.read_header();
  }
  std::size_t most_records() const { return lines; }
};

// Where a long text splits for two readers: the second half starts at `start`, a record on
// line `line`. None when the text has under 100,000 lines or a quoted cell (a line break may
// be inside one, so it need not end a record).
struct SecondHalf {
  std::size_t start;
  std::size_t line;
};
std::optional<SecondHalf> second_half(std::string_view text, std::size_t lines) {
  const std::size_t header_end = text.find('\n');
  const std::size_t middle = text.find('\n', text.size() / 2);
  if (lines < 100'000 || header_end == std::string_view::npos || middle == std::string_view::npos ||
      middle <= header_end || text.find('"') != std::string_view::npos)
    return std::nullopt;
  return SecondHalf{middle + 1, line_breaks(text.substr(0, middle + 1)) + 1};
}

// A text cell, written quoted when it holds a comma, quote or line break.
struct Cell {
  std::string_view text;
};

// A decimal written with at least `min_decimals` fractional digits (never rounded).
struct Number {
  Decimal value;
  int min_decimals = 0;
};

// Writes a file through one large buffer: the book's files run to millions of lines, and
// an ostream insertion (or a std::string) per cell costs more than the formatting.
class CsvWriter {
 public:
  explicit CsvWriter(const fs::path& path)
      : path_(path), out_(path, std::ios::binary), buffer_(std::make_unique<char[]>(kCapacity)) {
    if (!out_) throw Error(ErrorKind::Io, path.string() + ": cannot be written");
  }
  // Writes into `memory` instead of a file (a part of a file formatted on another thread).
  explicit CsvWriter(std::string& memory) : memory_(&memory), buffer_(std::make_unique<char[]>(kCapacity)) {}
  CsvWriter& out() { return *this; }
  CsvWriter& operator<<(std::string_view text) {
    if (text.size() > kCapacity - size_) {
      flush();
      if (text.size() > kCapacity) {
        if (memory_)
          memory_->append(text);
        else
          out_.write(text.data(), static_cast<std::streamsize>(text.size()));
        return *this;
      }
    }
    std::memcpy(buffer_.get() + size_, text.data(), text.size());
    size_ += text.size();
    return *this;
  }
  CsvWriter& operator<<(char c) {
    if (size_ == kCapacity) flush();
    buffer_[size_++] = c;
    if (c == '\n' && size_ >= kFlushAt) flush();
    return *this;
  }
  CsvWriter& operator<<(Cell cell) {
    // Names are short: copied a character at a time while looking for one that needs quotes
    // (one pass, and no memcpy call per cell), taken back if one does.
    if (cell.text.size() <= kShortCell) {
      if (kCapacity - size_ < kShortCell) flush();
      char* const start = buffer_.get() + size_;
      bool needs_quotes = false;
      for (std::size_t i = 0; i < cell.text.size(); ++i) {
        const char c = cell.text[i];
        needs_quotes |= kNeedsQuotes[static_cast<unsigned char>(c)];
        start[i] = c;
      }
      if (!needs_quotes) {
        size_ += cell.text.size();
        return *this;
      }
    } else {
      // A plain loop: string_view::find_first_of calls memchr once per character of the cell.
      bool needs_quotes = false;
      for (const char c : cell.text) needs_quotes |= kNeedsQuotes[static_cast<unsigned char>(c)];
      if (!needs_quotes) return *this << cell.text;
    }
    *this << '"';
    for (char c : cell.text) {
      if (c == '"') *this << '"';
      *this << c;
    }
    return *this << '"';
  }
  CsvWriter& operator<<(Number number) {
    if (kCapacity - size_ < Decimal::kMaxText) flush();
    size_ = static_cast<std::size_t>(number.value.format_to(buffer_.get() + size_, number.min_decimals) -
                                     buffer_.get());
    return *this;
  }
  CsvWriter& operator<<(const char* text) { return *this << std::string_view(text); }
  // Text formatted elsewhere (a part of the file from another thread): written as it is,
  // without a copy into this writer's buffer.
  void write_formatted(std::string_view text) {
    if (memory_ || text.size() < kFlushAt / 4) {
      *this << text;
      return;
    }
    flush();
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  CsvWriter& operator<<(const std::string& text) { return *this << std::string_view(text); }
  CsvWriter& operator<<(std::size_t value) { return write_integer(value); }
  CsvWriter& operator<<(int value) { return write_integer(value); }
  void close() {
    flush();
    if (memory_) return;
    out_.close();
    if (!out_) throw Error(ErrorKind::Io, path_.string() + ": write failed");
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 20;
  static constexpr std::size_t kCapacity = kFlushAt + 4096;
  static constexpr std::size_t kShortCell = 32;
  // The bytes that make a cell quoted: the delimiter, the quote and line breaks.
  static constexpr std::array<bool, 256> kNeedsQuotes = [] {
    std::array<bool, 256> table{};
    for (const unsigned char c : {',', '"', '\n', '\r'}) table[c] = true;
    return table;
  }();
  template <typename Integer>
  CsvWriter& write_integer(Integer value) {
    char text[24];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    return *this << std::string_view(text, static_cast<std::size_t>(end - text));
  }
  void flush() {
    if (memory_)
      memory_->append(buffer_.get(), size_);
    else
      out_.write(buffer_.get(), static_cast<std::streamsize>(size_));
    size_ = 0;
  }
  fs::path path_;
  std::ofstream out_;
  std::string* memory_ = nullptr;
  std::unique_ptr<char[]> buffer_;
  std::size_t size_ = 0;
};

// Writes rows [0, count) through `w`, formatting on two threads: the rows go in chunks, the
// odd chunks formatted by a helper thread into one of two buffers (reused, so no fresh memory)
// while this thread formats the even ones and writes every chunk in order. The same bytes as
// writing every row here; formatting, not the disk, is what takes the time.
template <typename WriteRow>
void write_rows(CsvWriter& w, std::size_t count, const WriteRow& write_row) {
  constexpr std::size_t kChunk = 4096;
  if (count < 8 * kChunk) {
    for (std::size_t i = 0; i < count; ++i) write_row(w, i);
    return;
  }
  struct Slot {
    std::string text;
    bool ready = false;  // formatted and not yet written
  };
  std::array<Slot, 2> slots;
  std::mutex mutex;
  std::condition_variable changed;
  bool stopped = false;  // this thread failed: the helper gives up
  bool helper_failed = false;
  const std::size_t chunks = (count + kChunk - 1) / kChunk;
  auto rows_of = [&](std::size_t chunk) {
    return std::pair(chunk * kChunk, std::min(count, (chunk + 1) * kChunk));
  };
  auto format_odd_chunks = [&] {
    std::string formatted;
    CsvWriter memory(formatted);
    for (std::size_t chunk = 1; chunk < chunks; chunk += 2) {
      Slot& slot = slots[(chunk / 2) % 2];
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !slot.ready || stopped; });
        if (stopped) return;
      }
      formatted.clear();
      const auto [first, last] = rows_of(chunk);
      for (std::size_t i = first; i < last; ++i) write_row(memory, i);
      memory.close();
      slot.text.swap(formatted);  // the slot is not ready: this thread owns it
      std::lock_guard lock(mutex);
      slot.ready = true;
      changed.notify_all();
    }
  };
  auto helper = std::async(std::launch::async, [&] {
    try {
      format_odd_chunks();
    } catch (...) {
      std::lock_guard lock(mutex);
      helper_failed = true;
      changed.notify_all();
      throw;
    }
  });
  try {
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
      const auto [first, last] = rows_of(chunk);
      if (chunk % 2 == 0) {
        for (std::size_t i = first; i < last; ++i) write_row(w, i);
        continue;
      }
      Slot& slot = slots[(chunk / 2) % 2];
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return slot.ready || helper_failed; });
        if (!slot.ready) break;
      }
      w.write_formatted(slot.text);
      std::lock_guard lock(mutex);
      slot.ready = false;
      changed.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex);
      stopped = true;
      changed.notify_all();
    }
    helper.wait();
    throw;
  }
  helper.get();
}

// Rows (accounts, orders) found by name. Books usually list names in order (account numbers,
// order ids counting up): while the names inserted are strictly increasing (shorter first,
// then by bytes, which is numeric order for digits), rows are found by searching forward from
// a hint, the row after the previous match (files list rows mostly in the book's order), with
// no index at all. A name out of order switches to a hash index with open addressing over row
// numbers (no allocation per name; names compared against the rows themselves).
template <typename Row>
class NameIndex {
 public:
  using NameOf = const std::string& (*)(const Row&);
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  NameIndex(const std::vector<Row>& rows, NameOf name_of) : rows_(rows), name_of_(name_of) {}
  // How many rows are coming, to size the hash index should it be needed.
  void reserve(std::size_t count) { expected_ = count; }
  // Indexes rows[row], the row after those indexed so far; false (and nothing indexed) when
  // its name already is.
  bool insert(std::size_t row) {
    if (sorted_) {
      if (row == 0 || before(row_name(row - 1), row_name(row))) {
        count_ = row + 1;
        return true;
      }
      sorted_ = false;
      while (slots_.size() < std::max(expected_, row + 1) * 2) grow();
      for (std::size_t earlier = 0; earlier < row; ++earlier) insert_hashed(earlier);
    }
    return insert_hashed(row);
  }
  // Indexes rows [0, count) when none is yet; false at the first name already indexed.
  bool insert_all(std::size_t count) {
    for (std::size_t row = 0; row < count; ++row)
      if (!insert(row)) return false;
    return true;
  }
  void clear() {
    sorted_ = true;
    count_ = 0;
    slots_.clear();
    mask_ = 0;
  }
  // The row named `name`, or kNone; rows[hint] is tried first.
  std::size_t find(std::string_view name, std::size_t hint = 0) const {
    if (hint < count_ && row_name(hint) == name) return hint;
    if (sorted_) return find_sorted(name, hint);
    if (slots_.empty()) return kNone;
    for (std::size_t slot = hash(name);; slot = (slot + 1) & mask_) {
      if (slots_[slot] == kNone || row_name(slots_[slot]) == name) return slots_[slot];
    }
  }

 private:
  static bool before(std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  }
  std::string_view row_name(std::size_t row) const { return name_of_(rows_[row]); }
  // Galloping forward from `hint` (the next rows of a file are usually near), else a binary
  // search of the rows before it.
  std::size_t find_sorted(std::string_view name, std::size_t hint) const {
    std::size_t low = 0, high = std::min(hint, count_);
    if (hint < count_ && before(row_name(hint), name)) {
      low = hint + 1;
      std::size_t step = 1;
      while (low + step <= count_ && before(row_name(low + step - 1), name)) {
        low += step;
        step *= 2;
      }
      high = std::min(count_, low + step);
    }
    while (low < high) {  // the first row in [low, high) not before `name`
      const std::size_t middle = low + (high - low) / 2;
      if (before(row_name(middle), name))
        low = middle + 1;
      else
        high = middle;
    }
    return low < count_ && row_name(low) == name ? low : kNone;
  }
  bool insert_hashed(std::size_t row) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const std::string_view name = row_name(row);
    for (std::size_t slot = hash(name);; slot = (slot + 1) & mask_) {
      if (slots_[slot] == kNone) {
        slots_[slot] = row;
        count_ = row + 1;
        return true;
      }
      if (row_name(slots_[slot]) == name) return false;
    }
  }
  std::size_t hash(std::string_view name) const { return std::hash<std::string_view>{}(name)&mask_; }
  void grow() {
    std::vector<std::size_t> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), kNone);
    mask_ = slots_.size() - 1;
    for (const std::size_t row : old) {
      if (row == kNone) continue;
      std::size_t slot = hash(row_name(row));
      while (slots_[slot] != kNone) slot = (slot + 1) & mask_;
      slots_[slot] = row;
    }
  }
  const std::vector<Row>& rows_;
  NameOf name_of_;
  bool sorted_ = true;     // every name so far after the one before
  std::size_t count_ = 0;  // rows indexed: [0, count_)
  std::size_t expected_ = 0;
  std::vector<std::size_t> slots_;  // row numbers, kNone when free; a power of two long
  std::size_t mask_ = 0;
};

using AccountIndex = NameIndex<wealth::Account>;
using OrderIndex = NameIndex<Order>;
const std::string& account_number(const wealth::Account& account) { return account.number; }
const std::string& order_id(const Order& order) { return order.id; }

// Files usually list accounts in the order of accounts.csv, so the search starts at the row
// after the previous match.
class AccountLookup {
 public:
  explicit AccountLookup(const AccountIndex& index) : index_(index) {}
  std::size_t operator()(const CsvReader& reader, std::size_t column) {
    const auto name = reader.cell(column);
    const auto row = index_.find(name, next_);
    if (row == AccountIndex::kNone) reader.fail(column, "unknown account '" + std::string(name) + "'");
    next_ = row + 1;
    return row;
  }

 private:
  const AccountIndex& index_;
  std::size_t next_ = 0;
};

// Each account's goals as a chain through the goals, in file order (most accounts have one).
struct GoalIndex {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> first_of_account;
  std::vector<std::size_t> next;

  std::size_t find(const Book& book, std::size_t account, std::string_view name) const {
    for (std::size_t g = first_of_account[account]; g != kNone; g = next[g])
      if (book.goals[g].name == name) return g;
    return kNone;
  }
  void add(std::size_t account, std::size_t goal) {
    next.push_back(kNone);
    std::size_t* link = &first_of_account[account];
    while (*link != kNone) link = &next[*link];
    *link = goal;
  }
};

std::size_t goal_of(const Book& book, const GoalIndex& goals, std::size_t account, const CsvReader& reader,
                    std::size_t column) {
  const auto goal = goals.find(book, account, reader.cell(column));
  if (goal == GoalIndex::kNone)
    reader.fail(column, "unknown goal '" + std::string(reader.cell(column)) + "' of this account");
  return goal;
}

void load_models(Book& book, const fs::path& path, wealth::WeightSum rule) {
  CsvFile file(path);
  auto& r = file.reader;
  const auto c_model = r.require_column("model"), c_symbol = r.require_column("symbol"),
             c_weight = r.require_column("weight");
  std::vector<std::string> names;
  std::vector<std::vector<wealth::ModelWeight>> weights;
  std::vector<std::size_t> first_line;
  while (r.next_record()) {
    const std::string name(r.cell(c_model));
    if (name.empty()) r.fail(c_model, "expected a model name");
    const Decimal weight = decimal_cell(r, c_weight);
    if (weight.sign() < 0) r.fail(c_weight, "expected a weight of at least 0, found " + weight.to_string());
    std::size_t m = 0;
    while (m < names.size() && names[m] != name) ++m;
    if (m == names.size()) {
      names.push_back(name);
      weights.emplace_back();
      first_line.push_back(r.line());
    }
    for (const auto& w : weights[m])
      if (w.symbol == r.cell(c_symbol))
        r.fail(c_symbol, std::string(r.cell(c_symbol)) + " is listed twice in model " + name);
    weights[m].push_back({std::string(r.cell(c_symbol)), weight});
  }
  for (std::size_t m = 0; m < names.size(); ++m) {
    try {
      book.models.emplace_back(names[m], std::move(weights[m]), rule);
    } catch (const Error& e) {
      throw InputError({path.string(), first_line[m], c_model + 1, "model"}, e.what());
    }
  }
}

void load_prices(Book& book, const fs::path& path) {
  CsvFile file(path);
  auto& r = file.reader;
  const auto c_symbol = r.find_column("symbol");
  const auto c_close = r.find_column("close");
  if (c_symbol && c_close) {  // long form
    const auto c_date = r.find_column("date");
    std::map<std::string, std::string, std::less<>> latest_date;
    while (r.next_record()) {
      const std::string symbol(r.cell(*c_symbol));
      const Decimal close = decimal_cell(r, *c_close);
      if (close.sign() <= 0) r.fail(*c_close, "expected a positive close, found " + close.to_string());
      const std::string date = c_date ? std::string(r.cell(*c_date)) : std::string();
      auto [it, inserted] = latest_date.try_emplace(symbol, date);
      if (!inserted && !c_date)
        r.fail(*c_symbol, symbol + " has two closes and no date to choose between them");
      if (inserted || date >= it->second) {
        it->second = date;
        book.previous_close[symbol] = close;
      }
    }
    return;
  }
  // Wide form: date then one column per symbol.
  const auto& header = r.header();
  if (header.size() < 2)
    throw InputError({path.string(), 1, 0, ""}, "expected symbol,close columns or date,SYM1,...");
  while (r.next_record()) {
    for (std::size_t c = 1; c < header.size(); ++c) {
      if (r.cell(c).empty()) continue;
      const Decimal close = decimal_cell(r, c);
      if (close.sign() <= 0) r.fail(c, "expected a positive close, found " + close.to_string());
      book.previous_close[header[c]] = close;
    }
  }
}

}  // namespace

namespace {

// The rows of a long file parsed on two threads, the second half by a reader seeked past the
// first: `parse_rows(reader, rows)` reads a reader's records into `rows`. False (and `rows`
// left empty) when the file is short, has quoted cells (a line break may be inside one), or
// a half failed: the caller then reads it on one thread, which reports the first error.
template <typename Row, typename ParseRows>
bool parse_in_halves(const CsvFile& file, std::vector<Row>& rows, const ParseRows& parse_rows) {
  const std::string_view text = file.text;
  const std::size_t lines = file.most_records();
  const auto half = second_half(text, lines);
  if (!half) return false;
  std::vector<Row> second;
  auto second_parsed = std::async(std::launch::async, [&] {
    CsvReader r(text, file.reader.file_name());
    r.read_header();
    r.seek(half->start, half->line);
    second.reserve(lines - half->line + 1);
    parse_rows(r, second);
  });
  bool parsed = true;
  try {
    CsvReader r(text.substr(0, half->start), file.reader.file_name());
    r.read_header();
    rows.reserve(lines);
    parse_rows(r, rows);
  } catch (const InputError&) {
    parsed = false;
  }
  try {
    second_parsed.get();
  } catch (const InputError&) {
    parsed = false;
  }
  if (!parsed) {
    rows.clear();
    return false;
  }
  rows.insert(rows.end(), std::make_move_iterator(second.begin()), std::make_move_iterator(second.end()));
  return true;
}

// One record of accounts.csv, goals.csv or orders.csv as a row of the book; the columns are
// found once per reader. Checks that need the rows before (a name listed twice) are the
// loader's.
struct AccountRow {
  std::size_t account, type, status, cash;
  explicit AccountRow(const CsvReader& r)
      : account(r.require_column("account")),
        type(r.require_column("type")),
        status(r.require_column("status")),
        cash(r.require_column("cash")) {}
  wealth::Account operator()(const CsvReader& r) const {
    wealth::Account row;
    row.number = std::string(r.cell(account));
    if (row.number.empty()) r.fail(account, "expected an account number");
    const auto parsed_type = wealth::parse_account_type(r.cell(type));
    if (!parsed_type)
      r.fail(type,
             "expected Taxable, Roth IRA or Traditional IRA, found '" + std::string(r.cell(type)) + "'");
    const auto parsed_status = wealth::parse_account_status(r.cell(status));
    if (!parsed_status) {
      r.fail(status, "expected PENDING, IN_REVIEW, APPROVED, REJECTED or SUSPENDED, found '" +
                         std::string(r.cell(status)) + "'");
    }
    row.type = *parsed_type;
    row.status = *parsed_status;
    row.cash = decimal_cell(r, cash);
    return row;
  }
};

struct GoalRow {
  std::size_t account, goal, model;
  std::optional<std::size_t> year, value, priority;
  explicit GoalRow(const CsvReader& r)
      : account(r.require_column("account")),
        goal(r.require_column("goal")),
        model(r.require_column("model")),
        year(r.find_column("target_year")),
        value(r.find_column("target_value")),
        priority(r.find_column("priority")) {}
  wealth::Goal operator()(const CsvReader& r, const Book& book, AccountLookup& account_of) const {
    wealth::Goal row;
    row.account = account_of(r, account);
    row.name = std::string(r.cell(goal));
    if (row.name.empty()) r.fail(goal, "expected a goal name");
    const auto found = book.find_model(r.cell(model));
    if (!found) r.fail(model, "unknown model '" + std::string(r.cell(model)) + "' (not in models.csv)");
    row.model = *found;
    if (year && !r.cell(*year).empty()) row.target_year = static_cast<int>(integer_cell(r, *year));
    if (value && !r.cell(*value).empty()) row.target_value = decimal_cell(r, *value);
    if (priority && !r.cell(*priority).empty()) {
      const auto parsed = wealth::parse_priority(r.cell(*priority));
      if (!parsed) r.fail(*priority, "expected Dreams, Wishes, Wants or Needs");
      row.priority = *parsed;
    }
    return row;
  }
};

struct OrderRow {
  std::size_t id, account, goal, side, amount;
  std::optional<std::size_t> state;
  explicit OrderRow(const CsvReader& r)
      : id(r.require_column("order_id")),
        account(r.require_column("account")),
        goal(r.require_column("goal")),
        side(r.require_column("side")),
        amount(r.require_column("amount")),
        state(r.find_column("state")) {}
  Order operator()(const CsvReader& r, const Book& book, const GoalIndex& goals,
                   AccountLookup& account_of) const {
    Order row;
    row.id = std::string(r.cell(id));
    if (row.id.empty()) r.fail(id, "expected an order id");
    row.account = account_of(r, account);
    row.goal = goal_of(book, goals, row.account, r, goal);
    const auto parsed_side = parse_side(r.cell(side));
    if (!parsed_side) r.fail(side, "expected BUY or SELL, found '" + std::string(r.cell(side)) + "'");
    row.side = *parsed_side;
    row.amount = decimal_cell(r, amount);
    if (row.amount.sign() <= 0) r.fail(amount, "expected a positive amount, found " + row.amount.to_string());
    if (state && !r.cell(*state).empty()) {
      const auto parsed = parse_order_state(r.cell(*state));
      if (!parsed)
        r.fail(*state,
               "expected an order state (NEW, PENDING, ...), found '" + std::string(r.cell(*state)) + "'");
      row.state = *parsed;
    }
    return row;
  }
};

}  // namespace

// Each long file is parsed on two threads, then its names are indexed here in file order; a
// file that fails either way is read again on one thread, for the error of its first bad line.
Book load_book(const fs::path& dir, wealth::WeightSum weight_rule) {
  Book book;
  load_models(book, dir / "models.csv", weight_rule);

  AccountIndex accounts(book.accounts, account_number);
  {
    CsvFile file(dir / "accounts.csv");
    accounts.reserve(file.most_records());
    const auto parse_rows = [](CsvReader& r, std::vector<wealth::Account>& rows) {
      const AccountRow row(r);
      while (r.next_record()) rows.push_back(row(r));
    };
    if (!parse_in_halves(file, book.accounts, parse_rows) || !accounts.insert_all(book.accounts.size())) {
      book.accounts.clear();
      accounts.clear();
      auto& r = file.reader;
      const AccountRow row(r);
      book.accounts.reserve(file.most_records());
      while (r.next_record()) {
        book.accounts.push_back(row(r));
        if (!accounts.insert(book.accounts.size() - 1))
          r.fail(row.account, "account " + book.accounts.back().number + " is listed twice");
      }
    }
  }

  GoalIndex goals;
  {
    CsvFile file(dir / "goals.csv");
    const auto parse_rows = [&](CsvReader& r, std::vector<wealth::Goal>& rows) {
      const GoalRow row(r);
      AccountLookup account_of(accounts);
      while (r.next_record()) rows.push_back(row(r, book, account_of));
    };
    const auto index_all = [&] {
      for (std::size_t g = 0; g < book.goals.size(); ++g) {
        if (goals.find(book, book.goals[g].account, book.goals[g].name) != GoalIndex::kNone) return false;
        goals.add(book.goals[g].account, g);
      }
      return true;
    };
    goals.first_of_account.assign(book.accounts.size(), GoalIndex::kNone);
    goals.next.reserve(file.most_records());
    if (!parse_in_halves(file, book.goals, parse_rows) || !index_all()) {
      book.goals.clear();
      goals.first_of_account.assign(book.accounts.size(), GoalIndex::kNone);
      goals.next.clear();
      auto& r = file.reader;
      const GoalRow row(r);
      AccountLookup account_of(accounts);
      book.goals.reserve(file.most_records());
      while (r.next_record()) {
        wealth::Goal goal = row(r, book, account_of);
        if (goals.find(book, goal.account, goal.name) != GoalIndex::kNone)
          r.fail(row.goal, "goal '" + goal.name + "' is listed twice for this account");
        goals.add(goal.account, book.goals.size());
        book.goals.push_back(std::move(goal));
      }
    }
  }

  {
    CsvFile file(dir / "orders.csv");
    OrderIndex ids(book.orders, order_id);
    ids.reserve(file.most_records());
    const auto parse_rows = [&](CsvReader& r, std::vector<Order>& rows) {
      const OrderRow row(r);
      AccountLookup account_of(accounts);
      while (r.next_record()) rows.push_back(row(r, book, goals, account_of));
    };
    if (!parse_in_halves(file, book.orders, parse_rows) || !ids.insert_all(book.orders.size())) {
      book.orders.clear();
      ids.clear();
      auto& r = file.reader;
      const OrderRow row(r);
      AccountLookup account_of(accounts);
      book.orders.reserve(file.most_records());
      while (r.next_record()) {
        book.orders.push_back(row(r, book, goals, account_of));
        if (!ids.insert(book.orders.size() - 1))
          r.fail(row.id, "order " + book.orders.back().id + " is listed twice");
      }
    }
  }

  if (fs::exists(dir / "holdings.csv")) {
    CsvFile file(dir / "holdings.csv");
    AccountLookup account_of(accounts);
    auto& r = file.reader;
    const auto c_account = r.require_column("account"), c_goal = r.require_column("goal"),
               c_symbol = r.require_column("symbol"), c_units = r.require_column("units");
    while (r.next_record()) {
      const auto account = account_of(r, c_account);
      const auto goal = goal_of(book, goals, account, r, c_goal);
      if (r.cell(c_symbol).empty()) r.fail(c_symbol, "expected a symbol");
      auto& holdings = book.goals[goal].holdings;
      if (holdings.units(r.cell(c_symbol)).sign() != 0)
        r.fail(c_symbol, std::string(r.cell(c_symbol)) + " is listed twice for this goal");
      holdings.add(r.cell(c_symbol), decimal_cell(r, c_units));
    }
  }
  if (fs::exists(dir / "prices.csv")) load_prices(book, dir / "prices.csv");
  if (fs::exists(dir / "booked_fills.csv")) {
    CsvFile file(dir / "booked_fills.csv");
    auto& r = file.reader;
    const auto c_id = r.require_column("order_id"), c_symbol = r.require_column("symbol"),
               c_side = r.require_column("side"), c_units = r.require_column("units"),
               c_price = r.require_column("price"), c_occurrence = r.require_column("occurrence");
    while (r.next_record()) {
      FillRecord record;
      record.order_id = std::string(r.cell(c_id));
      record.symbol = std::string(r.cell(c_symbol));
      const auto side = parse_side(r.cell(c_side));
      if (!side) r.fail(c_side, "expected BUY or SELL");
      record.side = *side;
      record.units = decimal_cell(r, c_units);
      record.price = decimal_cell(r, c_price);
      record.occurrence = static_cast<int>(integer_cell(r, c_occurrence));
      book.booked_fills.push_back(std::move(record));
    }
  }
  return book;
}

void write_book(const Book& book, const fs::path& dir) {
  fs::create_directories(dir);
  {
    CsvWriter w(dir / "accounts.csv");
    w.out() << "account,type,status,cash\n";
    write_rows(w, book.accounts.size(), [&](CsvWriter& out, std::size_t i) {
      const auto& a = book.accounts[i];
      out << Cell{a.number} << ',' << wealth::to_string(a.type) << ',' << wealth::to_string(a.status) << ','
          << Number{a.cash, 2} << '\n';
    });
    w.close();
  }
  {
    CsvWriter w(dir / "goals.csv");
    w.out() << "account,goal,model,target_year,target_value,priority\n";
    write_rows(w, book.goals.size(), [&](CsvWriter& out, std::size_t i) {
      const auto& g = book.goals[i];
      out << Cell{book.accounts[g.account].number} << ',' << Cell{g.name} << ','
          << Cell{book.models[g.model].name()} << ',' << g.target_year << ',' << Number{g.target_value} << ','
          << wealth::to_string(g.priority) << '\n';
    });
    w.close();
  }
  {
    CsvWriter w(dir / "models.csv");
    w.out() << "model,symbol,weight\n";
    for (const auto& m : book.models)
      for (const auto& weight : m.weights())
        w.out() << Cell{m.name()} << ',' << Cell{weight.symbol} << ',' << Number{weight.weight} << '\n';
    w.close();
  }
  {
    CsvWriter w(dir / "orders.csv");
    w.out() << "order_id,account,goal,side,amount,state\n";
    write_rows(w, book.orders.size(), [&](CsvWriter& out, std::size_t i) {
      const auto& o = book.orders[i];
      out << Cell{o.id} << ',' << Cell{book.accounts[o.account].number} << ','
          << Cell{book.goals[o.goal].name} << ',' << to_string(o.side) << ',' << Number{o.amount, 2} << ','
          << to_string(o.state) << '\n';
    });
    w.close();
  }
  {
    CsvWriter w(dir / "holdings.csv");
    w.out() << "account,goal,symbol,units\n";
    write_rows(w, book.goals.size(), [&](CsvWriter& out, std::size_t i) {
      const auto& g = book.goals[i];
      for (const auto& p : g.holdings.positions())
        out << Cell{book.accounts[g.account].number} << ',' << Cell{g.name} << ',' << Cell{p.symbol} << ','
            << Number{p.units} << '\n';
    });
    w.close();
  }
  {
    CsvWriter w(dir / "prices.csv");
    w.out() << "symbol,close\n";
    for (const auto& [symbol, close] : book.previous_close)
      w.out() << Cell{symbol} << ',' << Number{close} << '\n';
    w.close();
  }
  {
    CsvWriter w(dir / "booked_fills.csv");
    w.out() << "order_id,symbol,side,units,price,occurrence\n";
    for (const auto& f : book.booked_fills)
      w.out() << Cell{f.order_id} << ',' << Cell{f.symbol} << ',' << to_string(f.side) << ','
              << Number{f.units} << ',' << Number{f.price} << ',' << f.occurrence << '\n';
    w.close();
  }
}

void write_block_files(const Book& book, const BlockPlan& plan, const fs::path& dir) {
  fs::create_directories(dir);
  {
    CsvWriter w(dir / "splits.csv");
    w.out() << "order_id,account,goal,symbol,side,dollars\n";
    write_rows(w, plan.splits.size(), [&](CsvWriter& out, std::size_t i) {
      const auto& s = plan.splits[i];
      const auto& o = book.orders[s.order];
      out << Cell{o.id} << ',' << Cell{book.accounts[o.account].number} << ','
          << Cell{book.goals[o.goal].name} << ',' << Cell{plan.symbols[s.symbol]} << ',' << to_string(s.side)
          << ',' << Number{s.dollars} << '\n';
    });
    w.close();
  }
  {
    CsvWriter w(dir / "rejections.csv");
    w.out() << "order_id,account,rule,reason\n";
    for (const auto& r : plan.rejections) {
      const auto& o = book.orders[r.order];
      w.out() << Cell{o.id} << ',' << Cell{book.accounts[o.account].number} << ',' << r.rule << ','
              << Cell{r.reason} << '\n';
    }
    w.close();
  }
}

namespace {

// Orders found by id: splits.csv lists each block's splits in the order of the orders, so the
// search starts at the order after the previous match.
class OrderLookup {
 public:
  explicit OrderLookup(const OrderIndex& index) : index_(index) {}
  std::size_t operator()(const CsvReader& r, std::size_t column) {
    const auto id = r.cell(column);
    const auto row = index_.find(id, next_);
    if (row == OrderIndex::kNone) r.fail(column, "unknown order '" + std::string(id) + "' (not in the book)");
    next_ = row + 1;
    return row;
  }

 private:
  const OrderIndex& index_;
  std::size_t next_ = 0;
};

// The splits of the rows of splits.csv from byte `begin` (line `line`; 0 for the first row)
// up to byte `end`, written to `out` (room for every row), with the symbols in order of first
// appearance. Returns how many rows there were.
struct SplitRows {
  std::size_t count = 0;
  std::vector<std::string> symbols;
};

SplitRows read_split_rows(const Book& book, const OrderIndex& orders, std::string_view text,
                          std::size_t begin, std::size_t end, std::size_t line, const std::string& file_name,
                          Split* out) {
  SplitRows rows;
  CsvReader r(text.substr(0, end), file_name);
  r.read_header();
  if (begin > 0) r.seek(begin, line);
  const auto c_id = r.require_column("order_id"), c_symbol = r.require_column("symbol"),
             c_side = r.require_column("side"), c_dollars = r.require_column("dollars");
  OrderLookup order_of(orders);
  // Each block's splits come together: the previous row's symbol is tried first, then the
  // few symbols seen so far.
  std::uint32_t last_symbol = 0;
  while (r.next_record()) {
    Split& split = out[rows.count];
    split.order = order_of(r, c_id);
    const auto side = parse_side(r.cell(c_side));
    if (!side || *side != book.orders[split.order].side) r.fail(c_side, "expected the order's side");
    split.side = *side;
    const auto symbol = r.cell(c_symbol);
    if (last_symbol >= rows.symbols.size() || rows.symbols[last_symbol] != symbol) {
      last_symbol = 0;
      while (last_symbol < rows.symbols.size() && rows.symbols[last_symbol] != symbol) ++last_symbol;
      if (last_symbol == rows.symbols.size()) rows.symbols.emplace_back(symbol);
    }
    split.symbol = last_symbol;
    split.dollars = decimal_cell(r, c_dollars);
    if (split.dollars.sign() <= 0) r.fail(c_dollars, "expected positive dollars");
    ++rows.count;
  }
  return rows;
}

// splits.csv read on two threads when it is long and has no quoted cells (so every line break
// ends a row): each half straight into its part of the plan's splits, the second half's
// symbols then renumbered into the first half's. The first half's error, if any, is the one
// reported, as a single reader would.
void read_splits(const Book& book, const OrderIndex& orders, const fs::path& path, BlockPlan& plan) {
  const std::string text = read_text_file(path);
  const std::string file_name = path.string();
  const std::size_t lines = line_breaks(text);
  plan.splits.resize(lines + 1);  // at most a row per line
  SplitRows first;
  const auto half = second_half(text, lines);
  if (!half) {
    first = read_split_rows(book, orders, text, 0, text.size(), 0, file_name, plan.splits.data());
  } else {
    Split* const second_out = plan.splits.data() + half->line - 1;  // after the first half's rows
    auto second = std::async(std::launch::async, [&] {
      return read_split_rows(book, orders, text, half->start, text.size(), half->line, file_name, second_out);
    });
    try {
      first = read_split_rows(book, orders, text, 0, half->start, 0, file_name, plan.splits.data());
    } catch (...) {
      second.wait();
      throw;
    }
    const SplitRows rest = second.get();
    std::vector<std::uint32_t> renumbered;
    for (const auto& symbol : rest.symbols) {
      std::uint32_t id = 0;
      while (id < first.symbols.size() && first.symbols[id] != symbol) ++id;
      if (id == first.symbols.size()) first.symbols.push_back(symbol);
      renumbered.push_back(id);
    }
    for (std::size_t i = 0; i < rest.count; ++i) {
      Split split = second_out[i];
      split.symbol = renumbered[split.symbol];
      plan.splits[first.count + i] = split;  // never ahead of second_out + i
    }
    first.count += rest.count;
  }
  plan.splits.resize(first.count);
  plan.symbols = std::move(first.symbols);
}

}  // namespace

BlockPlan load_block_files(Book& book, const fs::path& dir) {
  OrderIndex orders(book.orders, order_id);
  orders.reserve(book.orders.size());
  for (std::size_t i = 0; i < book.orders.size(); ++i) orders.insert(i);
  OrderLookup order_of(orders);

  BlockPlan plan;
  read_splits(book, orders, dir / "splits.csv", plan);
  aggregate_blocks(plan);
  {
    const fs::path path = dir / "MasterOrder.csv";
    const std::string text = detail::name_unnamed_index_column(read_text_file(path));
    CsvReader r(text, path.string());
    r.read_header();
    const auto c_symbol = r.require_column("Symbol"), c_type = r.require_column("Type");
    std::size_t row = 0;
    while (r.next_record()) {
      if (row >= plan.blocks.size()) r.fail(c_symbol, "more blocks than splits.csv makes");
      const auto& block = plan.blocks[row];
      if (r.cell(c_symbol) != plan.symbol_of(block) || r.cell(c_type) != to_string(block.side)) {
        r.fail(c_symbol, "expected block " + std::to_string(row) + " to be " + plan.symbol_of(block) + " " +
                             to_string(block.side) + " as splits.csv makes it");
      }
      ++row;
    }
    if (row != plan.blocks.size())
      throw InputError(
          {path.string(), 0, 0, ""},
          "has " + std::to_string(row) + " blocks, splits.csv makes " + std::to_string(plan.blocks.size()));
  }
  {
    CsvFile file(dir / "rejections.csv");
    auto& r = file.reader;
    const auto c_id = r.require_column("order_id"), c_rule = r.require_column("rule"),
               c_reason = r.require_column("reason");
    while (r.next_record()) {
      const auto order = order_of(r, c_id);
      plan.rejections.push_back({order, std::string(r.cell(c_rule)), std::string(r.cell(c_reason))});
      if (book.orders[order].state == OrderState::New) book.orders[order].state = OrderState::Rejected;
    }
  }
  for (const auto& s : plan.splits)
    if (book.orders[s.order].state == OrderState::New)
      book.orders[s.order].state = transition(OrderState::New, OrderState::Pending);
  return plan;
}

void write_allocation_files(const Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                            const AllocationReport& report, const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<std::string> prices;
  for (const auto& fill : fills) prices.push_back(fill.record.price.to_string());
  // The two long files are written at once, each by its own thread (and write_rows's).
  auto movements_written = std::async(std::launch::async, [&] {
    CsvWriter movements(dir / "cash_movements.csv");
    movements << "account,order_id,symbol,side,amount\n";
    write_rows(movements, report.allocations.size(), [&](CsvWriter& out, std::size_t i) {
      const auto& a = report.allocations[i];
      const auto& split = plan.splits[a.split];
      const auto& order = book.orders[split.order];
      const Decimal signed_cash = split.side == Side::Buy ? -a.cash : a.cash;
      out << Cell{book.accounts[order.account].number} << ',' << Cell{order.id} << ','
          << Cell{plan.symbols[split.symbol]} << ',' << to_string(split.side) << ',' << Number{signed_cash, 2}
          << '\n';
    });
    movements.close();
  });
  CsvWriter allocations(dir / "Account_Allocations.csv");
  allocations << "Account,Symbol,Type,Units,Goal,OrderID,Price,Cash\n";
  write_rows(allocations, report.allocations.size(), [&](CsvWriter& out, std::size_t i) {
    const auto& a = report.allocations[i];
    const auto& split = plan.splits[a.split];
    const auto& order = book.orders[split.order];
    out << Cell{book.accounts[order.account].number} << ',' << Cell{plan.symbols[split.symbol]} << ','
        << to_string(split.side) << ',' << Number{a.units} << ',' << Cell{book.goals[order.goal].name} << ','
        << Cell{order.id} << ',' << prices[a.fill] << ',' << Number{a.cash, 2} << '\n';
  });
  allocations.close();
  movements_written.get();
}

void write_booking_exceptions(const Book& book, std::span<const Fill> fills, const AllocationReport& report,
                              const fs::path& dir) {
  fs::create_directories(dir);
  CsvWriter overdrafts(dir / "overdrafts.csv");
  overdrafts.out() << "account,symbol,payment,cash_after\n";
  for (const auto& o : report.overdrafts)
    overdrafts.out() << Cell{book.accounts[o.account].number} << ',' << Cell{fills[o.fill].record.symbol}
                     << ',' << Number{o.payment, 2} << ',' << Number{o.cash_after, 2} << '\n';
  overdrafts.close();
  CsvWriter oversells(dir / "oversells.csv");
  oversells.out() << "account,goal,symbol,units_after\n";
  for (const auto& o : report.oversells) {
    const auto& goal = book.goals[o.goal];
    oversells.out() << Cell{book.accounts[goal.account].number} << ',' << Cell{goal.name} << ','
                    << Cell{fills[o.fill].record.symbol} << ',' << Number{o.units_after} << '\n';
  }
  oversells.close();
}

}  // namespace tranche::oms
