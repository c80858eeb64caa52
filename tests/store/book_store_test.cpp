// The book of record on both backends: the robo-advisor chapter's two accounts imported, sent
// as blocks and filled through the store, with the chapter's cash (0.58 and 1.42, see
// tests/oms/chapter_example_test.cpp), replay, idempotent and split fills, and rejected imports.

#include "tranche/store/book_store.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "store_test_support.hpp"
#include "tranche/core/error.hpp"
#include "tranche/oms/book_files.hpp"

namespace tranche::store {
namespace {

const std::filesystem::path kChapter = std::filesystem::path(TRANCHE_DATA_DIR) / "book" / "chapter";
const Timestamp kImportClock = parse_timestamp("2024-11-29T14:00:00Z");
const Timestamp kCycleClock = parse_timestamp("2024-11-29T15:00:00Z");
const Timestamp kFillClock = parse_timestamp("2024-11-29T16:00:00Z");

class AlwaysOpen final : public oms::MarketHours {
 public:
  bool is_open(std::string_view, Timestamp) const override { return true; }
};

class BookStoreTest : public BackendTest {
 protected:
  // The chapter's book imported and its two orders sent as four BUY blocks (GLD, IEI, TLT, VTI).
  void import_and_block(BookStore& store) {
    const auto book = oms::load_book(kChapter, wealth::WeightSum::Printed);
    store.run(kImportClock, "import chapter", [&](const BookState&) { return import_events(book); });
    const auto result = run_block_step(store, kCycleClock, "block", AlwaysOpen());
    ASSERT_EQ(result.plan.blocks.size(), 4u);
    ASSERT_EQ(result.cycle, 1);
  }
  std::filesystem::path write_file(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("tranche-fills-" + std::to_string(::getpid()) + "-" + std::to_string(files_++) + name);
    std::ofstream(path) << text;
    created_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& path : created_) std::filesystem::remove(path);
    BackendTest::TearDown();
  }
  static std::string cash(const BookStore& store, const char* account) {
    const auto& state = store.state();
    return state.book.accounts[state.account(account)].cash.to_string(2);
  }
  static std::string units(const BookStore& store, const char* account, const char* goal,
                           const char* symbol) {
    const auto& state = store.state();
    return state.book.goals[state.goal(state.account(account), goal)].holdings.units(symbol).to_string();
  }
  static oms::OrderState order_state(const BookStore& store, const char* id) {
    return store.state().book.orders[store.state().order(id)].state;
  }

