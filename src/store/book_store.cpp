#include "tranche/store/book_store.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "oms/csv_cells.hpp"
#include "tranche/broker/file_broker.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"
#include "tranche/oms/allocation.hpp"

namespace tranche::store {

namespace {

using nlohmann::json;

std::string field(const Event& event, const char* key) { return event.payload.at(key).get<std::string>(); }

}  // namespace

BookStore::BookStore(Database& db) : db_(db) {
  migrate(db_);
  catch_up();
}

void BookStore::catch_up() {
  for (const auto& stored : Journal(db_).read(sequence_)) {
    apply(state_, Event{stored.type, json::parse(stored.payload)});
    sequence_ = stored.sequence;
  }
}

void BookStore::reload() {
  state_ = BookState{};
  sequence_ = 0;
  catch_up();
}

namespace {

// The state rows a command changed, each written once with its final value at the end of the
// command: multi-row upserts of up to kRowsPerStatement rows (PostgreSQL refuses an upsert
// that touches one row twice, so the keys are distinct).
struct ChangedRows {
  std::set<std::size_t> accounts;
  std::set<std::pair<std::size_t, std::string>> holdings;  // (goal, symbol)
  std::set<std::size_t> orders;
  std::vector<std::size_t> blocks;
  std::vector<std::pair<std::int64_t, std::string>> fills;
};

constexpr std::size_t kRowsPerStatement = 256;

// Writes `rows` (each `columns` values) with "INSERT INTO <head> VALUES (...), ... <tail>".
void write_in_chunks(Database& db, const std::string& head, const std::string& tail, std::size_t columns,
                     const std::vector<SqlValue>& values) {
  const std::size_t rows = values.size() / columns;
  std::string one_row = "(";
  for (std::size_t c = 0; c < columns; ++c) one_row += c == 0 ? "?" : ", ?";
  one_row += ")";
  for (std::size_t start = 0; start < rows; start += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, rows - start);
    std::string sql = "INSERT INTO " + head + " VALUES ";
    for (std::size_t r = 0; r < count; ++r) {
      if (r > 0) sql += ", ";
      sql += one_row;
    }
    sql += tail;
    db.execute(sql, std::span<const SqlValue>(values).subspan(start * columns, count * columns));
  }
}

void note_changed_rows(const BookState& state, const Event& event, ChangedRows& changed) {
  const std::string& type = event.type;
  if (type == "account_opened" || type == "account_status_changed" || type == "deposit" ||
      type == "withdrawal") {
    changed.accounts.insert(state.account(field(event, "account")));
  } else if (type == "goal_holding_changed") {
    const std::size_t account = state.account(field(event, "account"));
    changed.holdings.emplace(state.goal(account, field(event, "goal")), field(event, "symbol"));
  } else if (type == "allocation_booked") {
    const auto& order = state.book.orders[state.order(field(event, "order"))];
    changed.accounts.insert(order.account);
    changed.holdings.emplace(order.goal, field(event, "symbol"));
  } else if (type == "order_created" || type == "order_rejected" || type == "order_sent" ||
             type == "order_state_changed") {
    changed.orders.insert(state.order(field(event, "order")));
  } else if (type == "block_created") {
    changed.blocks.push_back(state.blocks.size() - 1);
  } else if (type == "fill_received") {
    changed.fills.emplace_back(event.payload.at("block").get<std::int64_t>(), field(event, "exec_id"));
  }
  // model_defined, goal_opened and price_set live in the journal and the in-memory book only.
}

void write_changed_rows(Database& db, const BookState& state, const ChangedRows& changed) {
  const auto& book = state.book;
  std::vector<SqlValue> values;
  for (const std::size_t index : changed.accounts) {
    const auto& a = book.accounts[index];
    values.insert(values.end(), {a.number, std::string(to_string(a.type)), std::string(to_string(a.status)),
                                 a.cash.to_string(2)});
  }
  write_in_chunks(
      db, "accounts (account, type, status, cash)",
      " ON CONFLICT (account) DO UPDATE SET type = excluded.type, status = excluded.status, cash = "
      "excluded.cash",
      4, values);
  values.clear();
  for (const auto& [goal_index, symbol] : changed.holdings) {
    const auto& goal = book.goals[goal_index];
    values.insert(values.end(), {book.accounts[goal.account].number, goal.name, symbol,
                                 goal.holdings.units(symbol).to_string()});
  }
  write_in_chunks(db, "goal_holdings (account, goal, symbol, units)",
                  " ON CONFLICT (account, goal, symbol) DO UPDATE SET units = excluded.units", 4, values);
  values.clear();
  for (const std::size_t index : changed.orders) {
    const auto& o = book.orders[index];
    values.insert(values.end(),
                  {o.id, book.accounts[o.account].number, book.goals[o.goal].name,
                   std::string(to_string(o.side)), o.amount.to_string(2), std::string(to_string(o.state))});
  }
  write_in_chunks(db, "orders (order_id, account, goal, side, amount, state)",
                  " ON CONFLICT (order_id) DO UPDATE SET state = excluded.state", 6, values);
  values.clear();
  for (const std::size_t index : changed.blocks) {
    const auto& b = state.blocks[index];
    values.insert(values.end(),
                  {b.id, b.cycle, b.index, b.symbol, std::string(to_string(b.side)), b.dollars.to_string()});
  }
  write_in_chunks(db, "blocks (block_id, cycle, row_index, symbol, side, dollars)", "", 6, values);
  values.clear();
  for (const auto& key : changed.fills) {
    const auto& f = state.applied_fills.at(key);
    values.insert(values.end(), {f.block, f.exec_id, f.units.to_string(), f.price.to_string()});
  }
  write_in_chunks(db, "applied_fills (block_id, exec_id, units, price)", "", 4, values);
}

}  // namespace

