#include "tranche/oms/allocation.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <iterator>
#include <numeric>
#include <unordered_set>

#include "core/wide_int.hpp"
#include "tranche/core/error.hpp"

namespace tranche::oms {

namespace {

constexpr int kCents = 2;

using detail::kPowersOfTen;

// Buffers of the integer path, kept across the fills of one call (a block may have millions
// of splits: fresh buffers per fill would cost a page fault per 4 KB).
struct IntegerScratch {
  std::vector<std::uint64_t> units;
  std::vector<std::uint64_t> cents;
  std::vector<std::uint64_t> remainders;
  std::vector<std::uint64_t> selection;  // give_to_largest_remainders' candidates
  std::vector<std::uint32_t> histogram;  // likewise
};

// Adds one to the `count` entries with the largest remainders (all below `bound`), ties to
// the earlier entry. The count-th largest remainder t is found by a radix select: a histogram
// of the remainders' top bits (below `bound`; up to 16) gives the bucket holding t, and nth_element
// runs on that bucket's few entries only. Every entry above t gets one, then the earliest
// entries at t take the rest.
void give_to_largest_remainders(std::vector<std::uint64_t>& values,
                                const std::vector<std::uint64_t>& remainders, std::size_t count,
                                std::uint64_t bound, IntegerScratch& scratch) {
  if (count == 0) return;
  // About one bucket per entry, at most 2^16 (the histogram stays in the cache).
  const int bucket_bits = std::clamp(static_cast<int>(std::bit_width(remainders.size())), 4, 16);
  const int shift = std::max(0, static_cast<int>(std::bit_width(bound)) - bucket_bits);
  auto& histogram = scratch.histogram;
  histogram.assign(std::size_t{1} << bucket_bits, 0);
  for (const auto r : remainders) ++histogram[static_cast<std::size_t>(r >> shift)];
  std::size_t bucket = histogram.size() - 1;
  std::size_t in_higher_buckets = 0;
  while (in_higher_buckets + histogram[bucket] < count) in_higher_buckets += histogram[bucket--];
  auto& candidates = scratch.selection;
  candidates.clear();
  for (const auto r : remainders)
    if ((r >> shift) == bucket) candidates.push_back(r);
  const auto nth = candidates.begin() + static_cast<std::ptrdiff_t>(count - in_higher_buckets - 1);
  std::nth_element(candidates.begin(), nth, candidates.end(), std::greater<>());
  const std::uint64_t threshold = *nth;
  std::size_t above = in_higher_buckets;
  for (const auto r : candidates) above += r > threshold ? 1 : 0;
  std::size_t ties_left = count - above;  // at least one: the threshold's own entry
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (remainders[i] > threshold) {
      ++values[i];
    } else if (remainders[i] == threshold && ties_left > 0) {
      ++values[i];
      --ties_left;
    }
  }
}

// One fill's allocation (allocate_units, then round_cash_to_total of the exact costs) on
// 64-bit integers, for the usual numbers: the filled units at `scale` decimals and the price
// at its own d decimals below 2^64 with scale + d <= 18 (so each split's units x price is exact
// at 18 decimals, as the general path computes it), and the splits' dollars below 2^64 once
// their common factor 10^k is divided out (which keeps every quotient and the order of the
// remainders). Leaves units and cents in `scratch`; false when the numbers do not fit, or
// are invalid, and the general path must decide.
bool allocate_in_integers(std::span<const Split> splits, Decimal filled, Decimal price, int scale,
                          IntegerScratch& scratch) {
  const int price_decimals = price.decimals();
  const int cost_decimals = scale + price_decimals;
  if (cost_decimals < kCents || cost_decimals > Decimal::kScale || filled.sign() <= 0 ||
      !detail::divisible_by_power_of_ten(static_cast<UInt128>(filled.raw()), Decimal::kScale - scale))
    return false;
  const UInt128 filled_units =
      detail::divide_by_power_of_ten(static_cast<UInt128>(filled.raw()), Decimal::kScale - scale);
  const UInt128 price_units =
      detail::divide_by_power_of_ten(static_cast<UInt128>(price.raw()), Decimal::kScale - price_decimals);
  if (filled_units > UINT64_MAX || price_units > UINT64_MAX) return false;

  int common = Decimal::kScale;
  UInt128 dollar_sum = 0;
  for (const auto& split : splits) {
    if (split.dollars.sign() < 0) return false;
    const auto dollars = static_cast<UInt128>(split.dollars.raw());
    common = detail::common_power_of_ten(dollars, common);
    dollar_sum += dollars;  // two values below 2^127 do not overflow; the check below bounds the sum
    if (dollar_sum < dollars || dollar_sum > static_cast<UInt128>(Decimal::max().raw())) return false;
  }
  const UInt128 divisor = detail::divide_by_power_of_ten(dollar_sum, common);
  if (divisor == 0 || divisor > UINT64_MAX) return false;

  // Units: the floor of each exact share, then the leftover units to the largest remainders.
  const std::size_t n = splits.size();
  scratch.units.resize(n);
  scratch.remainders.resize(n);
  UInt128 given = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const UInt128 share =
        filled_units * detail::divide_by_power_of_ten(static_cast<UInt128>(splits[i].dollars.raw()), common);
    const UInt128 quotient = share / static_cast<std::uint64_t>(divisor);
    scratch.units[i] = static_cast<std::uint64_t>(quotient);
    scratch.remainders[i] = static_cast<std::uint64_t>(share - quotient * divisor);
    given += quotient;
  }
  give_to_largest_remainders(scratch.units, scratch.remainders,
                             static_cast<std::size_t>(filled_units - given),
                             static_cast<std::uint64_t>(divisor), scratch);

