// `tranche fills`: books a broker fill file (OrderID,Symbol,Type,Units,Price[,ExecID]) against
// the blocks of the book's latest block cycle (or --cycle N). Each execution is booked once: one
// already booked is ignored and reported on stderr.

#include <iostream>
#include <memory>

#include "app/book_db.hpp"
#include "app/book_options.hpp"
#include "app/commands.hpp"
#include "tranche/store/book_store.hpp"

namespace tranche::app {

void add_fills_command(CLI::App& app) {
  struct Options {
    std::string db, file, at;
    std::int64_t cycle = 0;
    int min_units_scale = 9;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("fills", "Book a broker fill file into a book of record, once");
  command->add_option("--db", options->db, "Book of record (SQLite file or postgresql://...)")->required();
  command->add_option("file", options->file, "Fill file: OrderID,Symbol,Type,Units,Price[,ExecID]")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--cycle", options->cycle, "Block cycle the fills belong to (default: the latest)");
  command->add_option("--at", options->at, "The command's clock for the journal (default: now)");
  add_units_decimals_option(*command, options->min_units_scale);
  command->callback([options] {
    auto db = open_book(options->db);
    store::BookStore store(*db);
    const auto fills = store::read_stored_fills(store, options->file, options->cycle);
    const auto result = store::book_fills(store, fills, command_clock(options->at), "fills " + options->file,
                                          options->min_units_scale);
    std::cout << "fills     " << result.applied << " booked, " << result.duplicates.size()
              << " already booked\n";
    for (const auto& d : result.duplicates)
      std::cerr << "tranche: ignored: execution " << d.exec_id << " of block " << d.block
                << " is already booked\n";
    for (const auto& account : store.state().book.accounts)
      if (account.cash.sign() < 0)
        std::cerr << "tranche: overdraft: account " << account.number << " cash " << account.cash.to_string(2)
                  << "\n";
  });
}

}  // namespace tranche::app
