#include "tranche/store/events.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tranche/core/error.hpp"

namespace tranche::store {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::size_t hash_of(std::string_view name) { return std::hash<std::string_view>{}(name); }
std::size_t hash_of(std::size_t account, std::string_view name) {
  return hash_of(name) ^ (account * 0x9E3779B97F4A7C15ULL);
}

}  // namespace

// --- Constructors and type names ---

Event account_opened(const std::string& account, wealth::AccountType type, wealth::AccountStatus status) {
  return AccountOpened{account, type, status};
}
Event account_status_changed(const std::string& account, wealth::AccountStatus status) {
  return AccountStatusChanged{account, status};
}
Event deposit(const std::string& account, Decimal amount) { return Deposit{account, amount}; }
Event withdrawal(const std::string& account, Decimal amount) { return Withdrawal{account, amount}; }
Event model_defined(const wealth::ModelPortfolio& model) {
  return ModelDefined{model.name(), model.weights()};
}
Event goal_opened(const std::string& account, const wealth::Goal& goal, const std::string& model) {
  return GoalOpened{account, goal.name, model, goal.target_year, goal.target_value, goal.priority};
}
Event price_set(const std::string& symbol, Decimal close) { return PriceSet{symbol, close}; }
Event goal_holding_changed(const std::string& account, const std::string& goal, const std::string& symbol,
                           Decimal change) {
  return GoalHoldingChanged{account, goal, symbol, change};
}
Event order_created(const std::string& order, const std::string& account, const std::string& goal,
                    oms::Side side, Decimal amount) {
  return OrderCreated{order, account, goal, side, amount};
}
Event order_rejected(const std::string& order, const std::string& rule, const std::string& reason) {
  return OrderRejected{order, rule, reason};
}
Event order_sent(const std::string& order) { return OrderSent{order}; }
Event order_state_changed(const std::string& order, oms::OrderState state) {
  return OrderStateChanged{order, state};
}
Event block_created(const StoredBlock& block) { return BlockCreated{block}; }
Event fill_received(const AppliedFill& fill) { return FillReceived{fill}; }
Event allocation_booked(std::int64_t block, const std::string& exec_id, std::size_t order,
                        const std::string& symbol, oms::Side side, Decimal units, Decimal cash) {
  return AllocationBooked{block, exec_id, order, symbol, side, units, cash};
}

namespace {

constexpr std::string_view kTypeNames[] = {"account_opened",   "account_status_changed",
                                           "deposit",          "withdrawal",
                                           "model_defined",    "goal_opened",
                                           "price_set",        "goal_holding_changed",
                                           "order_created",    "order_rejected",
                                           "order_sent",       "order_state_changed",
                                           "block_created",    "fill_received",
                                           "allocation_booked"};
static_assert(std::size(kTypeNames) == std::variant_size_v<Event>);

}  // namespace

std::string_view event_type(const Event& event) { return kTypeNames[event.index()]; }

// --- The name indexes ---

std::size_t BookState::find_account(std::string_view number) const {
  return account_index.find(hash_of(number),
                            [&](std::size_t row) { return book.accounts[row].number == number; });
}
std::size_t BookState::find_model(std::string_view name) const {
  return model_index.find(hash_of(name), [&](std::size_t row) { return book.models[row].name() == name; });
}
std::size_t BookState::find_goal(std::size_t account_at, std::string_view name) const {
  return goal_index.find(hash_of(account_at, name), [&](std::size_t row) {
    return book.goals[row].account == account_at && book.goals[row].name == name;
  });
}
std::size_t BookState::find_order(std::string_view id) const {
  return order_index.find(hash_of(id), [&](std::size_t row) { return book.orders[row].id == id; });
}

std::size_t BookState::account(std::string_view number) const {
  const std::size_t row = find_account(number);
  if (row == kNone) throw Error(ErrorKind::NotFound, "no account " + std::string(number));
  return row;
}
std::size_t BookState::goal(std::size_t account_at, std::string_view name) const {
  const std::size_t row = find_goal(account_at, name);
  if (row == kNone)
    throw Error(ErrorKind::NotFound,
                "no goal '" + std::string(name) + "' in account " + book.accounts[account_at].number);
  return row;
}
std::size_t BookState::order(std::string_view id) const {
  const std::size_t row = find_order(id);
  if (row == kNone) throw Error(ErrorKind::NotFound, "no order " + std::string(id));
  return row;
}

