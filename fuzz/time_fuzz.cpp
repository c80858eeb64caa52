// The date and timestamp parsers on arbitrary bytes: a text is a date (or an instant) or is
// refused, by nullopt or a tranche::Error; what parses formats to a text that parses to the
// same value, and a date's text is its one canonical form.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "tranche/core/error.hpp"
#include "tranche/core/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto date = tranche::parse_iso_date(text)) {
    FUZZ_CHECK(tranche::format_iso_date(*date) == text);
  }
  try {
    const tranche::Timestamp instant = tranche::parse_timestamp(text);
    FUZZ_CHECK(tranche::parse_timestamp(tranche::format_timestamp(instant)) == instant);
  } catch (const tranche::Error&) {
  }
  return 0;
}
