// SQLite backend: one file in WAL mode, prepared statements cached by their text.

#include <sqlite3.h>

#include <unordered_map>

#include "store/backends.hpp"
#include "tranche/core/error.hpp"

namespace tranche::store {

namespace {

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw Error(ErrorKind::Io, "cannot open the book '" + path + "': " + why);
    }
    sqlite3_busy_timeout(db_, 10'000);
    // 16 KB pages (a new file only: a book keeps the size it was made with) write a command's
    // rows in a quarter of the WAL frames of the default 4 KB.
    execute_script(
        "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA "
        "foreign_keys=ON;");
  }

  ~SqliteDatabase() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }

  Backend backend() const override { return Backend::Sqlite; }

  void execute_script(std::string_view sql) override {
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string why = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      fail(why, sql);
    }
  }

  std::int64_t execute(std::string_view sql, std::span<const SqlValue> params) override {
    sqlite3_stmt* statement = prepare(sql, params);
    const int rc = sqlite3_step(statement);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail_and_reset(statement, sql);
    sqlite3_reset(statement);
    return sqlite3_changes64(db_);
  }

  std::vector<SqlRow> query(std::string_view sql, std::span<const SqlValue> params) override {
    sqlite3_stmt* statement = prepare(sql, params);
    std::vector<SqlRow> rows;
    const int columns = sqlite3_column_count(statement);
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      SqlRow row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(statement, c)) {
          case SQLITE_NULL:
            row.emplace_back(nullptr);
            break;
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, c)));
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
            row.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, c))));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) fail_and_reset(statement, sql);
    sqlite3_reset(statement);
    return rows;
  }

  void begin_exclusive() override { execute("BEGIN IMMEDIATE", {}); }
  void commit() override { execute("COMMIT", {}); }
  void rollback() override { execute("ROLLBACK", {}); }

 private:
  sqlite3_stmt* prepare(std::string_view sql, std::span<const SqlValue> params) {
    auto found = statements_.find(sql);
    sqlite3_stmt* statement = nullptr;
    if (found != statements_.end()) {
      statement = found->second;
      sqlite3_clear_bindings(statement);
    } else {
      if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                             &statement, nullptr) != SQLITE_OK) {
        fail(sqlite3_errmsg(db_), sql);
      }
      statements_.emplace(std::string(sql), statement);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(statement, index, *integer);
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        // The parameters outlive the statement's step (it is reset before this call returns).
        rc = sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()), SQLITE_STATIC);
      } else if (const auto* view = std::get_if<std::string_view>(&params[i])) {
        rc = sqlite3_bind_text(statement, index, view->data(), static_cast<int>(view->size()), SQLITE_STATIC);
      } else {
        rc = sqlite3_bind_null(statement, index);
      }
      if (rc != SQLITE_OK) fail(sqlite3_errmsg(db_), sql);
    }
    return statement;
  }

  [[noreturn]] void fail_and_reset(sqlite3_stmt* statement, std::string_view sql) {
    const std::string why = sqlite3_errmsg(db_);
    sqlite3_reset(statement);
    fail(why, sql);
  }

  [[noreturn]] static void fail(const std::string& why, std::string_view sql) {
    throw Error(ErrorKind::Io, "sqlite: " + why + " (in: " + std::string(sql.substr(0, 120)) + ")");
  }

  sqlite3* db_ = nullptr;
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteDatabase>(path);
}

}  // namespace tranche::store
