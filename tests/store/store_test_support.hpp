#pragma once
// Books on each backend for the store's tests: files in a fresh folder for SQLite, fresh
// schemas on the PostgreSQL server named by TRANCHE_TEST_POSTGRES (skipped when it is not set;
// scripts/with-postgres starts a throwaway server and sets it).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tranche/store/database.hpp"

namespace tranche::store {

// Found by argument-dependent lookup, so test names read "= sqlite" rather than raw bytes.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::Sqlite ? "sqlite" : "postgres");
}

class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::Postgres) {
      const char* server = std::getenv("TRANCHE_TEST_POSTGRES");
      if (server == nullptr || *server == '\0') GTEST_SKIP() << "TRANCHE_TEST_POSTGRES is not set";
      server_ = server;
    } else {
      directory_ = scratch_folder() / ("tranche-store-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(directory_);
      std::filesystem::create_directories(directory_);
    }
    location_ = fresh_location();
  }
  void TearDown() override {
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
    for (const auto& schema : schemas_)
      admin().execute_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    admin_.reset();
  }

  // A new empty book of the test's backend.
  std::string fresh_location() {
    const int n = books_++;
    if (GetParam() == Backend::Sqlite) return (directory_ / ("book" + std::to_string(n) + ".db")).string();
    // A schema per book (CTest runs test processes in parallel), selected for every connection
    // through the URI.
    const std::string schema = "store_test_" + std::to_string(::getpid()) + "_" + std::to_string(n);
    admin().execute_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
    schemas_.push_back(schema);
    return server_ + (server_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema;
  }

  std::unique_ptr<Database> open() { return open_database(location_); }

  std::string location_;

 private:
  // A memory-backed folder when the system has one: the tests kill processes, they do not cut
  // the power, so the page cache survives them and fsyncs to a disk would only cost time.
  static std::filesystem::path scratch_folder() {
    const std::filesystem::path memory = "/dev/shm";
    return std::filesystem::is_directory(memory) ? memory : std::filesystem::temp_directory_path();
  }

  Database& admin() {  // one connection for creating and dropping schemas
    if (!admin_) admin_ = open_database(server_);
    return *admin_;
  }

  std::unique_ptr<Database> admin_;
  std::filesystem::path directory_;
  std::string server_;
  std::vector<std::string> schemas_;
  int books_ = 0;
};

inline const auto kBothBackends = ::testing::Values(Backend::Sqlite, Backend::Postgres);
inline std::string backend_name(const ::testing::TestParamInfo<Backend>& param) {
  return param.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

}  // namespace tranche::store
