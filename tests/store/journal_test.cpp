// The journal and its schema, run against every backend: SQLite always, PostgreSQL when
// TRANCHE_TEST_POSTGRES names a server (scripts/with-postgres starts a throwaway one, and the
// README's test command runs the suite under it).

#include "tranche/store/journal.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "store/backends.hpp"
#include "store_test_support.hpp"
#include "tranche/core/error.hpp"

namespace tranche::store {

namespace {

Timestamp at(const char* text) { return parse_timestamp(text); }

using JournalTest = BackendTest;

TEST_P(JournalTest, AFreshBookIsMigratedToTheNewestSchemaWithNoEvents) {
  auto db = open();
  EXPECT_EQ(schema_version(*db), 0);
  EXPECT_EQ(migrate(*db), kSchemaVersion);
  EXPECT_EQ(migrate(*db), kSchemaVersion);  // migrating again changes nothing
  EXPECT_EQ(schema_version(*db), 3);
  EXPECT_EQ(Journal(*db).last_sequence(), 0);
  EXPECT_TRUE(Journal(*db).read().empty());
}

TEST_P(JournalTest, ABookOfSchemaTwoKeepsItsEventsAndRowsWhenMigratedToThree) {
  auto db = open();
  EXPECT_EQ(migrate(*db, 2), 2);
  {
    Transaction transaction(*db);
    EXPECT_EQ(Journal(*db).append(at("2024-11-29T15:00:00Z"), "import", "account_opened",
                                  R"({"account":"A1","status":"APPROVED","type":"Taxable"})"),
              1);
    db->execute(
        "INSERT INTO accounts (account, type, status, cash) VALUES ('A1', 'Taxable', 'APPROVED', '0.00')");
    db->execute(
        "INSERT INTO goal_holdings (account, goal, symbol, units) VALUES ('A1', 'Goal', 'VTI', '1.5')");
    transaction.commit();
  }
  EXPECT_EQ(migrate(*db), 3);
  const auto events = Journal(*db).read();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, R"({"account":"A1","status":"APPROVED","type":"Taxable"})");
  const auto accounts = db->query("SELECT account, type, status, cash FROM accounts");
  ASSERT_EQ(accounts.size(), 1u);
  EXPECT_EQ(as_text(accounts[0][3]), "0.00");
  const auto holdings = db->query("SELECT account, goal, symbol, units FROM goal_holdings");
  ASSERT_EQ(holdings.size(), 1u);
  EXPECT_EQ(as_text(holdings[0][3]), "1.5");
  // The key still refuses a second row for the same account.
  EXPECT_THROW(
      db->execute("INSERT INTO accounts (account, type, status, cash) VALUES ('A1', 'Taxable', 'APPROVED', "
                  "'1.00')"),
      Error);
}

TEST_P(JournalTest, EventsGetGaplessSequenceNumbersAndReadBackInOrder) {
  auto db = open();
  migrate(*db);
  Journal journal(*db);
  Transaction transaction(*db);
  EXPECT_EQ(
      journal.append(at("2024-11-29T15:00:00Z"), "import book", "account_opened", R"({"account":"A1"})"), 1);
  EXPECT_EQ(journal.append(at("2024-11-29T15:00:00Z"), "import book", "deposit", R"({"amount":"11.00"})"), 2);
  EXPECT_EQ(journal.append(at("2024-11-29T15:30:00.5Z"), "fills f.csv", "fill_received", "{}"), 3);
  transaction.commit();

  const auto events = Journal(*open()).read();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].sequence, 1);
  EXPECT_EQ(events[0].command, "import book");
  EXPECT_EQ(events[0].type, "account_opened");
  EXPECT_EQ(events[0].payload, R"({"account":"A1"})");
  EXPECT_EQ(events[1].payload, R"({"amount":"11.00"})");
  EXPECT_EQ(format_timestamp(events[2].at), "2024-11-29T15:30:00.500000000Z");
  const auto later = journal.read(2);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].type, "fill_received");
  const auto first_two = journal.read(0, 2);  // a chunk of at most two
  ASSERT_EQ(first_two.size(), 2u);
  EXPECT_EQ(first_two[1].sequence, 2);
  EXPECT_EQ(journal.read(1, 5).size(), 2u);
}

TEST_P(JournalTest, ACommandThatFailsLeavesNoEventBehind) {
  auto db = open();
  migrate(*db);
  Journal journal(*db);
  try {
    Transaction transaction(*db);
    journal.append(at("2024-11-29T15:00:00Z"), "deposit", "deposit", "{}");
    throw Error(ErrorKind::InvalidArgument, "the command fails after its first event");
  } catch (const Error&) {
  }
  EXPECT_EQ(journal.last_sequence(), 0);
  Transaction transaction(*db);
  EXPECT_EQ(journal.append(at("2024-11-29T15:00:00Z"), "deposit", "deposit", "{}"), 1);
  transaction.commit();
}

TEST_P(JournalTest, AProcessKilledBeforeCommitLeavesTheJournalAsItWas) {
  {
    auto db = open();
    migrate(*db);
    Transaction transaction(*db);
    Journal(*db).append(at("2024-11-29T15:00:00Z"), "deposit", "deposit", "{}");
    transaction.commit();
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto db = open();
    Transaction transaction(*db);
    Journal journal(*db);
    for (int i = 0; i < 50; ++i) journal.append(at("2024-11-29T15:00:00Z"), "fills", "fill_received", "{}");
    ::kill(::getpid(), SIGKILL);  // dies holding an open transaction
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto db = open();
  EXPECT_EQ(Journal(*db).last_sequence(), 1);
  Transaction transaction(*db);  // the dead writer's lock is gone
  EXPECT_EQ(Journal(*db).append(at("2024-11-29T16:00:00Z"), "deposit", "deposit", "{}"), 2);
  transaction.commit();
}

TEST_P(JournalTest, StatementErrorsNameTheBackendAndTheStatement) {
  auto db = open();
  try {
    db->query("SELECT no_such_column FROM no_such_table");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(message.find(GetParam() == Backend::Sqlite ? "sqlite: no such table: no_such_table"
                                                         : "postgresql: ERROR:  relation \"no_such_table\""),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("(in: SELECT no_such_column FROM no_such_table)"), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, JournalTest, kBothBackends, backend_name);

TEST(PostgresPlaceholders, AreNumberedOutsideQuotedText) {
  EXPECT_EQ(to_postgres_placeholders("INSERT INTO t VALUES (?, '?', ?)"),
            "INSERT INTO t VALUES ($1, '?', $2)");
}

}  // namespace
}  // namespace tranche::store