// --- The reducer ---

namespace {

oms::Order& order_at(BookState& state, std::size_t index) {
  if (index >= state.book.orders.size())
    throw Error(ErrorKind::NotFound, "no order at index " + std::to_string(index));
  return state.book.orders[index];
}

void add_cash(wealth::Account& account, Decimal amount, const char* what) {
  if (amount.sign() <= 0)
    throw Error(ErrorKind::InvalidArgument,
                std::string(what) + " of " + amount.to_string(2) + ": expected a positive amount");
  account.cash += amount;
}

struct Reducer {
  BookState& state;
  oms::Book& book = state.book;

  void operator()(const AccountOpened& e) const {
    if (state.find_account(e.account) != BookState::kNone)
      throw Error(ErrorKind::InvalidArgument, "account " + e.account + " is already open");
    wealth::Account account;
    account.number = e.account;
    account.type = e.type;
    account.status = e.status;
    book.accounts.push_back(std::move(account));
    state.account_index.insert(book.accounts.size() - 1, hash_of(e.account),
                               [&](std::size_t row) { return hash_of(book.accounts[row].number); });
  }
  void operator()(const AccountStatusChanged& e) const {
    auto& account = book.accounts[state.account(e.account)];
    account.status = wealth::transition(account.status, e.status);
  }
  void operator()(const Deposit& e) const {
    add_cash(book.accounts[state.account(e.account)], e.amount, "deposit");
  }
  void operator()(const Withdrawal& e) const {
    auto& account = book.accounts[state.account(e.account)];
    if (e.amount.sign() <= 0)
      throw Error(ErrorKind::InvalidArgument,
                  "withdrawal of " + e.amount.to_string(2) + ": expected a positive amount");
    if (e.amount > account.cash)
      throw Error(ErrorKind::InvalidArgument, "withdrawal of " + e.amount.to_string(2) + " exceeds cash " +
                                                  account.cash.to_string(2) + " of account " +
                                                  account.number);
    account.cash -= e.amount;
  }
  void operator()(const ModelDefined& e) const {
    // The import checked the sum under the rule the user chose; the journal keeps the weights as given.
    wealth::ModelPortfolio model(e.model, e.weights, wealth::WeightSum::Printed);
    if (const std::size_t row = state.find_model(e.model); row != BookState::kNone) {
      book.models[row] = std::move(model);
    } else {
      book.models.push_back(std::move(model));
      state.model_index.insert(book.models.size() - 1, hash_of(e.model),
                               [&](std::size_t r) { return hash_of(book.models[r].name()); });
    }
  }
  void operator()(const GoalOpened& e) const {
    const std::size_t account = state.account(e.account);
    const std::size_t model = state.find_model(e.model);
    if (model == BookState::kNone) throw Error(ErrorKind::NotFound, "no model " + e.model);
    if (state.find_goal(account, e.goal) != BookState::kNone)
      throw Error(ErrorKind::InvalidArgument, "goal '" + e.goal + "' is already open");
    wealth::Goal goal;
    goal.account = account;
    goal.name = e.goal;
    goal.model = model;
    goal.target_year = e.target_year;
    goal.target_value = e.target_value;
    goal.priority = e.priority;
    book.goals.push_back(std::move(goal));
    state.goal_index.insert(book.goals.size() - 1, hash_of(account, e.goal), [&](std::size_t row) {
      return hash_of(book.goals[row].account, book.goals[row].name);
    });
  }
  void operator()(const PriceSet& e) const { book.previous_close[e.symbol] = e.close; }
  void operator()(const GoalHoldingChanged& e) const {
    const std::size_t account = state.account(e.account);
    book.goals[state.goal(account, e.goal)].holdings.add(e.symbol, e.change);
  }
  void operator()(const OrderCreated& e) const {
    oms::Order order;
    order.id = e.order;
    order.account = state.account(e.account);
    order.goal = state.goal(order.account, e.goal);
    order.side = e.side;
    order.amount = e.amount;
    if (state.find_order(e.order) != BookState::kNone)
      throw Error(ErrorKind::InvalidArgument, "order " + e.order + " already exists");
    book.orders.push_back(std::move(order));
    state.order_index.insert(book.orders.size() - 1, hash_of(e.order),
                             [&](std::size_t row) { return hash_of(book.orders[row].id); });
  }
  void operator()(const OrderRejected& e) const {
    auto& order = book.orders[state.order(e.order)];
    order.state = oms::transition(order.state, oms::OrderState::Rejected);
  }
  void operator()(const OrderSent& e) const {
    auto& order = book.orders[state.order(e.order)];
    order.state = oms::transition(order.state, oms::OrderState::Pending);
  }
  void operator()(const OrderStateChanged& e) const {
    auto& order = book.orders[state.order(e.order)];
    order.state = oms::transition(order.state, e.state);
  }
  void operator()(const BlockCreated& e) const {
    if (e.block.id != static_cast<std::int64_t>(state.blocks.size()) + 1)
      throw Error(ErrorKind::InvalidArgument, "block " + std::to_string(e.block.id) + " out of sequence");
    for (const auto& split : e.block.splits) order_at(state, split.first);
    state.cycles = std::max(state.cycles, e.block.cycle);
    state.blocks.push_back(e.block);
  }
  void operator()(const FillReceived& e) const {
    const auto& fill = e.fill;
    if (fill.block < 1 || fill.block > static_cast<std::int64_t>(state.blocks.size()))
      throw Error(ErrorKind::NotFound, "no block " + std::to_string(fill.block));
    if (!state.applied_fills.emplace(std::pair(fill.block, fill.exec_id), fill).second)
      throw Error(ErrorKind::InvalidArgument,
                  "fill " + fill.exec_id + " of block " + std::to_string(fill.block) + " is already booked");
  }
  void operator()(const AllocationBooked& e) const {
    const auto& order = order_at(state, e.order);
    auto& account = book.accounts[order.account];
    auto& goal = book.goals[order.goal];
    if (e.side == oms::Side::Buy) {
      goal.holdings.add(e.symbol, e.units);
      account.cash -= e.cash;
    } else {
      goal.holdings.add(e.symbol, -e.units);
      account.cash += e.cash;
    }
  }
};

}  // namespace