  // Cash: each split's exact cost (units x price at cost_decimals) floored to cents, then the
  // cents left to the largest remainders so the parts sum to the total rounded half-even.
  const auto cent_divisor =
      static_cast<std::uint64_t>(kPowersOfTen[static_cast<std::size_t>(cost_decimals - kCents)]);
  scratch.cents.resize(n);
  UInt128 floors = 0;
  std::size_t fractional = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const UInt128 cost = UInt128{scratch.units[i]} * price_units;
    const UInt128 quotient = cost / cent_divisor;
    if (quotient > UINT64_MAX) return false;
    scratch.cents[i] = static_cast<std::uint64_t>(quotient);
    scratch.remainders[i] = static_cast<std::uint64_t>(cost - quotient * cent_divisor);
    floors += quotient;
    fractional += scratch.remainders[i] != 0 ? 1 : 0;
  }
  const UInt128 total_cost = filled_units * price_units;
  UInt128 total_cents = total_cost / cent_divisor;
  const UInt128 rest = total_cost - total_cents * cent_divisor;
  if (rest * 2 > cent_divisor || (rest * 2 == cent_divisor && total_cents % 2 == 1)) ++total_cents;
  // The floors sum to at most the exact total, the ceilings to at least it.
  if (total_cents < floors || total_cents - floors > fractional)
    throw Error(ErrorKind::InvalidArgument, "fill cash: the split costs do not add up to the fill's cost");
  give_to_largest_remainders(scratch.cents, scratch.remainders,
                             static_cast<std::size_t>(total_cents - floors), cent_divisor, scratch);
  return true;
}

}  // namespace

static_assert(std::forward_iterator<SplitAllocations::Iterator>);

SplitAllocation SplitAllocations::operator[](std::size_t index) const {
  const Entry& e = entries_[index];
  const Int128 unit = unit_of_fill_[e.fill];
  if (unit == 0) {
    const auto& [units, cash] = decimals_[e.units];
    return {e.split, e.fill, units, cash};
  }
  return {e.split, e.fill, Decimal::from_raw(static_cast<Int128>(e.units) * unit),
          Decimal::from_raw(static_cast<Int128>(e.cents) * kPowersOfTen[Decimal::kScale - kCents])};
}

void SplitAllocations::reserve(std::size_t count, std::size_t fills) {
  entries_.reserve(count);
  unit_of_fill_.reserve(fills);
}

void SplitAllocations::note_fill(std::size_t fill, Int128 unit, std::size_t first_split, std::size_t count) {
  if (fill > UINT32_MAX || first_split + count > UINT32_MAX)
    throw Error(ErrorKind::InvalidArgument, "more than 4294967295 fills or splits in one allocation");
  if (unit_of_fill_.size() <= fill) unit_of_fill_.resize(fill + 1, 0);
  unit_of_fill_[fill] = unit;
}

void SplitAllocations::add_integer_fill(std::size_t fill, std::size_t first_split, int scale,
                                        std::span<const std::uint64_t> units,
                                        std::span<const std::uint64_t> cents) {
  note_fill(fill, kPowersOfTen[static_cast<std::size_t>(Decimal::kScale - scale)], first_split, units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    entries_.push_back(
        {static_cast<std::uint32_t>(first_split + i), static_cast<std::uint32_t>(fill), units[i], cents[i]});
  }
}

