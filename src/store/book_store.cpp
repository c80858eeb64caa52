#include "tranche/store/book_store.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <type_traits>

#include "oms/csv_cells.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"
#include "tranche/oms/allocation.hpp"

namespace tranche::store {

BookStore::BookStore(Database& db) : db_(db) {
  migrate(db_);
  catch_up();
}

void BookStore::catch_up() {
  // In chunks: a large book's journal is never all in memory at once.
  constexpr std::int64_t kEventsPerRead = 65536;
  while (true) {
    const auto events = Journal(db_).read(sequence_, kEventsPerRead);
    for (const auto& stored : events) {
      store::apply(state_, parse_event(stored.type, stored.payload, state_));
      sequence_ = stored.sequence;
    }
    if (static_cast<std::int64_t>(events.size()) < kEventsPerRead) return;
  }
}

void BookStore::reload() {
  state_ = BookState{};
  sequence_ = 0;
  catch_up();
}

namespace {

// Rows per multi-row statement: large enough to amortise a statement, small enough for the
// backends' parameter limits.
constexpr std::size_t kRowsPerStatement = 256;

// The cells of one multi-row statement: their text in one reused buffer, bound as views into
// it, so writing a row allocates nothing once the buffers have grown.
class StatementCells {
 public:
  void text(std::string_view value) {
    cells_.push_back({0, text_.size(), value.size(), true});
    text_ += value;
  }
  void decimal(Decimal value, int min_decimals = 0) {
    char buffer[Decimal::kMaxText];
    text(std::string_view(buffer, static_cast<std::size_t>(value.format_to(buffer, min_decimals) - buffer)));
  }
  void integer(std::int64_t value) { cells_.push_back({value, 0, 0, false}); }
  // The parameters, valid until the next change.
  std::span<const SqlValue> params() {
    params_.clear();
    for (const Cell& cell : cells_) {
      if (cell.is_text)
        params_.emplace_back(std::string_view(text_).substr(cell.offset, cell.length));
      else
        params_.emplace_back(cell.integer);
    }
    return params_;
  }
  void clear() {
    text_.clear();
    cells_.clear();
  }

 private:
  struct Cell {
    std::int64_t integer;
    std::size_t offset, length;
    bool is_text;
  };
  std::string text_;
  std::vector<Cell> cells_;
  std::vector<SqlValue> params_;
};

// Writes `count` rows of `columns` cells, kRowsPerStatement rows per statement; `row(i, cells)`
// adds row i's cells. An upsert (`upsert` names the conflict and the columns it sets) replaces
// whole rows: SQLite's INSERT OR REPLACE, one B-tree insert over the old row, where PostgreSQL
// needs ON CONFLICT ... DO UPDATE. The rows carry every column's final value, so both agree.
template <typename Row>
void write_rows(Database& db, StatementCells& cells, std::string_view table, std::string_view upsert,
                std::size_t columns, std::size_t count, Row row) {
  const bool replace = !upsert.empty() && db.backend() == Backend::Sqlite;
  std::string one_row = "(";
  for (std::size_t c = 0; c < columns; ++c) one_row += c == 0 ? "?" : ", ?";
  one_row += ")";
  std::string sql;
  std::size_t sql_rows = 0;
  for (std::size_t start = 0; start < count; start += kRowsPerStatement) {
    const std::size_t rows = std::min(kRowsPerStatement, count - start);
    if (rows != sql_rows) {
      sql = replace ? "INSERT OR REPLACE INTO " : "INSERT INTO ";
      sql += table;
      sql += " VALUES ";
      for (std::size_t r = 0; r < rows; ++r) {
        if (r > 0) sql += ", ";
        sql += one_row;
      }
      if (!replace && !upsert.empty()) {
        sql += " ON CONFLICT ";
        sql += upsert;
      }
      sql_rows = rows;
    }
    cells.clear();
    for (std::size_t r = start; r < start + rows; ++r) row(r, cells);
    db.execute(sql, cells.params());
  }
}

template <typename T>
void sort_unique(std::vector<T>& keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

}  // namespace

// The state rows a command changed, each written once with its final value at the end of the
// command (PostgreSQL refuses an upsert that touches one row twice, so keys are made distinct).
struct BookStore::ChangedRows {
  std::vector<std::size_t> accounts;
  std::vector<std::pair<std::size_t, std::string>> holdings;  // (goal, symbol)
  std::vector<std::size_t> orders;
  std::vector<std::size_t> blocks;
  std::vector<std::pair<std::int64_t, std::string>> fills;