void apply(BookState& state, const Event& event) { std::visit(Reducer{state}, event); }

// --- Payloads out ---

namespace {

// Checks that `text` is well-formed UTF-8 (Unicode 15, table 3-7), as a JSON reader demands.
bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end - p <= extra || p[1] < low || p[1] > high) return false;
    for (int i = 2; i <= extra; ++i)
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    p += extra + 1;
  }
  return true;
}

// A JSON object written field by field, in the order given (the callers give keys in
// alphabetical order, the order nlohmann::json's dump() printed them in). Strings are escaped
// as that dump escaped them: the two-character escapes, \u00xx for other control characters,
// everything else (UTF-8 included) as is.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  ~JsonObject() { out_ += '}'; }
  JsonObject(const JsonObject&) = delete;
  JsonObject& operator=(const JsonObject&) = delete;

  JsonObject& text(std::string_view key, std::string_view value) {
    next_key(key);
    string(out_, value);
    return *this;
  }
  JsonObject& decimal(std::string_view key, Decimal value, int min_decimals = 0) {
    next_key(key);
    decimal_string(out_, value, min_decimals);
    return *this;
  }
  JsonObject& integer(std::string_view key, std::int64_t value) {
    next_key(key);
    char text[24];
    out_.append(text, static_cast<std::size_t>(std::to_chars(text, text + sizeof text, value).ptr - text));
    return *this;
  }
  // "key":[["name","decimal"],...]
  template <typename Pairs, typename NameOf>
  JsonObject& pairs(std::string_view key, const Pairs& pairs, NameOf name_of) {
    next_key(key);
    out_ += '[';
    bool first = true;
    for (const auto& [name, value] : pairs) {
      out_ += first ? "[" : ",[";
      first = false;
      string(out_, name_of(name));
      out_ += ',';
      decimal_string(out_, value, 0);
      out_ += ']';
    }
    out_ += ']';
    return *this;
  }

  static void string(std::string& out, std::string_view value) {
    out += '"';
    std::size_t plain = 0;  // start of the run not yet copied
    bool ascii = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const auto c = static_cast<unsigned char>(value[i]);
      ascii = ascii && c < 0x80;
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(value, plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
      }
    }
    out.append(value, plain, value.size() - plain);
    out += '"';
    if (!ascii && !is_valid_utf8(value))
      throw Error(ErrorKind::InvalidArgument, "'" + std::string(value) + "' is not valid UTF-8 text");
  }

 private:
  static void decimal_string(std::string& out, Decimal value, int min_decimals) {
    char text[Decimal::kMaxText];
    const char* end = value.format_to(text, min_decimals);
    out += '"';
    out.append(text, static_cast<std::size_t>(end - text));
    out += '"';
  }
  void next_key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;  // keys are ours: plain ASCII
    out_ += "\":";
  }
  std::string& out_;
  bool first_ = true;
};

