#include "tranche/store/journal.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <utility>

#include "tranche/core/error.hpp"

namespace tranche::store {

namespace {

// Migration N brings the schema from version N-1 to N. Types are chosen to mean the same in
// SQLite and PostgreSQL; exact decimals are stored as their text.
constexpr std::array<std::string_view, 2> kMigrations = {
    R"sql(
CREATE TABLE journal (
  sequence BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  command TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL
)
)sql",
    // 2: state derived from the journal, kept for queries (store/book_store.hpp writes it).
    R"sql(
CREATE TABLE accounts (
  account TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  cash TEXT NOT NULL
);
CREATE TABLE goal_holdings (
  account TEXT NOT NULL,
  goal TEXT NOT NULL,
  symbol TEXT NOT NULL,
  units TEXT NOT NULL,
  PRIMARY KEY (account, goal, symbol)
);
CREATE TABLE orders (
  order_id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  goal TEXT NOT NULL,
  side TEXT NOT NULL,
  amount TEXT NOT NULL,
  state TEXT NOT NULL
);
CREATE TABLE blocks (
  block_id BIGINT PRIMARY KEY,
  cycle BIGINT NOT NULL,
  row_index BIGINT NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  dollars TEXT NOT NULL
);
CREATE TABLE applied_fills (
  block_id BIGINT NOT NULL,
  exec_id TEXT NOT NULL,
  units TEXT NOT NULL,
  price TEXT NOT NULL,
  PRIMARY KEY (block_id, exec_id)
)
)sql",
};