void SplitAllocations::add_decimal_fill(std::size_t fill, std::size_t first_split,
                                        std::span<const Decimal> units, std::span<const Decimal> cash) {
  note_fill(fill, 0, first_split, units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    entries_.push_back(
        {static_cast<std::uint32_t>(first_split + i), static_cast<std::uint32_t>(fill), decimals_.size(), 0});
    decimals_.emplace_back(units[i], cash[i]);
  }
}

std::vector<Decimal> allocate_units(Decimal filled, std::span<const Decimal> split_dollars, int scale) {
  return allocate(filled, split_dollars, scale);
}

std::vector<Decimal> round_cash_to_total(std::span<const Decimal> exact_cash, Decimal total) {
  std::vector<Decimal> parts(exact_cash.size());
  std::vector<Decimal> remainders(exact_cash.size());
  Decimal floors;
  for (std::size_t i = 0; i < exact_cash.size(); ++i) {
    if (exact_cash[i].sign() < 0)
      throw Error(ErrorKind::InvalidArgument,
                  "round_cash_to_total: negative cash " + exact_cash[i].to_string());
    parts[i] = exact_cash[i].round(kCents, Rounding::Floor);
    remainders[i] = exact_cash[i] - parts[i];
    floors += parts[i];
  }
  const Decimal cent = Decimal::from_raw(Decimal::from_int(1).raw() / 100);
  const Decimal leftover = total - floors;
  std::size_t fractional = 0;
  for (const auto& r : remainders) fractional += r.sign() > 0 ? 1 : 0;
  if (leftover.sign() < 0 || leftover.round(kCents, Rounding::Down) != leftover ||
      leftover > cent * static_cast<std::int64_t>(fractional)) {
    throw Error(ErrorKind::InvalidArgument, "round_cash_to_total: total " + total.to_string() +
                                                " is not a whole number of cents between the floors' sum " +
                                                floors.to_string() + " and the ceilings' sum");
  }
  const auto cents_left = static_cast<std::size_t>(leftover.raw() / cent.raw());
  if (cents_left > 0) {
    std::vector<std::size_t> order(exact_cash.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Largest remainders first, ties to the earlier split: a strict order, so nth_element picks
    // the same set a full sort would, in linear time.
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(cents_left - 1), order.end(),
                     [&](std::size_t a, std::size_t b) {
                       return remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b;
                     });
    for (std::size_t k = 0; k < cents_left; ++k) parts[order[k]] += cent;
  }
  return parts;
}

AllocationReport compute_allocations(const Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                                     const AllocationRules& rules) {
  AllocationReport report;
  std::unordered_set<std::string> booked;
  for (const auto& record : book.booked_fills) booked.insert(record.key());

  std::size_t most_allocations = 0;
  for (const auto& fill : fills)
    if (fill.block < plan.blocks.size()) most_allocations += plan.blocks[fill.block].split_count;
  report.allocations.reserve(most_allocations, fills.size());
  std::vector<Decimal> dollars;
  std::vector<Decimal> exact_cash;
  IntegerScratch scratch;
  // Pass 1: every fill's units and cash per split, checking the fills before the book changes.
  for (std::size_t f = 0; f < fills.size(); ++f) {
    const Fill& fill = fills[f];
    if (fill.block >= plan.blocks.size())
      throw Error(ErrorKind::InvalidArgument, "fill " + fill.record.order_id + " names no block of the plan");
    const BlockOrder& block = plan.blocks[fill.block];
    if (fill.record.symbol != plan.symbol_of(block) || fill.record.side != block.side) {
      throw Error(ErrorKind::InvalidArgument, "fill " + fill.record.order_id + " is " + fill.record.symbol +
                                                  " " + to_string(fill.record.side) + " but its block is " +
                                                  plan.symbol_of(block) + " " + to_string(block.side));
    }
    if (fill.record.units.sign() <= 0 || fill.record.price.sign() <= 0) {
      throw Error(ErrorKind::InvalidArgument, "fill " + fill.record.order_id + " of " + fill.record.symbol +
                                                  " needs positive units and price");
    }
    if (!booked.insert(fill.record.key()).second) {
      ++report.fills_already_booked;
      continue;
    }
    const auto splits = plan.splits_of(block);
    const int scale = std::max(rules.min_units_scale, fill.units_decimals);
    if (allocate_in_integers(splits, fill.record.units, fill.record.price, scale, scratch)) {
      report.allocations.add_integer_fill(f, block.first_split, scale,
                                          std::span(scratch.units).first(splits.size()),
                                          std::span(scratch.cents).first(splits.size()));
    } else {
      dollars.clear();
      for (const auto& s : splits) dollars.push_back(s.dollars);
      const auto units = allocate_units(fill.record.units, dollars, scale);
      exact_cash.clear();
      for (const auto& u : units)
        exact_cash.push_back(u.multiply(fill.record.price, Decimal::kScale, Rounding::HalfEven));
      const auto cash = round_cash_to_total(
          exact_cash, fill.record.units.multiply(fill.record.price, kCents, Rounding::HalfEven));
      report.allocations.add_decimal_fill(f, block.first_split, units, cash);
    }
    report.applied.push_back(f);
  }
  if (report.allocations.size() > UINT32_MAX)  // book_allocations counts them in 32 bits
    throw Error(ErrorKind::InvalidArgument, "more than 4294967295 split allocations in one call");
  return report;
}

