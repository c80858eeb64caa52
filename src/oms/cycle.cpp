#include "tranche/oms/cycle.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <unordered_map>

#include "core/wide_int.hpp"
#include "tranche/core/error.hpp"

namespace tranche::oms {

namespace {

using wealth::AccountStatus;

// The dollars an order's splits add up to: amount x the model's weight sum (the amount
// itself when the weights sum to exactly 1).
Decimal split_total(const Order& order, const wealth::ModelPortfolio& model) {
  return model.weight_sum() == Decimal::from_int(1) ? order.amount
                                                    : order.amount.multiply_exact(model.weight_sum());
}

std::vector<Rejection> check_with_closed_symbols(const Book& book, std::size_t order_index,
                                                 Decimal reserved_buys, Decimal reserved_sells, Timestamp at,
                                                 std::span<const std::string> closed_symbols,
                                                 const ViabilityRules& rules) {
  std::vector<Rejection> rejections;
  const Order& order = book.orders[order_index];
  const auto& account = book.accounts[order.account];
  const auto& model = book.models[book.goals[order.goal].model];
  auto reject = [&](const char* rule, std::string reason) {
    rejections.push_back({order_index, rule, std::move(reason)});
  };
  if (account.status != AccountStatus::Approved) {
    reject("account_approved",
           "account " + account.number + " is " + wealth::to_string(account.status) + ", not APPROVED");
  }
  if (order.amount <= rules.minimum_amount) {
    reject("minimum_amount", std::string(to_string(order.side)) + " amount " + order.amount.to_string(2) +
                                 " is not above the minimum " + rules.minimum_amount.to_string(2));
  }
  const Decimal needed = split_total(order, model);
  if (order.side == Side::Buy) {
    const Decimal available = account.cash - reserved_buys;
    if (needed > available) {
      reject("buying_power", "BUY needs " + needed.to_string(2) + " but account " + account.number + " has " +
                                 available.to_string(2) + " available (cash " + account.cash.to_string(2) +
                                 " minus " + reserved_buys.to_string(2) + " reserved by open buys)");
    }
  } else {
    try {
      const Decimal value = book.goal_value(order.goal);
      const Decimal available = value - reserved_sells;
      if (needed > available) {
        reject("sell_value", "SELL needs " + needed.to_string(2) + " but goal '" +
                                 book.goals[order.goal].name + "' is worth " + available.to_string(2) +
                                 " at the previous close (value " + value.to_string(2) + " minus " +
                                 reserved_sells.to_string(2) + " reserved by open sells)");
      }
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::NotFound) throw;
      reject("sell_value",
             std::string("cannot value goal '") + book.goals[order.goal].name + "': " + e.what());
    }
  }
  for (const auto& symbol : closed_symbols)
    reject("market_open", "the market for " + symbol + " is closed at " + format_timestamp(at));
  return rejections;
}

std::vector<std::string> closed_symbols_of(const wealth::ModelPortfolio& model, Timestamp at,
                                           const MarketHours& hours) {
  std::vector<std::string> closed;
  for (const auto& w : model.weights())
    if (w.weight.sign() > 0 && !hours.is_open(w.symbol, at)) closed.push_back(w.symbol);
  return closed;
}

bool is_open_order(OrderState state) {
  return state == OrderState::Pending || state == OrderState::PartiallyFilled;
}

}  // namespace

std::vector<Rejection> check_order(const Book& book, std::size_t order, Decimal reserved_buys,
                                   Decimal reserved_sells, Timestamp at, const MarketHours& hours,
                                   const ViabilityRules& rules) {
  const auto& model = book.models.at(book.goals.at(book.orders.at(order).goal).model);
  return check_with_closed_symbols(book, order, reserved_buys, reserved_sells, at,
                                   closed_symbols_of(model, at, hours), rules);
}

