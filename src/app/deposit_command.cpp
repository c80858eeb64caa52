// `tranche deposit`: adds cash to an account (or, with --withdraw, takes it out; never below
// zero), as one journaled event.

#include <iostream>
#include <memory>

#include "app/book_db.hpp"
#include "app/commands.hpp"
#include "tranche/core/error.hpp"
#include "tranche/store/book_store.hpp"

namespace tranche::app {

void add_deposit_command(CLI::App& app) {
  struct Options {
    std::string db, account, amount, at;
    bool withdraw = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("deposit", "Deposit cash into an account (or withdraw it)");
  command->add_option("--db", options->db, "Book of record (SQLite file or postgresql://...)")->required();
  command->add_option("--account", options->account, "Account number")->required();
  command->add_option("--amount", options->amount, "Dollars, more than zero, at most 2 decimals")->required();
  command->add_flag("--withdraw", options->withdraw, "Withdraw instead (at most the account's cash)");
  command->add_option("--at", options->at, "The command's clock for the journal (default: now)");
  command->callback([options] {
    const Decimal amount = Decimal::parse(options->amount);
    if (amount.sign() <= 0)
      throw Error(ErrorKind::InvalidArgument,
                  "--amount: expected dollars above zero, found " + options->amount);
    if (amount.multiply(Decimal::from_int(1), 2, Rounding::Down) != amount)
      throw Error(ErrorKind::InvalidArgument, "--amount: at most 2 decimals, found " + options->amount);
    auto db = open_book(options->db);
    store::BookStore store(*db);
    const char* verb = options->withdraw ? "withdraw" : "deposit";
    store.run(
        command_clock(options->at), std::string(verb) + " " + options->account + " " + amount.to_string(2),
        [&](const store::BookState&) {
          return std::vector<store::Event>{options->withdraw ? store::withdrawal(options->account, amount)
                                                             : store::deposit(options->account, amount)};
        });
    const auto& state = store.state();
    std::cout << "account " << options->account << " cash "
              << state.book.accounts[state.account(options->account)].cash.to_string(2) << "\n";
  });
}

}  // namespace tranche::app
