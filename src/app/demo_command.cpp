// `tranche demo`: the whole daily cycle on the bundled books (data/book/chapter, the
// robo-advisor chapter's two accounts, and data/book/m100, 100 accounts): checks, blocks, the
// broker's fills, exact allocation and, where a custodian statement is bundled, reconciliation.
// Prints a report a person can read; the cycle's files go to --out (or a fresh temporary
// folder, named in the report).

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include "app/commands.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/core/calendar.hpp"
#include "tranche/core/error.hpp"
#include "tranche/oms/book_files.hpp"
#include "tranche/oms/market_hours.hpp"
#include "tranche/oms/reconcile.hpp"

namespace tranche::app {

namespace {

namespace fs = std::filesystem;

struct DemoBook {
  const char* title;
  const char* folder;  // under data/book
  const char* fills;   // file in that folder
  bool custodian;      // custodian_positions.csv and custodian_cash.csv are bundled
  bool per_account;    // print every account's allocations (the small book)
};

// A fresh folder under the system's temporary directory.
fs::path fresh_temporary_folder() {
  std::random_device entropy;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate = fs::temp_directory_path() / fmt::format("tranche-demo-{:08x}", entropy());
    if (fs::create_directory(candidate)) return candidate;
  }
  throw Error(ErrorKind::Io, "cannot create a temporary folder under " + fs::temp_directory_path().string());
}

// Returns the number of reconciliation breaks.
std::size_t run_book(const DemoBook& demo, const fs::path& data, const fs::path& out, Timestamp at,
                     const oms::MarketHours& hours) {
  const fs::path source = data / "book" / demo.folder;
  const fs::path blocks_dir = out / demo.folder / "blocks";
  const fs::path book_dir = out / demo.folder / "book";
  std::cout << "\n== " << demo.title << " (data/book/" << demo.folder << ") ==\n";

  oms::Book book = oms::load_book(source, wealth::WeightSum::Printed);
  const std::vector<Decimal> cash_before = [&] {
    std::vector<Decimal> cash;
    for (const auto& a : book.accounts) cash.push_back(a.cash);
    return cash;
  }();
  const auto plan = oms::run_block_step(book, at, hours);
  fs::create_directories(blocks_dir);
  broker::write_master_order(plan, blocks_dir / "MasterOrder.csv");
  oms::write_block_files(book, plan, blocks_dir);

  std::size_t sent = 0;
  for (const auto& o : book.orders) sent += o.state == oms::OrderState::Pending ? 1 : 0;
  std::cout << fmt::format("orders: {} checked at {}, {} sent, {} rejected\n", book.orders.size(),
                           format_timestamp(at), sent, book.orders.size() - sent);
  for (const auto& r : plan.rejections)
    std::cout << fmt::format("  rejected order {}: {}: {}\n", book.orders[r.order].id, r.rule, r.reason);

  std::cout << fmt::format("blocks sent to the broker ({} splits):\n", plan.splits.size());
  for (const auto& b : plan.blocks)
    std::cout << fmt::format("  {:<6} {:<4} {:>16}  ({} splits)\n", plan.symbol_of(b), oms::to_string(b.side),
                             b.dollars.to_string(), b.split_count);

  const auto fills = broker::read_fills(source / demo.fills, plan);
  std::cout << fmt::format("fills from the broker ({}):\n", demo.fills);
  for (const auto& f : fills)
    std::cout << fmt::format("  {:<6} {:<4} {:>16} units at {}\n", f.record.symbol,
                             oms::to_string(f.record.side), f.record.units.to_string(),
                             f.record.price.to_string());

  const auto report = oms::allocate_fills(book, plan, fills);
  oms::write_allocation_files(book, plan, fills, report, book_dir);
  oms::write_booking_exceptions(book, fills, report, book_dir);
  oms::write_book(book, book_dir);

  Decimal paid, received;
  for (const auto& a : report.allocations)
    (plan.splits[a.split].side == oms::Side::Buy ? paid : received) += a.cash;
  std::cout << fmt::format(
      "allocations: {} (units to at least 9 decimals, cash to cents), {} paid, {} received\n",
      report.allocations.size(), paid.to_string(2), received.to_string(2));
  if (demo.per_account) {
    std::map<std::size_t, std::vector<oms::SplitAllocation>> by_account;
    for (const auto& a : report.allocations)
      by_account[book.orders[plan.splits[a.split].order].account].push_back(a);
    for (const auto& [account, allocations] : by_account) {
      std::cout << fmt::format("  account {}:\n", book.accounts[account].number);
      for (const auto& a : allocations) {
        const auto& split = plan.splits[a.split];
        std::cout << fmt::format("    {:<4} {:<6} {:>16} units  {:>10} {}\n", oms::to_string(split.side),
                                 plan.symbols[split.symbol], a.units.to_string(), a.cash.to_string(2),
                                 split.side == oms::Side::Buy ? "paid" : "received");
      }
    }
  }
  std::cout << "cash per account (before -> after):\n";
  const std::size_t shown =
      demo.per_account ? book.accounts.size() : std::min<std::size_t>(5, book.accounts.size());
  for (std::size_t i = 0; i < shown; ++i)
    std::cout << fmt::format("  {:<12} {:>12} -> {:>12}\n", book.accounts[i].number,
                             cash_before[i].to_string(2), book.accounts[i].cash.to_string(2));
  if (shown < book.accounts.size())
    std::cout << fmt::format("  ... {} more in {}\n", book.accounts.size() - shown,
                             (book_dir / "accounts.csv").string());
  std::cout << fmt::format("overdrafts: {}\n", report.overdrafts.size());
  for (const auto& o : report.overdrafts)
    std::cout << fmt::format("  account {} paid {} for {}, cash now {}\n", book.accounts[o.account].number,
                             o.payment.to_string(2), fills[o.fill].record.symbol, o.cash_after.to_string(2));
  std::cout << fmt::format("oversells: {}\n", report.oversells.size());

  if (!demo.custodian) {
    std::cout << "reconciliation: no custodian statement bundled for this book\n";
    return 0;
  }
  const std::vector<fs::path> statement{source / "custodian_positions.csv", source / "custodian_cash.csv"};
  const auto breaks = oms::reconcile(book, oms::read_custodian_files(statement));
  std::cout << fmt::format("reconciliation against the custodian's statement: {} break{}\n", breaks.size(),
                           breaks.size() == 1 ? "" : "s");
  for (const auto& b : breaks)
    std::cout << fmt::format("  {} {}: book {}, custodian {}\n", b.account, b.item, b.book.to_string(),
                             b.custodian.to_string());
  return breaks.size();
}

}  // namespace

