// `tranche init`: creates a book of record (a SQLite file, or the tables in a PostgreSQL
// database) at the newest schema version. Running it on an existing book only migrates it.

#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "tranche/store/journal.hpp"

namespace tranche::app {

void add_init_command(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("init", "Create (or migrate) a book of record");
  command->add_option("--db", *db, "Book: a SQLite file path, or postgresql://... for PostgreSQL")
      ->required();
  command->callback([db] {
    auto database = store::open_database(*db);
    std::cout << "book at schema version " << store::migrate(*database) << "\n";
  });
}

}  // namespace tranche::app
