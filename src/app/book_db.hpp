#pragma once
// What the stateful commands share: opening a book (--db: a SQLite file, or postgresql://...)
// and the command's clock (--at, else the wall clock).

#include <memory>
#include <string>

#include "tranche/core/time.hpp"
#include "tranche/store/database.hpp"

namespace tranche::app {

// Opens an existing book: a SQLite file must exist (`tranche init` creates it); a PostgreSQL
// book must have been initialised.
std::unique_ptr<store::Database> open_book(const std::string& location);
Timestamp command_clock(const std::string& at);

}  // namespace tranche::app
