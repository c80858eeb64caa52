#pragma once
// The journal: every change to a book is an event appended with a gapless sequence number,
// the instant it happened at (the command's clock, not the wall clock) and the command that
// caused it. State is derived from it, so it is the one record that must never be lost.
//
// Appends belong to the caller's transaction (store::Transaction): a command's events become
// visible together at commit, or not at all.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/core/time.hpp"
#include "tranche/store/database.hpp"

namespace tranche::store {

struct JournalEvent {
  std::int64_t sequence = 0;  // 1, 2, 3, ... without gaps
  Timestamp at;
  std::string command;  // what a person ran, e.g. "fills fills.csv"
  std::string type;     // e.g. "fill_received"
  std::string payload;  // the event's data, JSON text
};

// Brings the book's schema to the newest version, one migration at a time, each in its own
// transaction; a book newer than this program is an error rather than a guess.
// Returns the schema version. `up_to` stops at an older version (to test a migration).
constexpr int kSchemaVersion = 3;
int migrate(Database& db, int up_to = kSchemaVersion);
int schema_version(Database& db);

class Journal {
 public:
  explicit Journal(Database& db) : db_(db) {}

  struct NewEvent {  // views: the caller keeps the text alive during the call
    std::string_view type;
    std::string_view payload;
  };

  // Appends one event inside the open transaction; returns its sequence number.
  std::int64_t append(Timestamp at, std::string_view command, std::string_view type,
                      std::string_view payload);
  // Appends a command's events together (multi-row inserts: one round trip per few hundred
  // events on PostgreSQL); returns the sequence number of the first, or of the last event
  // before them when `events` is empty.
  std::int64_t append(Timestamp at, std::string_view command, std::span<const NewEvent> events);
  // As above, numbering the events first, first + 1, ...: for a caller that read
  // last_sequence() in the same exclusive transaction and appends a long command in parts.
  void append(std::int64_t first, Timestamp at, std::string_view command, std::span<const NewEvent> events);
  // Events with sequence > `since`, in order; at most `limit` of them when it is above 0.
  std::vector<JournalEvent> read(std::int64_t since = 0, std::int64_t limit = 0) const;
  std::int64_t last_sequence() const;

 private:
  Database& db_;
};

}  // namespace tranche::store
