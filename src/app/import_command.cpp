// `tranche import`: brings a book folder (the daily cycle's CSV files) into a book of record as
// events, in one transaction. Any bad row rejects the whole import with file:line:column and
// nothing is written.

#include <iostream>
#include <memory>

#include "app/book_db.hpp"
#include "app/book_options.hpp"
#include "app/commands.hpp"
#include "tranche/oms/book_files.hpp"
#include "tranche/store/book_store.hpp"

namespace tranche::app {

void add_import_command(CLI::App& app) {
  struct Options {
    std::string db, dir, at, weights = "exact";
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("import", "Import a book folder into a book of record");
  command->add_option("--db", options->db, "Book of record (SQLite file or postgresql://...)")->required();
  command
      ->add_option("dir", options->dir, "Book folder (accounts.csv, goals.csv, models.csv, orders.csv, ...)")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--at", options->at, "The command's clock for the journal (default: now)");
  add_weights_option(*command, options->weights);
  command->callback([options] {
    const oms::Book book = oms::load_book(options->dir, weight_rule(options->weights));
    auto db = open_book(options->db);
    store::BookStore store(*db);
    const auto last = store.run(command_clock(options->at), "import " + options->dir,
                                [&](const store::BookState&) { return store::import_events(book); });
    std::cout << "imported  " << book.accounts.size() << " accounts, " << book.goals.size() << " goals, "
              << book.models.size() << " models, " << book.orders.size() << " orders\n"
              << "journal   " << last << " events\n";
  });
}

}  // namespace tranche::app
