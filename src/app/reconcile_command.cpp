// `tranche reconcile`: the book (a folder, or a book of record with --db) against the custodian's
// start-of-day files. Prints every break as CSV (account,item,book,custodian,difference); exit code 3 when
// there is any.

#include <iostream>
#include <memory>
#include <optional>

#include "app/book_db.hpp"
#include "app/book_options.hpp"
#include "app/commands.hpp"
#include "tranche/oms/book_files.hpp"
#include "tranche/oms/reconcile.hpp"
#include "tranche/store/book_store.hpp"

namespace tranche::app {

void add_reconcile_command(CLI::App& app) {
  struct Options {
    std::string book, db, weights = "exact";
    std::vector<std::string> custodian;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "reconcile", "Compare the book with custodian files; exit code 3 when there are breaks");
  command->add_option("--book", options->book, "Book folder")->check(CLI::ExistingDirectory);
  command->add_option("--db", options->db, "Or a book of record (SQLite file or postgresql://...)")
      ->excludes("--book");
  command
      ->add_option(
          "--custodian", options->custodian,
          "Custodian file(s): positions account,symbol,units and/or cash account,cash (repeat the option)")
      ->required()
      ->check(CLI::ExistingFile);
  add_weights_option(*command, options->weights);
  command->callback([options] {
    if (options->book.empty() == options->db.empty()) throw CLI::RequiredError("one of --book and --db");
    std::unique_ptr<store::Database> db;
    std::optional<store::BookStore> stored;
    oms::Book folder_book;
    if (!options->db.empty()) {
      db = open_book(options->db);
      stored.emplace(*db);
    } else {
      folder_book = oms::load_book(options->book, weight_rule(options->weights));
    }
    const oms::Book& book = stored ? stored->state().book : folder_book;
    const std::vector<std::filesystem::path> paths(options->custodian.begin(), options->custodian.end());
    const auto breaks = oms::reconcile(book, oms::read_custodian_files(paths));
    if (breaks.empty()) {
      std::cout << "no breaks\n";
      return;
    }
    std::cout << "account,item,book,custodian,difference\n";
    for (const auto& b : breaks) {
      std::cout << b.account << ',' << b.item << ',' << b.book.to_string() << ',' << b.custodian.to_string()
                << ',' << b.difference().to_string() << '\n';
    }
    std::cerr << "tranche: " << breaks.size() << " break" << (breaks.size() == 1 ? "" : "s") << "\n";
    throw CLI::RuntimeError(3);
  });
}

}  // namespace tranche::app
