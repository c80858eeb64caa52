// Loading a book folder: previous closes in wide and long form, exact numbers, and errors that
// name file, line, column and field.

#include "tranche/oms/book_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "oms/test_support.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/core/error.hpp"

namespace tranche::oms {
namespace {

namespace fs = std::filesystem;

class BookFolder : public ::testing::Test {
 protected:
  fs::path dir =
      fs::temp_directory_path() / ("tranche_book_" + std::to_string(::getpid()) + "_" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override {
    fs::create_directories(dir);
    write("accounts.csv", "account,type,status,cash\n42,Roth IRA,APPROVED,100.10\n");
    write("goals.csv", "account,goal,model\n42,Retirement,Balanced\n");
    write("models.csv", "model,symbol,weight\nBalanced,VTI,0.6\nBalanced,TLT,0.4\n");
    write("orders.csv", "order_id,account,goal,side,amount\nA1,42,Retirement,BUY,50.00\n");
  }
  void TearDown() override { fs::remove_all(dir); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir / name) << text; }
  std::string load_error() {
    try {
      load_book(dir);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
};

TEST_F(BookFolder, WidePricesGiveTheLastCloseOfEachSymbol) {
  write("prices.csv", "date,VTI,TLT\n2024-11-27,250.10,90.5\n2024-11-29,251.335,\n");
  const Book book = load_book(dir);
  EXPECT_EQ(book.previous_close.at("VTI"), Decimal::parse("251.335"));
  EXPECT_EQ(book.previous_close.at("TLT"), Decimal::parse("90.5"));  // the last row has no TLT
  EXPECT_EQ(book.accounts[0].cash, Decimal::parse("100.10"));
  EXPECT_EQ(book.accounts[0].type, wealth::AccountType::RothIra);
}

TEST_F(BookFolder, LongPricesGiveTheCloseOfTheLatestDate) {
  write("prices.csv",
        "date,symbol,close\n2024-11-29,VTI,251.33\n2024-11-27,VTI,250.10\n2024-11-29,TLT,90.5\n");
  const Book book = load_book(dir);
  EXPECT_EQ(book.previous_close.at("VTI"), Decimal::parse("251.33"));
  EXPECT_EQ(book.previous_close.at("TLT"), Decimal::parse("90.5"));
}

TEST_F(BookFolder, UnknownAccountInOrdersIsNamedWithItsCell) {
  write("orders.csv", "order_id,account,goal,side,amount\nA1,43,Retirement,BUY,50.00\n");
  EXPECT_EQ(load_error(), (dir / "orders.csv").string() + ":2:2: field 'account': unknown account '43'");
}

TEST_F(BookFolder, AmountWithAnExponentIsRefusedNotRounded) {
  write("orders.csv", "order_id,account,goal,side,amount\nA1,42,Retirement,BUY,5e1\n");
  EXPECT_NE(load_error().find("orders.csv:2:5: field 'amount': expected a decimal number, found '5e1'"),
            std::string::npos);
}

TEST_F(BookFolder, GoalFollowingAnUnknownModelIsRefused) {
  write("goals.csv", "account,goal,model\n42,Retirement,Growth\n");
  EXPECT_EQ(load_error(),
            (dir / "goals.csv").string() + ":2:3: field 'model': unknown model 'Growth' (not in models.csv)");
}

TEST_F(BookFolder, OrderListedTwiceIsRefused) {
  write("orders.csv",
        "order_id,account,goal,side,amount\nA1,42,Retirement,BUY,50.00\nA1,42,Retirement,BUY,5.00\n");
  EXPECT_EQ(load_error(), (dir / "orders.csv").string() + ":3:1: field 'order_id': order A1 is listed twice");
}

// Names are found by searching from the previous match while a file lists them in order
// (shorter first, then by bytes: 2 before 10), and by a hash index once one is out of order.
// Either way every row is found from any position, and a name listed twice is refused.
TEST_F(BookFolder, AccountsAreFoundFromAnyRowWhetherListedInOrderOrNot) {
  for (const std::vector<std::string>& numbers : {std::vector<std::string>{"1", "2", "10", "11", "100"},
                                                  std::vector<std::string>{"10", "2", "100", "1", "11"}}) {
    std::string accounts = "account,type,status,cash\n", goals = "account,goal,model\n";
    for (const auto& n : numbers) {
      accounts += n + ",Taxable,APPROVED," + n + ".00\n";
      goals += n + ",Retirement,Balanced\n";
    }
    write("accounts.csv", accounts);
    write("goals.csv", goals);
    write("orders.csv", "order_id,account,goal,side,amount\n");
    // Far back, just after, far ahead, the same again, the first: each a different search.
    write("holdings.csv",
          "account,goal,symbol,units\n100,Retirement,VTI,5\n1,Retirement,VTI,1\n"
          "11,Retirement,VTI,4\n2,Retirement,VTI,2\n10,Retirement,VTI,3\n11,Retirement,TLT,0.5\n");
    const Book book = load_book(dir);
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      const Decimal expected = Decimal::parse(numbers[i] == "100"  ? "5"
                                              : numbers[i] == "11" ? "4"
                                              : numbers[i] == "10" ? "3"
                                                                   : numbers[i]);
      EXPECT_EQ(book.goals[i].holdings.units("VTI"), expected) << numbers[i];
      EXPECT_EQ(book.accounts[book.goals[i].account].number, numbers[i]);
    }
    EXPECT_EQ(book.goals[*book.find_account("11")].holdings.units("TLT"), Decimal::parse("0.5"));
    write("holdings.csv", "account,goal,symbol,units\n12,Retirement,VTI,1\n");  // between 11 and 100
    EXPECT_EQ(load_error(), (dir / "holdings.csv").string() + ":2:1: field 'account': unknown account '12'");
  }
}

TEST_F(BookFolder, AccountListedTwiceIsRefusedInOrderOrNot) {
  write("accounts.csv",
        "account,type,status,cash\n1,Taxable,APPROVED,1\n2,Taxable,APPROVED,1\n"
        "3,Taxable,APPROVED,1\n2,Taxable,APPROVED,1\n");
  EXPECT_EQ(load_error(),
            (dir / "accounts.csv").string() + ":5:1: field 'account': account 2 is listed twice");
  write("accounts.csv",
        "account,type,status,cash\n3,Taxable,APPROVED,1\n1,Taxable,APPROVED,1\n"
        "2,Taxable,APPROVED,1\n3,Taxable,APPROVED,1\n");
  EXPECT_EQ(load_error(),
            (dir / "accounts.csv").string() + ":5:1: field 'account': account 3 is listed twice");
}

// A splits.csv of more than 100,000 rows is read in two halves on two threads: the plan read
// back is the one written, and an error in the second half names its line in the whole file.
TEST_F(BookFolder, LongSplitFileReadsBackTheSameOnTwoThreads) {
  std::string orders = "order_id,account,goal,side,amount\n";
  for (int i = 0; i < 60'000; ++i)
    orders += "O" + std::to_string(i) + ",42,Retirement,BUY,1." + std::to_string(i % 9 + 1) + "\n";
  write("orders.csv", orders);
  write("accounts.csv", "account,type,status,cash\n42,Roth IRA,APPROVED,1000000\n");
  Book book = load_book(dir);
  const auto plan = run_block_step(book, Timestamp{}, testing::FixedMarketHours());
  ASSERT_EQ(plan.splits.size(), 120'000U);
  const fs::path blocks = dir / "blocks";
  write_block_files(book, plan, blocks);
  broker::write_master_order(plan, blocks / "MasterOrder.csv");

  Book again = load_book(dir);
  const auto read = load_block_files(again, blocks);
  ASSERT_EQ(read.splits.size(), plan.splits.size());
  ASSERT_EQ(read.blocks.size(), 2U);
  for (std::size_t b = 0; b < 2; ++b) {
    EXPECT_EQ(read.symbol_of(read.blocks[b]), plan.symbol_of(plan.blocks[b]));
    EXPECT_EQ(read.blocks[b].dollars, plan.blocks[b].dollars);
    EXPECT_EQ(read.blocks[b].split_count, 60'000U);
  }
  for (std::size_t i = 0; i < plan.splits.size(); ++i) {
    ASSERT_EQ(read.splits[i].order, plan.splits[i].order) << i;
    ASSERT_EQ(read.splits[i].dollars, plan.splits[i].dollars) << i;
  }
  // TLT: 0.4 x (6,666 x (1.1 + ... + 1.9) + 1.1 + ... + 1.6) = 0.4 x 89,999.1.
  EXPECT_EQ(read.blocks[0].dollars, testing::dec("35999.64"));

  // Line 110,000 (the second block, in the second half) gets an unknown order.
  std::ifstream in(blocks / "splits.csv");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t at = 0;
  for (int line = 1; line < 110'000; ++line) at = text.find('\n', at) + 1;
  text.replace(at, text.find(',', at) - at, "Q1");
  std::ofstream(blocks / "splits.csv") << text;
  Book third = load_book(dir);
  try {
    load_block_files(third, blocks);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (blocks / "splits.csv").string() +
                                         ":110000:1: field 'order_id': unknown order 'Q1' (not in the book)");
  }
}

// Files of more than 100,000 lines are parsed in two halves on two threads: the book is the
// one a single reader makes, and an error is the first a single reader meets, with its line.
TEST_F(BookFolder, LongBookFilesReadOnTwoThreadsAsOnOne) {
  constexpr int kAccounts = 120'000;
  std::string accounts = "account,type,status,cash\n", goals = "account,goal,model\n",
              orders = "order_id,account,goal,side,amount\n";
  for (int i = 0; i < kAccounts; ++i) {
    const std::string n = std::to_string(i);
    accounts += n + ",Taxable,APPROVED," + n + ".25\n";
    goals += n + ",Retirement,Balanced\n";
    orders += "O" + n + "," + n + ",Retirement," + (i % 2 ? "SELL" : "BUY") + ",1." +
              std::to_string(i % 100) + "\n";
  }
  write("accounts.csv", accounts);
  write("goals.csv", goals);
  write("orders.csv", orders);
  const Book book = load_book(dir);
  ASSERT_EQ(book.accounts.size(), std::size_t{kAccounts});
  ASSERT_EQ(book.goals.size(), std::size_t{kAccounts});
  ASSERT_EQ(book.orders.size(), std::size_t{kAccounts});
  for (const std::size_t i : {0, 59'999, 60'000, 119'999}) {
    EXPECT_EQ(book.accounts[i].number, std::to_string(i));
    EXPECT_EQ(book.accounts[i].cash, Decimal::parse(std::to_string(i) + ".25"));
    EXPECT_EQ(book.goals[i].account, i);
    EXPECT_EQ(book.orders[i].id, "O" + std::to_string(i));
    EXPECT_EQ(book.orders[i].account, i);
    EXPECT_EQ(book.orders[i].goal, i);
    EXPECT_EQ(book.orders[i].side, i % 2 ? Side::Sell : Side::Buy);
    EXPECT_EQ(book.orders[i].amount, Decimal::parse("1." + std::to_string(i % 100)));
  }

  // Account 5 again on line 100,002 (the second half): found when the halves are indexed.
  const auto line_start = [](const std::string& text, int line) {
    std::size_t at = 0;
    for (int l = 1; l < line; ++l) at = text.find('\n', at) + 1;
    return at;
  };
  std::string twice = accounts;
  twice.replace(line_start(twice, 100'002), 6, "5");  // account 100000
  write("accounts.csv", twice);
  EXPECT_EQ(load_error(),
            (dir / "accounts.csv").string() + ":100002:1: field 'account': account 5 is listed twice");
  // Bad cash on lines 90,002 and 20,002: the earlier is reported.
  std::string bad = accounts;
  for (const int line : {90'002, 20'002}) bad.insert(bad.find('\n', line_start(bad, line)), "x");
  write("accounts.csv", bad);
  EXPECT_NE(
      load_error().find("accounts.csv:20002:4: field 'cash': expected a decimal number, found '20000.25x'"),
      std::string::npos);
  // An order of an unknown goal on line 110,002.
  write("accounts.csv", accounts);
  std::string unknown_goal = orders;
  const std::size_t at = line_start(unknown_goal, 110'002);
  unknown_goal.replace(unknown_goal.find("Retirement", at), 10, "Holiday");
  write("orders.csv", unknown_goal);
  EXPECT_EQ(load_error(), (dir / "orders.csv").string() +
                              ":110002:3: field 'goal': unknown goal 'Holiday' of this account");
}

TEST_F(BookFolder, WrittenBookReadsBackTheSame) {
  write("holdings.csv", "account,goal,symbol,units\n42,Retirement,VTI,1.123456789\n");
  const Book book = load_book(dir);
  const fs::path copy = dir / "copy";
  write_book(book, copy);
  const Book again = load_book(copy);
  EXPECT_EQ(again.accounts[0].cash, book.accounts[0].cash);
  EXPECT_EQ(again.goals[0].holdings.units("VTI"), Decimal::parse("1.123456789"));
  EXPECT_EQ(again.orders[0].amount, Decimal::parse("50"));
  EXPECT_EQ(again.models[0].weight("TLT"), Decimal::parse("0.4"));
}

}  // namespace
}  // namespace tranche::oms