  // Notes the rows `event`, just applied to `state`, changed.
  void note(const BookState& state, const Event& event) {
    std::visit(
        [&](const auto& e) {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, AccountOpened>) {
            accounts.push_back(state.book.accounts.size() - 1);
          } else if constexpr (std::is_same_v<E, AccountStatusChanged> || std::is_same_v<E, Deposit> ||
                               std::is_same_v<E, Withdrawal>) {
            accounts.push_back(state.account(e.account));
          } else if constexpr (std::is_same_v<E, GoalHoldingChanged>) {
            holdings.emplace_back(state.goal(state.account(e.account), e.goal), e.symbol);
          } else if constexpr (std::is_same_v<E, AllocationBooked>) {
            const auto& order = state.book.orders[e.order];
            accounts.push_back(order.account);
            holdings.emplace_back(order.goal, e.symbol);
          } else if constexpr (std::is_same_v<E, OrderCreated>) {
            orders.push_back(state.book.orders.size() - 1);
          } else if constexpr (std::is_same_v<E, OrderRejected> || std::is_same_v<E, OrderSent> ||
                               std::is_same_v<E, OrderStateChanged>) {
            orders.push_back(state.order(e.order));
          } else if constexpr (std::is_same_v<E, BlockCreated>) {
            blocks.push_back(state.blocks.size() - 1);
          } else if constexpr (std::is_same_v<E, FillReceived>) {
            fills.emplace_back(e.fill.block, e.fill.exec_id);
          }
          // model_defined, goal_opened and price_set live in the journal and the in-memory book only.
        },
        event);
  }

  void write(Database& db, const BookState& state, StatementCells& cells) {
    const auto& book = state.book;
    sort_unique(accounts);
    write_rows(db, cells, "accounts (account, type, status, cash)",
               "(account) DO UPDATE SET type = excluded.type, status = excluded.status, cash = excluded.cash",
               4, accounts.size(), [&](std::size_t i, StatementCells& row) {
                 const auto& a = book.accounts[accounts[i]];
                 row.text(a.number);
                 row.text(to_string(a.type));
                 row.text(to_string(a.status));
                 row.decimal(a.cash, 2);
               });
    sort_unique(holdings);
    write_rows(db, cells, "goal_holdings (account, goal, symbol, units)",
               "(account, goal, symbol) DO UPDATE SET units = excluded.units", 4, holdings.size(),
               [&](std::size_t i, StatementCells& row) {
                 const auto& [goal_index, symbol] = holdings[i];
                 const auto& goal = book.goals[goal_index];
                 row.text(book.accounts[goal.account].number);
                 row.text(goal.name);
                 row.text(symbol);
                 row.decimal(goal.holdings.units(symbol));
               });
    sort_unique(orders);
    write_rows(db, cells, "orders (order_id, account, goal, side, amount, state)",
               "(order_id) DO UPDATE SET state = excluded.state", 6, orders.size(),
               [&](std::size_t i, StatementCells& row) {
                 const auto& o = book.orders[orders[i]];
                 row.text(o.id);
                 row.text(book.accounts[o.account].number);
                 row.text(book.goals[o.goal].name);
                 row.text(oms::to_string(o.side));
                 row.decimal(o.amount, 2);
                 row.text(oms::to_string(o.state));
               });
    write_rows(db, cells, "blocks (block_id, cycle, row_index, symbol, side, dollars)", "", 6, blocks.size(),
               [&](std::size_t i, StatementCells& row) {
                 const auto& b = state.blocks[blocks[i]];
                 row.integer(b.id);
                 row.integer(b.cycle);
                 row.integer(b.index);
                 row.text(b.symbol);
                 row.text(oms::to_string(b.side));
                 row.decimal(b.dollars);
               });
    write_rows(db, cells, "applied_fills (block_id, exec_id, units, price)", "", 4, fills.size(),
               [&](std::size_t i, StatementCells& row) {
                 const auto& f = state.applied_fills.at(fills[i]);
                 row.integer(f.block);
                 row.text(f.exec_id);
                 row.decimal(f.units);
                 row.decimal(f.price);
               });
  }
};

namespace {

// A command's events as `make` computes them from the state.
class MadeEvents {
 public:
  explicit MadeEvents(const std::function<std::vector<Event>(const BookState&)>& make) : make_(make) {}
  std::size_t prepare(const BookState& state) {
    events_ = make_(state);
    return events_.size();
  }
  const Event& at(std::size_t i, const BookState&) const { return events_[i]; }

