#pragma once
// A book of record over a Database: the journal of events plus state tables derived from it
// (accounts, goal holdings, orders, blocks, applied fills), and the daily cycle's commands as
// transactions. Each command computes its events from the current state, applies them with the
// pure reducer (events.hpp), writes the rows they changed (once each, final values) and appends
// them to the journal in one exclusive transaction: a command happens entirely or not at all.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/oms/book.hpp"
#include "tranche/oms/cycle.hpp"
#include "tranche/oms/reconcile.hpp"
#include "tranche/store/database.hpp"
#include "tranche/store/events.hpp"
#include "tranche/store/journal.hpp"

namespace tranche::store {

class BookStore {
 public:
  // Migrates the schema and replays the journal into memory.
  explicit BookStore(Database& db);

  const BookState& state() const { return state_; }
  Database& database() { return db_; }

  // Runs one command: inside an exclusive transaction, catches up with events other processes
  // appended, asks `make` for the command's events, applies them, writes the state rows and
  // the journal, and commits. Returns the sequence number of the last event. On any error
  // nothing is written and the state is read again from the journal.
  std::int64_t run(Timestamp at, std::string_view command,
                   const std::function<std::vector<Event>(const BookState&)>& make);
  // As run(), for events read from another book's journal (all of one command: the instant and
  // command of the first are journaled); each is parsed against the state it applies to.
  std::int64_t run_recorded(std::span<const JournalEvent> recorded);

 private:
  struct ChangedRows;
  template <typename Events>
  std::int64_t commit(Timestamp at, std::string_view command, Events& events);
  void catch_up();
  void reload();

  Database& db_;
  BookState state_;
  std::int64_t sequence_ = 0;  // the last event applied to state_
};

// The events that bring a book folder's contents (oms::load_book) into the store: accounts
// with their cash as a deposit, models, goals, previous closes, holdings and orders.
std::vector<Event> import_events(const oms::Book& book);

// The block step on the stored book: the result's plan is what goes to the broker
// (MasterOrder.csv); its blocks are stored as cycle `cycle`.
struct BlockStepResult {
  oms::BlockPlan plan;
  std::int64_t cycle = 0;
};
BlockStepResult run_block_step(BookStore& store, Timestamp at, std::string_view command,
                               const oms::MarketHours& hours, const oms::ViabilityRules& rules = {});

// A fill of a stored block, identified by its execution id.
struct IncomingFill {
  std::int64_t block = 0;  // StoredBlock::id
  std::string exec_id;
  Decimal units;
  Decimal price;
  int units_decimals = 0;  // fractional digits as the broker wrote the units
};
// Reads a fill file in the chapter's shape (OrderID,Symbol,Type,Units,Price, optionally ExecID)
// against the blocks of cycle `cycle` (the latest when 0). The execution id is the ExecID cell,
// else the OrderID cell. InputError naming file, line and column for a bad row.
std::vector<IncomingFill> read_stored_fills(const BookStore& store, const std::filesystem::path& path,
                                            std::int64_t cycle = 0);

struct FillsResult {
  std::size_t applied = 0;
  std::vector<IncomingFill> duplicates;  // already booked, or repeated in the same batch: ignored
};
// Books fills exactly as oms::allocate_fills does (units pro rata by split dollars, cash rounded
// to cents by largest remainder), each once: a fill whose (block, exec id) is already booked is
// ignored and reported. Order states follow every block of the order: FILLED once all have a
// fill, PARTIALLY_FILLED before, whenever the fills arrive.
FillsResult book_fills(BookStore& store, std::span<const IncomingFill> fills, Timestamp at,
                       std::string_view command, int min_units_scale = 9);

// The state tables as text, rows sorted by key: equal books give equal bytes on either backend.
std::string dump_tables(Database& db);
// Appends `events` (read from another book's journal) to an empty book, command by command,
// writing the state rows as the original did.
void replay(Database& from, Database& to);

}  // namespace tranche::store