const std::string& order_id(const BookState& state, std::size_t index) {
  if (index >= state.book.orders.size())
    throw Error(ErrorKind::NotFound, "no order at index " + std::to_string(index));
  return state.book.orders[index].id;
}

}  // namespace

void write_payload(const Event& event, const BookState& state, std::string& out) {
  JsonObject o(out);
  std::visit(
      Overloaded{
          [&](const AccountOpened& e) {
            o.text("account", e.account).text("status", to_string(e.status)).text("type", to_string(e.type));
          },
          [&](const AccountStatusChanged& e) {
            o.text("account", e.account).text("status", to_string(e.status));
          },
          [&](const Deposit& e) { o.text("account", e.account).decimal("amount", e.amount, 2); },
          [&](const Withdrawal& e) { o.text("account", e.account).decimal("amount", e.amount, 2); },
          [&](const ModelDefined& e) {
            std::vector<std::pair<std::string_view, Decimal>> weights;
            for (const auto& w : e.weights) weights.emplace_back(w.symbol, w.weight);
            o.text("model", e.model).pairs("weights", weights, [](std::string_view s) { return s; });
          },
          [&](const GoalOpened& e) {
            o.text("account", e.account)
                .text("goal", e.goal)
                .text("model", e.model)
                .text("priority", to_string(e.priority))
                .decimal("target_value", e.target_value)
                .integer("target_year", e.target_year);
          },
          [&](const PriceSet& e) { o.decimal("close", e.close).text("symbol", e.symbol); },
          [&](const GoalHoldingChanged& e) {
            o.text("account", e.account)
                .decimal("change", e.change)
                .text("goal", e.goal)
                .text("symbol", e.symbol);
          },
          [&](const OrderCreated& e) {
            o.text("account", e.account)
                .decimal("amount", e.amount, 2)
                .text("goal", e.goal)
                .text("order", e.order)
                .text("side", oms::to_string(e.side));
          },
          [&](const OrderRejected& e) {
            o.text("order", e.order).text("reason", e.reason).text("rule", e.rule);
          },
          [&](const OrderSent& e) { o.text("order", e.order); },
          [&](const OrderStateChanged& e) {
            o.text("order", e.order).text("state", oms::to_string(e.state));
          },
          [&](const BlockCreated& e) {
            const auto& b = e.block;
            o.integer("block", b.id)
                .integer("cycle", b.cycle)
                .decimal("dollars", b.dollars)
                .integer("index", b.index)
                .text("side", oms::to_string(b.side))
                .pairs("splits", b.splits,
                       [&](std::size_t order) -> std::string_view { return order_id(state, order); })
                .text("symbol", b.symbol);
          },
          [&](const FillReceived& e) {
            o.integer("block", e.fill.block)
                .text("exec_id", e.fill.exec_id)
                .decimal("price", e.fill.price)
                .decimal("units", e.fill.units);
          },
          [&](const AllocationBooked& e) {
            o.integer("block", e.block)
                .decimal("cash", e.cash, 2)
                .text("exec_id", e.exec_id)
                .text("order", order_id(state, e.order))
                .text("side", oms::to_string(e.side))
                .text("symbol", e.symbol)
                .decimal("units", e.units);
          },
      },
      event);
}

// --- Payloads in ---

namespace {

using nlohmann::json;

// The fields of a payload object: text, integers and [[text, text], ...] arrays. The journal's
// own form (what write_payload prints: no spaces, no escapes, ASCII) is scanned in place, as
// views into the payload; anything else a JSON reader accepts goes through nlohmann::json, its
// text kept in `owned`.
struct PayloadFields {
  enum class Kind { Text, Integer, Pairs, Other };
  struct Field {
    std::string_view key;
    Kind kind = Kind::Other;
    std::string_view text;
    std::int64_t integer = 0;
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
  };
  std::vector<Field> fields;
  std::deque<std::string> owned;

