#include "tranche/store/events.hpp"

#include "tranche/core/error.hpp"

namespace tranche::store {

namespace {

using nlohmann::json;

std::string text(const json& payload, const char* key) {
  const auto it = payload.find(key);
  if (it == payload.end() || !it->is_string())
    throw Error(ErrorKind::Parse,
                std::string("event payload: expected text field '") + key + "' in " + payload.dump());
  return it->get<std::string>();
}

Decimal decimal(const json& payload, const char* key) { return Decimal::parse(text(payload, key)); }

std::int64_t integer(const json& payload, const char* key) {
  const auto it = payload.find(key);
  if (it == payload.end() || !it->is_number_integer())
    throw Error(ErrorKind::Parse,
                std::string("event payload: expected integer field '") + key + "' in " + payload.dump());
  return it->get<std::int64_t>();
}

oms::Side side(const json& payload) {
  const auto parsed = oms::parse_side(text(payload, "side"));
  if (!parsed) throw Error(ErrorKind::Parse, "event payload: bad side in " + payload.dump());
  return *parsed;
}

oms::Order& order_of(BookState& state, const json& payload) {
  return state.book.orders[state.order(text(payload, "order"))];
}

}  // namespace

Event account_opened(const std::string& account, wealth::AccountType type, wealth::AccountStatus status) {
  return {"account_opened", {{"account", account}, {"type", to_string(type)}, {"status", to_string(status)}}};
}
Event account_status_changed(const std::string& account, wealth::AccountStatus status) {
  return {"account_status_changed", {{"account", account}, {"status", to_string(status)}}};
}
Event deposit(const std::string& account, Decimal amount) {
  return {"deposit", {{"account", account}, {"amount", amount.to_string(2)}}};
}
Event withdrawal(const std::string& account, Decimal amount) {
  return {"withdrawal", {{"account", account}, {"amount", amount.to_string(2)}}};
}
Event model_defined(const wealth::ModelPortfolio& model) {
  json weights = json::array();
  for (const auto& w : model.weights()) weights.push_back(json::array({w.symbol, w.weight.to_string()}));
  return {"model_defined", {{"model", model.name()}, {"weights", weights}}};
}
Event goal_opened(const std::string& account, const wealth::Goal& goal, const std::string& model) {
  return {"goal_opened",
          {{"account", account},
           {"goal", goal.name},
           {"model", model},
           {"target_year", goal.target_year},
           {"target_value", goal.target_value.to_string()},
           {"priority", to_string(goal.priority)}}};
}
Event price_set(const std::string& symbol, Decimal close) {
  return {"price_set", {{"symbol", symbol}, {"close", close.to_string()}}};
}
Event goal_holding_changed(const std::string& account, const std::string& goal, const std::string& symbol,
                           Decimal change) {
  return {"goal_holding_changed",
          {{"account", account}, {"goal", goal}, {"symbol", symbol}, {"change", change.to_string()}}};
}
Event order_created(const std::string& order, const std::string& account, const std::string& goal,
                    oms::Side side, Decimal amount) {
  return {"order_created",
          {{"order", order},
           {"account", account},
           {"goal", goal},
           {"side", oms::to_string(side)},
           {"amount", amount.to_string(2)}}};
}
Event order_rejected(const std::string& order, const std::string& rule, const std::string& reason) {
  return {"order_rejected", {{"order", order}, {"rule", rule}, {"reason", reason}}};
}
Event order_sent(const std::string& order) { return {"order_sent", {{"order", order}}}; }
Event order_state_changed(const std::string& order, oms::OrderState state) {
  return {"order_state_changed", {{"order", order}, {"state", oms::to_string(state)}}};
}
Event block_created(const StoredBlock& block, const oms::Book& book) {
  json splits = json::array();
  for (const auto& [order, dollars] : block.splits)
    splits.push_back(json::array({book.orders[order].id, dollars.to_string()}));
  return {"block_created",
          {{"block", block.id},
           {"cycle", block.cycle},
           {"index", block.index},
           {"symbol", block.symbol},
           {"side", oms::to_string(block.side)},
           {"dollars", block.dollars.to_string()},
           {"splits", splits}}};
}
Event fill_received(const AppliedFill& fill) {
  return {"fill_received",
          {{"block", fill.block},
           {"exec_id", fill.exec_id},
           {"units", fill.units.to_string()},
           {"price", fill.price.to_string()}}};
}
Event allocation_booked(std::int64_t block, const std::string& exec_id, const std::string& order,
                        const std::string& symbol, oms::Side side, Decimal units, Decimal cash) {
  return {"allocation_booked",
          {{"block", block},
           {"exec_id", exec_id},
           {"order", order},
           {"symbol", symbol},
           {"side", oms::to_string(side)},
           {"units", units.to_string()},
           {"cash", cash.to_string(2)}}};
}

std::size_t BookState::account(std::string_view number) const {
  const auto it = account_index.find(std::string(number));
  if (it == account_index.end()) throw Error(ErrorKind::NotFound, "no account " + std::string(number));
  return it->second;
}
std::size_t BookState::goal(std::size_t account_at, std::string_view name) const {
  const auto it = goal_index.find(std::pair<std::size_t, std::string>(account_at, name));
  if (it == goal_index.end())
    throw Error(ErrorKind::NotFound,
                "no goal '" + std::string(name) + "' in account " + book.accounts[account_at].number);
  return it->second;
}
std::size_t BookState::order(std::string_view id) const {
  const auto it = order_index.find(std::string(id));
  if (it == order_index.end()) throw Error(ErrorKind::NotFound, "no order " + std::string(id));
  return it->second;
}

void apply(BookState& state, const Event& event) {
  const json& p = event.payload;
  auto& book = state.book;
  const std::string& type = event.type;
  if (type == "account_opened") {
    const std::string number = text(p, "account");
    if (state.account_index.count(number) != 0)
      throw Error(ErrorKind::InvalidArgument, "account " + number + " is already open");
    wealth::Account account;
    account.number = number;
    const auto account_type = wealth::parse_account_type(text(p, "type"));
    const auto status = wealth::parse_account_status(text(p, "status"));
    if (!account_type || !status) throw Error(ErrorKind::Parse, "event payload: bad account in " + p.dump());
    account.type = *account_type;
    account.status = *status;
    state.account_index.emplace(number, book.accounts.size());
    book.accounts.push_back(std::move(account));
  } else if (type == "account_status_changed") {
    auto& account = book.accounts[state.account(text(p, "account"))];
    const auto status = wealth::parse_account_status(text(p, "status"));
    if (!status) throw Error(ErrorKind::Parse, "event payload: bad status in " + p.dump());
    account.status = wealth::transition(account.status, *status);
  } else if (type == "deposit" || type == "withdrawal") {
    auto& account = book.accounts[state.account(text(p, "account"))];
    const Decimal amount = decimal(p, "amount");
    if (amount.sign() <= 0)
      throw Error(ErrorKind::InvalidArgument,
                  type + " of " + amount.to_string(2) + ": expected a positive amount");
    if (type == "deposit") {
      account.cash += amount;
    } else {
      if (amount > account.cash)
        throw Error(ErrorKind::InvalidArgument, "withdrawal of " + amount.to_string(2) + " exceeds cash " +
                                                    account.cash.to_string(2) + " of account " +
                                                    account.number);
      account.cash -= amount;
    }
  } else if (type == "model_defined") {
    const std::string name = text(p, "model");
    std::vector<wealth::ModelWeight> weights;
    for (const auto& w : p.at("weights"))
      weights.push_back({w.at(0).get<std::string>(), Decimal::parse(w.at(1).get<std::string>())});
    // The import checked the sum under the rule the user chose; the journal keeps the weights as given.
    wealth::ModelPortfolio model(name, std::move(weights), wealth::WeightSum::Printed);
    if (const auto it = state.model_index.find(name); it != state.model_index.end()) {
      book.models[it->second] = std::move(model);
    } else {
      state.model_index.emplace(name, book.models.size());
      book.models.push_back(std::move(model));
    }
  } else if (type == "goal_opened") {
    const std::size_t account = state.account(text(p, "account"));
    wealth::Goal goal;
    goal.account = account;
    goal.name = text(p, "goal");
    const auto model = state.model_index.find(text(p, "model"));
    if (model == state.model_index.end()) throw Error(ErrorKind::NotFound, "no model " + text(p, "model"));
    goal.model = model->second;
    goal.target_year = static_cast<int>(integer(p, "target_year"));
    goal.target_value = decimal(p, "target_value");
    const auto priority = wealth::parse_priority(text(p, "priority"));
    if (!priority) throw Error(ErrorKind::Parse, "event payload: bad priority in " + p.dump());
    goal.priority = *priority;
    if (!state.goal_index.emplace(std::pair(account, goal.name), book.goals.size()).second)
      throw Error(ErrorKind::InvalidArgument, "goal '" + goal.name + "' is already open");
    book.goals.push_back(std::move(goal));
  } else if (type == "price_set") {
    book.previous_close[text(p, "symbol")] = decimal(p, "close");
  } else if (type == "goal_holding_changed") {
    const std::size_t account = state.account(text(p, "account"));
    book.goals[state.goal(account, text(p, "goal"))].holdings.add(text(p, "symbol"), decimal(p, "change"));
  } else if (type == "order_created") {
    oms::Order order;
    order.id = text(p, "order");
    order.account = state.account(text(p, "account"));
    order.goal = state.goal(order.account, text(p, "goal"));
    order.side = side(p);
    order.amount = decimal(p, "amount");
    if (!state.order_index.emplace(order.id, book.orders.size()).second)
      throw Error(ErrorKind::InvalidArgument, "order " + order.id + " already exists");
    book.orders.push_back(std::move(order));
  } else if (type == "order_rejected") {
    auto& order = order_of(state, p);
    order.state = oms::transition(order.state, oms::OrderState::Rejected);
  } else if (type == "order_sent") {
    auto& order = order_of(state, p);
    order.state = oms::transition(order.state, oms::OrderState::Pending);
  } else if (type == "order_state_changed") {
    auto& order = order_of(state, p);
    const auto to = oms::parse_order_state(text(p, "state"));
    if (!to) throw Error(ErrorKind::Parse, "event payload: bad order state in " + p.dump());
    order.state = oms::transition(order.state, *to);
  } else if (type == "block_created") {
    StoredBlock block;
    block.id = integer(p, "block");
    if (block.id != static_cast<std::int64_t>(state.blocks.size()) + 1)
      throw Error(ErrorKind::InvalidArgument, "block " + std::to_string(block.id) + " out of sequence");
    block.cycle = integer(p, "cycle");
    block.index = integer(p, "index");
    block.symbol = text(p, "symbol");
    block.side = side(p);
    block.dollars = decimal(p, "dollars");
    for (const auto& s : p.at("splits"))
      block.splits.emplace_back(state.order(s.at(0).get<std::string>()),
                                Decimal::parse(s.at(1).get<std::string>()));
    state.cycles = std::max(state.cycles, block.cycle);
    state.blocks.push_back(std::move(block));
  } else if (type == "fill_received") {
    AppliedFill fill{integer(p, "block"), text(p, "exec_id"), decimal(p, "units"), decimal(p, "price")};
    if (fill.block < 1 || fill.block > static_cast<std::int64_t>(state.blocks.size()))
      throw Error(ErrorKind::NotFound, "no block " + std::to_string(fill.block));
    auto key = std::pair(fill.block, fill.exec_id);
    if (!state.applied_fills.emplace(std::move(key), std::move(fill)).second)
      throw Error(ErrorKind::InvalidArgument, "fill " + text(p, "exec_id") + " of block " +
                                                  std::to_string(integer(p, "block")) + " is already booked");
  } else if (type == "allocation_booked") {
    const auto& order = order_of(state, p);
    auto& account = book.accounts[order.account];
    auto& goal = book.goals[order.goal];
    const Decimal units = decimal(p, "units"), cash = decimal(p, "cash");
    if (side(p) == oms::Side::Buy) {
      goal.holdings.add(text(p, "symbol"), units);
      account.cash -= cash;
    } else {
      goal.holdings.add(text(p, "symbol"), -units);
      account.cash += cash;
    }
  } else {
    throw Error(ErrorKind::Parse, "unknown event type '" + type + "'");
  }
}

}  // namespace tranche::store