namespace {

// Splits one order's dollars by weight, calling emit(weight index, dollars) for each weight > 0.
// Fast exact path for the common case, an amount in whole cents and weights with at most 16
// decimals: weight x amount = (weight's raw / 100) x (amount in cents), one 128-bit product
// that cannot overflow (weight raw / 100 <= 10^17 times |cents| < 2^62). Otherwise the
// general multiply_exact.
template <typename Emit>
void for_each_split(const Order& order, const wealth::ModelPortfolio& model, Emit&& emit) {
  // Divisibility by and division by powers of ten as multiplications (core/wide_int.hpp):
  // 128-bit divisions are library calls, and this runs for every split.
  const auto& weights = model.weights();
  const Int128 amount_raw = order.amount.raw();
  const auto amount_magnitude =
      amount_raw < 0 ? UInt128{0} - static_cast<UInt128>(amount_raw) : static_cast<UInt128>(amount_raw);
  const bool whole_cents =
      detail::divisible_by_power_of_ten(amount_magnitude, Decimal::kScale - 2) &&
      detail::divide_by_power_of_ten(amount_magnitude, Decimal::kScale - 2) < (UInt128{1} << 62);
  const Int128 cents_magnitude =
      whole_cents ? static_cast<Int128>(detail::divide_by_power_of_ten(amount_magnitude, Decimal::kScale - 2))
                  : 0;
  const Int128 cents = amount_raw < 0 ? -cents_magnitude : cents_magnitude;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Decimal weight = weights[i].weight;
    if (weight.sign() <= 0) continue;
    const auto weight_raw = static_cast<UInt128>(weight.raw());
    const bool fast = whole_cents && weight.raw() <= Decimal::from_int(1).raw() &&
                      detail::divisible_by_power_of_ten(weight_raw, 2);
    emit(i,
         fast ? Decimal::from_raw(static_cast<Int128>(detail::divide_by_power_of_ten(weight_raw, 2)) * cents)
              : weight.multiply_exact(order.amount));
  }
}

// Each symbol's rank by name, so blocks come out sorted by (symbol, side): block key
// rank x 2 + (0 for BUY, 1 for SELL). `by_name` is the inverse.
struct SymbolRanks {
  std::vector<std::uint32_t> by_name;
  std::vector<std::uint32_t> rank;

  explicit SymbolRanks(const std::vector<std::string>& symbols)
      : by_name(symbols.size()), rank(symbols.size()) {
    std::iota(by_name.begin(), by_name.end(), 0U);
    std::sort(by_name.begin(), by_name.end(),
              [&](std::uint32_t a, std::uint32_t b) { return symbols[a] < symbols[b]; });
    for (std::uint32_t r = 0; r < by_name.size(); ++r) rank[by_name[r]] = r;
  }
  std::size_t key(std::uint32_t symbol, Side side) const {
    return std::size_t{rank[symbol]} * 2 + (side == Side::Buy ? 0 : 1);
  }
};

// A running exact sum of split dollars on the raw integers (Decimal's checked addition is a
// call per split): `failed` once a partial sum leaves Decimal's range, and then the caller sums
// with Decimal again, which raises the same Overflow error it always did.
struct DollarSum {
  static constexpr Int128 kLowestInt128 = static_cast<Int128>(UInt128{1} << 127);
  Int128 raw = 0;
  bool failed = false;
  void add(Decimal dollars) {
    // Decimal's range is symmetric: the lowest 128-bit integer is the one raw value outside it.
    failed |= __builtin_add_overflow(raw, dollars.raw(), &raw) || raw == kLowestInt128;
  }
};

Decimal total_of(const DollarSum& sum, std::span<const Split> splits) {
  if (!sum.failed) return Decimal::from_raw(sum.raw);
  Decimal total;
  for (const auto& s : splits) total += s.dollars;
  return total;
}

// Blocks from splits already grouped by key, `start` holding each key's first split and
// `sums` (when given) each key's dollars.
void blocks_from_groups(BlockPlan& plan, const SymbolRanks& ranks, const std::vector<std::size_t>& start,
                        const std::vector<DollarSum>* sums = nullptr) {
  plan.blocks.clear();
  for (std::size_t key = 0; key + 1 < start.size(); ++key) {
    if (start[key] == start[key + 1]) continue;
    BlockOrder block{ranks.by_name[key / 2],
                     key % 2 == 0 ? Side::Buy : Side::Sell,
                     {},
                     start[key],
                     start[key + 1] - start[key]};
    DollarSum sum;
    if (sums) {
      sum = (*sums)[key];
    } else {
      for (const auto& s : plan.splits_of(block)) sum.add(s.dollars);
    }
    block.dollars = total_of(sum, plan.splits_of(block));
    plan.blocks.push_back(block);
  }
}

}  // namespace

void split_order(const Order& order, const wealth::ModelPortfolio& model,
                 std::span<const std::uint32_t> symbol_ids, std::size_t order_index,
                 std::vector<Split>& out) {
  for_each_split(order, model, [&](std::size_t weight, Decimal dollars) {
    out.push_back({order_index, symbol_ids[weight], order.side, dollars});
  });
}