// 3, SQLite only: every table kept in one B-tree ordered by its primary key (WITHOUT ROWID)
// instead of a rowid table plus an index of the key (a BIGINT key is no rowid alias), so
// appending an event or writing a state row is one B-tree insert, not two. PostgreSQL's
// tables are heaps with a key index either way and stay as they are.
constexpr std::string_view kSqliteWithoutRowid = R"sql(
CREATE TABLE journal_3 (
  sequence BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  command TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO journal_3 SELECT sequence, at, command, type, payload FROM journal;
DROP TABLE journal;
ALTER TABLE journal_3 RENAME TO journal;
CREATE TABLE accounts_3 (
  account TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  cash TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO accounts_3 SELECT account, type, status, cash FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_3 RENAME TO accounts;
CREATE TABLE goal_holdings_3 (
  account TEXT NOT NULL,
  goal TEXT NOT NULL,
  symbol TEXT NOT NULL,
  units TEXT NOT NULL,
  PRIMARY KEY (account, goal, symbol)
) WITHOUT ROWID;
INSERT INTO goal_holdings_3 SELECT account, goal, symbol, units FROM goal_holdings;
DROP TABLE goal_holdings;
ALTER TABLE goal_holdings_3 RENAME TO goal_holdings;
CREATE TABLE orders_3 (
  order_id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  goal TEXT NOT NULL,
  side TEXT NOT NULL,
  amount TEXT NOT NULL,
  state TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO orders_3 SELECT order_id, account, goal, side, amount, state FROM orders;
DROP TABLE orders;
ALTER TABLE orders_3 RENAME TO orders;
CREATE TABLE blocks_3 (
  block_id BIGINT PRIMARY KEY,
  cycle BIGINT NOT NULL,
  row_index BIGINT NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  dollars TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO blocks_3 SELECT block_id, cycle, row_index, symbol, side, dollars FROM blocks;
DROP TABLE blocks;
ALTER TABLE blocks_3 RENAME TO blocks;
CREATE TABLE applied_fills_3 (
  block_id BIGINT NOT NULL,
  exec_id TEXT NOT NULL,
  units TEXT NOT NULL,
  price TEXT NOT NULL,
  PRIMARY KEY (block_id, exec_id)
) WITHOUT ROWID;
INSERT INTO applied_fills_3 SELECT block_id, exec_id, units, price FROM applied_fills;
DROP TABLE applied_fills;
ALTER TABLE applied_fills_3 RENAME TO applied_fills
)sql";

// The script that brings the schema from `version` to `version` + 1 on `backend` (empty when
// there is nothing to do there).
std::string_view migration(int version, Backend backend) {
  if (version < 2) return kMigrations[static_cast<std::size_t>(version)];
  return backend == Backend::Sqlite ? kSqliteWithoutRowid : std::string_view();
}

void ensure_version_table(Database& db) {
  db.execute_script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
}

}  // namespace

int schema_version(Database& db) {
  ensure_version_table(db);
  const auto rows = db.query("SELECT MAX(version) FROM schema_version");
  if (rows.empty() || std::holds_alternative<std::nullptr_t>(rows[0][0])) return 0;
  return static_cast<int>(as_integer(rows[0][0]));
}

int migrate(Database& db, int up_to) {
  if (up_to < 0 || up_to > kSchemaVersion)
    throw Error(ErrorKind::InvalidArgument, "no schema version " + std::to_string(up_to));
  int version = schema_version(db);
  if (version > kSchemaVersion) {
    throw Error(ErrorKind::InvalidArgument, "the book's schema is version " + std::to_string(version) +
                                                ", newer than this program's " +
                                                std::to_string(kSchemaVersion) + ": upgrade tranche");
  }
  while (version < up_to) {
    Transaction transaction(db);
    // Another process may have migrated while this one waited for the lock.
    if (schema_version(db) > version) {
      version = schema_version(db);
      continue;
    }
    if (const auto script = migration(version, db.backend()); !script.empty()) db.execute_script(script);
    ++version;
    const std::array<SqlValue, 1> params{std::int64_t{version}};
    db.execute("INSERT INTO schema_version (version) VALUES (?)", params);
    transaction.commit();
  }
  return version;
}

std::int64_t Journal::last_sequence() const {
  const auto rows = db_.query("SELECT MAX(sequence) FROM journal");
  if (rows.empty() || std::holds_alternative<std::nullptr_t>(rows[0][0])) return 0;
  return as_integer(rows[0][0]);
}

std::int64_t Journal::append(Timestamp at, std::string_view command, std::string_view type,
                             std::string_view payload) {
  const NewEvent event{type, payload};
  return append(at, command, std::span<const NewEvent>(&event, 1));
}

std::int64_t Journal::append(Timestamp at, std::string_view command, std::span<const NewEvent> events) {
  const std::int64_t first = last_sequence() + 1;
  if (events.empty()) return first - 1;
  append(first, at, command, events);
  return first;
}

void Journal::append(std::int64_t first, Timestamp at, std::string_view command,
                     std::span<const NewEvent> events) {
  const std::string when = format_timestamp(at);
  // Rows per INSERT: large enough to amortise a round trip, small enough for parameter limits.
  constexpr std::size_t kRowsPerStatement = 256;
  std::vector<SqlValue> params;
  params.reserve(std::min(events.size(), kRowsPerStatement) * 5);
  std::string sql;
  std::size_t sql_rows = 0;
  for (std::size_t start = 0; start < events.size(); start += kRowsPerStatement) {
    const std::size_t rows = std::min(kRowsPerStatement, events.size() - start);
    if (rows != sql_rows) {
      sql = "INSERT INTO journal (sequence, at, command, type, payload) VALUES ";
      for (std::size_t i = 0; i < rows; ++i) sql += i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)";
      sql_rows = rows;
    }
    params.clear();
    for (std::size_t i = 0; i < rows; ++i) {
      const NewEvent& event = events[start + i];
      params.emplace_back(first + static_cast<std::int64_t>(start + i));
      params.emplace_back(std::string_view(when));
      params.emplace_back(command);
      params.emplace_back(event.type);
      params.emplace_back(event.payload);
    }
    db_.execute(sql, params);
  }
}

namespace {

std::string take_text(SqlValue& value) {
  if (auto* text = std::get_if<std::string>(&value)) return std::move(*text);
  return as_text(value).value_or("");
}

}  // namespace

std::vector<JournalEvent> Journal::read(std::int64_t since, std::int64_t limit) const {
  const std::array<SqlValue, 2> params{since, limit};
  auto rows =
      limit > 0 ? db_.query(
                      "SELECT sequence, at, command, type, payload FROM journal WHERE sequence > ? ORDER BY "
                      "sequence LIMIT ?",
                      params)
                : db_.query(
                      "SELECT sequence, at, command, type, payload FROM journal WHERE sequence > ? ORDER BY "
                      "sequence",
                      std::span(params).first(1));
  std::vector<JournalEvent> events;
  events.reserve(rows.size());
  for (auto& row : rows) {
    events.push_back(JournalEvent{as_integer(row[0]), parse_timestamp(take_text(row[1])), take_text(row[2]),
                                  take_text(row[3]), take_text(row[4])});
  }
  return events;
}

}  // namespace tranche::store
