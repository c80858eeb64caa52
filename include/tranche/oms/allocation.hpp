#pragma once
// Allocation of block fills back to the accounts' splits, exactly.
//
// For each fill of a block (several per block allowed: partial fills at different prices):
//   units:  the filled units split pro rata by the splits' dollars at the fill's own decimals
//           (at least AllocationRules::min_units_scale), by largest remainder with ties to the
//           earlier split, so the splits' units sum exactly to the filled units;
//   cash:   each split's exact units x price, rounded to cents by largest remainder (ties to
//           the earlier split), so the splits' cash sums exactly to the fill's units x price
//           rounded half-even to cents; each split pays the floor or the ceiling of its exact
//           cost. BUY debits the account, SELL credits it.
// Goal holdings, account cash and order states are updated in the book. A fill already in the
// book's journal is skipped, so applying the same fill file twice changes nothing the second
// time. A payment that takes an account's cash below zero is booked (the trade happened) and
// reported as an overdraft, never hidden; likewise a sale that takes a goal's units below zero
// (an oversell). Every fill is checked (its block, symbol, side, units
// and price) before the book changes: a bad fill leaves the book as it was.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "tranche/core/decimal.hpp"
#include "tranche/oms/book.hpp"
#include "tranche/oms/cycle.hpp"

namespace tranche::oms {

struct Fill {
  FillRecord record;       // order id, symbol, side, units, price, occurrence
  int units_decimals = 0;  // fractional digits of the units as the broker wrote them
  std::size_t block = 0;   // index into BlockPlan::blocks
};

struct AllocationRules {
  int min_units_scale = 9;  // units are allocated at max(this, the fill's decimals) decimals
};

struct SplitAllocation {
  std::size_t split = 0;  // index into BlockPlan::splits
  std::size_t fill = 0;   // index into the fills given
  Decimal units;
  Decimal cash;  // paid (BUY) or received (SELL), in cents, never negative
};

// The allocations of one allocate_fills call, read as SplitAllocation values. Kept compact (a
// call at a million accounts makes millions): 24 bytes each, the units as an integer count at
// the fill's scale and the cash in cents, where those fit 64 bits (the usual case), otherwise
// an index into Decimals kept beside.
class SplitAllocations {
 public:
  class Iterator {
   public:
    // Values, not references: an input iterator to the standard library's older algorithms,
    // a forward one to ranges.
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::forward_iterator_tag;
    using value_type = SplitAllocation;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = SplitAllocation;
    Iterator() = default;
    Iterator(const SplitAllocations* list, std::size_t at) : list_(list), at_(at) {}
    SplitAllocation operator*() const { return (*list_)[at_]; }
    Iterator& operator++() {
      ++at_;
      return *this;
    }
    Iterator operator++(int) { return Iterator(list_, at_++); }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.at_ == b.at_; }

   private:
    const SplitAllocations* list_ = nullptr;
    std::size_t at_ = 0;
  };

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  SplitAllocation operator[](std::size_t index) const;
  std::size_t split_of(std::size_t index) const { return entries_[index].split; }
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

  // For allocate_fills: room for `count` allocations of `fills` fills.
  void reserve(std::size_t count, std::size_t fills);
  // A fill's allocations computed in integers: units[i] at `scale` decimals and cents[i] for
  // split first_split + i.
  void add_integer_fill(std::size_t fill, std::size_t first_split, int scale,
                        std::span<const std::uint64_t> units, std::span<const std::uint64_t> cents);
  // A fill's allocations as Decimals.
  void add_decimal_fill(std::size_t fill, std::size_t first_split, std::span<const Decimal> units,
                        std::span<const Decimal> cash);

 private:
  struct Entry {
    std::uint32_t split;
    std::uint32_t fill;
    std::uint64_t units;  // at the fill's scale, or (a Decimal fill) the index into decimals_
    std::uint64_t cents;
  };
  void note_fill(std::size_t fill, Int128 unit, std::size_t first_split, std::size_t count);
  std::vector<Entry> entries_;
  std::vector<Int128> unit_of_fill_;  // one unit at the fill's scale, raw; 0 for a Decimal fill
  std::vector<std::pair<Decimal, Decimal>> decimals_;  // units and cash of the Decimal fills
};

struct Overdraft {
  std::size_t account = 0;
  std::size_t fill = 0;
  Decimal payment;
  Decimal cash_after;  // below zero
};

// A SELL fill that took a goal's units below zero (the broker sold more than the goal held).
struct Oversell {
  std::size_t goal = 0;
  std::size_t fill = 0;
  Decimal units_after;  // below zero
};

struct AllocationReport {
  SplitAllocations allocations;       // in fill order, then split order
  std::vector<Overdraft> overdrafts;  // in the order of the book's orders
  std::vector<Oversell> oversells;    // likewise
  std::vector<std::size_t> applied;   // the fills booked by this call (indices into the fills given)
  std::size_t fills_already_booked = 0;
};

// `filled` split pro rata by `split_dollars` at `scale` decimals (largest remainder, ties to
// the earlier split): the parts sum exactly to `filled`.
std::vector<Decimal> allocate_units(Decimal filled, std::span<const Decimal> split_dollars, int scale);

// Each split's exact cash (units x price) rounded to cents so that the parts sum exactly to
// `total` (a whole number of cents between the sum of floors and the sum of ceilings): every
// part starts at its floor, then one cent each goes to the largest remainders, ties to the
// earlier. Error(InvalidArgument) when `total` is outside that range.
std::vector<Decimal> round_cash_to_total(std::span<const Decimal> exact_cash, Decimal total);

// Books `fills` (each naming its block in `plan`) into `book`, as described above.
AllocationReport allocate_fills(Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                                const AllocationRules& rules = {});

// allocate_fills in its two steps, for a caller that uses the allocations (writes them out)
// while the book is updated: the allocations of the fills not yet booked, all fills checked,
// the book unchanged; then the booking of that report into the same book (holdings, cash,
// order states, overdrafts and oversells, the fills recorded as booked).
AllocationReport compute_allocations(const Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                                     const AllocationRules& rules = {});
void book_allocations(Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                      AllocationReport& report);

}  // namespace tranche::oms
