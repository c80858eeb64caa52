#pragma once
// The concrete backends behind open_database().

#include <memory>
#include <string>

#include "tranche/store/database.hpp"

namespace tranche::store {

std::unique_ptr<Database> open_sqlite(const std::string& path);
std::unique_ptr<Database> open_postgres(const std::string& uri);

// '?' placeholders to PostgreSQL's $1, $2, ... ('?' inside quoted literals is kept).
std::string to_postgres_placeholders(std::string_view sql);

}  // namespace tranche::store