  // False (and `fields` partly filled) when `payload` is not in the journal's own form.
  bool scan(std::string_view payload) {
    std::size_t i = 0;
    const auto at = [&](char c) { return i < payload.size() && payload[i] == c; };
    const auto string = [&](std::string_view& out) {
      if (!at('"')) return false;
      std::size_t end = i + 1;
      for (; end < payload.size() && payload[end] != '"'; ++end) {
        const auto c = static_cast<unsigned char>(payload[end]);
        if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      }
      if (end >= payload.size()) return false;
      out = payload.substr(i + 1, end - i - 1);
      i = end + 1;
      return true;
    };
    const auto skip = [&](char c) { return at(c) ? (++i, true) : false; };
    if (!skip('{')) return false;
    if (skip('}')) return i == payload.size();
    while (true) {
      Field field;
      if (!string(field.key) || !skip(':')) return false;
      if (at('"')) {
        field.kind = Kind::Text;
        if (!string(field.text)) return false;
      } else if (at('-') || (i < payload.size() && payload[i] >= '0' && payload[i] <= '9')) {
        const char* first = payload.data() + i;
        const auto [end, error] = std::from_chars(first, payload.data() + payload.size(), field.integer);
        const std::size_t digits = static_cast<std::size_t>(end - first) - (*first == '-' ? 1 : 0);
        const char lead = first[*first == '-' ? 1 : 0];
        if (error != std::errc() || (lead == '0' && digits > 1)) return false;
        i += static_cast<std::size_t>(end - first);
        field.kind = Kind::Integer;
      } else if (skip('[')) {
        field.kind = Kind::Pairs;
        if (!skip(']')) {
          while (true) {
            std::string_view name, value;
            if (!skip('[') || !string(name) || !skip(',') || !string(value) || !skip(']')) return false;
            field.pairs.emplace_back(name, value);
            if (skip(',')) continue;
            if (skip(']')) break;
            return false;
          }
        }
      } else {
        return false;
      }
      fields.push_back(std::move(field));
      if (skip(',')) continue;
      return skip('}') && i == payload.size();
    }
  }

  // Any JSON object, through nlohmann::json.
  void read(const json& object) {
    fields.clear();
    for (const auto& [key, value] : object.items()) {
      Field field;
      field.key = owned.emplace_back(key);
      if (value.is_string()) {
        field.kind = Kind::Text;
        field.text = owned.emplace_back(value.get<std::string>());
      } else if (value.is_number_integer()) {
        field.kind = Kind::Integer;
        field.integer = value.get<std::int64_t>();
      } else if (value.is_array() && std::all_of(value.begin(), value.end(), [](const json& pair) {
                   return pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string();
                 })) {
        field.kind = Kind::Pairs;
        for (const json& pair : value)
          field.pairs.emplace_back(owned.emplace_back(pair[0].get<std::string>()),
                                   owned.emplace_back(pair[1].get<std::string>()));
      }
      fields.push_back(std::move(field));
    }
  }
};

class PayloadReader {
 public:
  PayloadReader(std::string_view type, std::string_view payload) : type_(type), payload_(payload) {
    if (fields_.scan(payload)) return;
    json parsed;
    try {
      parsed = json::parse(payload);
    } catch (const json::exception& e) {
      throw Error(ErrorKind::Parse, "event payload of " + std::string(type) + ": " + e.what());
    }
    if (!parsed.is_object()) fail("expected a JSON object");
    fields_.read(parsed);
  }

  std::string text(const char* key) const { return std::string(text_of(key)); }
  Decimal decimal(const char* key) const {
    auto parsed = Decimal::try_parse(text_of(key));
    if (!parsed) fail(std::string("field '") + key + "': " + parsed.error());
    return *parsed;
  }
  std::int64_t integer(const char* key) const {
    const auto& value = field(key);
    if (value.kind != PayloadFields::Kind::Integer) fail(std::string("expected integer field '") + key + "'");
    return value.integer;
  }
  // [["name","decimal"],...]
  std::vector<std::pair<std::string, Decimal>> pairs(const char* key) const {
    const auto& value = field(key);
    if (value.kind != PayloadFields::Kind::Pairs)
      fail(std::string("expected [name, decimal] pairs in field '") + key + "'");
    std::vector<std::pair<std::string, Decimal>> out;
    out.reserve(value.pairs.size());
    for (const auto& [name, text] : value.pairs) {
      auto number = Decimal::try_parse(text);
      if (!number) fail(std::string("field '") + key + "': " + number.error());
      out.emplace_back(std::string(name), *number);
    }
    return out;
  }
  template <typename Enum>
  Enum parsed(const char* key, std::optional<Enum> (*parse)(std::string_view)) const {
    const auto value = parse(text_of(key));
    if (!value) fail(std::string("bad value in field '") + key + "'");
    return *value;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(ErrorKind::Parse,
                "event payload of " + std::string(type_) + ": " + why + " in " + std::string(payload_));
  }