 private:
  const std::function<std::vector<Event>(const BookState&)>& make_;
  std::vector<Event> events_;
};

// Events read from a journal, parsed one at a time against the state they apply to.
class RecordedEvents {
 public:
  explicit RecordedEvents(std::span<const JournalEvent> rows) : rows_(rows) {}
  std::size_t prepare(const BookState&) const { return rows_.size(); }
  const Event& at(std::size_t i, const BookState& state) {
    current_ = parse_event(rows_[i].type, rows_[i].payload, state);
    return current_;
  }

 private:
  std::span<const JournalEvent> rows_;
  Event current_;
};

}  // namespace

template <typename Events>
std::int64_t BookStore::commit(Timestamp at, std::string_view command, Events& events) {
  // Journal rows are appended in chunks as the events apply: their payloads are printed into one
  // reused buffer and bound as views into it.
  constexpr std::size_t kEventsPerAppend = 4096;
  try {
    Transaction transaction(db_);
    catch_up();
    const std::size_t count = events.prepare(state_);
    Journal journal(db_);
    std::int64_t next = journal.last_sequence() + 1;
    ChangedRows changed;
    std::string payloads;
    std::vector<std::size_t> payload_ends;
    std::vector<std::string_view> types;
    std::vector<Journal::NewEvent> rows;
    for (std::size_t i = 0; i < count; ++i) {
      const Event& event = events.at(i, state_);
      store::apply(state_, event);
      changed.note(state_, event);
      write_payload(event, state_, payloads);
      payload_ends.push_back(payloads.size());
      types.push_back(event_type(event));
      if (types.size() == kEventsPerAppend || i + 1 == count) {
        rows.clear();
        std::size_t begin = 0;
        for (std::size_t r = 0; r < types.size(); ++r) {
          rows.push_back({types[r], std::string_view(payloads).substr(begin, payload_ends[r] - begin)});
          begin = payload_ends[r];
        }
        journal.append(next, at, command, rows);
        next += static_cast<std::int64_t>(rows.size());
        payloads.clear();
        payload_ends.clear();
        types.clear();
      }
    }
    StatementCells cells;
    changed.write(db_, state_, cells);
    transaction.commit();
    sequence_ = next - 1;
    return sequence_;
  } catch (...) {
    reload();
    throw;
  }
}

std::int64_t BookStore::run(Timestamp at, std::string_view command,
                            const std::function<std::vector<Event>(const BookState&)>& make) {
  MadeEvents events(make);
  return commit(at, command, events);
}

std::int64_t BookStore::run_recorded(std::span<const JournalEvent> recorded) {
  if (recorded.empty()) return sequence_;
  RecordedEvents events(recorded);
  return commit(recorded.front().at, recorded.front().command, events);
}

std::vector<Event> import_events(const oms::Book& book) {
  std::vector<Event> events;
  for (const auto& a : book.accounts) {
    events.push_back(account_opened(a.number, a.type, a.status));
    if (a.cash.sign() > 0) events.push_back(deposit(a.number, a.cash));
    if (a.cash.sign() < 0)
      throw Error(ErrorKind::InvalidArgument, "account " + a.number + " has negative cash " +
                                                  a.cash.to_string(2) + ": a book starts from a deposit");
  }
  for (const auto& m : book.models) events.push_back(model_defined(m));
  for (const auto& [symbol, close] : book.previous_close) events.push_back(price_set(symbol, close));
  for (const auto& g : book.goals) {
    const std::string& account = book.accounts[g.account].number;
    events.push_back(goal_opened(account, g, book.models[g.model].name()));
    for (const auto& p : g.holdings.positions())
      events.push_back(goal_holding_changed(account, g.name, p.symbol, p.units));
  }
  for (const auto& o : book.orders) {
    events.push_back(
        order_created(o.id, book.accounts[o.account].number, book.goals[o.goal].name, o.side, o.amount));
    using oms::OrderState;
    if (o.state == OrderState::Rejected) {
      events.push_back(order_rejected(o.id, "imported", "rejected before import"));
    } else if (o.state != OrderState::New && o.state != OrderState::Cancelled) {
      events.push_back(order_sent(o.id));
    }
    if (o.state != OrderState::New && o.state != OrderState::Pending && o.state != OrderState::Rejected)
      events.push_back(order_state_changed(o.id, o.state));
  }
  if (!book.booked_fills.empty())
    throw Error(
        ErrorKind::InvalidArgument,
        "booked_fills.csv: fills booked outside the store cannot be tied to its blocks; import the book "
        "before its fills");
  return events;
}

BlockStepResult run_block_step(BookStore& store, Timestamp at, std::string_view command,
                               const oms::MarketHours& hours, const oms::ViabilityRules& rules) {
  BlockStepResult result;
  store.run(at, command, [&](const BookState& state) {
    oms::Book scratch = state.book;  // the block step marks orders; the events carry those marks
    result.plan = oms::run_block_step(scratch, at, hours, rules);
    result.cycle = state.cycles + 1;
    std::vector<Event> events;
    for (const auto& r : result.plan.rejections)
      events.push_back(order_rejected(state.book.orders[r.order].id, r.rule, r.reason));
    for (std::size_t o = 0; o < scratch.orders.size(); ++o)
      if (state.book.orders[o].state == oms::OrderState::New &&
          scratch.orders[o].state == oms::OrderState::Pending)
        events.push_back(order_sent(scratch.orders[o].id));
    std::int64_t id = static_cast<std::int64_t>(state.blocks.size());
    for (std::size_t b = 0; b < result.plan.blocks.size(); ++b) {
      const auto& block = result.plan.blocks[b];
      StoredBlock stored{++id,
                         result.cycle,
                         static_cast<std::int64_t>(b),
                         result.plan.symbol_of(block),
                         block.side,
                         block.dollars,
                         {}};
      for (const auto& s : result.plan.splits_of(block)) stored.splits.emplace_back(s.order, s.dollars);
      events.push_back(block_created(stored));
    }
    return events;
  });
  return result;
}

namespace {

// The blocks of one cycle as the oms plan they came from (splits grouped by block, in row order).
oms::BlockPlan plan_of_cycle(const BookState& state, std::int64_t cycle,
                             std::vector<std::int64_t>& block_ids) {
  oms::BlockPlan plan;
  std::map<std::string, std::uint32_t> symbols;
  for (const auto& b : state.blocks) {
    if (b.cycle != cycle) continue;
    const auto [it, added] = symbols.emplace(b.symbol, static_cast<std::uint32_t>(plan.symbols.size()));
    if (added) plan.symbols.push_back(b.symbol);
    oms::BlockOrder block{it->second, b.side, b.dollars, plan.splits.size(), b.splits.size()};
    for (const auto& [order, dollars] : b.splits) plan.splits.push_back({order, it->second, b.side, dollars});
    plan.blocks.push_back(block);
    block_ids.push_back(b.id);
  }
  return plan;
}

}  // namespace

std::vector<IncomingFill> read_stored_fills(const BookStore& store, const std::filesystem::path& path,
                                            std::int64_t cycle) {
  const auto& state = store.state();
  if (cycle == 0) cycle = state.cycles;
  if (cycle < 1 || cycle > state.cycles)
    throw Error(ErrorKind::NotFound, "no block cycle " + std::to_string(cycle) + " in the book (it has " +
                                         std::to_string(state.cycles) + ")");
  std::vector<std::int64_t> block_ids;
  const auto plan = plan_of_cycle(state, cycle, block_ids);
  const auto fills = broker::read_fills(path, plan);

  // The execution ids: the ExecID column when present, else OrderID, row by row.
  const std::string text = oms::detail::name_unnamed_index_column(read_text_file(path));
  CsvReader reader(text, path.string());
  reader.read_header();
  const std::size_t id_column = reader.find_column("ExecID").value_or(reader.require_column("OrderID"));
  std::vector<IncomingFill> result;
  result.reserve(fills.size());
  for (const auto& fill : fills) {
    reader.next_record();
    const auto exec_id = reader.cell(id_column);
    if (exec_id.empty()) reader.fail(id_column, "expected an execution id");
    result.push_back({block_ids[fill.block], std::string(exec_id), fill.record.units, fill.record.price,
                      fill.units_decimals});
  }
  return result;
}

FillsResult book_fills(BookStore& store, std::span<const IncomingFill> fills, Timestamp at,
                       std::string_view command, int min_units_scale) {
  FillsResult result;
  store.run(at, command, [&](const BookState& state) {
    result = FillsResult{};
    std::vector<Event> events;
    std::set<std::pair<std::int64_t, std::string>> seen;
    std::vector<std::size_t> touched_orders;
    std::vector<Decimal> dollars, exact_cash;
    for (const auto& fill : fills) {
      if (fill.block < 1 || fill.block > static_cast<std::int64_t>(state.blocks.size()))
        throw Error(ErrorKind::NotFound, "no block " + std::to_string(fill.block));
      auto key = std::pair(fill.block, fill.exec_id);
      if (state.applied_fills.count(key) != 0 || !seen.insert(std::move(key)).second) {
        result.duplicates.push_back(fill);
        continue;
      }
      const auto& block = state.blocks[static_cast<std::size_t>(fill.block - 1)];
      dollars.clear();
      for (const auto& split : block.splits) dollars.push_back(split.second);
      const auto units =
          oms::allocate_units(fill.units, dollars, std::max(min_units_scale, fill.units_decimals));
      exact_cash.clear();
      for (const auto& u : units)
        exact_cash.push_back(u.multiply(fill.price, Decimal::kScale, Rounding::HalfEven));
      const auto cash =
          oms::round_cash_to_total(exact_cash, fill.units.multiply(fill.price, 2, Rounding::HalfEven));
      events.reserve(events.size() + 1 + block.splits.size());
      events.push_back(fill_received({fill.block, fill.exec_id, fill.units, fill.price}));
      for (std::size_t i = 0; i < block.splits.size(); ++i) {
        const std::size_t order = block.splits[i].first;
        touched_orders.push_back(order);
        events.push_back(
            allocation_booked(fill.block, fill.exec_id, order, block.symbol, block.side, units[i], cash[i]));
      }
      ++result.applied;
    }
    // Order states from every block of the order, including fills booked before, in order index.
    std::sort(touched_orders.begin(), touched_orders.end());
    touched_orders.erase(std::unique(touched_orders.begin(), touched_orders.end()), touched_orders.end());
    if (touched_orders.empty()) return events;
    std::vector<char> filled_blocks(state.blocks.size() + 1, 0);  // by block id
    for (const auto& [key, fill] : state.applied_fills)
      filled_blocks[static_cast<std::size_t>(key.first)] = 1;
    for (const auto& key : seen) filled_blocks[static_cast<std::size_t>(key.first)] = 1;
    std::vector<std::uint32_t> blocks_of(state.book.orders.size(), 0), filled_of(state.book.orders.size(), 0);
    std::vector<char> touched(state.book.orders.size(), 0);
    for (const std::size_t order : touched_orders) touched[order] = 1;
    for (const auto& block : state.blocks) {
      for (const auto& split : block.splits) {
        if (touched[split.first] == 0) continue;
        ++blocks_of[split.first];
        filled_of[split.first] +=
            static_cast<std::uint32_t>(filled_blocks[static_cast<std::size_t>(block.id)]);
      }
    }
    for (const std::size_t order : touched_orders) {
      const auto current = state.book.orders[order].state;
      const auto next = oms::after_fill(current, filled_of[order] == blocks_of[order]);
      if (next != current) events.push_back(order_state_changed(state.book.orders[order].id, next));
    }
    return events;
  });
  return result;
}

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kTables = {{
    {"accounts", "SELECT account, type, status, cash FROM accounts ORDER BY account"},
    {"goal_holdings",
     "SELECT account, goal, symbol, units FROM goal_holdings ORDER BY account, goal, symbol"},
    {"orders", "SELECT order_id, account, goal, side, amount, state FROM orders ORDER BY order_id"},
    {"blocks", "SELECT block_id, cycle, row_index, symbol, side, dollars FROM blocks ORDER BY block_id"},
    {"applied_fills", "SELECT block_id, exec_id, units, price FROM applied_fills ORDER BY block_id, exec_id"},
}};

}  // namespace

std::string dump_tables(Database& db) {
  std::string out;
  for (const auto& [name, sql] : kTables) {
    out += "[";
    out += name;
    out += "]\n";
    for (const auto& row : db.query(sql)) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) out += '|';
        out += as_text(row[i]).value_or("NULL");
      }
      out += '\n';
    }
  }
  return out;
}

void replay(Database& from, Database& to) {
  const auto events = Journal(from).read();
  BookStore target(to);
  if (target.state().book.accounts.size() + target.state().blocks.size() != 0 ||
      Journal(to).last_sequence() != 0)
    throw Error(ErrorKind::InvalidArgument, "replay needs an empty book");
  // One command's events are one run: consecutive events with the same instant and command.
  for (std::size_t start = 0; start < events.size();) {
    std::size_t end = start + 1;
    while (end < events.size() && events[end].at == events[start].at &&
           events[end].command == events[start].command)
      ++end;
    target.run_recorded(std::span(events).subspan(start, end - start));
    start = end;
  }
}

}  // namespace tranche::store
