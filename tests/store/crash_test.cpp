// Crash safety: a seeded daily cycle (import, deposits, a withdrawal, the block step, fills in
// five files with repeats) killed at many random points. A crash hook ends the process with
// _exit at the Nth database call, so it dies holding whatever it had: mid-import, mid-block,
// mid-allocation, at commit. After each crash the book must be exactly as after some whole
// number of commands (never between), and running the remaining commands must give the same
// cash, units and tables as a run that was never interrupted.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <map>
#include <numeric>
#include <random>

#include "store_test_support.hpp"
#include "tranche/store/book_store.hpp"

namespace tranche::store {
namespace {

// Forwards to a real database and ends the process at its `crash_at`-th call.
class CrashingDatabase final : public Database {
 public:
  CrashingDatabase(std::unique_ptr<Database> inner, std::int64_t crash_at)
      : inner_(std::move(inner)), crash_at_(crash_at) {}
  Backend backend() const override { return inner_->backend(); }
  void execute_script(std::string_view sql) override {
    tick();
    inner_->execute_script(sql);
  }
  std::int64_t execute(std::string_view sql, std::span<const SqlValue> params) override {
    tick();
    return inner_->execute(sql, params);
  }
  std::vector<SqlRow> query(std::string_view sql, std::span<const SqlValue> params) override {
    tick();
    return inner_->query(sql, params);
  }
  void begin_exclusive() override {
    tick();
    inner_->begin_exclusive();
  }
  void commit() override {
    tick();
    inner_->commit();
  }
  void rollback() override { inner_->rollback(); }
  std::int64_t calls() const { return calls_; }

 private:
  void tick() {
    if (++calls_ == crash_at_) ::_exit(kCrashed);
  }

 public:
  static constexpr int kCrashed = 86;