 private:
  const PayloadFields::Field& field(const char* key) const {
    for (const auto& f : fields_.fields)
      if (f.key == key) return f;
    fail(std::string("expected field '") + key + "'");
  }
  std::string_view text_of(const char* key) const {
    const auto& value = field(key);
    if (value.kind != PayloadFields::Kind::Text) fail(std::string("expected text field '") + key + "'");
    return value.text;
  }
  std::string_view type_;
  std::string_view payload_;
  PayloadFields fields_;
};

std::size_t order_named(const BookState& state, const PayloadReader& in, const std::string& id) {
  const std::size_t row = state.find_order(id);
  if (row == BookState::kNone) in.fail("no order " + id);
  return row;
}

}  // namespace

Event parse_event(std::string_view type, std::string_view payload, const BookState& state) {
  const PayloadReader in(type, payload);
  using wealth::parse_account_status;
  if (type == "account_opened")
    return AccountOpened{in.text("account"), in.parsed("type", wealth::parse_account_type),
                         in.parsed("status", parse_account_status)};
  if (type == "account_status_changed")
    return AccountStatusChanged{in.text("account"), in.parsed("status", parse_account_status)};
  if (type == "deposit") return Deposit{in.text("account"), in.decimal("amount")};
  if (type == "withdrawal") return Withdrawal{in.text("account"), in.decimal("amount")};
  if (type == "model_defined") {
    ModelDefined model{in.text("model"), {}};
    for (auto& [symbol, weight] : in.pairs("weights")) model.weights.push_back({std::move(symbol), weight});
    return model;
  }
  if (type == "goal_opened")
    return GoalOpened{in.text("account"),         in.text("goal"),
                      in.text("model"),           static_cast<int>(in.integer("target_year")),
                      in.decimal("target_value"), in.parsed("priority", wealth::parse_priority)};
  if (type == "price_set") return PriceSet{in.text("symbol"), in.decimal("close")};
  if (type == "goal_holding_changed")
    return GoalHoldingChanged{in.text("account"), in.text("goal"), in.text("symbol"), in.decimal("change")};
  if (type == "order_created")
    return OrderCreated{in.text("order"), in.text("account"), in.text("goal"),
                        in.parsed("side", oms::parse_side), in.decimal("amount")};
  if (type == "order_rejected") return OrderRejected{in.text("order"), in.text("rule"), in.text("reason")};
  if (type == "order_sent") return OrderSent{in.text("order")};
  if (type == "order_state_changed")
    return OrderStateChanged{in.text("order"), in.parsed("state", oms::parse_order_state)};
  if (type == "block_created") {
    StoredBlock block{in.integer("block"),
                      in.integer("cycle"),
                      in.integer("index"),
                      in.text("symbol"),
                      in.parsed("side", oms::parse_side),
                      in.decimal("dollars"),
                      {}};
    for (const auto& [order, dollars] : in.pairs("splits"))
      block.splits.emplace_back(order_named(state, in, order), dollars);
    return BlockCreated{std::move(block)};
  }
  if (type == "fill_received")
    return FillReceived{{in.integer("block"), in.text("exec_id"), in.decimal("units"), in.decimal("price")}};
  if (type == "allocation_booked")
    return AllocationBooked{in.integer("block"),
                            in.text("exec_id"),
                            order_named(state, in, in.text("order")),
                            in.text("symbol"),
                            in.parsed("side", oms::parse_side),
                            in.decimal("units"),
                            in.decimal("cash")};
  throw Error(ErrorKind::Parse, "unknown event type '" + std::string(type) + "'");
}

}  // namespace tranche::store
