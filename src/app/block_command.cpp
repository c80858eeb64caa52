// `tranche block`: the block step of the daily cycle on a book folder. Checks every NEW order
// at the cycle's clock (--at, never the wall clock), splits the viable ones by their goals'
// models and aggregates the splits into block orders. Writes MasterOrder.csv (the blocks, for
// the broker), splits.csv and rejections.csv into --out.

#include <iostream>
#include <memory>
#include <optional>

#include "app/book_db.hpp"
#include "app/book_options.hpp"
#include "app/commands.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/core/calendar.hpp"
#include "tranche/oms/book_files.hpp"
#include "tranche/oms/market_hours.hpp"
#include "tranche/store/book_store.hpp"

namespace tranche::app {

void add_block_command(CLI::App& app) {
  struct Options {
    std::string book, db, at, out, weights = "exact", minimum = "1.00", venue = "NYSE";
    bool cents = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("block", "Check, split and aggregate a book's new orders into block orders");
  command
      ->add_option("--book", options->book,
                   "Book folder (accounts.csv, goals.csv, models.csv, orders.csv, ...)")
      ->check(CLI::ExistingDirectory);
  command->add_option("--db", options->db, "Or a book of record (SQLite file or postgresql://...)")
      ->excludes("--book");
  command
      ->add_option("--at", options->at,
                   "The cycle's clock, e.g. 2024-11-29T15:00:00Z (market hours are checked then)")
      ->required();
  command->add_option("--out", options->out, "Folder for MasterOrder.csv, splits.csv and rejections.csv")
      ->required();
  add_weights_option(*command, options->weights);
  command->add_option("--minimum", options->minimum, "An order must be for more than this many dollars")
      ->capture_default_str();
  command->add_option("--venue", options->venue, "Venue whose calendar every symbol trades on")
      ->capture_default_str();
  command->add_flag("--cents", options->cents,
                    "Write block dollars rounded down to whole cents, for a broker that takes cents");
  command->callback([options] {
    if (options->book.empty() == options->db.empty()) throw CLI::RequiredError("one of --book and --db");
    const Timestamp at = parse_timestamp(options->at);
    const auto registry = CalendarRegistry::standard(data_dir());
    const InstrumentVenues venues(options->venue);
    registry.for_venue(options->venue);  // an unknown venue fails before any work
    const oms::CalendarMarketHours hours(registry, venues);
    oms::ViabilityRules rules;
    rules.minimum_amount = Decimal::parse(options->minimum);
    std::unique_ptr<store::Database> db;
    std::optional<store::BookStore> stored;
    oms::Book folder_book;
    oms::BlockPlan plan;
    if (!options->db.empty()) {
      db = open_book(options->db);
      stored.emplace(*db);
      plan = store::run_block_step(*stored, at, "block --at " + options->at, hours, rules).plan;
    } else {
      folder_book = oms::load_book(options->book, weight_rule(options->weights));
      plan = oms::run_block_step(folder_book, at, hours, rules);
    }
    const oms::Book& book = stored ? stored->state().book : folder_book;

    const std::filesystem::path out = options->out;
    std::filesystem::create_directories(out);
    broker::write_master_order(
        plan, out / "MasterOrder.csv",
        options->cents ? broker::DollarPrecision::Cents : broker::DollarPrecision::Exact);
    oms::write_block_files(book, plan, out);

    std::size_t sent = 0, rejected = 0;
    for (const auto& order : book.orders) {
      sent += order.state == oms::OrderState::Pending ? 1 : 0;
      rejected += order.state == oms::OrderState::Rejected ? 1 : 0;
    }
    Decimal total;
    for (const auto& block : plan.blocks) total += block.dollars;
    std::cout << "orders    " << book.orders.size() << " (" << sent << " sent, " << rejected << " rejected)\n"
              << "splits    " << plan.splits.size() << "\n"
              << "blocks    " << plan.blocks.size() << ", " << total.to_string(2) << " dollars\n";
    if (options->cents) std::cout << "note      block dollars rounded down to whole cents for the broker\n";
    for (const auto& r : plan.rejections)
      std::cout << "rejected  " << book.orders[r.order].id << " " << r.rule << ": " << r.reason << "\n";
  });
}

}  // namespace tranche::app