void add_demo_command(CLI::App& app) {
  struct Options {
    std::string out, at = "2024-11-29T15:00:00Z";
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "demo", "Run the daily cycle on the bundled books (the chapter's two accounts and 100 accounts)");
  command->add_option("--out", options->out,
                      "Folder for the cycle's files (default: a new temporary folder)");
  command->add_option("--at", options->at, "The cycle's clock (market hours are checked then)")
      ->capture_default_str();
  command->callback([options] {
    const Timestamp at = parse_timestamp(options->at);
    const fs::path data = data_dir();
    fs::path out = options->out;
    if (out.empty()) {
      out = fresh_temporary_folder();
    } else {
      fs::create_directories(out);
    }
    const auto registry = CalendarRegistry::standard(data);
    const InstrumentVenues venues("NYSE");
    const oms::CalendarMarketHours hours(registry, venues);
    std::cout << "Daily cycle at " << format_timestamp(at) << " (NYSE hours); files in " << out.string()
              << "\n";
    const DemoBook books[] = {
        {"The robo-advisor chapter's two accounts", "chapter", "fills_MasterOrder_Filled.csv", true, true},
        {"100 accounts", "m100", "fills_filled_block.csv", false, false},
    };
    std::size_t breaks = 0;
    for (const auto& book : books) breaks += run_book(book, data, out, at, hours);
    if (breaks > 0) {
      std::cerr << "tranche: " << breaks << " reconciliation break" << (breaks == 1 ? "" : "s") << "\n";
      throw CLI::RuntimeError(3);
    }
  });
}

}  // namespace tranche::app