std::int64_t BookStore::run(Timestamp at, std::string_view command,
                            const std::function<std::vector<Event>(const BookState&)>& make) {
  try {
    Transaction transaction(db_);
    catch_up();
    const auto events = make(state_);
    std::vector<Journal::NewEvent> rows;
    rows.reserve(events.size());
    ChangedRows changed;
    for (const auto& event : events) {
      apply(state_, event);
      note_changed_rows(state_, event, changed);
      rows.push_back({event.type, event.payload.dump()});
    }
    write_changed_rows(db_, state_, changed);
    const std::int64_t first = Journal(db_).append(at, command, rows);
    transaction.commit();
    sequence_ = first + static_cast<std::int64_t>(rows.size()) - (rows.empty() ? 0 : 1);
    return sequence_;
  } catch (...) {
    reload();
    throw;
  }
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
      events.push_back(block_created(stored, state.book));
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
    std::set<std::size_t> touched_orders;
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
      events.push_back(fill_received({fill.block, fill.exec_id, fill.units, fill.price}));
      for (std::size_t i = 0; i < block.splits.size(); ++i) {
        const std::size_t order = block.splits[i].first;
        touched_orders.insert(order);
        events.push_back(allocation_booked(fill.block, fill.exec_id, state.book.orders[order].id,
                                           block.symbol, block.side, units[i], cash[i]));
      }
      ++result.applied;
    }
    // Order states from every block of the order, including fills booked before.
    std::set<std::int64_t> filled_blocks;
    for (const auto& [key, fill] : state.applied_fills) filled_blocks.insert(key.first);
    for (const auto& key : seen) filled_blocks.insert(key.first);
    std::map<std::size_t, std::pair<std::size_t, std::size_t>> counts;  // order -> (blocks, filled blocks)
    for (const auto& block : state.blocks) {
      for (const auto& split : block.splits) {
        if (touched_orders.count(split.first) == 0) continue;
        auto& [total, filled] = counts[split.first];
        ++total;
        filled += filled_blocks.count(block.id);
      }
    }
    for (const auto& [order, count] : counts) {
      const auto current = state.book.orders[order].state;
      const auto next = oms::after_fill(current, count.second == count.first);
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
    target.run(events[start].at, events[start].command, [&](const BookState&) {
      std::vector<Event> batch;
      for (std::size_t i = start; i < end; ++i)
        batch.push_back({events[i].type, json::parse(events[i].payload)});
      return batch;
    });
    start = end;
  }
}

}  // namespace tranche::store
