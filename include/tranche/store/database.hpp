#pragma once
// A small SQL connection interface with two backends: SQLite (one file, the embedded default)
// and PostgreSQL (a server several engine processes share). The book's journal and tables are
// written through it, so every test of the book runs against both.
//
// Statements use '?' placeholders in both dialects (rewritten to $1, $2, ... for PostgreSQL).
// Values are bound and read as text, integers or NULL: exact decimals travel as their text.
// Every failure throws tranche::Error (Io) with the backend's message and the statement.
// A Database is used by one thread at a time.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tranche::store {

// A string_view is a parameter only (results hold strings): text the caller keeps alive until
// the call returns, bound without a copy.
using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string, std::string_view>;
using SqlRow = std::vector<SqlValue>;

// Text of a cell (integers in decimal), or nullopt for NULL.
std::optional<std::string> as_text(const SqlValue& value);
// Integer of a cell; throws Error for NULL or a non-integer.
std::int64_t as_integer(const SqlValue& value);

enum class Backend { Sqlite, Postgres };

class Database {
 public:
  virtual ~Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  virtual Backend backend() const = 0;
  // Runs one or more statements without parameters (schema, pragmas).
  virtual void execute_script(std::string_view sql) = 0;
  // Runs one statement with parameters; returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, std::span<const SqlValue> params = {}) = 0;
  // Runs one query; returns every row, each with one value per selected column.
  virtual std::vector<SqlRow> query(std::string_view sql, std::span<const SqlValue> params = {}) = 0;

  // Transactions do not nest. begin_exclusive() also keeps other writers out until commit
  // (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so commands of
  // several processes sharing one book apply one after another.
  virtual void begin_exclusive() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

 protected:
  Database() = default;
};

// Opens a book: "postgresql://..." or "postgres://..." (a libpq connection URI) selects
// PostgreSQL, anything else is a SQLite file path (created if missing, WAL mode).
std::unique_ptr<Database> open_database(const std::string& location);

// Commits when the scope ends normally via commit(); rolls back if it is left by an exception.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.begin_exclusive(); }
  ~Transaction() {
    if (!done_) {
      try {
        db_.rollback();
      } catch (...) {  // a failed rollback leaves the backend to discard the transaction
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace tranche::store
