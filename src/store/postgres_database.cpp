// PostgreSQL backend over libpq: text-format parameters and results, statements prepared
// once per connection and cached by their text.

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <iterator>
#include <unordered_map>

#include "store/backends.hpp"
#include "tranche/core/error.hpp"

namespace tranche::store {

namespace {

// Type OIDs of the results we read as integers (int2, int4, int8).
constexpr Oid kInt2 = 21, kInt4 = 23, kInt8 = 20;

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      throw Error(ErrorKind::Io, "cannot connect to the book at '" + uri + "': " + trim(why));
    }
    execute_script("SET client_min_messages TO WARNING");
  }

  ~PostgresDatabase() override { PQfinish(conn_); }

  Backend backend() const override { return Backend::Postgres; }

  void execute_script(std::string_view sql) override {
    Result result(PQexec(conn_, std::string(sql).c_str()));
    check(result.get(), sql);
  }

  std::int64_t execute(std::string_view sql, std::span<const SqlValue> params) override {
    Result result = run(sql, params);
    const char* changed = PQcmdTuples(result.get());
    std::int64_t count = 0;
    if (changed != nullptr && *changed != '\0')
      std::from_chars(changed, changed + std::strlen(changed), count);
    return count;
  }

  std::vector<SqlRow> query(std::string_view sql, std::span<const SqlValue> params) override {
    Result result = run(sql, params);
    const int rows = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    std::vector<SqlRow> out;
    out.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      SqlRow row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) {
          row.emplace_back(nullptr);
          continue;
        }
        const char* text = PQgetvalue(result.get(), r, c);
        const int length = PQgetlength(result.get(), r, c);
        const Oid type = PQftype(result.get(), c);
        if (type == kInt2 || type == kInt4 || type == kInt8) {
          std::int64_t value = 0;
          std::from_chars(text, text + length, value);
          row.emplace_back(value);
        } else {
          row.emplace_back(std::string(text, static_cast<std::size_t>(length)));
        }
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  void begin_exclusive() override {
    execute_script("BEGIN");
    // One lock for the whole book: writers of other processes wait here until commit.
    execute_script("SELECT pg_advisory_xact_lock(7210251)");
  }
  void commit() override { execute_script("COMMIT"); }
  void rollback() override { execute_script("ROLLBACK"); }

 private:
  struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  using Result = std::unique_ptr<PGresult, ResultDeleter>;

  Result run(std::string_view sql, std::span<const SqlValue> params) {
    const std::string& name = prepared_name(sql, static_cast<int>(params.size()));
    // Text-format parameters are NUL-terminated: integers and views are copied into one buffer.
    constexpr std::size_t kInBuffer = static_cast<std::size_t>(-1);
    buffer_.clear();
    offsets_.assign(params.size(), kInBuffer);
    values_.assign(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
        offsets_[i] = buffer_.size();
        fmt::format_to(std::back_inserter(buffer_), "{}", *integer);
        buffer_.push_back('\0');
      } else if (const auto* view = std::get_if<std::string_view>(&params[i])) {
        offsets_[i] = buffer_.size();
        buffer_.append(*view);
        buffer_.push_back('\0');
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        values_[i] = text->c_str();
      }
    }
    for (std::size_t i = 0; i < params.size(); ++i)
      if (offsets_[i] != kInBuffer) values_[i] = buffer_.data() + offsets_[i];
    Result result(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values_.data(),
                                 nullptr, nullptr, 0));
    check(result.get(), sql);
    return result;
  }

  const std::string& prepared_name(std::string_view sql, int parameter_count) {
    const std::string key(sql);
    auto found = prepared_.find(key);
    if (found != prepared_.end()) return found->second;
    const std::string name = "s" + std::to_string(prepared_.size());
    Result result(
        PQprepare(conn_, name.c_str(), to_postgres_placeholders(sql).c_str(), parameter_count, nullptr));
    check(result.get(), sql);
    return prepared_.emplace(key, name).first->second;
  }

  void check(const PGresult* result, std::string_view sql) const {
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const char* message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    throw Error(ErrorKind::Io,
                "postgresql: " + trim(message) + " (in: " + std::string(sql.substr(0, 120)) + ")");
  }

  static std::string trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;
  std::string buffer_;  // parameter text of the statement being run
  std::vector<std::size_t> offsets_;
  std::vector<const char*> values_;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& uri) {
  return std::make_unique<PostgresDatabase>(uri);
}

}  // namespace tranche::store
