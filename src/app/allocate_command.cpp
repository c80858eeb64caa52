// `tranche allocate`: books a broker fill file against the blocks `tranche block` wrote.
// Writes Account_Allocations.csv, cash_movements.csv, overdrafts.csv and oversells.csv, and the updated
// book (accounts.csv, holdings.csv, orders.csv with states, booked_fills.csv: the fills booked, so
// running again with the same fill file on the updated book changes nothing).

#include <filesystem>
#include <future>
#include <iostream>
#include <memory>

#include "app/book_options.hpp"
#include "app/commands.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/oms/allocation.hpp"
#include "tranche/oms/book_files.hpp"

namespace tranche::app {

void add_allocate_command(CLI::App& app) {
  struct Options {
    std::string book, blocks, fills, out, weights = "exact";
    int min_units_scale = 9;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("allocate", "Allocate block fills to the accounts, exactly");
  command->add_option("--book", options->book, "Book folder")->required()->check(CLI::ExistingDirectory);
  command->add_option("--blocks", options->blocks, "The folder `tranche block` wrote")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--fills", options->fills, "Fill file: OrderID,Symbol,Type,Units,Price")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", options->out, "Folder for the allocation files and the updated book")
      ->required();
  add_weights_option(*command, options->weights);
  add_units_decimals_option(*command, options->min_units_scale);
  command->callback([options] {
    oms::Book book = oms::load_book(options->book, weight_rule(options->weights));
    const auto plan = oms::load_block_files(book, options->blocks);
    const auto fills = broker::read_fills(options->fills, plan);
    auto report = oms::compute_allocations(book, plan, fills, oms::AllocationRules{options->min_units_scale});
    // The allocation files need only the allocations and the book's names: written while the
    // allocations are booked, then the updated book beside them.
    std::filesystem::create_directories(options->out);
    auto allocations_written = std::async(
        std::launch::async, [&] { oms::write_allocation_files(book, plan, fills, report, options->out); });
    oms::book_allocations(book, plan, fills, report);
    oms::write_book(book, options->out);
    oms::write_booking_exceptions(book, fills, report, options->out);
    allocations_written.get();

    Decimal paid, received;
    for (const auto& a : report.allocations)
      (plan.splits[a.split].side == oms::Side::Buy ? paid : received) += a.cash;
    std::cout << "fills        " << report.applied.size() << " booked, " << report.fills_already_booked
              << " already booked\n"
              << "allocations  " << report.allocations.size() << "\n"
              << "cash         " << paid.to_string(2) << " paid, " << received.to_string(2) << " received\n";
    for (const auto& o : report.oversells) {
      const auto& goal = book.goals[o.goal];
      std::cerr << "tranche: oversell: account " << book.accounts[goal.account].number << " goal '"
                << goal.name << "' now holds " << o.units_after.to_string() << " "
                << fills[o.fill].record.symbol << "\n";
    }
    for (const auto& o : report.overdrafts) {
      std::cerr << "tranche: overdraft: account " << book.accounts[o.account].number << " paid "
                << o.payment.to_string(2) << " for " << fills[o.fill].record.symbol << ", cash now "
                << o.cash_after.to_string(2) << "\n";
    }
  });
}

}  // namespace tranche::app
