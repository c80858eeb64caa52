#include "app/book_db.hpp"

#include <chrono>
#include <filesystem>

#include "tranche/core/error.hpp"
#include "tranche/store/journal.hpp"

namespace tranche::app {

std::unique_ptr<store::Database> open_book(const std::string& location) {
  const bool postgres = location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
  if (!postgres && !std::filesystem::exists(location))
    throw Error(ErrorKind::NotFound,
                location + ": no such book (create it with `tranche init --db " + location + "`)");
  auto db = store::open_database(location);
  if (store::schema_version(*db) == 0)
    throw Error(ErrorKind::NotFound,
                location + ": not initialised (run `tranche init --db " + location + "`)");
  return db;
}

Timestamp command_clock(const std::string& at) {
  if (!at.empty()) return parse_timestamp(at);
  return std::chrono::time_point_cast<Timestamp::duration>(std::chrono::system_clock::now());
}

}  // namespace tranche::app