  std::vector<std::filesystem::path> created_;
  int files_ = 0;
};

TEST_P(BookStoreTest, TheChaptersCycleThroughTheStoreLeavesItsCashAndUnits) {
  auto db = open();
  BookStore store(*db);
  import_and_block(store);
  EXPECT_EQ(cash(store, "123456789"), "11.00");
  EXPECT_EQ(order_state(store, "1"), oms::OrderState::Pending);

  const auto fills = read_stored_fills(store, kChapter / "fills_MasterOrder_Filled.csv");
  const auto result = book_fills(store, fills, kFillClock, "fills MasterOrder_Filled.csv");
  EXPECT_EQ(result.applied, 4u);
  EXPECT_TRUE(result.duplicates.empty());
  EXPECT_EQ(cash(store, "123456789"), "0.58");
  EXPECT_EQ(cash(store, "987654321"), "1.42");
  EXPECT_EQ(units(store, "123456789", "Retirement", "GLD"), "0.02213974052");  // custodian_positions.csv
  EXPECT_EQ(order_state(store, "1"), oms::OrderState::Filled);
  EXPECT_EQ(order_state(store, "2"), oms::OrderState::Filled);

  // A second process opening the book sees the same state from the journal.
  auto other = open();
  BookStore reopened(*other);
  EXPECT_EQ(cash(reopened, "987654321"), "1.42");
  EXPECT_EQ(dump_tables(*db), dump_tables(*other));
}

TEST_P(BookStoreTest, ReplayingTheJournalIntoAFreshBookGivesByteIdenticalTables) {
  auto db = open();
  BookStore store(*db);
  import_and_block(store);
  book_fills(store, read_stored_fills(store, kChapter / "fills_MasterOrder_Filled.csv"), kFillClock, "fills");
  const std::string live = dump_tables(*db);
  EXPECT_NE(live.find("[accounts]\n123456789|Taxable|APPROVED|0.58\n987654321|Roth IRA|APPROVED|1.42\n"),
            std::string::npos)
      << live;
  EXPECT_NE(live.find("1|1|0|GLD|BUY|"), std::string::npos) << live;
  EXPECT_NE(live.find("[orders]\n1|123456789|Retirement|BUY|10.00|FILLED\n"), std::string::npos) << live;

  auto fresh = open_database(fresh_location());
  replay(*db, *fresh);
  EXPECT_EQ(dump_tables(*fresh), live);
  EXPECT_EQ(Journal(*fresh).read().size(), Journal(*db).read().size());
}

TEST_P(BookStoreTest, AFillAppliedTwiceIsIgnoredAndReportedNeverDoubleBooked) {
  auto db = open();
  BookStore store(*db);
  import_and_block(store);
  const auto fills = read_stored_fills(store, kChapter / "fills_MasterOrder_Filled.csv");
  book_fills(store, fills, kFillClock, "fills");
  const auto events = Journal(*db).last_sequence();
  const auto again = book_fills(store, fills, kFillClock, "fills again");
  EXPECT_EQ(again.applied, 0u);
  ASSERT_EQ(again.duplicates.size(), 4u);
  EXPECT_EQ(again.duplicates[0].exec_id, "0");  // the chapter's OrderID is the execution id
  EXPECT_EQ(cash(store, "123456789"), "0.58");
  EXPECT_EQ(cash(store, "987654321"), "1.42");
  EXPECT_EQ(Journal(*db).last_sequence(), events);  // nothing was journaled
}

TEST_P(BookStoreTest, SplitLateAndReorderedFillsAreBookedOnceEach) {
  auto db = open();
  BookStore store(*db);
  import_and_block(store);
  // GLD arrives as two executions in two files; the second file repeats E1 and lists blocks
  // out of MasterOrder order.
  const auto first = write_file("first.csv",
                                "OrderID,Symbol,Type,Units,Price,ExecID\n"
                                "3,VTI,BUY,0.03565942245,201.54,E4\n"
                                "0,GLD,BUY,0.02,163.22,E1\n");
  const auto second = write_file("second.csv",
                                 "OrderID,Symbol,Type,Units,Price,ExecID\n"
                                 "2,TLT,BUY,0.009743440233,102.9,E3\n"
                                 "0,GLD,BUY,0.02,163.22,E1\n"
                                 "1,IEI,BUY,0.1308265395,115.3,E2\n"
                                 "0,GLD,BUY,0.02121002328,163.22,E5\n");
  const auto one = book_fills(store, read_stored_fills(store, first), kFillClock, "fills first.csv");
  EXPECT_EQ(one.applied, 2u);
  EXPECT_EQ(order_state(store, "1"), oms::OrderState::PartiallyFilled);  // 2 of its 4 blocks
  EXPECT_EQ(order_state(store, "2"), oms::OrderState::PartiallyFilled);  // 2 of its 3 blocks
  const auto two = book_fills(store, read_stored_fills(store, second), kFillClock, "fills second.csv");
  EXPECT_EQ(two.applied, 3u);
  ASSERT_EQ(two.duplicates.size(), 1u);
  EXPECT_EQ(two.duplicates[0].exec_id, "E1");
  EXPECT_EQ(order_state(store, "1"), oms::OrderState::Filled);
  EXPECT_EQ(order_state(store, "2"), oms::OrderState::Filled);
  // Each fill's cash is units x price to the cent, half-even: 3.26 + 3.46 + 15.08 + 1.00 + 7.19
  // = 29.99 of the 32.00 deposited (the chapter's single GLD fill costs 6.73, not 6.72).
  const auto total = store.state().book.accounts[0].cash + store.state().book.accounts[1].cash;
  EXPECT_EQ(total.to_string(2), "2.01");
  const auto gld = Decimal::parse(units(store, "123456789", "Retirement", "GLD")) +
                   Decimal::parse(units(store, "987654321", "House", "GLD"));
  EXPECT_EQ(gld.to_string(), "0.04121002328");
}

TEST_P(BookStoreTest, AnImportOfAnAccountAlreadyInTheBookWritesNothing) {
  auto db = open();
  BookStore store(*db);
  import_and_block(store);
  const std::string before = dump_tables(*db);
  const auto events = Journal(*db).last_sequence();
  const auto book = oms::load_book(kChapter, wealth::WeightSum::Printed);
  try {
    store.run(kImportClock, "import chapter", [&](const BookState&) { return import_events(book); });
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "account 123456789 is already open");
  }
  EXPECT_EQ(dump_tables(*db), before);
  EXPECT_EQ(Journal(*db).last_sequence(), events);
  EXPECT_EQ(cash(store, "123456789"), "11.00");  // the in-memory state was read again
}

TEST_P(BookStoreTest, AWithdrawalBeyondCashIsRefusedAndLeavesTheBookAsItWas) {
  auto db = open();
  BookStore store(*db);
  import_and_block(store);
  store.run(kFillClock, "deposit", [](const BookState&) {
    return std::vector<Event>{deposit("123456789", Decimal::parse("5.00"))};
  });
  EXPECT_EQ(cash(store, "123456789"), "16.00");
  EXPECT_THROW(store.run(kFillClock, "withdraw",
                         [](const BookState&) {
                           return std::vector<Event>{withdrawal("123456789", Decimal::parse("16.01"))};
                         }),
               Error);
  EXPECT_EQ(cash(store, "123456789"), "16.00");
}

TEST_P(BookStoreTest, ABookOpenedAgainReplaysAJournalLongerThanOneRead) {
  auto db = open();
  BookStore store(*db);
  // 70,000 events: more than one read of the journal (65,536) when the book is opened again.
  store.run(kImportClock, "deposits", [](const BookState&) {
    std::vector<Event> events{
        account_opened("A1", wealth::AccountType::Taxable, wealth::AccountStatus::Approved)};
    for (int i = 1; i < 70000; ++i) events.push_back(deposit("A1", Decimal::parse("0.01")));
    return events;
  });
  auto other = open();
  const BookStore reopened(*other);
  EXPECT_EQ(cash(reopened, "A1"), "699.99");  // 69,999 cents
  EXPECT_EQ(Journal(*other).last_sequence(), 70000);
}

INSTANTIATE_TEST_SUITE_P(Backends, BookStoreTest, kBothBackends, backend_name);

}  // namespace
}  // namespace tranche::store