void book_allocations(Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                      AllocationReport& report) {
  // Blocks that already had a fill before this call count as filled for order states.
  std::vector<bool> block_filled(plan.blocks.size(), false);
  for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
    for (const auto& record : book.booked_fills) {
      if (record.symbol == plan.symbol_of(plan.blocks[b]) && record.side == plan.blocks[b].side) {
        block_filled[b] = true;
        break;
      }
    }
  }
  for (const std::size_t f : report.applied) block_filled[fills[f].block] = true;

  // Book the allocations order by order (so each goal's holdings are visited once rather than
  // once per block), within an order in the order of the allocations (fill order): a stable
  // counting sort of the allocations by order gives each order's allocations in place.
  const auto& allocations = report.allocations;
  std::vector<std::uint32_t> first_of_order(book.orders.size() + 1, 0);
  for (std::size_t k = 0; k < allocations.size(); ++k)
    ++first_of_order[plan.splits[allocations.split_of(k)].order + 1];
  std::partial_sum(first_of_order.begin(), first_of_order.end(), first_of_order.begin());
  std::vector<std::uint32_t> by_order(allocations.size());
  {
    std::vector<std::uint32_t> next(first_of_order.begin(), first_of_order.end() - 1);
    for (std::uint32_t k = 0; k < allocations.size(); ++k)
      by_order[next[plan.splits[allocations.split_of(k)].order]++] = k;
  }
  for (std::size_t o = 0; o < book.orders.size(); ++o) {
    const std::uint32_t first = first_of_order[o], last = first_of_order[o + 1];
    if (first == last) continue;
    const Order& order = book.orders[o];
    auto& account = book.accounts[order.account];
    auto& goal = book.goals[order.goal];
    if (goal.holdings.empty()) goal.holdings.reserve(last - first);  // a new goal's first trades
    for (std::uint32_t k = first; k < last; ++k) {
      const SplitAllocation a = allocations[by_order[k]];
      const Split& split = plan.splits[a.split];
      const std::string& symbol = plan.symbols[split.symbol];
      if (split.side == Side::Buy) {
        goal.holdings.add(symbol, a.units);
        const Decimal before = account.cash;
        account.cash -= a.cash;
        if (account.cash.sign() < 0 && before.sign() >= 0)
          report.overdrafts.push_back({order.account, a.fill, a.cash, account.cash});
      } else {
        const Decimal before = goal.holdings.units(symbol);
        const Decimal after = goal.holdings.add(symbol, -a.units);
        if (after.sign() < 0 && before.sign() >= 0) report.oversells.push_back({order.goal, a.fill, after});
        account.cash += a.cash;
      }
    }
  }
  for (const std::size_t f : report.applied) book.booked_fills.push_back(fills[f].record);

  // Order states: an order whose splits' blocks all have fills is FILLED, one with some is
  // PARTIALLY_FILLED (the fill file is the broker's report of the day).
  if (!report.applied.empty()) {
    std::vector<std::uint32_t> split_count(book.orders.size(), 0);  // per order: at most the blocks
    std::vector<std::uint32_t> filled_count(book.orders.size(), 0);
    for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
      for (const auto& s : plan.splits_of(plan.blocks[b])) {
        ++split_count[s.order];
        if (block_filled[b]) ++filled_count[s.order];
      }
    }
    for (std::size_t o = 0; o < book.orders.size(); ++o) {
      if (filled_count[o] == 0) continue;
      auto& order = book.orders[o];
      const bool complete = filled_count[o] == split_count[o];
      order.state = after_fill(order.state, complete);
    }
  }
}

AllocationReport allocate_fills(Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                                const AllocationRules& rules) {
  AllocationReport report = compute_allocations(book, plan, fills, rules);
  book_allocations(book, plan, fills, report);
  return report;
}

}  // namespace tranche::oms