 private:
  std::unique_ptr<Database> inner_;
  std::int64_t crash_at_;
  std::int64_t calls_ = 0;
};

class AlwaysOpen final : public oms::MarketHours {
 public:
  bool is_open(std::string_view, Timestamp) const override { return true; }
};

using Command = std::function<void(BookStore&)>;

Timestamp clock(int minute) { return parse_timestamp("2024-11-29T14:00:00Z") + std::chrono::minutes(minute); }

// The seeded cycle: 12 accounts, two models, one goal and one BUY order per account.
std::vector<Command> seeded_cycle(std::uint32_t seed) {
  std::mt19937 random(seed);
  auto cents = [&](int low, int high) {
    return Decimal::from_int(std::uniform_int_distribution<int>(low, high)(random))
        .divide(Decimal::from_int(100), 2, Rounding::HalfEven);
  };
  oms::Book book;
  book.models.emplace_back("Growth", std::vector<wealth::ModelWeight>{{"GLD", Decimal::parse("0.25")},
                                                                      {"IEI", Decimal::parse("0.25")},
                                                                      {"VTI", Decimal::parse("0.5")}});
  book.models.emplace_back("Income", std::vector<wealth::ModelWeight>{{"IEI", Decimal::parse("0.8")},
                                                                      {"TLT", Decimal::parse("0.2")}});
  std::vector<Decimal> deposits;
  for (std::size_t a = 0; a < 12; ++a) {
    wealth::Account account;
    account.number = "A" + std::to_string(100 + a);
    account.status = wealth::AccountStatus::Approved;
    account.cash = cents(5000, 90000);
    book.accounts.push_back(account);
    wealth::Goal goal;
    goal.account = a;
    goal.name = "Goal";
    goal.model = a % 2;
    book.goals.push_back(goal);
    book.orders.push_back(
        {"O" + std::to_string(a), a, a, oms::Side::Buy, cents(2000, 40000), oms::OrderState::New});
    deposits.push_back(cents(100, 5000));
  }
  std::vector<Command> commands;
  commands.push_back([book](BookStore& store) {
    store.run(clock(0), "import", [&](const BookState&) { return import_events(book); });
  });
  for (int round = 0; round < 2; ++round) {
    for (std::size_t a = 0; a < 12; ++a) {
      commands.push_back([a, amount = deposits[a]](BookStore& store) {
        store.run(clock(1), "deposit", [&](const BookState&) {
          return std::vector<Event>{deposit("A" + std::to_string(100 + a), amount)};
        });
      });
    }
  }
  commands.push_back([](BookStore& store) {
    store.run(clock(2), "withdraw", [&](const BookState&) {
      return std::vector<Event>{withdrawal("A101", Decimal::parse("10.00"))};
    });
  });
  commands.push_back([](BookStore& store) { run_block_step(store, clock(3), "block", AlwaysOpen()); });
  // Each block filled in two executions at seeded prices: the first execution of each block as a
  // file of its own, then a file of the second executions that repeats the first ones.
  std::vector<IncomingFill> first, second;
  for (std::int64_t block = 1; block <= 4; ++block) {
    const Decimal price = cents(5000, 30000);
    const Decimal units = Decimal::from_int(std::uniform_int_distribution<int>(100000, 900000)(random))
                              .divide(Decimal::from_int(1000000), 6, Rounding::HalfEven);
    first.push_back({block, "X" + std::to_string(block), units, price, 6});
    second.push_back({block, "Y" + std::to_string(block), units, price, 6});
  }
  second.insert(second.end(), first.begin(), first.end());
  for (const auto& fill : first)
    commands.push_back(
        [fill](BookStore& store) { book_fills(store, std::span(&fill, 1), clock(4), "fills first"); });
  commands.push_back([second](BookStore& store) { book_fills(store, second, clock(5), "fills second"); });
  return commands;
}

struct Totals {
  Decimal cash;
  std::map<std::string, Decimal> units;
  friend bool operator==(const Totals&, const Totals&) = default;
};
Totals totals(const BookStore& store) {
  Totals t;
  for (const auto& a : store.state().book.accounts) t.cash += a.cash;
  for (const auto& g : store.state().book.goals)
    for (const auto& p : g.holdings.positions()) t.units[p.symbol] += p.units;
  return t;
}

class CrashTest : public BackendTest {};

TEST_P(CrashTest, AProcessKilledAtAnyOfTwoHundredPointsLosesNoCashOrUnits) {
  const auto commands = seeded_cycle(20261122);
  // The uninterrupted run: the journal's length and the tables after each command.
  std::vector<std::int64_t> sequence_after{0};
  std::vector<std::string> tables_after;
  std::int64_t calls = 0;
  Totals expected;
  {
    CrashingDatabase db(open(), 0);
    auto reader = open();  // counts only the calls the commands make
    BookStore store(db);
    tables_after.push_back(dump_tables(*reader));
    for (const auto& command : commands) {
      command(store);
      sequence_after.push_back(Journal(*reader).last_sequence());
      tables_after.push_back(dump_tables(*reader));
    }
    calls = db.calls();
    expected = totals(store);
  }
  // import 50 (12 x opened, deposit, goal, order; 2 models), 24 deposits, 1 withdrawal, block
  // 16 (2 orders short of cash rejected, 10 sent, 4 blocks), first executions 49 (4 fills, 25
  // splits, each of the 10 orders PARTIALLY_FILLED then FILLED), second file 29 (4 new fills,
  // 25 splits; its 4 repeats ignored).
  ASSERT_EQ(sequence_after.back(), 169);
  EXPECT_EQ(expected.cash.to_string(2), "5262.35");  // the 12 accounts' cash at the end of the run
  ASSERT_GE(calls, 200);

  std::mt19937 random(7);
  std::vector<std::int64_t> points(static_cast<std::size_t>(calls));
  std::iota(points.begin(), points.end(), 1);
  std::shuffle(points.begin(), points.end(), random);
  points.resize(200);                        // 200 distinct kill points
  std::map<std::size_t, int> stopped_after;  // commands completed -> crashes seen there
  for (const std::int64_t crash_at : points) {
    const std::string location = fresh_location();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      CrashingDatabase db(open_database(location), crash_at);
      BookStore store(db);
      for (const auto& command : commands) command(store);
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == CrashingDatabase::kCrashed)
        << "crash at " << crash_at;

    auto db = open_database(location);
    BookStore store(*db);
    const std::int64_t sequence = Journal(*db).last_sequence();
    const auto done = std::find(sequence_after.begin(), sequence_after.end(), sequence);
    ASSERT_NE(done, sequence_after.end()) << "crash at " << crash_at << " left " << sequence << " events";
    const auto completed = static_cast<std::size_t>(done - sequence_after.begin());
    ASSERT_EQ(dump_tables(*db), tables_after[completed]) << "crash at " << crash_at;
    ++stopped_after[completed];
    for (std::size_t c = completed; c < commands.size(); ++c) commands[c](store);
    ASSERT_EQ(totals(store), expected) << "crash at " << crash_at;
    ASSERT_EQ(dump_tables(*db), tables_after.back()) << "crash at " << crash_at;
  }
  // The kill points fell inside every kind of command: the import, deposits, the withdrawal,
  // the block step and the fill files.
  for (const std::size_t command : {0, 1, 25, 26, 27, 31}) EXPECT_GT(stopped_after[command], 0) << command;
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashTest, kBothBackends, backend_name);

}  // namespace
}  // namespace tranche::store
