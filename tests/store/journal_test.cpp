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
#include "tranche/core/error.hpp"

namespace tranche::store {

// Found by argument-dependent lookup, so test names read "= sqlite" rather than raw bytes.
void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::Sqlite ? "sqlite" : "postgres");
}

namespace {

Timestamp at(const char* text) { return parse_timestamp(text); }

class JournalTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Sqlite) {
      directory_ = std::filesystem::temp_directory_path() /
                   ("tranche-journal-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(directory_);
      std::filesystem::create_directories(directory_);
      location_ = (directory_ / "book.db").string();
    } else {
      const char* server = std::getenv("TRANCHE_TEST_POSTGRES");
      if (server == nullptr || *server == '\0') GTEST_SKIP() << "TRANCHE_TEST_POSTGRES is not set";
      // A fresh schema per test process (CTest runs tests in parallel), selected for every
      // connection through the URI.
      schema_ = "journal_test_" + std::to_string(::getpid());
      open_database(server)->execute_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " +
                                            schema_);
      location_ = std::string(server) + (std::string(server).find('?') == std::string::npos ? "?" : "&") +
                  "options=-csearch_path%3D" + schema_;
    }
  }
  void TearDown() override {
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
    if (!schema_.empty())
      open_database(std::getenv("TRANCHE_TEST_POSTGRES"))
          ->execute_script("DROP SCHEMA " + schema_ + " CASCADE");
  }

  std::unique_ptr<Database> open() { return open_database(location_); }

  std::filesystem::path directory_;
  std::string schema_;
  std::string location_;
};

TEST_P(JournalTest, AFreshBookIsMigratedToTheNewestSchemaWithNoEvents) {
  auto db = open();
  EXPECT_EQ(schema_version(*db), 0);
  EXPECT_EQ(migrate(*db), kSchemaVersion);
  EXPECT_EQ(migrate(*db), kSchemaVersion);  // migrating again changes nothing
  EXPECT_EQ(schema_version(*db), 1);
  EXPECT_EQ(Journal(*db).last_sequence(), 0);
  EXPECT_TRUE(Journal(*db).read().empty());
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

INSTANTIATE_TEST_SUITE_P(Backends, JournalTest, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           return param.param == Backend::Sqlite ? "Sqlite" : "Postgres";
                         });

TEST(PostgresPlaceholders, AreNumberedOutsideQuotedText) {
  EXPECT_EQ(to_postgres_placeholders("INSERT INTO t VALUES (?, '?', ?)"),
            "INSERT INTO t VALUES ($1, '?', $2)");
}

}  // namespace
}  // namespace tranche::store