void aggregate_blocks(BlockPlan& plan) {
  const SymbolRanks ranks(plan.symbols);
  // Stable counting sort of the splits by block key.
  std::vector<std::size_t> start(plan.symbols.size() * 2 + 1, 0);
  for (const auto& s : plan.splits) ++start[ranks.key(s.symbol, s.side) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  // Splits read back from a blocks folder are grouped already: then nothing moves.
  bool grouped_already = true;
  for (std::size_t i = 0; i < plan.splits.size() && grouped_already; ++i)
    grouped_already = next[ranks.key(plan.splits[i].symbol, plan.splits[i].side)]++ == i;
  if (!grouped_already) {
    std::copy(start.begin(), start.end() - 1, next.begin());
    std::vector<Split> grouped(plan.splits.size());
    for (const auto& s : plan.splits) grouped[next[ranks.key(s.symbol, s.side)]++] = s;
    plan.splits = std::move(grouped);
  }
  blocks_from_groups(plan, ranks, start);
}

BlockPlan run_block_step(Book& book, Timestamp at, const MarketHours& hours, const ViabilityRules& rules) {
  BlockPlan plan;
  // Intern the models' symbols, and ask the calendar once per model, not once per order.
  std::unordered_map<std::string, std::uint32_t> symbol_index;
  std::vector<std::vector<std::uint32_t>> model_symbol_ids(book.models.size());
  std::vector<std::vector<std::string>> model_closed(book.models.size());
  for (std::size_t m = 0; m < book.models.size(); ++m) {
    for (const auto& w : book.models[m].weights()) {
      const auto [it, inserted] =
          symbol_index.try_emplace(w.symbol, static_cast<std::uint32_t>(plan.symbols.size()));
      if (inserted) plan.symbols.push_back(w.symbol);
      model_symbol_ids[m].push_back(it->second);
    }
    model_closed[m] = closed_symbols_of(book.models[m], at, hours);
  }

  std::vector<Decimal> reserved_buys(book.accounts.size());
  std::vector<Decimal> reserved_sells(book.goals.size());
  auto reserve = [&](const Order& order) {
    const Decimal total = split_total(order, book.models[book.goals[order.goal].model]);
    if (order.side == Side::Buy)
      reserved_buys[order.account] += total;
    else
      reserved_sells[order.goal] += total;
  };
  for (const auto& order : book.orders)
    if (is_open_order(order.state)) reserve(order);

  // Pass 1: checks, in book order (earlier orders reserve first).
  std::vector<std::size_t> sent;
  std::vector<std::array<std::size_t, 2>> sent_per_model(book.models.size(), {0, 0});
  for (std::size_t i = 0; i < book.orders.size(); ++i) {
    Order& order = book.orders[i];
    if (order.state != OrderState::New) continue;
    const std::size_t model = book.goals[order.goal].model;
    auto rejections = check_with_closed_symbols(book, i, reserved_buys[order.account],
                                                reserved_sells[order.goal], at, model_closed[model], rules);
    if (!rejections.empty()) {
      order.state = transition(order.state, OrderState::Rejected);
      for (auto& r : rejections) plan.rejections.push_back(std::move(r));
      continue;
    }
    reserve(order);
    order.state = transition(order.state, OrderState::Pending);
    sent.push_back(i);
    ++sent_per_model[model][order.side == Side::Buy ? 0 : 1];
  }

  // Pass 2: each split written straight into its block's place (the layout aggregate_blocks
  // gives), so the splits are never copied.
  const SymbolRanks ranks(plan.symbols);
  std::vector<std::size_t> start(plan.symbols.size() * 2 + 1, 0);
  for (std::size_t m = 0; m < book.models.size(); ++m) {
    const auto& weights = book.models[m].weights();
    for (std::size_t w = 0; w < weights.size(); ++w) {
      if (weights[w].weight.sign() <= 0) continue;
      start[ranks.key(model_symbol_ids[m][w], Side::Buy) + 1] += sent_per_model[m][0];
      start[ranks.key(model_symbol_ids[m][w], Side::Sell) + 1] += sent_per_model[m][1];
    }
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  plan.splits.resize(start.back());
  std::vector<std::size_t> next(start.begin(), start.end() - 1);
  std::vector<DollarSum> sums(next.size());  // each block's dollars, summed on the way
  for (const std::size_t i : sent) {
    const Order& order = book.orders[i];
    const std::size_t model = book.goals[order.goal].model;
    const auto& ids = model_symbol_ids[model];
    for_each_split(order, book.models[model], [&](std::size_t weight, Decimal dollars) {
      const std::size_t key = ranks.key(ids[weight], order.side);
      plan.splits[next[key]++] = Split{i, ids[weight], order.side, dollars};
      sums[key].add(dollars);
    });
  }
  blocks_from_groups(plan, ranks, start, &sums);
  return plan;
}

}  // namespace tranche::oms
