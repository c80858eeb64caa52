#pragma once
// Market hours for the cycle's viability check from exchange calendars: each symbol trades on
// its venue (InstrumentVenues, with a default venue), whose calendar says whether it is open.

#include <string_view>

#include "tranche/core/calendar.hpp"
#include "tranche/oms/cycle.hpp"

namespace tranche::oms {

class CalendarMarketHours final : public MarketHours {
 public:
  // Both must outlive this object.
  CalendarMarketHours(const CalendarRegistry& registry, const InstrumentVenues& venues)
      : registry_(registry), venues_(venues) {}
  // Error (from the calendar) when `at` is outside the calendar's coverage: never a guess.
  bool is_open(std::string_view symbol, Timestamp at) const override {
    return venues_.calendar_of(symbol, registry_).is_open(at);
  }

 private:
  const CalendarRegistry& registry_;
  const InstrumentVenues& venues_;
};

}  // namespace tranche::oms
