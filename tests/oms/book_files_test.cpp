// Loading a book folder: previous closes in wide and long form, exact numbers, and errors that
// name file, line, column and field.

#include "tranche/oms/book_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

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
